// The argument grammar of package installers: which operands of a command line name packages that
// would be fetched (installed, added or run). Shared by the text extractors and the install guard.
import type { EcosystemId } from "../core/model.ts";
import { parseNpmSpec } from "../ecosystems/npm/spec.ts";
import { parseRequirement, pinnedVersion } from "../ecosystems/pypi/pep508.ts";
import { type Grammar, grammar, hasOption, merge, optionValues, type Parsed, parseArgv, subcommandAt } from "../formats/argv.ts";
import type { DependencySource, InstallCommand, InstallTarget } from "../core/dependency.ts";
import { basename } from "../core/guards.ts";

/** The files, in a project folder, from which each tool's bare install takes what to install. */
const PROJECT_FILES: Record<string, readonly string[]> = {
  npm: ["package.json", "npm-shrinkwrap.json", "package-lock.json"],
  yarn: ["package.json", "yarn.lock"],
  pnpm: ["package.json", "pnpm-lock.yaml"],
  bun: ["package.json", "bun.lock"],
  uv: ["pyproject.toml", "uv.lock"],
  poetry: ["pyproject.toml", "poetry.lock"],
  pipenv: ["Pipfile", "Pipfile.lock"],
  pdm: ["pyproject.toml", "pdm.lock"],
  // `pip install DIR`: that project's declared dependencies.
  pip: ["pyproject.toml", "setup.cfg"],
};

// ---- option tables (from each tool's documented CLI) ----

const PIP_GENERAL = grammar(
  [
    "proxy", "retries", "timeout", "log", "log-file", "cert", "client-cert", "cache-dir", "exists-action",
    "trusted-host", "python", "use-feature", "use-deprecated", "keyring-provider", "resume-retries",
  ],
  ["h|help", "v|verbose", "q|quiet", "V|version", "isolated", "require-virtualenv", "no-input", "no-cache-dir",
    "disable-pip-version-check", "no-color", "no-python-version-warning", "debug"],
  true,
);
const PIP_INSTALL = merge(
  PIP_GENERAL,
  grammar(
    [
      "r|requirement", "c|constraint", "e|editable", "t|target", "platform", "python-version", "implementation",
      "abi", "root", "prefix", "src", "upgrade-strategy", "C|config-settings", "global-option", "install-option",
      "i|index-url", "extra-index-url", "f|find-links", "no-binary", "only-binary", "progress-bar", "report",
      "group", "root-user-action", "d|dest", "w|wheel-dir", "b|build", "build-option",
    ],
    ["U|upgrade", "I|ignore-installed", "force-reinstall", "no-deps", "pre", "user", "no-build-isolation",
      "use-pep517", "no-use-pep517", "check-build-dependencies", "break-system-packages", "no-index", "no-compile",
      "compile", "no-warn-script-location", "no-warn-conflicts", "prefer-binary", "require-hashes", "dry-run",
      "no-clean", "ignore-requires-python"],
    true,
  ),
);
const UV_GLOBAL = grammar(
  ["directory", "project", "cache-dir", "config-file", "color", "python-preference", "allow-insecure-host"],
  ["q|quiet", "v|verbose", "n|no-cache", "offline", "native-tls", "no-progress", "no-config", "preview", "managed-python",
    "no-managed-python", "no-python-downloads", "h|help", "V|version"],
);
const UV_RESOLVER = grammar(
  [
    "i|index-url", "extra-index-url", "index", "default-index", "f|find-links", "p|python", "index-strategy",
    "keyring-provider", "resolution", "prerelease", "fork-strategy", "exclude-newer", "exclude-newer-package",
    "no-build-package", "no-binary-package", "only-binary", "no-binary", "C|config-setting",
    "config-settings-package", "link-mode", "python-version", "python-platform", "torch-backend", "reinstall-package",
    "refresh-package", "P|upgrade-package", "trusted-host", "c|constraints|constraint", "override|overrides",
    "b|build-constraints|build-constraint", "extra", "group", "target", "prefix",
  ],
  ["U|upgrade", "reinstall", "refresh", "no-build-isolation", "no-deps", "system", "break-system-packages", "strict",
    "no-index", "compile-bytecode", "no-build", "no-sources", "pre", "all-extras", "dry-run", "user", "exact"],
);
const UV_PIP_INSTALL = merge(
  UV_GLOBAL,
  UV_RESOLVER,
  grammar(["r|requirements|requirement", "e|editable"], []),
);
const UV_ADD = merge(
  UV_GLOBAL,
  UV_RESOLVER,
  grammar(
    ["r|requirements|requirement", "m|marker", "optional", "rev", "tag", "branch", "package", "script", "bounds"],
    ["dev", "editable", "raw", "raw-sources", "frozen", "locked", "no-sync", "active", "workspace", "no-workspace", "lfs"],
  ),
);
const UV_TOOL = merge(
  UV_GLOBAL,
  UV_RESOLVER,
  grammar(["from", "with", "w|with-requirements", "with-editable", "env-file"], ["e|editable", "force", "isolated"]),
);
const UV_RUN = merge(
  UV_GLOBAL,
  UV_RESOLVER,
  grammar(["with", "with-requirements", "with-editable", "package", "env-file", "script|s", "only-group", "no-group"],
    ["isolated", "no-project", "frozen", "locked", "no-sync", "active", "dev", "no-dev", "all-packages", "m|module", "gui-script"]),
);
const POETRY = grammar(
  ["G|group", "E|extras", "python", "platform", "source", "markers", "C|directory", "P|project"],
  ["D|dev", "e|editable", "optional", "allow-prereleases", "dry-run", "lock", "n|no-interaction", "q|quiet", "v|verbose",
    "no-ansi", "ansi", "no-plugins", "no-cache", "h|help", "V|version"],
);
const PIPX = grammar(
  ["python", "pip-args", "suffix", "index-url", "preinstall", "backend", "spec", "r|requirement", "path"],
  ["e|editable", "f|force", "include-deps", "include-apps", "system-site-packages", "global", "v|verbose", "q|quiet",
    "no-cache", "pypackages", "fetch-missing-python", "h|help"],
);
const PDM = grammar(
  ["G|group", "e|editable", "L|lockfile", "p|project", "k|skip", "C|config-setting", "venv", "update-strategy"],
  ["d|dev", "g|global", "no-sync", "save-compatible", "save-safe-compatible", "save-wildcard", "save-exact",
    "save-minimum", "update-reuse", "update-eager", "update-all", "u|unconstrained", "pre|prerelease", "stable",
    "dry-run", "no-isolation", "no-self", "no-editable", "frozen-lockfile", "x|fail-fast", "v|verbose", "q|quiet"],
);
const PIPENV = grammar(
  ["categories", "python", "pypi-mirror", "r|requirements", "extra-pip-args", "i|index", "e|editable"],
  ["d|dev", "system", "deploy", "pre", "skip-lock", "ignore-pipfile", "site-packages", "v|verbose", "q|quiet"],
);
const NPM = grammar(
  [
    "registry", "C|prefix", "tag", "w|workspace", "omit", "include", "install-strategy", "cache", "userconfig",
    "globalconfig", "loglevel", "before", "save-prefix", "otp", "scope", "location", "lockfile-version",
    "script-shell", "p|package", "c|call", "node-options", "shell",
  ],
  ["D|save-dev", "P|save-prod", "O|save-optional", "E|save-exact", "B|save-bundle", "g|global", "S|save", "save-peer",
    "no-save", "f|force", "legacy-peer-deps", "strict-peer-deps", "ws|workspaces", "include-workspace-root",
    "y|yes", "no", "ignore-scripts", "dry-run", "package-lock-only", "no-package-lock", "no-audit", "no-fund",
    "prefer-offline", "prefer-online", "offline", "foreground-scripts", "install-links", "global-style",
    "legacy-bundling", "d|loglevel-info", "s|silent", "q|quiet", "no-install", "ignore-existing", "verbose"],
);
const PNPM = grammar(
  [
    "C|dir", "F|filter", "registry", "store-dir", "virtual-store-dir", "allow-build", "reporter", "loglevel",
    "workspace-concurrency", "modules-dir", "lockfile-dir", "node-linker", "package",
  ],
  ["D|save-dev", "P|save-prod", "O|save-optional", "E|save-exact", "g|global", "save-peer", "w|workspace-root",
    "workspace", "r|recursive", "ignore-scripts", "c|shell-mode", "silent", "s", "frozen-lockfile", "prefer-offline",
    "offline", "ignore-workspace-root-check"],
);
const YARN = grammar(
  ["registry", "cwd", "modules-folder", "cache-folder", "network-timeout", "mutex", "link-folder", "global-folder",
    "use-yarnrc", "mode", "p|package"],
  ["D|dev", "P|peer", "O|optional", "E|exact", "T|tilde", "W|ignore-workspace-root-check", "i|interactive", "cached",
    "prefer-offline", "offline", "frozen-lockfile", "ignore-scripts", "silent", "q|quiet", "verbose", "flat"],
);
const BUN = grammar(
  ["registry", "cwd", "c|config", "backend", "cache-dir", "ca", "cafile", "omit", "linker", "network-concurrency",
    "concurrent-scripts", "F|filter"],
  ["d|dev", "D", "development", "optional", "peer", "E|exact", "g|global", "p|production", "trust", "f|force", "no-save",
    "dry-run", "frozen-lockfile", "yarn", "silent", "verbose", "a|analyze", "bun", "save-text-lockfile",
    "lockfile-only", "ignore-scripts", "no-cache", "no-install"],
);
const BUNX = merge(BUN, grammar(["p|package"], []));
const CONDA = grammar(
  ["c|channel", "n|name", "p|prefix", "file", "solver"],
  ["y|yes", "override-channels", "q|quiet", "v|verbose", "dry-run", "update-deps", "no-deps", "only-deps", "S|satisfied-skip-solve"],
);

const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
const VCS_LIKE = /^(?:git|hg|svn|bzr)\+|^git@|\.git(?:$|[#@])/i;
const ARCHIVE = /\.(?:whl|tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip|egg)$/i;

/** A PyPI-side operand: PEP 508 requirement, `name@version` (poetry, uvx), URL, VCS or path. */
export function parsePypiOperand(spec: string, argIndex: number): InstallTarget {
  const base = { spec, argIndex };
  const s = spec.trim();
  if (URL_LIKE.test(s) || /^(?:git|hg|svn|bzr)\+/i.test(s) || /^git@/.test(s)) {
    const egg = /[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(s);
    const source: DependencySource = VCS_LIKE.test(s) ? "git" : /^file:/i.test(s) ? "path" : "url";
    return { ...base, name: egg?.[1] ?? null, version: null, source };
  }
  const direct = /^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*@\s*[A-Za-z][A-Za-z0-9+.-]*:/.test(s);
  if (
    !direct &&
    (/^(?:\.{1,2}(?:[\\/]|$)|[\\/~]|[A-Za-z]:[\\/])/.test(s) ||
    ARCHIVE.test(s) ||
      (/[\\/]/.test(s) && !s.includes("@") && !/[<>=!~;]/.test(s)))
  ) {
    return { ...base, name: null, version: null, source: "path" };
  }
  // poetry/uv style "name@1.2" / "name@^1.2" / "name[extra]@latest" (not a PEP 508 direct reference).
  const at = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?@([^\s:/@]+)$/.exec(s);
  if (at) return { ...base, name: at[1]!, version: at[3] === "latest" ? null : at[3]!, source: "registry" };
  const req = parseRequirement(s);
  if ("error" in req) return { ...base, name: null, version: null, source: "registry", error: req.error };
  if (req.url) {
    const source: DependencySource = VCS_LIKE.test(req.url) ? "git" : /^file:/i.test(req.url) ? "path" : "url";
    return { ...base, name: req.name, version: null, source };
  }
  // An exact pin becomes the bare version; ranges stay as the specifier text.
  return { ...base, name: req.name, version: pinnedVersion(req.specifier) ?? (req.specifier || null), source: "registry" };
}

/** An npm-side operand, split by the npm spec parser. */
export function parseNpmOperand(spec: string, argIndex: number): InstallTarget {
  const parsed = parseNpmSpec(spec);
  const out: InstallTarget = { spec, name: parsed.name, version: parsed.version, source: parsed.source, argIndex };
  if (parsed.error) out.error = parsed.error;
  return out;
}

/** `npm init foo` runs create-foo; `npm init @scope` runs @scope/create; `@scope/foo` runs @scope/create-foo. */
export function initializerPackage(spec: string): string | null {
  if (spec.startsWith("-") || URL_LIKE.test(spec) || spec.startsWith(".") || spec.startsWith("/")) return null;
  const m = /^(@[^/@]+)(?:\/([^@]+))?(@.+)?$/.exec(spec);
  if (m) return `${m[1]}/${m[2] ? `create-${m[2]}` : "create"}${m[3] ?? ""}`;
  if (spec.includes("/") || spec.includes(":")) return null; // git/host shortcuts
  return spec.startsWith("create-") ? spec : `create-${spec}`;
}

// ---- per-tool parsers ----

type Parser = (argv: readonly string[], k: number) => InstallCommand | null;

function command(tool: string, ecosystem: EcosystemId | null, subcommand: string, p: Parsed): InstallCommand {
  return {
    tool,
    ecosystem,
    subcommand,
    adds: [],
    requirementFiles: [],
    constraintFiles: [],
    options: p.options,
    dev: false,
    global: false,
    runs: false,
    projects: [],
  };
}

/** Marks `cmd` as installing the project in the folder named by one of `dirKeys` (default: the working folder). */
function installsProject(cmd: InstallCommand, p: Parsed, files: readonly string[], ...dirKeys: string[]): InstallCommand {
  const dir = optionValues(p, ...dirKeys).pop()?.value ?? ".";
  cmd.projects.push({ dir, files });
  return cmd;
}

/** `pip install .`, `npm install ./lib`: a local folder is installed with its declared dependencies. */
function pathProjects(cmd: InstallCommand, files: readonly string[]): void {
  for (const a of cmd.adds) if (a.source === "path" && !ARCHIVE.test(a.spec)) cmd.projects.push({ dir: a.spec.replace(/^file:(?:\/\/)?/i, ""), files });
}

function pipCommand(tool: string, argv: readonly string[], from: number, g: Grammar, subs: Record<string, string>): InstallCommand | null {
  const found = subcommandAt(argv, from, g);
  if (!found) return null;
  const sub = Object.hasOwn(subs, found.sub) ? subs[found.sub] : undefined;
  if (!sub) return null;
  const p = parseArgv(argv, found.next, g);
  const cmd = command(tool, "pypi", sub, p);
  if (sub.endsWith("sync")) {
    cmd.requirementFiles = p.positionals.map((x) => x.text);
    return cmd;
  }
  addPipLike(cmd, p);
  pathProjects(cmd, PROJECT_FILES.pip!);
  return cmd;
}

function addPipLike(cmd: InstallCommand, p: Parsed): void {
  cmd.requirementFiles.push(...optionValues(p, "requirement", "requirements").map((v) => v.value));
  cmd.constraintFiles.push(...optionValues(p, "constraint", "constraints").map((v) => v.value));
  for (const v of optionValues(p, "editable")) cmd.adds.push({ ...parsePypiOperand(v.value, v.index), editable: true });
  for (const x of p.positionals) cmd.adds.push(parsePypiOperand(x.text, x.index));
  cmd.adds.sort((a, b) => a.argIndex - b.argIndex);
  setGroup(cmd, p);
}

function setGroup(cmd: InstallCommand, p: Parsed): void {
  const group = optionValues(p, "group")[0]?.value;
  if (group !== undefined) cmd.group = group;
  cmd.dev = hasOption(p, "dev", "save-dev") || (group !== undefined && /^(?:dev|development|test|tests|lint|docs)$/i.test(group));
}

const pip: Parser = (argv, k) =>
  pipCommand("pip", argv, k, PIP_INSTALL, { install: "install", i: "install", download: "download", wheel: "wheel" });

const uv: Parser = (argv, k) => {
  const found = subcommandAt(argv, k, UV_GLOBAL);
  if (!found) return null;
  if (found.sub === "pip") {
    return pipCommand("uv", argv, found.next, UV_PIP_INSTALL, { install: "pip install", sync: "pip sync" });
  }
  if (found.sub === "add") {
    const p = parseArgv(argv, found.next, UV_ADD);
    const cmd = command("uv", "pypi", "add", p);
    addPipLike(cmd, p);
    if (hasOption(p, "editable")) for (const a of cmd.adds) a.editable = true;
    return cmd;
  }
  if (found.sub === "tool") {
    const inner = subcommandAt(argv, found.next, UV_GLOBAL);
    if (!inner) return null;
    if (inner.sub === "install") return uvTool(argv, inner.next, "tool install", false);
    if (inner.sub === "run") return uvTool(argv, inner.next, "tool run", true);
    return null;
  }
  if (found.sub === "sync") {
    const p = parseArgv(argv, found.next, UV_ADD);
    return installsProject(command("uv", "pypi", "sync", p), p, PROJECT_FILES.uv!, "directory", "project");
  }
  if (found.sub === "run") {
    const p = parseArgv(argv, found.next, UV_RUN, 1);
    const cmd = command("uv", "pypi", "run", p);
    withPackages(cmd, p);
    cmd.runs = cmd.adds.length > 0;
    runsProgram(cmd, argv, p, false);
    return cmd;
  }
  return null;
};

function withPackages(cmd: InstallCommand, p: Parsed): void {
  // uv's --with takes a comma-separated list.
  for (const v of optionValues(p, "with")) {
    for (const part of v.value.split(",")) if (part.trim()) cmd.adds.push(parsePypiOperand(part.trim(), v.index));
  }
  for (const v of optionValues(p, "with-editable")) cmd.adds.push({ ...parsePypiOperand(v.value, v.index), editable: true });
  cmd.requirementFiles.push(...optionValues(p, "with-requirements").map((v) => v.value));
  cmd.constraintFiles.push(...optionValues(p, "constraints").map((v) => v.value));
}

function uvTool(argv: readonly string[], from: number, sub: string, runs: boolean): InstallCommand {
  const p = parseArgv(argv, from, UV_TOOL, runs ? 1 : Number.POSITIVE_INFINITY);
  const cmd = command(runs ? "uvx" : "uv", "pypi", sub, p);
  cmd.global = true;
  cmd.runs = runs;
  const from_ = optionValues(p, "from")[0];
  if (from_) cmd.adds.push(parsePypiOperand(from_.value, from_.index));
  else if (runs) {
    // `uvx ruff@0.5 check`: the command is the package.
    const first = p.positionals[0];
    if (first) cmd.adds.push(parsePypiOperand(first.text, first.index));
  } else for (const x of p.positionals) cmd.adds.push(parsePypiOperand(x.text, x.index));
  if (runs) runsProgram(cmd, argv, p, false);
  withPackages(cmd, p);
  if (!runs && hasOption(p, "editable")) for (const a of cmd.adds) a.editable = true;
  return cmd;
}

const uvx: Parser = (argv, k) => uvTool(argv, k, "tool run", true);

const poetry: Parser = (argv, k) => {
  let found = subcommandAt(argv, k, POETRY);
  let sub = "add";
  if (found?.sub === "self") {
    found = subcommandAt(argv, found.next, POETRY);
    sub = "self add";
  }
  if (sub === "add" && (found?.sub === "install" || found?.sub === "sync" || found?.sub === "update")) {
    const p = parseArgv(argv, found.next, POETRY);
    return installsProject(command("poetry", "pypi", found.sub, p), p, PROJECT_FILES.poetry!, "directory", "project");
  }
  if (found?.sub !== "add") return null;
  const p = parseArgv(argv, found.next, POETRY);
  const cmd = command("poetry", "pypi", sub, p);
  for (const x of p.positionals) cmd.adds.push(parsePypiOperand(x.text, x.index));
  setGroup(cmd, p);
  if (hasOption(p, "editable")) for (const a of cmd.adds) a.editable = true;
  return cmd;
};

const pipx: Parser = (argv, k) => {
  const found = subcommandAt(argv, k, PIPX);
  if (!found) return null;
  if (found.sub === "install" || found.sub === "inject") {
    const p = parseArgv(argv, found.next, PIPX);
    const cmd = command("pipx", "pypi", found.sub, p);
    cmd.global = true;
    // inject's first operand is the existing app environment, not a package to fetch.
    const operands = found.sub === "inject" ? p.positionals.slice(1) : p.positionals;
    for (const x of operands) cmd.adds.push(parsePypiOperand(x.text, x.index));
    for (const v of optionValues(p, "preinstall")) cmd.adds.push(parsePypiOperand(v.value, v.index));
    cmd.requirementFiles.push(...optionValues(p, "requirement").map((v) => v.value));
    if (hasOption(p, "editable")) for (const a of cmd.adds) a.editable = true;
    return cmd;
  }
  if (found.sub === "run") {
    const p = parseArgv(argv, found.next, PIPX, 1);
    const cmd = command("pipx", "pypi", "run", p);
    cmd.runs = true;
    const spec = optionValues(p, "spec")[0];
    const first = p.positionals[0];
    if (spec) cmd.adds.push(parsePypiOperand(spec.value, spec.index));
    else if (first) cmd.adds.push(parsePypiOperand(first.text, first.index));
    runsProgram(cmd, argv, p, false);
    return cmd;
  }
  return null;
};

const pdm: Parser = (argv, k) => {
  const found = subcommandAt(argv, k, PDM);
  if (found?.sub === "install" || found?.sub === "sync" || found?.sub === "update") {
    const p = parseArgv(argv, found.next, PDM);
    return installsProject(command("pdm", "pypi", found.sub, p), p, PROJECT_FILES.pdm!, "project");
  }
  if (found?.sub !== "add") return null;
  const p = parseArgv(argv, found.next, PDM);
  const cmd = command("pdm", "pypi", "add", p);
  addPipLike(cmd, p);
  cmd.global = hasOption(p, "global");
  return cmd;
};

const pipenv: Parser = (argv, k) => {
  const found = subcommandAt(argv, k, PIPENV);
  if (found?.sub !== "install" && found?.sub !== "sync" && found?.sub !== "update") return null;
  const p = parseArgv(argv, found.next, PIPENV);
  const cmd = command("pipenv", "pypi", found.sub, p);
  if (found.sub === "install") addPipLike(cmd, p);
  // With no packages named, pipenv installs the Pipfile (and its lock).
  if (!cmd.adds.length && !cmd.requirementFiles.length) installsProject(cmd, p, PROJECT_FILES.pipenv!);
  return cmd;
};

const NPM_INSTALL = new Set([
  "install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "install-test", "it",
]);
/** npm subcommands that install the project's tree whatever their operands. */
const NPM_PROJECT = new Set([
  "ci", "clean-install", "ic", "install-clean", "isntall-clean", "install-ci-test", "cit", "clean-install-test", "sit",
  "dedupe", "ddp", "rebuild", "rb",
]);
/** Updates the named packages, or with none the whole project. */
const NPM_UPDATE = new Set(["update", "up", "upgrade", "udpate"]);

/** Where each npm-family tool is told to work in another folder. */
const PROJECT_DIR_OPTION: Record<string, string> = { npm: "prefix", pnpm: "dir", yarn: "cwd", bun: "cwd" };

/**
 * Registry installs of the npm family: every operand is a package; with none (or always, for
 * `npm ci`), the project's manifest and lockfile are installed.
 */
function npmAdds(tool: string, sub: string, argv: readonly string[], from: number, g: Grammar, project: "bare" | "always" = "bare"): InstallCommand {
  const p = parseArgv(argv, from, g);
  const cmd = command(tool, "npm", sub, p);
  const files = PROJECT_FILES[tool]!;
  if (project === "always") return installsProject(cmd, p, files, PROJECT_DIR_OPTION[tool]!);
  for (const x of p.positionals) cmd.adds.push(parseNpmOperand(x.text, x.index));
  cmd.dev = hasOption(p, "save-dev", "dev", "development", "D");
  cmd.global = hasOption(p, "global") || sub === "global add";
  if (!cmd.adds.length && sub !== "add" && sub !== "global add") installsProject(cmd, p, files, PROJECT_DIR_OPTION[tool]!);
  pathProjects(cmd, files);
  return cmd;
}

/** npx-style runners: the package is --package, else the first operand; the rest belongs to the program. */
function npmRunner(tool: string, sub: string, argv: readonly string[], from: number, g: Grammar): InstallCommand {
  const p = parseArgv(argv, from, g, 1);
  const cmd = command(tool, "npm", sub, p);
  cmd.runs = true;
  const packages = optionValues(p, "package");
  for (const v of packages) cmd.adds.push(parseNpmOperand(v.value, v.index));
  const first = p.positionals[0];
  const shellMode = hasOption(p, "call", "shell-mode");
  if (!packages.length && !shellMode && first) cmd.adds.push(parseNpmOperand(first.text, first.index));
  runsProgram(cmd, argv, p, shellMode);
  return cmd;
}

/** What a runner starts: the program's argv, or (-c) a shell command line. */
function runsProgram(cmd: InstallCommand, argv: readonly string[], p: Parsed, shellMode: boolean): void {
  const calls = optionValues(p, "call").map((v) => v.value);
  const first = p.positionals[0];
  if (shellMode && !calls.length && first) calls.push(argv.slice(first.index).join(" "));
  else if (first) cmd.program = argv.slice(first.index);
  if (calls.length) cmd.calls = calls;
}

/** `npm init foo` / `yarn create foo`: runs the create-foo package. */
function npmInitializer(tool: string, sub: string, argv: readonly string[], from: number, g: Grammar): InstallCommand {
  const p = parseArgv(argv, from, g, 1);
  const cmd = command(tool, "npm", sub, p);
  cmd.runs = true;
  const first = p.positionals[0];
  const pkg = first ? initializerPackage(first.text) : null;
  if (first && pkg) cmd.adds.push({ ...parseNpmOperand(pkg, first.index), spec: first.text });
  return cmd;
}

const npm: Parser = (argv, k) => {
  const found = subcommandAt(argv, k, NPM);
  if (!found) return null;
  if (NPM_INSTALL.has(found.sub)) return npmAdds("npm", "install", argv, found.next, NPM);
  if (NPM_PROJECT.has(found.sub)) return npmAdds("npm", found.sub, argv, found.next, NPM, "always");
  if (NPM_UPDATE.has(found.sub)) return npmAdds("npm", "update", argv, found.next, NPM);
  if (found.sub === "link" || found.sub === "ln") return npmAdds("npm", "link", argv, found.next, NPM);
  if (found.sub === "exec" || found.sub === "x") return npmRunner("npm", "exec", argv, found.next, NPM);
  if (found.sub === "init" || found.sub === "create" || found.sub === "innit") {
    return npmInitializer("npm", "init", argv, found.next, NPM);
  }
  return null;
};

const npx: Parser = (argv, k) => npmRunner("npx", "exec", argv, k, NPM);

const pnpm: Parser = (argv, k) => {
  const found = subcommandAt(argv, k, PNPM);
  if (!found) return null;
  if (found.sub === "add" || found.sub === "install" || found.sub === "i") {
    return npmAdds("pnpm", found.sub === "add" ? "add" : "install", argv, found.next, PNPM);
  }
  if (found.sub === "update" || found.sub === "up" || found.sub === "upgrade") return npmAdds("pnpm", "update", argv, found.next, PNPM);
  if (found.sub === "dlx") return npmRunner("pnpm", "dlx", argv, found.next, PNPM);
  if (found.sub === "create") return npmInitializer("pnpm", "create", argv, found.next, PNPM);
  return null;
};

const pnpx: Parser = (argv, k) => npmRunner("pnpx", "dlx", argv, k, PNPM);

const yarn: Parser = (argv, k) => {
  let found = subcommandAt(argv, k, YARN);
  // A bare `yarn` (options only, not --version or --help) installs the project.
  if (!found) return argv.slice(k).some((a) => a === "--" || /^(?:-v|--version|-h|--help)$/.test(a)) ? null : npmAdds("yarn", "install", argv, k, YARN);
  if (found.sub === "workspace") {
    // yarn workspace <name> add <pkg>
    found = subcommandAt(argv, found.next + 1, YARN);
    if (!found) return null;
  }
  if (found.sub === "global") {
    const inner = subcommandAt(argv, found.next, YARN);
    return inner?.sub === "add" ? npmAdds("yarn", "global add", argv, inner.next, YARN) : null;
  }
  if (found.sub === "add" || found.sub === "install") return npmAdds("yarn", found.sub, argv, found.next, YARN);
  if (found.sub === "dlx") return npmRunner("yarn", "dlx", argv, found.next, YARN);
  if (found.sub === "create") return npmInitializer("yarn", "create", argv, found.next, YARN);
  return null;
};

const bun: Parser = (argv, k) => {
  const found = subcommandAt(argv, k, BUN);
  if (!found) return null;
  if (found.sub === "add" || found.sub === "a" || found.sub === "install" || found.sub === "i") {
    return npmAdds("bun", found.sub.startsWith("a") ? "add" : "install", argv, found.next, BUN);
  }
  if (found.sub === "x") return npmRunner("bunx", "x", argv, found.next, BUNX);
  if (found.sub === "create" || found.sub === "c") return npmInitializer("bun", "create", argv, found.next, BUN);
  return null;
};

const bunx: Parser = (argv, k) => npmRunner("bunx", "x", argv, k, BUNX);

const conda: Parser = (argv, k) => {
  const found = subcommandAt(argv, k, CONDA);
  if (found?.sub !== "install" && found?.sub !== "create") return null;
  const p = parseArgv(argv, found.next, CONDA);
  const cmd = command(basename(argv[0]!), null, found.sub, p);
  for (const x of p.positionals) {
    const m = /^([A-Za-z0-9_.-]+)(?:(?:==?|[<>]=?)(.+))?$/.exec(x.text);
    cmd.adds.push({ spec: x.text, name: m?.[1] ?? null, version: m?.[2] ?? null, source: "registry", argIndex: x.index });
  }
  cmd.requirementFiles.push(...optionValues(p, "file").map((v) => v.value));
  return cmd;
};

const TOOLS: Record<string, Parser> = {
  pip, uv, uvx, poetry, pipx, pdm, pipenv, npm, npx, pnpm, pnpx, yarn, bun, bunx,
  conda, mamba: conda, micromamba: conda,
};

/** "pip3.12", "python3 -m pip", "py -3.11 -m pip": the index of the pip subcommand search, or -1. */
function pythonModule(argv: readonly string[], tool: string): { module: string; next: number } | null {
  if (!/^(?:python(?:\d+(?:\.\d+)?)?|py|pypy3?)(?:\.exe)?$/i.test(tool)) return null;
  for (let k = 1; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === "-m") {
      const module = argv[k + 1];
      return module ? { module, next: k + 2 } : null;
    }
    if (a.startsWith("-m") && a.length > 2) return { module: a.slice(2), next: k + 1 };
    // Interpreter flags before -m: -I, -E, -s, -u, -B, -O, -3.11 (py launcher), -X opt, -W arg.
    if (a === "-X" || a === "-W") k++;
    else if (!a.startsWith("-")) return null;
  }
  return null;
}

/**
 * Parses one simple command (argv as the shell would pass it). Returns what it installs or runs,
 * or null when it is not an install command of a known installer.
 */
export function parseInstallCommand(argv: readonly string[]): InstallCommand | null {
  if (!argv.length) return null;
  // No catch-all here: a guard must not take a parser failure for "not an install command".
  const tool = basename(argv[0]!).replace(/\.(?:exe|cmd|bat|ps1)$/i, "").toLowerCase();
  const module = pythonModule(argv, tool);
  if (module) {
    if (module.module === "pip" || module.module === "pip3") return pip(argv, module.next);
    if (module.module === "uv") return uv(argv, module.next);
    if (module.module === "pipx") return pipx(argv, module.next);
    if (module.module === "poetry") return poetry(argv, module.next);
    if (module.module === "pdm") return pdm(argv, module.next);
    return null;
  }
  if (/^pip(?:\d+(?:\.\d+)?)?$/.test(tool)) return pip(argv, 1);
  const parser = Object.hasOwn(TOOLS, tool) ? TOOLS[tool] : undefined;
  return parser ? parser(argv, 1) : null;
}

/** Ecosystem an installer's packages come from, by tool name (for callers that only know argv[0]). */
export function installerEcosystem(tool: string): EcosystemId | null {
  const t = basename(tool).toLowerCase();
  if (/^(?:pip\d*(?:\.\d+)?|uvx?|poetry|pipx|pdm|pipenv)$/.test(t)) return "pypi";
  if (/^(?:npm|npx|pnpm|pnpx|yarn|bun|bunx)$/.test(t)) return "npm";
  return null;
}
