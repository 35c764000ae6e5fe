// bouncer doctor on a bare project and on a fully guarded one, with HOME, XDG folders, PATH and the
// data directory all in temporary folders: nothing of this machine is read.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { runDoctor } from "../../../src/doors/doctor/doctor.ts";
import type { DoctorReader } from "../../../src/doors/doctor/reader.ts";
import { shimScript } from "../../../src/doors/guard/shims.ts";
import { Ledger } from "../../../src/ledger/ledger.ts";
import type { DoctorReport } from "../../../src/report/doctor.ts";
import { buildIndex } from "../../../src/sources/offline-index/build.ts";
import { cli } from "../cli/run.ts";

const NOW = "2026-11-23T12:00:00Z";
const SAMPLES = path.resolve(import.meta.dirname, "../../../../shared/feeds/samples");

function which(tool: string): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    try {
      execFileSync("test", ["-x", path.join(dir, tool)]);
      return path.join(dir, tool);
    } catch {
      // not here
    }
  }
  throw new Error(`${tool} not found`);
}

function write(file: string, text: string, mode?: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  if (mode) chmodSync(file, mode);
}

/** A machine of its own: home, XDG folders, PATH (npm and pip stand-ins, and git), data directory. */
function machine() {
  const top = mkdtempSync(path.join(tmpdir(), "doctor-"));
  const home = path.join(top, "home");
  const bin = path.join(top, "bin");
  const project = path.join(top, "project");
  const data = path.join(top, "data");
  for (const d of [home, bin, project, data]) mkdirSync(d, { recursive: true });
  symlinkSync(which("git"), path.join(bin, "git"));
  const env: Record<string, string> = {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    // pip's system files: /etc/xdg/pip/pip.conf is not read (/etc/pip.conf still is, as pip reads it).
    XDG_CONFIG_DIRS: path.join(top, "xdg"),
    PATH: bin,
    BOUNCER_HOME: data,
    BOUNCER_NOW: NOW,
  };
  return { home, bin, project, data, env };
}

function project(dir: string): void {
  write(path.join(dir, "package.json"), JSON.stringify({ name: "app", dependencies: { react: "^19.0.0" } }));
  write(path.join(dir, "requirements.txt"), "requests\n");
}

async function doctor(m: ReturnType<typeof machine>, ...args: string[]) {
  const run = await cli(["doctor", ...args], m.env, { cwd: m.project });
  return run;
}

const states = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.id, c.state]));

test("doctor on a bare project: every door that applies is open, each with a fix", async () => {
  const m = machine();
  project(m.project);
  write(path.join(m.bin, "npm"), "#!/bin/sh\necho real npm\n", 0o755);
  write(path.join(m.bin, "pip"), "#!/bin/sh\necho real pip\n", 0o755);
  write(path.join(m.project, ".claude/settings.json"), JSON.stringify({ permissions: { allow: [] } }));

  const json = await doctor(m, "--json");
  assert.equal(json.code, 0, json.stderr);
  const report = JSON.parse(json.stdout) as DoctorReport;
  assert.deepEqual(states(report), {
    "agent-hook:claude": "open",
    "mcp:claude": "open",
    shims: "open",
    "proxy:npm": "open",
    "proxy:pip": "open",
    ci: "open",
    "pre-commit": "open",
    "cooldown:npm": "open",
    "cooldown:pip": "open",
    "install-scripts:npm": "open",
    "lockfile:npm": "open",
    "lockfile:python": "open",
    "offline-index": "open",
    feed: "open",
    "decision-log": "n/a",
  });
  for (const c of report.checks) if (c.state === "open") assert.ok(c.fix && !c.fix.includes("\n"), `${c.id} has a one-line fix`);
  assert.match(report.checks.find((c) => c.id === "shims")!.detail, /npm .*, pip /);

  const text = await doctor(m);
  assert.equal(text.code, 0);
  assert.match(text.stdout, /^OPEN +Claude Code hook .*\n +fix: bouncer init/m);
  assert.match(text.stdout, /0 guarded, 14 open, 1 not applicable\n$/);
  // --strict: an open door fails the run.
  assert.equal((await doctor(m, "--strict")).code, 1);
});

test("doctor with no agent, no installer and no manifest: nothing applies but CI, commits and data", async () => {
  const m = machine();
  const report = JSON.parse((await doctor(m, "--json")).stdout) as DoctorReport;
  assert.deepEqual(states(report), {
    "agent-hook": "n/a",
    shims: "n/a",
    ci: "open",
    "pre-commit": "open",
    lockfiles: "n/a",
    "offline-index": "open",
    feed: "open",
    "decision-log": "n/a",
  });
});

test("doctor on a fully guarded project: every door guarded, --strict passes", async () => {
  const m = machine();
  project(m.project);
  const p = (rel: string, text: string) => write(path.join(m.project, rel), text);
  const h = (rel: string, text: string) => write(path.join(m.home, rel), text);
  // Agents: hooks and MCP for Claude Code (project), Codex (user TOML), Cursor (project).
  p(".claude/settings.json", JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash|Write|Edit|MultiEdit|NotebookEdit|mcp__.*__write_file|mcp__.*__edit_file", hooks: [{ type: "command", command: "bouncer hook claude" }] }] } }));
  p(".mcp.json", JSON.stringify({ mcpServers: { bouncer: { command: "bouncer", args: ["mcp"] } } }));
  h(".codex/config.toml", '[mcp_servers.bouncer]\ncommand = "npx"\nargs = ["-y", "bouncer", "mcp"]\n\n[[hooks.PreToolUse]]\n[[hooks.PreToolUse.hooks]]\ntype = "command"\ncommand = "bouncer hook codex"\n');
  p(".cursor/hooks.json", JSON.stringify({ version: 1, hooks: { preToolUse: [{ command: "bouncer hook cursor" }] } }));
  p(".cursor/mcp.json", JSON.stringify({ mcpServers: { gate: { command: "node", args: ["/opt/bouncer/bin/bouncer.js", "mcp"] } } }));
  // Installers: Bouncer's shims come first on PATH.
  for (const tool of ["npm", "pip"]) write(path.join(m.bin, tool), shimScript(tool, m.bin, "/usr/bin/node", "/opt/bouncer/bin/bouncer.js"), 0o755);
  // Registries through the proxy, cooldowns, install scripts.
  h(".npmrc", "registry=http://127.0.0.1:4873/npm/\nmin-release-age=3\n");
  p(".npmrc", "ignore-scripts=true\n");
  h(".config/pip/pip.conf", "[global]\nindex-url = http://127.0.0.1:4873/pypi/simple/\n[install]\nuploaded-prior-to = P3D\n");
  // CI and pre-commit.
  p(".github/workflows/deps.yml", "on: pull_request\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: acme/bouncer@v0\n");
  p(".pre-commit-config.yaml", "repos:\n  - repo: https://github.com/acme/bouncer\n    rev: v0.1.0\n    hooks: [{ id: bouncer }]\n");
  // Lockfiles, committed.
  p("package-lock.json", JSON.stringify({ name: "app", lockfileVersion: 3, packages: {} }));
  p("requirements.txt", "requests==2.32.3\n");
  const git = (...args: string[]) =>
    execFileSync("git", ["-C", m.project, ...args], { env: { ...m.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-qm", "init");
  // Data: a fresh index, a fresh feed, an intact decision log.
  write(path.join(m.data, "npm.tsv"), "name\tversion\tdownloads_a_month\tsummary\nreact\t19.3.1\t351327975\tUI\n");
  write(path.join(m.data, "pypi.tsv"), "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\nrequests\t2.32.3\t2026-11\t4\tHTTP\n");
  await buildIndex({
    out: path.join(m.data, "index.bin"),
    searchOut: path.join(m.data, "search.tsv.gz"),
    inputs: [
      { ecosystem: "npm", file: path.join(m.data, "npm.tsv"), normalize: (n) => n },
      { ecosystem: "pypi", file: path.join(m.data, "pypi.tsv"), normalize: (n) => n.toLowerCase() },
    ],
  });
  assert.equal((await cli(["feeds", "import", SAMPLES], m.env)).code, 0);
  await new Ledger(m.data).append([{ door: "check", purl: "pkg:npm/react", ecosystem: "npm", name: "react", version: null, verdict: "allow", findings: [], policyDigest: "x" }]);
  const fresh = new Date(NOW);
  utimesSync(path.join(m.data, "feed.sqlite"), fresh, fresh);

  const run = await doctor(m, "--json", "--strict");
  const report = JSON.parse(run.stdout) as DoctorReport;
  assert.deepEqual(
    report.checks.filter((c) => c.state !== "guarded").map((c) => `${c.id}: ${c.detail}`),
    [],
  );
  assert.equal(run.code, 0);
  assert.deepEqual(Object.keys(states(report)), [
    "agent-hook:claude",
    "mcp:claude",
    "agent-hook:codex",
    "mcp:codex",
    "agent-hook:cursor",
    "mcp:cursor",
    "shims",
    "proxy:npm",
    "proxy:pip",
    "ci",
    "pre-commit",
    "cooldown:npm",
    "cooldown:pip",
    "install-scripts:npm",
    "lockfile:npm",
    "lockfile:python",
    "offline-index",
    "feed",
    "decision-log",
  ]);
  assert.match(report.checks.find((c) => c.id === "offline-index")!.detail, /^offline index and package search: npm 2026-11, pypi 2026-11 \(22 days old\)$/);
  const text = await doctor(m);
  assert.match(text.stdout, /19 guarded, 0 open, 0 not applicable: every door that applies is guarded\n$/);

  // A stale feed, an uncommitted lockfile and an edited log each open their door again.
  const old = new Date("2026-10-01T00:00:00Z");
  utimesSync(path.join(m.data, "feed.sqlite"), old, old);
  p("uv.lock", "version = 1\n");
  p("pyproject.toml", '[project]\nname = "app"\nversion = "0"\n');
  write(path.join(m.data, "ledger.jsonl"), '{"seq":1}\n');
  const after = JSON.parse((await doctor(m, "--json")).stdout) as DoctorReport;
  const s = states(after);
  assert.equal(s.feed, "open");
  assert.equal(s["lockfile:python"], "open");
  assert.match(after.checks.find((c) => c.id === "lockfile:python")!.detail, /uv\.lock present but not committed/);
  assert.equal(s["decision-log"], "open");
  assert.equal(s["cooldown:uv"], "open");
});

test("doctor reads no project file through a link that leads outside the project", async () => {
  const m = machine();
  const outside = path.join(m.home, "elsewhere");
  write(path.join(outside, "ci.yml"), "steps:\n  - uses: acme/bouncer@v0\n");
  mkdirSync(path.join(m.project, ".github"), { recursive: true });
  symlinkSync(outside, path.join(m.project, ".github/workflows"));
  const report = JSON.parse((await doctor(m, "--json")).stdout) as DoctorReport;
  assert.equal(states(report).ci, "open");
});

test("doctor survives settings it cannot parse or must not read: each door it cannot confirm stays open", async () => {
  const m = machine();
  const p = (rel: string, text: string | Buffer) => write(path.join(m.project, rel), text as string);
  p("package.json", "{not json");
  p("pyproject.toml", "[project\nname = ");
  p(".mcp.json", "\u0000\u0001binary");
  p(".cursor/mcp.json", JSON.stringify({ mcpServers: [1, 2] }));
  p(".cursor/hooks.json", "null");
  p("pnpm-workspace.yaml", ": : :\n\t- [");
  // A hook command past the size limit is never read, so never counted.
  p(".claude/settings.json", `${" ".repeat(1024 * 1024)}{"hooks":{"PreToolUse":[{"hooks":[{"command":"bouncer hook claude"}]}]}}`);
  write(path.join(m.home, ".codex/config.toml"), "[[[ not toml");
  const run = await doctor(m, "--json");
  assert.equal(run.code, 0, run.stderr);
  const s = states(JSON.parse(run.stdout) as DoctorReport);
  assert.equal(s["agent-hook:claude"], "open");
  assert.equal(s["mcp:claude"], "open");
  assert.equal(s["mcp:cursor"], "open");
  assert.equal(s["agent-hook:codex"], "open");
  assert.equal(s["cooldown:pnpm"], "open");
});

test("doctor sees what `bouncer init` installs: after init every agent's hook and MCP door it wrote is guarded", async () => {
  const m = machine();
  project(m.project);
  for (const dir of [".claude", ".codex", ".gemini", ".github/hooks", ".cursor", ".windsurf"]) mkdirSync(path.join(m.project, dir), { recursive: true });
  const init = await cli(["init", "--project"], m.env, { cwd: m.project });
  assert.equal(init.code, 0, init.stderr);
  const run = await doctor(m, "--json");
  const s = states(JSON.parse(run.stdout) as DoctorReport);
  for (const id of ["claude", "codex", "gemini", "copilot", "cursor", "windsurf"]) assert.equal(s[`agent-hook:${id}`], "guarded", `${id} hook`);
  for (const id of ["claude", "codex", "gemini", "copilot", "cursor"]) assert.equal(s[`mcp:${id}`], "guarded", `${id} MCP`);
});

test("doctor reads an agent's settings with comments (Gemini's settings.json is JSONC): the MCP server registered there is seen", async () => {
  const m = machine();
  write(path.join(m.project, ".gemini/settings.json"), '{\n  // Bouncer checks every dependency\n  "mcpServers": { "bouncer": { "command": "bouncer", "args": ["mcp"] }, },\n}\n');
  const s = states(JSON.parse((await doctor(m, "--json")).stdout) as DoctorReport);
  assert.equal(s["mcp:gemini"], "guarded");
});

test("doctor never prints credentials from the registry and index URLs it reports", async () => {
  const m = machine();
  project(m.project);
  write(path.join(m.home, ".config/pip/pip.conf"), "[global]\nindex-url = https://deploy:s3cretPass@pypi.corp.example/simple/\n");
  write(path.join(m.home, ".npmrc"), "registry=https://npmuser:npmS3cret@npm.corp.example/\n");
  const run = await doctor(m, "--json");
  assert.match(run.stdout, /pypi\.corp\.example/);
  assert.doesNotMatch(run.stdout, /s3cretPass|npmS3cret/);
});

test("a Bouncer hook that is commented out, under the wrong event, another agent's, or behind a narrow matcher is not guarded", async () => {
  const m = machine();
  const p = (rel: string, text: string) => write(path.join(m.project, rel), text);
  const hook = (agent: string) => ({ type: "command", command: `bouncer hook ${agent}` });
  const cases: Array<{ agent: string; file: string; text: string; state: string; detail: RegExp }> = [
    {
      agent: "gemini",
      file: ".gemini/settings.json",
      text: '{\n  "hooks": {\n    "BeforeTool": [\n      {\n        "matcher": "run_shell_command|write_file|replace",\n        "hooks": [\n          {\n            "type": "command",\n            // "command": "bouncer hook gemini",\n            "command": "./lint.sh",\n          },\n        ],\n      },\n    ],\n  },\n}\n',
      state: "open",
      detail: /^no `bouncer hook` before shell commands or file edits in /,
    },
    {
      agent: "claude",
      file: ".claude/settings.json",
      text: '{\n  "hooks": {\n    "PreToolUse": [\n      { "matcher": "Bash|Write|Edit|MultiEdit", "hooks": [\n        { "type": "command", "command": "./check.sh" }\n        // { "type": "command", "command": "bouncer hook claude" }\n      ] }\n    ]\n  }\n}\n',
      state: "open",
      detail: /: the agent installs and edits manifests unchecked; \.claude\/settings\.json is not valid JSON \(/,
    },
    { agent: "claude", file: ".claude/settings.json", text: JSON.stringify({ hooks: { PostToolUse: [{ matcher: "*", hooks: [hook("claude")] }] } }), state: "open", detail: /`bouncer hook claude` under PostToolUse runs before no tool/ },
    { agent: "gemini", file: ".gemini/settings.json", text: JSON.stringify({ hooks: { AfterTool: [{ hooks: [hook("gemini")] }] } }), state: "open", detail: /under AfterTool runs before no tool/ },
    { agent: "claude", file: ".claude/settings.json", text: JSON.stringify({ hooks: { PreToolUse: [{ hooks: [hook("codex")] }] } }), state: "open", detail: /`bouncer hook codex` is OpenAI Codex CLI's hook, not this agent's/ },
    { agent: "claude", file: ".claude/settings.json", text: JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [hook("claude")] }] } }), state: "partial", detail: /^\.claude\/settings\.json runs `bouncer hook`, but file edits are not hooked$/ },
    { agent: "claude", file: ".claude/settings.json", text: JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash|Edit|MultiEdit", hooks: [hook("claude")] }] } }), state: "partial", detail: /but the matcher does not cover Write, NotebookEdit, mcp__\.\*__write_file, mcp__\.\*__edit_file$/ },
    { agent: "claude", file: ".claude/settings.json", text: JSON.stringify({ hooks: { PreToolUse: [{ matcher: "(?i)bash|write|edit|multiedit", hooks: [hook("claude")] }] } }), state: "partial", detail: /cannot tell whether the hook runs before Bash, Write, Edit, MultiEdit/ },
    // Nested quantifiers are not evaluated (they would hang the check on "run_shell_command").
    { agent: "gemini", file: ".gemini/settings.json", text: JSON.stringify({ hooks: { BeforeTool: [{ matcher: "((.*)*)*x", hooks: [hook("gemini")] }] } }), state: "partial", detail: /cannot tell whether the hook runs before run_shell_command, write_file, replace$/ },
    { agent: "claude", file: ".claude/settings.json", text: JSON.stringify({ disableAllHooks: true, hooks: { PreToolUse: [{ hooks: [hook("claude")] }] } }), state: "open", detail: /disableAllHooks is set/ },
    { agent: "cursor", file: ".cursor/hooks.json", text: JSON.stringify({ version: 1, hooks: { beforeShellExecution: [{ command: "bouncer hook cursor" }] } }), state: "partial", detail: /but file edits are not hooked$/ },
    { agent: "codex", file: ".codex/config.toml", text: '[[hooks.PostToolUse]]\n[[hooks.PostToolUse.hooks]]\ntype = "command"\ncommand = "bouncer hook codex"\n', state: "open", detail: /under PostToolUse runs before no tool/ },
  ];
  for (const c of cases) {
    for (const d of [".claude", ".gemini", ".cursor", ".codex"]) rmSync(path.join(m.project, d), { recursive: true, force: true });
    p(c.file, c.text);
    const run = await doctor(m, "--json", "--strict");
    const check = (JSON.parse(run.stdout) as DoctorReport).checks.find((x) => x.id === `agent-hook:${c.agent}`)!;
    assert.equal(check.state, c.state, `${c.file}: ${c.text}`);
    assert.match(check.detail, c.detail);
    assert.equal(check.fix, `bouncer init --agent ${c.agent} (adds the hook to ${check.door.replace(/ hook$/, "")})`);
    assert.equal(run.code, 1, "--strict fails on a door guarded only in part");
  }
  // The text report says PARTLY, and counts it apart.
  rmSync(path.join(m.project, ".codex"), { recursive: true, force: true });
  p(".claude/settings.json", JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [hook("claude")] }] } }));
  const text = await doctor(m);
  assert.match(text.stdout, /^PARTLY +Claude Code hook +\.claude\/settings\.json runs `bouncer hook`, but file edits are not hooked\n +fix: bouncer init --agent claude/m);
  assert.match(text.stdout, /\d+ guarded, 1 partly guarded, \d+ open, /);
  // `bouncer init` closes what the narrow matcher left open.
  assert.equal((await cli(["init", "--agent", "claude", "--no-mcp"], m.env, { cwd: m.project })).code, 0);
  assert.equal(states(JSON.parse((await doctor(m, "--json")).stdout) as DoctorReport)["agent-hook:claude"], "guarded");
});

/** A file system of its own for runDoctor: absolute paths to text; nothing of this machine is read. */
function fakeReader(files: Record<string, string>): DoctorReader {
  const at = (base: string, rel: string) => path.resolve(base, rel);
  return {
    read: (base, rel) => files[at(base, rel)],
    exists: (base, rel) => Object.keys(files).some((f) => f === at(base, rel) || f.startsWith(`${at(base, rel)}/`)),
    list: (base, rel) => Object.keys(files).filter((f) => path.dirname(f) === at(base, rel)).map((f) => path.basename(f)).sort(),
    config: (file) => files[file],
    head: () => undefined,
    tracked: async () => undefined,
  };
}

test("doctor reads pip's settings as pip does: system and virtualenv files, [install] over [global] across files, PIP_CONFIG_FILE=os.devnull", async () => {
  const data = mkdtempSync(path.join(tmpdir(), "doctor-data-"));
  const proxy = "[global]\nindex-url = http://127.0.0.1:4873/pypi/simple/\n[install]\nuploaded-prior-to = P3D\n";
  const pip = async (env: Record<string, string>, files: Record<string, string>) => {
    const report = await runDoctor({
      root: "/work/app",
      home: "/home/dev",
      env: { XDG_CONFIG_DIRS: "/etc/xdg", ...env },
      now: new Date(NOW),
      dataDir: data,
      tools: [],
      reader: fakeReader({ "/work/app/requirements.txt": "requests\n", "/home/dev/.config/pip/pip.conf": proxy, ...files }),
    });
    const s = states(report);
    return { index: s["proxy:pip"], cooldown: s["cooldown:pip"], detail: report.checks.find((c) => c.id === "proxy:pip")!.detail };
  };
  assert.deepEqual(await pip({}, {}), { index: "guarded", cooldown: "guarded", detail: "pip installs through the Bouncer proxy http://127.0.0.1:4873/pypi/simple/" });
  // The virtualenv's pip.conf is read last of the files: pip installs from PyPI.
  assert.equal((await pip({ VIRTUAL_ENV: "/home/dev/venvs/app" }, { "/home/dev/venvs/app/pip.conf": "[global]\nindex-url = https://pypi.org/simple\n" })).index, "open");
  // [install] in /etc/pip.conf beats [global] in the user's file (pip takes every [global] first).
  const etc = await pip({}, { "/etc/pip.conf": "[install]\nindex-url = https://mirror.example/simple/\n" });
  assert.equal(etc.index, "open");
  assert.match(etc.detail, /mirror\.example/);
  // So does XDG_CONFIG_DIRS's pip.conf.
  assert.equal((await pip({ XDG_CONFIG_DIRS: "/opt/xdg" }, { "/opt/xdg/pip/pip.conf": "[install]\nindex-url = https://mirror.example/simple/\n" })).index, "open");
  // PIP_CONFIG_FILE=/dev/null: pip reads no file at all.
  assert.deepEqual(await pip({ PIP_CONFIG_FILE: "/dev/null" }, {}), { index: "open", cooldown: "open", detail: "pip installs from PyPI directly, not through a Bouncer proxy" });
  // A cooldown from the environment counts; an empty value does not.
  assert.equal((await pip({ PIP_CONFIG_FILE: "/dev/null", PIP_UPLOADED_PRIOR_TO: "P3D" }, {})).cooldown, "guarded");
  assert.equal((await pip({}, { "/home/dev/.pip/pip.conf": "[install]\nuploaded-prior-to =\n", "/home/dev/.config/pip/pip.conf": "[install]\nuploaded-prior-to =\n" })).cooldown, "open");
});
