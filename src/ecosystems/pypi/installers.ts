// PyPI's installers (pip, uv, uvx, poetry, pipx, pdm, pipenv, and `python -m` of them): the option
// tables from each tool's documented CLI, and which operands name packages that would be fetched.
import type { DependencySource, InstallCommand, InstallTarget } from "../../core/dependency.ts";
import { type Grammar, grammar, hasOption, merge, optionValues, type Parsed, parseArgv, subcommandAt } from "../../formats/argv.ts";
import { ARCHIVE, command, type InstallerParser, type Installers, installsProject, pathProjects, runsProgram, URL_LIKE } from "../install-grammar.ts";
import { parseRequirement, pinnedVersion } from "./pep508.ts";
import { pypiRegistryConfig } from "./registry-config.ts";

/** The files, in a project folder, from which each tool's bare install takes what to install. */
const PROJECT_FILES: Record<string, readonly string[]> = {
  uv: ["pyproject.toml", "uv.lock"],
  poetry: ["pyproject.toml", "poetry.lock"],
  pipenv: ["Pipfile", "Pipfile.lock"],
  pdm: ["pyproject.toml", "pdm.lock"],
  // `pip install DIR`: that project's declared dependencies.
  pip: ["pyproject.toml", "setup.cfg"],
};

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

const VCS_LIKE = /^(?:git|hg|svn|bzr)\+|^git@|\.git(?:$|[#@])/i;

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

const pip: InstallerParser = (argv, k) =>
  pipCommand("pip", argv, k, PIP_INSTALL, { install: "install", i: "install", download: "download", wheel: "wheel" });

const uv: InstallerParser = (argv, k) => {
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

const uvx: InstallerParser = (argv, k) => uvTool(argv, k, "tool run", true);

const poetry: InstallerParser = (argv, k) => {
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

const pipx: InstallerParser = (argv, k) => {
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

const pdm: InstallerParser = (argv, k) => {
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

const pipenv: InstallerParser = (argv, k) => {
  const found = subcommandAt(argv, k, PIPENV);
  if (found?.sub !== "install" && found?.sub !== "sync" && found?.sub !== "update") return null;
  const p = parseArgv(argv, found.next, PIPENV);
  const cmd = command("pipenv", "pypi", found.sub, p);
  if (found.sub === "install") addPipLike(cmd, p);
  // With no packages named, pipenv installs the Pipfile (and its lock).
  if (!cmd.adds.length && !cmd.requirementFiles.length) installsProject(cmd, p, PROJECT_FILES.pipenv!);
  return cmd;
};

/** "python3 -m pip", "py -3.11 -m pip": the module the interpreter runs and where its arguments start. */
function pythonModule(argv: readonly string[]): { module: string; next: number } | null {
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

const PIP_INSTALLS_NOTHING = ["--version", "-V", "help", "list", "show", "freeze", "check", "config"];

/** Installer modules an interpreter runs with -m. */
const MODULES: Record<string, InstallerParser> = { pip, pip3: pip, uv, pipx, poetry, pdm };
const INTERPRETER = "python(?:\\d+(?:\\.\\d+)?)?|py|pypy3?";

export const pypiInstallers: Installers = {
  ecosystem: "pypi",
  registryConfig: pypiRegistryConfig,
  tools: { pip, pip3: pip, uv, uvx, poetry, pipx, pdm, pipenv },
  installsNothing: {
    pip: PIP_INSTALLS_NOTHING,
    pip3: PIP_INSTALLS_NOTHING,
    uv: ["--version", "-V", "help"],
    poetry: ["--version", "-V", "help", "show"],
    pipx: ["--version", "help", "list"],
    pdm: ["--version", "-V", "help", "list", "show"],
    pipenv: ["--version", "--help", "graph", "check"],
  },
  versioned: [{ pattern: "pip\\d+(?:\\.\\d+)?", tool: "pip" }],
  interpreter: {
    pattern: INTERPRETER,
    parse(argv) {
      const module = pythonModule(argv);
      if (!module || !Object.hasOwn(MODULES, module.module)) return null;
      return MODULES[module.module]!(argv, module.next);
    },
  },
};
