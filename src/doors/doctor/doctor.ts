// `bouncer doctor`: which doors a dependency can come through on this project and machine, and
// whether Bouncer (or the package manager's own safety settings) guards each one.
import { statSync } from "node:fs";
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { parse as parseYaml } from "yaml";
import { redact } from "../../core/excerpt.ts";
import { isRecord } from "../../core/guards.ts";
import { NPM_CLI, NPM_COOLDOWN_KEY, npmSetting as resolveNpmSetting, userNpmrcFile } from "../../ecosystems/npm/npmrc.ts";
import { loadPipSettings } from "../../ecosystems/pypi/pipconf.ts";
import { FEED_FILE, INDEX_FILE } from "../../engine/setup.ts";
import { type Verification, verifyLedger } from "../../ledger/ledger.ts";
import { openFeedStore } from "../../sources/feed/store.ts";
import { openIndex } from "../../sources/offline-index/read.ts";
import { SEARCH_FILE } from "../../sources/offline-index/search.ts";
import { SHIM_MARKER } from "../guard/guard.ts";
import { NPM_HOME } from "../proxy/npm-routes.ts";
import { PYPI_HOME } from "../proxy/pypi-routes.ts";
import type { DoctorReport, DoorCheck, DoorState } from "../../report/doctor.ts";
import { hookGaps } from "../hooks/install.ts";
import { agentStates } from "./agents.ts";
import { type DoctorReader, MAX_LISTED } from "./reader.ts";

export interface DoctorInput {
  root: string;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  now: Date;
  dataDir: string;
  logKey?: Uint8Array;
  /** Installers looked for on PATH (the guarded tools). */
  tools: readonly string[];
  reader: DoctorReader;
}

/** An index older than this misses the packages registered since: rebuild it. */
export const INDEX_MAX_AGE_DAYS = 120;
/** Malicious-package reports come out daily: a feed older than this misses recent attacks. */
export const FEED_MAX_AGE_DAYS = 7;
const DAY_MS = 86_400_000;

interface Project {
  npm: boolean;
  pnpm: boolean;
  yarn: boolean;
  python: boolean;
  uv: boolean;
  packageJson: Record<string, unknown> | undefined;
  pyproject: Record<string, unknown> | undefined;
  requirements: string[];
}

function tryParse<T>(text: string | undefined, parse: (t: string) => T): T | undefined {
  if (text === undefined) return undefined;
  try {
    return parse(text);
  } catch {
    return undefined;
  }
}

function readProject(input: DoctorInput): Project {
  const { reader, root } = input;
  const has = (rel: string) => reader.exists(root, rel);
  const pkg = tryParse(reader.read(root, "package.json"), JSON.parse);
  const pyText = reader.read(root, "pyproject.toml");
  const pyproject = tryParse(pyText, parseToml) as Record<string, unknown> | undefined;
  const requirements = reader.list(root, ".").filter((n) => /^requirements[^/]*\.(txt|in)$/.test(n));
  const tool = isRecord(pyproject?.tool) ? pyproject.tool : {};
  const pnpm = has("pnpm-lock.yaml") || has("pnpm-workspace.yaml");
  const yarn = has("yarn.lock") || has(".yarnrc.yml");
  const python = pyproject !== undefined || requirements.length > 0 || has("Pipfile") || has("setup.py");
  return {
    npm: pkg !== undefined && !pnpm && !yarn,
    pnpm,
    yarn,
    python,
    uv: has("uv.lock") || has("uv.toml") || isRecord(tool.uv),
    packageJson: isRecord(pkg) ? pkg : undefined,
    pyproject,
    requirements,
  };
}

/** The first executable of each tool on PATH (PATH is the user's choice: its links are followed). */
function firstOnPath(input: DoctorInput): Map<string, string> {
  const found = new Map<string, string>();
  const dirs = (input.env.PATH ?? "").split(path.delimiter).filter(Boolean).slice(0, MAX_LISTED);
  for (const dir of dirs) {
    for (const tool of input.tools) {
      if (found.has(tool)) continue;
      try {
        const info = statSync(path.join(dir, tool));
        if (info.isFile() && info.mode & 0o111) found.set(tool, path.join(dir, tool));
      } catch {
        // not here
      }
    }
  }
  return found;
}

// Details quote the user's settings (registry and index URLs may carry user:pass@ or tokens): redacted here, once for all.
const check = (id: string, door: string, state: DoorState, detail: string, fix?: string): DoorCheck =>
  fix && (state === "open" || state === "partial") ? { id, door, state, detail: redact(detail), fix } : { id, door, state, detail: redact(detail) };

function agentChecks(input: DoctorInput): DoorCheck[] {
  const states = agentStates({ root: input.root, home: input.home, env: input.env, reader: input.reader });
  const used = states.filter((s) => s.present);
  if (!used.length) {
    return [check("agent-hook", "coding agents", "n/a", "no coding agent settings found for this project or user (Claude Code, Codex, Gemini CLI, Copilot, Cursor, Windsurf)")];
  }
  const out: DoorCheck[] = [];
  for (const s of used) {
    const a = s.agent;
    const id = `agent-hook:${a.id}`;
    const door = `${a.name} hook`;
    const fix = `bouncer init --agent ${a.id} (adds the hook to ${a.name})`;
    const unread = s.unreadable.length ? `; ${s.unreadable.join("; ")}` : "";
    const runs = `${s.hookFiles.join(", ")} ${s.hookFiles.length === 1 ? "runs" : "run"} \`bouncer hook\``;
    const notes = s.hook.notes.length ? ` (${s.hook.notes.join("; ")})` : "";
    out.push(
      s.hook.state === "guarded"
        ? check(id, door, "guarded", `${runs} before shell commands and file edits${unread}`)
        : s.hook.state === "partial"
          ? check(id, door, "partial", `${runs}, but ${hookGaps(s.hook)}${unread}`, fix)
          : check(id, door, "open", `no \`bouncer hook\` before shell commands or file edits in ${s.hookPlaces.join(", ")}${notes}: the agent installs and edits manifests unchecked${unread}`, fix),
    );
    out.push(
      s.mcpFiles.length
        ? check(`mcp:${a.id}`, `${a.name} MCP`, "guarded", `${s.mcpFiles.join(", ")} registers \`bouncer mcp\``)
        : check(`mcp:${a.id}`, `${a.name} MCP`, "open", `\`bouncer mcp\` is not registered in ${s.mcpPlaces.join(", ")}`, `bouncer init (registers bouncer mcp with ${a.name})`),
    );
  }
  return out;
}

function shimCheck(input: DoctorInput, onPath: Map<string, string>): DoorCheck {
  if (!onPath.size) return check("shims", "installer shims", "n/a", "no package installer (npm, pip, uv...) on PATH");
  const real = [...onPath].filter(([, file]) => !(input.reader.head(file) ?? "").includes(SHIM_MARKER));
  if (!real.length) return check("shims", "installer shims", "guarded", `${[...onPath.keys()].join(", ")} on PATH run through Bouncer's shims`);
  return check(
    "shims",
    "installer shims",
    "open",
    `${real.map(([tool, file]) => `${tool} (${file})`).join(", ")} ${real.length === 1 ? "comes" : "come"} before any Bouncer shim on PATH`,
    'bouncer shims install ~/.local/share/bouncer/shims, then put that folder first on PATH (export PATH="$HOME/.local/share/bouncer/shims:$PATH")',
  );
}

/** A registry URL served by `bouncer serve`: the path of one of its route groups (npm's, PyPI's simple index). */
const isProxyUrl = (url: string | undefined, route: { path: string }) => {
  if (!url) return false;
  try {
    return new URL(url).pathname.replace(/\/?$/, "/").endsWith(route.path);
  } catch {
    return false;
  }
};

/** The package managers' settings files, read once for every check. */
interface Settings {
  npmrc: { project: string | undefined; user: string | undefined };
  pip: Record<string, string>;
  uv: { project: Record<string, unknown>; user: Record<string, unknown> };
}

function readSettings(input: DoctorInput, project: Project): Settings {
  const userNpmrc = userNpmrcFile(input.env, input.home, input.root);
  return {
    npmrc: { project: input.reader.read(input.root, ".npmrc"), user: input.reader.read(path.dirname(userNpmrc), path.basename(userNpmrc)) },
    pip: pipSettings(input),
    uv: uvSettings(input, project),
  };
}

/** An npm setting as npm resolves it (the npm folder's rule), over the files this doctor may read. */
function npmSetting(input: DoctorInput, settings: Settings, key: string): { value: string; where: string } | undefined {
  return resolveNpmSetting(key, input.env, settings.npmrc);
}

/** pip's settings as pip install sees them: pip's own loader, reading through the doctor's reader. */
function pipSettings(input: DoctorInput): Record<string, string> {
  const readFile = (name: string) => {
    const file = path.resolve(input.root, name);
    const rel = path.relative(input.root, file);
    // A file in the project (a virtualenv there) is read as every project file is; the user's and the system's wherever they lead.
    return rel && rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel) ? input.reader.read(input.root, rel) : input.reader.config(file);
  };
  return loadPipSettings({ env: input.env, home: input.home, readFile }).settings;
}

/** uv's settings: uv.toml or [tool.uv] in the project, then the user's uv.toml. */
function uvSettings(input: DoctorInput, project: Project): Settings["uv"] {
  const configHome = input.env.XDG_CONFIG_HOME || path.join(input.home, ".config");
  const own = tryParse(input.reader.read(input.root, "uv.toml"), parseToml);
  const tool = isRecord(project.pyproject?.tool) ? project.pyproject.tool : {};
  const user = tryParse(input.reader.read(configHome, "uv/uv.toml"), parseToml);
  return { project: isRecord(own) ? own : isRecord(tool.uv) ? tool.uv : {}, user: isRecord(user) ? user : {} };
}

function uvIndexUrl(settings: Record<string, unknown>): string | undefined {
  if (typeof settings["index-url"] === "string") return settings["index-url"];
  if (Array.isArray(settings.index)) {
    const def = settings.index.find((i) => isRecord(i) && i.default === true) as Record<string, unknown> | undefined;
    if (typeof def?.url === "string") return def.url;
  }
  return undefined;
}

function proxyChecks(input: DoctorInput, project: Project, onPath: Map<string, string>, settings: Settings): DoorCheck[] {
  const out: DoorCheck[] = [];
  const serve = "run `bouncer serve --port 4873` and";
  if (project.npm || project.pnpm || project.yarn || onPath.has(NPM_CLI)) {
    const reg = npmSetting(input, settings, "registry");
    out.push(
      isProxyUrl(reg?.value, NPM_HOME)
        ? check(`proxy:${NPM_HOME.key}`, "npm registry", "guarded", `npm installs through the Bouncer proxy ${reg!.value} (${reg!.where})`)
        : check(`proxy:${NPM_HOME.key}`, "npm registry", "open", reg ? `npm installs from ${reg.value} (${reg.where}), not a Bouncer proxy` : "npm installs from its default registry, not a Bouncer proxy", `${serve} npm config set registry http://127.0.0.1:4873/npm/`),
    );
  }
  if (project.python || onPath.has("pip") || onPath.has("pip3")) {
    const index = settings.pip["index-url"];
    out.push(
      isProxyUrl(index, PYPI_HOME)
        ? check("proxy:pip", "pip index", "guarded", `pip installs through the Bouncer proxy ${index}`)
        : check("proxy:pip", "pip index", "open", index ? `pip installs from ${index}, not a Bouncer proxy` : "pip installs from PyPI directly, not through a Bouncer proxy", `${serve} pip config set global.index-url http://127.0.0.1:4873/pypi/simple/`),
    );
  }
  if (project.uv || onPath.has("uv")) {
    const index = input.env.UV_DEFAULT_INDEX || input.env.UV_INDEX_URL || uvIndexUrl(settings.uv.project) || uvIndexUrl(settings.uv.user);
    out.push(
      isProxyUrl(index, PYPI_HOME)
        ? check("proxy:uv", "uv index", "guarded", `uv installs through the Bouncer proxy ${index}`)
        : check("proxy:uv", "uv index", "open", index ? `uv installs from ${index}, not a Bouncer proxy` : "uv installs from PyPI directly, not through a Bouncer proxy", `${serve} set UV_DEFAULT_INDEX=http://127.0.0.1:4873/pypi/simple/ (or [[index]] default = true in uv.toml)`),
    );
  }
  return out;
}

function ciCheck(input: DoctorInput): DoorCheck {
  const { reader, root } = input;
  const files = reader
    .list(root, ".github/workflows")
    .filter((n) => /\.ya?ml$/.test(n))
    .map((n) => `.github/workflows/${n}`);
  if (reader.exists(root, ".gitlab-ci.yml")) files.push(".gitlab-ci.yml");
  const runs = files.filter((f) => {
    const text = reader.read(root, f) ?? "";
    return /uses:\s*["']?[\w.-]+\/bouncer(?:\/[\w./-]*)?@/i.test(text) || /\bbouncer(?:\.js)?\s+scan\b[^\n]*--diff\b/.test(text);
  });
  if (runs.length) return check("ci", "CI", "guarded", `${runs.join(", ")} ${runs.length === 1 ? "runs" : "run"} Bouncer on every change`);
  return check(
    "ci",
    "CI",
    "open",
    files.length ? `no workflow runs the Bouncer action or \`bouncer scan --diff\` (${files.length} workflow file(s) read)` : "no CI workflow found",
    "add .github/workflows/bouncer.yml with `uses: OWNER/bouncer@v0` (or run `bouncer scan --diff origin/main` in CI)",
  );
}

function preCommitCheck(input: DoctorInput): DoorCheck {
  const { reader, root } = input;
  const candidates: Array<[string, RegExp]> = [
    [".pre-commit-config.yaml", /\bid:\s*["']?bouncer\b|\bbouncer\s+scan\b/],
    [".git/hooks/pre-commit", /\bbouncer(?:\.js)?\s+scan\b/],
    [".husky/pre-commit", /\bbouncer(?:\.js)?\s+scan\b/],
    ["lefthook.yml", /\bbouncer(?:\.js)?\s+scan\b/],
  ];
  const found = candidates.filter(([file, re]) => re.test(reader.read(root, file) ?? "")).map(([file]) => file);
  if (found.length) return check("pre-commit", "pre-commit hook", "guarded", `${found.join(", ")} runs \`bouncer scan\` before each commit`);
  return check(
    "pre-commit",
    "pre-commit hook",
    "open",
    "no pre-commit hook runs Bouncer: a dependency can be committed unchecked",
    "add `- repo: https://github.com/OWNER/bouncer` with `hooks: [{ id: bouncer }]` to .pre-commit-config.yaml, then `pre-commit install`",
  );
}

/** A cooldown setting read as days (npm and pnpm take minutes or days, yarn a duration, uv and pip a date or span). */
function cooldownChecks(input: DoctorInput, project: Project, settings: Settings): DoorCheck[] {
  const out: DoorCheck[] = [];
  const door = (tool: string) => `${tool} release cooldown`;
  const cooldown = "without it a version is installable the minute it is published, before a compromised release can be found and pulled";
  if (project.npm) {
    const s = npmSetting(input, settings, NPM_COOLDOWN_KEY);
    out.push(
      s && s.value !== "0"
        ? check(`cooldown:${NPM_CLI}`, door(NPM_CLI), "guarded", `${NPM_COOLDOWN_KEY}=${s.value} (${s.where})`)
        : check(`cooldown:${NPM_CLI}`, door(NPM_CLI), "open", `npm ${NPM_COOLDOWN_KEY} is not set: ${cooldown}`, `npm config set ${NPM_COOLDOWN_KEY} 3 --location=project (npm 11.10 or newer; days)`),
    );
  }
  if (project.pnpm) {
    const ws = tryParse(input.reader.read(input.root, "pnpm-workspace.yaml"), parseYaml) as Record<string, unknown> | undefined;
    const value = (isRecord(ws) ? ws.minimumReleaseAge : undefined) ?? npmSetting(input, settings, "minimum-release-age")?.value;
    out.push(
      value !== undefined && String(value) !== "0"
        ? check("cooldown:pnpm", door("pnpm"), "guarded", `minimumReleaseAge: ${String(value)} minutes`)
        : check("cooldown:pnpm", door("pnpm"), "open", `pnpm minimumReleaseAge is not set: ${cooldown}`, "add `minimumReleaseAge: 4320` (minutes) to pnpm-workspace.yaml (pnpm 10.16 or newer)"),
    );
  }
  if (project.yarn) {
    const read = (base: string) => tryParse(input.reader.read(base, ".yarnrc.yml"), parseYaml) as Record<string, unknown> | undefined;
    const value = [read(input.root), read(input.home)].map((d) => (isRecord(d) ? d.npmMinimalAgeGate : undefined)).find((v) => v !== undefined);
    out.push(
      value !== undefined && String(value) !== "0"
        ? check("cooldown:yarn", door("yarn"), "guarded", `npmMinimalAgeGate: ${String(value)}`)
        : check("cooldown:yarn", door("yarn"), "open", `yarn npmMinimalAgeGate is not set: ${cooldown}`, 'add `npmMinimalAgeGate: "3d"` to .yarnrc.yml (yarn 4.10 or newer)'),
    );
  }
  if (project.uv) {
    const value = input.env.UV_EXCLUDE_NEWER || settings.uv.project["exclude-newer"] || settings.uv.user["exclude-newer"];
    out.push(
      value
        ? check("cooldown:uv", door("uv"), "guarded", `exclude-newer = ${String(value)}`)
        : check("cooldown:uv", door("uv"), "open", `uv exclude-newer is not set: ${cooldown}`, 'add `exclude-newer = "3 days"` under [tool.uv] in pyproject.toml (or in uv.toml)'),
    );
  }
  if (project.python && !project.uv) {
    const fromConfig = settings.pip["uploaded-prior-to"];
    const inRequirements = project.requirements.find((f) => /--uploaded-prior-to\b/.test(input.reader.read(input.root, f) ?? ""));
    out.push(
      fromConfig || inRequirements
        ? check("cooldown:pip", door("pip"), "guarded", fromConfig ? `uploaded-prior-to = ${fromConfig}` : `${inRequirements} sets --uploaded-prior-to`)
        : check("cooldown:pip", door("pip"), "open", `pip uploaded-prior-to is not set: ${cooldown}`, "pip config set install.uploaded-prior-to P3D (pip 26 or newer; or PIP_UPLOADED_PRIOR_TO)"),
    );
  }
  return out;
}

function installScriptCheck(input: DoctorInput, project: Project, settings: Settings): DoorCheck[] {
  if (!project.npm) return [];
  const ignore = npmSetting(input, settings, "ignore-scripts");
  if (ignore?.value === "true") return [check("install-scripts:npm", "npm install scripts", "guarded", `ignore-scripts=true (${ignore.where})`)];
  if (isRecord(project.packageJson?.allowScripts)) {
    return [check("install-scripts:npm", "npm install scripts", "guarded", `package.json allowScripts lists the ${Object.keys(project.packageJson.allowScripts).length} package(s) whose install scripts may run`)];
  }
  return [
    check(
      "install-scripts:npm",
      "npm install scripts",
      "open",
      "every dependency's install scripts run on `npm install`",
      "npm config set ignore-scripts true --location=project (or list the packages that need them in package.json allowScripts)",
    ),
  ];
}

const NPM_LOCKS = ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb"];
const PY_LOCKS = ["uv.lock", "poetry.lock", "pdm.lock", "pylock.toml", "Pipfile.lock"];

/** A requirements file is its own lock when every requirement is pinned (==) . */
function pinned(text: string): boolean {
  const reqs = text
    .split(/\r?\n/)
    .map((l) => l.replace(/\s#.*$/, "").trim())
    .filter((l) => l && !l.startsWith("#") && !l.startsWith("-"));
  return reqs.length > 0 && reqs.every((l) => /===?[^=,;*]+(\s*;.*)?(\s*\\)?$/.test(l) || l.startsWith("--hash"));
}

async function lockfileChecks(input: DoctorInput, project: Project): Promise<DoorCheck[]> {
  const { reader, root } = input;
  const wanted: Array<{ id: string; what: string; locks: string[]; fix: string }> = [];
  if (project.packageJson) wanted.push({ id: "lockfile:npm", what: "package.json", locks: NPM_LOCKS.filter((l) => reader.exists(root, l)), fix: "npm install --package-lock-only (or your manager's install), then git add the lockfile" });
  if (project.pyproject || reader.exists(root, "Pipfile")) {
    wanted.push({ id: "lockfile:python", what: project.pyproject ? "pyproject.toml" : "Pipfile", locks: PY_LOCKS.filter((l) => reader.exists(root, l)), fix: "uv lock (or poetry lock / pipenv lock), then git add the lockfile" });
  } else if (project.requirements.length) {
    const locked = project.requirements.filter((f) => pinned(reader.read(root, f) ?? ""));
    wanted.push({ id: "lockfile:python", what: project.requirements.join(", "), locks: locked, fix: "pin every requirement (pip-compile --generate-hashes, or uv pip compile), then git add it" });
  }
  if (!wanted.length) return [check("lockfiles", "lockfiles", "n/a", "no package.json, pyproject.toml or requirements file at the project root")];
  const tracked = await reader.tracked(root, wanted.flatMap((w) => w.locks));
  return wanted.map((w) => {
    if (!w.locks.length) return check(w.id, `lockfile for ${w.what}`, "open", `${w.what} has no lockfile: each install resolves versions afresh`, w.fix);
    if (!tracked) return check(w.id, `lockfile for ${w.what}`, "open", `${w.locks.join(", ")} present, but no git commit holds it (no repository or no commit yet)`, `git add ${w.locks.join(" ")} && git commit`);
    const loose = w.locks.filter((l) => !tracked.has(l));
    return loose.length
      ? check(w.id, `lockfile for ${w.what}`, "open", `${loose.join(", ")} present but not committed`, `git add ${loose.join(" ")} && git commit`)
      : check(w.id, `lockfile for ${w.what}`, "guarded", `${w.locks.join(", ")} present and committed`);
  });
}

const days = (ms: number) => Math.floor(ms / DAY_MS);

function dataChecks(input: DoctorInput): DoorCheck[] {
  const out: DoorCheck[] = [];
  const indexFile = path.join(input.dataDir, INDEX_FILE);
  const build = "bouncer index build --npm npm.tsv.gz --pypi pypi.tsv.gz (from fresh registry snapshots)";
  try {
    const index = openIndex(indexFile);
    const months = index.ecosystems().map((e) => `${e} ${index.coverage(e)?.snapshotDate ?? "of unknown date"}`);
    const dates = index
      .ecosystems()
      .map((e) => index.coverage(e)?.snapshotDate)
      .filter((d): d is string => d !== undefined)
      .map((d) => Date.parse(`${d}-01T00:00:00Z`));
    const oldest = dates.length ? Math.min(...dates) : undefined;
    const age = oldest === undefined ? undefined : days(input.now.getTime() - oldest);
    // Without it, the MCP server cannot answer "which package does X": an agent guesses a name instead.
    const search = statSync(path.join(input.dataDir, SEARCH_FILE), { throwIfNoEntry: false })?.isFile();
    out.push(
      age === undefined || age > INDEX_MAX_AGE_DAYS
        ? check("offline-index", "offline index", "open", `offline index (${months.join(", ")}) is ${age === undefined ? "of unknown age" : `${age} days old`}: packages registered since are unknown offline`, build)
        : !search
          ? check("offline-index", "offline index", "open", `offline index: ${months.join(", ")}, but no package search index: agents cannot look packages up by task`, build)
          : check("offline-index", "offline index", "guarded", `offline index and package search: ${months.join(", ")} (${age} days old)`),
    );
  } catch (error) {
    const missing = (error as Error).message.includes("does not exist");
    out.push(check("offline-index", "offline index", "open", missing ? `no offline index in ${input.dataDir}: offline and slow-network checks cannot tell real names from invented ones` : (error as Error).message, build));
  }

  const feedFile = path.join(input.dataDir, FEED_FILE);
  const importFix = "bouncer feeds import osv-npm.zip osv-pypi.zip (download from https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip), daily";
  let modified: number | undefined;
  try {
    modified = statSync(feedFile).mtimeMs;
  } catch {
    modified = undefined;
  }
  if (modified === undefined) out.push(check("feed", "malicious-package feed", "open", "no known-malicious feed imported: published malware is not recognised", importFix));
  else {
    let records = false;
    try {
      const store = openFeedStore(feedFile);
      try {
        records = store.hasRecords();
      } finally {
        store.close();
      }
    } catch {
      records = false;
    }
    const age = days(input.now.getTime() - modified);
    out.push(
      !records
        ? check("feed", "malicious-package feed", "open", "the known-malicious feed is empty or unreadable", importFix)
        : age > FEED_MAX_AGE_DAYS
          ? check("feed", "malicious-package feed", "open", `the known-malicious feed was last imported ${age} days ago: newer attacks are missed`, importFix)
          : check("feed", "malicious-package feed", "guarded", `known-malicious feed imported ${age} day(s) ago`),
    );
  }
  return out;
}

async function ledgerCheck(input: DoctorInput): Promise<DoorCheck> {
  let result: Verification;
  try {
    result = await verifyLedger(input.dataDir, input.logKey ? { key: input.logKey } : {});
  } catch (error) {
    return check("decision-log", "decision log", "open", `the decision log cannot be read: ${(error as Error).message}`, "bouncer audit verify (shows each break)");
  }
  if (!result.exists) return check("decision-log", "decision log", "n/a", "no decisions logged yet");
  if (result.problems.length) {
    return check("decision-log", "decision log", "open", `the decision log is NOT intact: ${result.problems.length} problem(s), first: ${result.problems[0]!.message}`, "bouncer audit verify (shows each break); keep the data directory writable only by its owner");
  }
  return check("decision-log", "decision log", "guarded", `intact: ${result.entries} entries${result.anchored ? ", checked against the log key" : " (not anchored: no log key)"}`);
}

export async function runDoctor(input: DoctorInput): Promise<DoctorReport> {
  const project = readProject(input);
  const onPath = firstOnPath(input);
  const settings = readSettings(input, project);
  const checks = [
    ...agentChecks(input),
    shimCheck(input, onPath),
    ...proxyChecks(input, project, onPath, settings),
    ciCheck(input),
    preCommitCheck(input),
    ...cooldownChecks(input, project, settings),
    ...installScriptCheck(input, project, settings),
    ...(await lockfileChecks(input, project)),
    ...dataChecks(input),
    await ledgerCheck(input),
  ];
  const summary: Record<DoorState, number> = { guarded: 0, partial: 0, open: 0, "n/a": 0 };
  for (const c of checks) summary[c.state]++;
  return { project: input.root, dataDir: input.dataDir, checks, summary };
}
