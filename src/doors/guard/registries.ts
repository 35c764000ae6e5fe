// Where an install will fetch from: the command line, the environment and the configuration files the
// real tool reads, in the tool's own precedence. The guard judges names against exactly those, and
// refuses what it cannot judge (local links, indexes of an unknown shape).
//
// Credentials go only to a registry that the user's own configuration (the home .npmrc, pip's user and
// global files) set them for. A registry named by project files or the command line gets none, and
// ${VAR} in project files is never expanded: the checked project cannot make Bouncer send a secret.
//
// Nor can it choose whom Bouncer believes (the trust model: a project's configuration may make
// Bouncer stricter, never weaker). A registry or index that only the project's files name, on a host
// no trusted source names (the user's configuration and environment, the command line, Bouncer's own
// registries, the trusted policy's `lockfileHosts`), is not asked: what the install takes from it is
// unverifiable, with how to trust it. Otherwise a hostile repository's `.npmrc` would have Bouncer
// vouch for whatever its own registry serves under a popular name.
import { realpathSync } from "node:fs";
import path from "node:path";
import type { EcosystemId } from "../../core/model.ts";
import { authorizationFromEntries, configKeyOfEnv, parseNpmrc, scopeOfRegistryKey } from "../../ecosystems/npm/npmrc.ts";
import { TOOL_CONFIG_FILES, TOOL_REGISTRY_VARIABLES } from "../../ecosystems/npm/tool-config.ts";
import { loadToml } from "../../ecosystems/pypi/manifests/common.ts";
import { logicalLines, shellSplit } from "../../ecosystems/pypi/manifests/requirements.ts";
import { baseFromIndexUrl, loadPipConfig, parsePipConfig, splitCredentials } from "../../ecosystems/pypi/pipconf.ts";
import type { InstallCommand } from "../../core/dependency.ts";
import { isRecord } from "../../core/guards.ts";
import { isInside } from "../../engine/fs.ts";
import { nearestFolderWith } from "../../sources/files.ts";
import { allowedHosts, DEFAULT_LOCKFILE_HOSTS, hostBelieved } from "../../core/signals.ts";

type Env = Readonly<Record<string, string | undefined>>;

export interface PackageIndex {
  /** The index as configured, without credentials. */
  url: string;
  /** Base URL for the registry source (`<base>pypi/<name>/json`, `<base>simple/<name>/`). */
  base: string;
  authorization?: string;
}

export interface NpmRegistries {
  registry: string;
  authorization?: string;
  scopes: Record<string, { baseUrl: string; authorization?: string }>;
  /** Scopes the project routes to a registry no trusted source names: not asked, unverifiable, with the reason. */
  fenced: Record<string, string>;
}

/** The ecosystem whose installers merge package indexes (pip's --extra-index-url): `InstallRegistries.pypi`. */
export const INDEX_ECOSYSTEM: EcosystemId = "pypi";

export interface InstallRegistries {
  npm?: NpmRegistries;
  /** The indexes the tool merges, the default one first (packages of INDEX_ECOSYSTEM). */
  pypi?: PackageIndex[];
  /** Sources the tool may install from that Bouncer cannot judge, with the reason. */
  unjudged: Array<{ ecosystem: EcosystemId; reason: string }>;
}

export interface RegistryContext {
  cwd: string;
  home: string;
  env: Env;
  /** What Bouncer judges against when the tool's own configuration names no registry. */
  defaults: { npm: string; pypi: string };
  /** A file's text (bounded), or undefined when it is missing or not a regular file. */
  readFile(file: string): string | undefined;
  /** Hosts the trusted policy lets packages come from (its `lockfileHosts`). */
  trustedHosts?: readonly string[];
}

/**
 * The hosts packages of `ecosystem` may come from without the user's say: the public registries',
 * the trusted policy's, and those `named` by Bouncer's own registries and the user's own
 * configuration, environment and command line.
 */
function hostTrust(ecosystem: EcosystemId, ctx: RegistryContext, named: readonly string[]) {
  const hosts = allowedHosts(DEFAULT_LOCKFILE_HOSTS[ecosystem], ctx.trustedHosts, named);
  return { trusts: (url: string) => hostBelieved(url, hosts) };
}

/** A file as a message names it: relative to the folder the command runs in when it lies inside. */
function fileShown(file: string, cwd: string): string {
  return isInside(cwd, file) && file !== cwd ? path.relative(cwd, file) : file;
}

const MAX_REQUIREMENT_FILES = 100;

/** Values of an option, in command-line order. */
function optionValues(cmd: InstallCommand, ...keys: string[]): string[] {
  return keys.flatMap((k) => {
    const v = cmd.options[k];
    return Array.isArray(v) ? v : [];
  });
}

const flag = (cmd: InstallCommand, key: string) => cmd.options[key] !== undefined;
const truthy = (v: string | undefined) => v !== undefined && /^(?:1|true|yes|on)$/i.test(v.trim());
const withSlash = (url: string) => (url.endsWith("/") ? url : `${url}/`);

/** A URL as it may be shown: credentials replaced. */
export function shown(url: string): string {
  return url.replace(/\/\/[^/@\s]+@/g, "//***@");
}

export function installRegistries(commands: readonly InstallCommand[], ctx: RegistryContext): InstallRegistries {
  const out: InstallRegistries = { unjudged: [] };
  const npmCmd = commands.find((c) => c.ecosystem === "npm");
  if (npmCmd) out.npm = npmRegistries(npmCmd, ctx, out);
  const pypiCmd = commands.find((c) => c.ecosystem === INDEX_ECOSYSTEM);
  if (pypiCmd) out.pypi = pypiIndexes(pypiCmd, ctx, out);
  return out;
}

// ---- npm: command line > npm_config_* > project .npmrc > user config > default ----

function npmEnv(env: Env, key: string): string | undefined {
  return env[`npm_config_${key}`] ?? env[`NPM_CONFIG_${key.toUpperCase()}`];
}

/** The project folder a tool run from `start` reads its configuration in (a subfolder's command reads the root's). */
function projectDir(start: string, names: readonly string[], ctx: RegistryContext): string {
  return nearestFolderWith(start, names, (file) => ctx.readFile(file) !== undefined) ?? start;
}

function npmRegistries(cmd: InstallCommand, ctx: RegistryContext, out: InstallRegistries): NpmRegistries {
  const refuse = (reason: string) => out.unjudged.push({ ecosystem: "npm", reason });
  const homeFile = path.join(ctx.home, ".npmrc");
  // The home .npmrc is the user's own: its ${VAR}s are expanded and its credentials are used.
  const trusted = parseNpmrc(ctx.readFile(homeFile) ?? "", ctx.env);
  const userconfig = optionValues(cmd, "userconfig").pop() ?? npmEnv(ctx.env, "userconfig");
  const userFile = userconfig ? path.resolve(ctx.cwd, userconfig) : homeFile;
  const user = userFile === homeFile ? trusted : parseNpmrc(ctx.readFile(userFile) ?? "");
  // The folder the tool works in: npm --prefix, pnpm --dir/-C, yarn and bun --cwd.
  const start = path.resolve(ctx.cwd, optionValues(cmd, "prefix", "dir", "cwd").pop() ?? ".");
  const root = projectDir(start, ["package.json"], ctx);
  const projectFile = path.join(root, ".npmrc");
  const project = projectFile === userFile ? {} : parseNpmrc(ctx.readFile(projectFile) ?? "");
  // Configuration files, lowest precedence first. Only the user's own are trusted: a --userconfig or
  // the project's files may come with the code. yarn and bun also read their own files.
  type Layer = { entries: Record<string, string>; file: string; trusted: boolean };
  const layers: Layer[] = [
    { entries: user, file: userFile, trusted: userFile === homeFile },
    { entries: project, file: projectFile, trusted: false },
  ];
  const toolName = cmd.tool === "bunx" ? "bun" : cmd.tool;
  const toolFiles = Object.hasOwn(TOOL_CONFIG_FILES, toolName) ? TOOL_CONFIG_FILES[toolName]! : { home: [], project: [] };
  for (const f of toolFiles.home) layers.push({ entries: f.read(ctx.readFile(path.join(ctx.home, f.name)) ?? ""), file: path.join(ctx.home, f.name), trusted: true });
  for (const f of toolFiles.project) layers.push({ entries: f.read(ctx.readFile(path.join(root, f.name)) ?? ""), file: path.join(root, f.name), trusted: false });
  const files: Record<string, string> = Object.assign({}, ...layers.map((l) => l.entries));

  type Chosen = { value: string; untrusted: boolean; file?: string };
  const fromFiles = (key: string): Chosen => {
    const layer = layers.findLast((l) => Object.hasOwn(l.entries, key))!;
    return layer.trusted ? { value: layer.entries[key]!, untrusted: false } : { value: layer.entries[key]!, untrusted: true, file: layer.file };
  };
  const toolEnv = (TOOL_REGISTRY_VARIABLES[toolName] ?? []).map((v) => ctx.env[v]).find((v) => v);
  const pick = (key: string, fromCli: string | undefined): Chosen | undefined => {
    if (fromCli !== undefined) return { value: fromCli, untrusted: false };
    const env = (key === "registry" ? toolEnv : undefined) ?? npmEnv(ctx.env, key);
    if (env !== undefined) return { value: env, untrusted: false };
    return Object.hasOwn(files, key) ? fromFiles(key) : undefined;
  };
  const usable = (what: string, chosen: Chosen): string | undefined => {
    if (chosen.untrusted && chosen.value.includes("${")) {
      refuse(`the ${what} is set from an environment variable in a project .npmrc, which Bouncer does not expand`);
      return undefined;
    }
    if (!splitCredentials(chosen.value)) {
      refuse(`the ${what} "${shown(chosen.value)}" is not an http(s) registry Bouncer can ask`);
      return undefined;
    }
    return withSlash(chosen.value);
  };

  const chosen = pick("registry", optionValues(cmd, "registry").pop());
  // Scoped registries, a later source winning: files, then npm_config_* variables, then the command line.
  const scoped = new Map<string, Chosen>();
  // Scopes as npm matches them: file and command-line keys as written, variables lower-cased.
  for (const key of Object.keys(files)) {
    const scope = scopeOfRegistryKey(key);
    if (scope) scoped.set(scope, fromFiles(key));
  }
  for (const [name, value] of Object.entries(ctx.env)) {
    const key = configKeyOfEnv(name);
    const scope = key && scopeOfRegistryKey(key);
    if (scope && value !== undefined) scoped.set(scope, { value, untrusted: false });
  }
  for (const [key, value] of Object.entries(cmd.options)) {
    const scope = scopeOfRegistryKey(key);
    if (scope && Array.isArray(value) && value.length) scoped.set(scope, { value: value[value.length - 1]!, untrusted: false });
  }

  // Trusted: what the user's own file names (a registry or scope, or a host it holds credentials for), and every choice not from a file that may come with the code.
  const homeNamed = layers
    .filter((l) => l.trusted)
    .flatMap((l) => Object.entries(l.entries).flatMap(([key, value]) => (key === "registry" || scopeOfRegistryKey(key) ? [value] : [])));
  const choices = [...(chosen ? [chosen] : []), ...scoped.values()];
  const trust = hostTrust("npm", ctx, [ctx.defaults.npm, ...homeNamed, ...choices.filter((c) => !c.untrusted).map((c) => c.value)]);
  const believed = (url: string, c: Chosen) => !c.untrusted || trust.trusts(url) || authorizationFromEntries(trusted, url) !== undefined;
  const notTrusted = (c: Chosen, key: string, url: string) =>
    `${fileShown(c.file ?? "", ctx.cwd)} sets ${key}=${shown(url)}, a registry your own configuration does not name, and the code under review does not choose whom Bouncer believes (to trust it, add "${key}=${shown(url)}" to ~/.npmrc, or its host to "lockfileHosts" in your trusted policy)`;

  let registry = withSlash(ctx.defaults.npm);
  const chosenUrl = chosen && usable("registry", chosen);
  if (chosen && chosenUrl) {
    if (believed(chosenUrl, chosen)) registry = chosenUrl;
    else refuse(notTrusted(chosen, "registry", chosenUrl));
  }
  const result: NpmRegistries = { registry, scopes: {}, fenced: {} };
  const auth = authorizationFromEntries(trusted, registry);
  if (auth) result.authorization = auth;
  for (const [scope, chosen] of scoped) {
    const url = usable(`registry of ${scope}`, chosen);
    if (!url) continue;
    if (!believed(url, chosen)) {
      result.fenced[scope] = notTrusted(chosen, `${scope}:registry`, url);
      continue;
    }
    const scopeAuth = authorizationFromEntries(trusted, url);
    result.scopes[scope] = scopeAuth ? { baseUrl: url, authorization: scopeAuth } : { baseUrl: url };
  }
  return result;
}

// ---- PyPI ----

/** An index as configured: `trusted` with the user's credentials for it; `from` the project file that names it (one that may come with the code). */
interface IndexEntry {
  url: string;
  trusted?: PackageIndex;
  from?: string;
}

interface IndexChoice {
  /** The default index: the last one set wins. */
  primary: IndexEntry[];
  extra: IndexEntry[];
  findLinks: string[];
  noIndex: boolean;
}

/** Index options written inside requirements files (and the files they include), as pip reads them. */
export function requirementFileOptions(files: readonly string[], cwd: string, readFile: RegistryContext["readFile"]): IndexChoice {
  const choice: IndexChoice = { primary: [], extra: [], findLinks: [], noIndex: false };
  const queue = files.map((f) => path.resolve(cwd, f));
  const seen = new Set<string>();
  const root = realpathOr(cwd);
  while (queue.length && seen.size < MAX_REQUIREMENT_FILES) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    // Only files of the project (the scan reports the others): never /proc, never .git.
    const real = realpathOr(file);
    const rel = path.relative(root, real);
    if (rel.startsWith("..") || path.isAbsolute(rel) || rel.split(path.sep).includes(".git")) continue;
    const text = readFile(real);
    if (text === undefined) continue;
    for (const { text: line } of logicalLines(text)) {
      if (!line.startsWith("-")) continue;
      const words = shellSplit(line) ?? [];
      for (let i = 0; i < words.length; i++) {
        const m = /^(-[ircf]|--index-url|--extra-index-url|--find-links|--requirement|--constraint|--no-index)(?:=?(.*))?$/.exec(words[i]!);
        if (!m) continue;
        if (m[1] === "--no-index") {
          choice.noIndex = true;
          continue;
        }
        const value = m[2] || words[++i];
        if (value === undefined) break;
        if (m[1] === "-i" || m[1] === "--index-url") choice.primary.push({ url: value, from: real });
        else if (m[1] === "--extra-index-url") choice.extra.push({ url: value, from: real });
        else if (m[1] === "-f" || m[1] === "--find-links") choice.findLinks.push(value);
        else if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) queue.push(path.resolve(path.dirname(file), value));
      }
    }
  }
  return choice;
}

function realpathOr(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

const spaced = (v: string | undefined) => (v ?? "").split(/\s+/).filter(Boolean);

/** pip, pipx and pipenv read pip's configuration files and PIP_* variables; a virtualenv's pip.conf inside the project is the project's. */
function pipChoice(ctx: RegistryContext): IndexChoice {
  const conf = loadPipConfig({ env: ctx.env, home: ctx.home, readFile: ctx.readFile, projectDirs: [ctx.cwd] });
  const trusted = (url: string | undefined): PackageIndex | undefined => {
    const base = url && baseFromIndexUrl(url);
    if (!url || !base) return undefined;
    return conf.authorization && url === conf.indexUrl ? { url, base, authorization: conf.authorization } : { url, base };
  };
  const choice: IndexChoice = { primary: [], extra: [], findLinks: [], noIndex: truthy(ctx.env.PIP_NO_INDEX) };
  if (conf.indexUrl) choice.primary.push({ url: conf.indexUrl, trusted: trusted(conf.indexUrl) });
  for (const url of conf.extraIndexUrls) choice.extra.push({ url });
  // The project's file ranks above the user's, below PIP_* variables (as pip reads them).
  for (const file of conf.untrusted ?? []) {
    const sections = parsePipConfig(ctx.readFile(file) ?? "");
    const settings = { ...sections.global, ...sections.install };
    const index = settings["index-url"]?.split(/\s+/).find(Boolean);
    if (index && !ctx.env.PIP_INDEX_URL) choice.primary.push({ url: index, from: file });
    for (const url of spaced(settings["extra-index-url"])) choice.extra.push({ url, from: file });
    choice.findLinks.push(...spaced(settings["find-links"]));
    choice.noIndex ||= truthy(settings["no-index"]);
  }
  choice.findLinks.push(...spaced(ctx.env.PIP_FIND_LINKS));
  return choice;
}

/** uv reads UV_* variables, `[tool.uv]` in pyproject.toml and uv.toml (the project's and the user's). */
function uvChoice(cmd: InstallCommand, ctx: RegistryContext): IndexChoice {
  const choice: IndexChoice = { primary: [], extra: [], findLinks: [], noIndex: truthy(ctx.env.UV_NO_INDEX) };
  const dir = projectDir(path.resolve(ctx.cwd, optionValues(cmd, "directory", "project").pop() ?? "."), ["pyproject.toml", "uv.toml"], ctx);
  const userToml = path.join(ctx.env.XDG_CONFIG_HOME || path.join(ctx.home, ".config"), "uv", "uv.toml");
  const configs: Array<{ settings: Record<string, unknown>; from?: string }> = [];
  for (const [file, table] of [
    [userToml, (d: Record<string, unknown>) => d],
    [path.join(dir, "pyproject.toml"), (d: Record<string, unknown>) => (isRecord(d.tool) && isRecord(d.tool.uv) ? d.tool.uv : undefined)],
    [path.join(dir, "uv.toml"), (d: Record<string, unknown>) => d],
  ] as const) {
    const text = ctx.readFile(file);
    if (text === undefined) continue;
    const loaded = loadToml(text, file);
    const settings = "data" in loaded ? table(loaded.data) : undefined;
    // The user's uv.toml is theirs; the project's files come with the code.
    if (settings) configs.push(file === userToml ? { settings } : { settings, from: file });
  }
  for (const { settings: c, from } of configs) {
    const entry = (url: string): IndexEntry => (from ? { url, from } : { url });
    if (typeof c["index-url"] === "string") choice.primary.push(entry(c["index-url"]));
    for (const u of Array.isArray(c["extra-index-url"]) ? c["extra-index-url"] : []) if (typeof u === "string") choice.extra.push(entry(u));
    for (const u of Array.isArray(c["find-links"]) ? c["find-links"] : []) if (typeof u === "string") choice.findLinks.push(u);
    if (c["no-index"] === true) choice.noIndex = true;
    for (const index of Array.isArray(c.index) ? c.index : []) {
      if (!isRecord(index) || typeof index.url !== "string") continue;
      (index.default === true ? choice.primary : choice.extra).push(entry(index.url));
    }
  }
  if (ctx.env.UV_INDEX_URL) choice.primary.push({ url: ctx.env.UV_INDEX_URL });
  if (ctx.env.UV_DEFAULT_INDEX) choice.primary.push({ url: ctx.env.UV_DEFAULT_INDEX });
  for (const u of [...spaced(ctx.env.UV_INDEX), ...spaced(ctx.env.UV_EXTRA_INDEX_URL)]) choice.extra.push({ url: u });
  choice.findLinks.push(...spaced(ctx.env.UV_FIND_LINKS));
  // `--index name=url`: the URL after the name.
  for (const u of optionValues(cmd, "index")) choice.extra.push({ url: u.replace(/^[\w.-]+=(?=[a-z][a-z0-9+.-]*:)/i, "") });
  for (const u of optionValues(cmd, "default-index")) choice.primary.push({ url: u });
  return choice;
}

/** Pipfile `[[source]]` and Poetry's `[[tool.poetry.source]]`: the project's own indexes. */
function projectSources(cmd: InstallCommand, ctx: RegistryContext, choice: IndexChoice): void {
  const name = cmd.tool === "pipenv" ? "Pipfile" : cmd.tool === "poetry" ? "pyproject.toml" : undefined;
  const file = name && path.join(projectDir(path.resolve(ctx.cwd, optionValues(cmd, "directory", "project").pop() ?? "."), [name], ctx), name);
  const text = file && ctx.readFile(file);
  if (!file || text === undefined) return;
  const loaded = loadToml(text, file);
  if (!("data" in loaded)) return;
  const d = loaded.data;
  const sources = cmd.tool === "pipenv" ? d.source : isRecord(d.tool) && isRecord(d.tool.poetry) ? d.tool.poetry.source : undefined;
  const list = (Array.isArray(sources) ? sources : []).filter((s) => isRecord(s) && typeof s.url === "string") as Array<{ url: string; priority?: unknown }>;
  // Pipfile sources replace the default index (the first is the default). Poetry's "primary" ones (the
  // default priority) replace PyPI; "supplemental" and "explicit" ones are added to it.
  const primaries = cmd.tool === "pipenv" ? list : list.filter((s) => s.priority === undefined || s.priority === "primary" || s.priority === "default");
  if (primaries[0]) choice.primary.push({ url: primaries[0].url, from: file });
  choice.extra.push(...list.filter((s) => s !== primaries[0]).map((s) => ({ url: s.url, from: file })));
}

function pypiIndexes(cmd: InstallCommand, ctx: RegistryContext, out: InstallRegistries): PackageIndex[] {
  const refuse = (reason: string) => out.unjudged.push({ ecosystem: "pypi", reason });
  const isUv = cmd.tool === "uv" || cmd.tool === "uvx";
  const choice = isUv ? uvChoice(cmd, ctx) : pipChoice(ctx);
  projectSources(cmd, ctx, choice);
  // The command line over configuration and environment; options in requirements files over both (as pip).
  // uv's --index adds an index (read above); pipenv's sets the default one.
  for (const u of optionValues(cmd, ...(isUv ? ["index-url"] : ["index-url", "pypi-mirror", "index"]))) choice.primary.push({ url: u });
  for (const u of optionValues(cmd, "extra-index-url")) choice.extra.push({ url: u });
  choice.findLinks.push(...optionValues(cmd, "find-links"));
  if (flag(cmd, "no-index")) choice.noIndex = true;
  const fromFiles = requirementFileOptions([...cmd.requirementFiles, ...cmd.constraintFiles], ctx.cwd, ctx.readFile);
  choice.primary.push(...fromFiles.primary);
  choice.extra.push(...fromFiles.extra);
  choice.findLinks.push(...fromFiles.findLinks);
  choice.noIndex ||= fromFiles.noIndex;

  for (const link of choice.findLinks) refuse(`packages may come from the links at "${shown(link)}", which Bouncer cannot judge`);
  if (choice.noIndex) {
    if (!choice.findLinks.length) refuse("--no-index: packages come only from local files, which Bouncer cannot judge");
    return [];
  }
  const fallback: IndexEntry = { url: `${withSlash(ctx.defaults.pypi)}simple/`, trusted: { url: `${withSlash(ctx.defaults.pypi)}simple/`, base: withSlash(ctx.defaults.pypi) } };
  let primary = choice.primary[choice.primary.length - 1] ?? fallback;
  const mine = [fallback, ...choice.primary, ...choice.extra].filter((e) => !e.from);
  const trust = hostTrust(INDEX_ECOSYSTEM, ctx, mine.map((e) => e.url));
  const believed = (e: IndexEntry) => {
    if (!e.from || trust.trusts(e.url)) return true;
    const shownUrl = shown(e.url);
    refuse(
      `${fileShown(e.from, ctx.cwd)} names the index ${shownUrl}, which your own configuration does not name, and the code under review does not choose whom Bouncer believes (to trust it, add it to your pip.conf or PIP_EXTRA_INDEX_URL, or its host to "lockfileHosts" in your trusted policy)`,
    );
    return false;
  };
  // An index Bouncer does not believe is not asked; in place of a default index it cannot believe,
  // names are looked up at Bouncer's own, so the answer still says what they are.
  if (!believed(primary)) primary = fallback;
  const indexes: PackageIndex[] = [];
  const seen = new Set<string>();
  for (const entry of [primary, ...choice.extra.filter(believed)]) {
    const index = entry.trusted ?? untrustedIndex(entry.url, refuse);
    if (!index || seen.has(index.base)) continue;
    seen.add(index.base);
    indexes.push(index);
  }
  return indexes;
}

/** An index named by the command line, the environment or project files: no credentials are sent to it. */
function untrustedIndex(raw: string, refuse: (reason: string) => void): PackageIndex | undefined {
  if (raw.includes("${")) {
    refuse(`the index "${shown(raw)}" holds an environment variable, which Bouncer does not expand`);
    return undefined;
  }
  const split = splitCredentials(raw);
  const base = split && baseFromIndexUrl(split.url);
  if (!split || !base) {
    refuse(`the index "${shown(raw)}" is not an http(s) /simple/ index Bouncer can ask`);
    return undefined;
  }
  return { url: split.url, base };
}
