// Reads options, environment and configuration files into plain engine options. Only doors do this.
// Trust model: the user's and administrator's files, options and variables configure Bouncer; the
// project under review (its .npmrc, pip configuration, bouncer.policy.json) can only make it stricter.
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import {
  defaultPolicy,
  type IgnoredSetting,
  mergePolicyDocuments,
  type Policy,
  PolicyError,
  parsePolicy,
  stricterOnly,
} from "../../core/policy.ts";
import { loadNpmConfig, npmProjectDir, type ProjectNpmrc, readProjectNpmrc } from "../../ecosystems/npm/npmrc.ts";
import { readProjectToolConfigs } from "../../ecosystems/npm/tool-config.ts";
import { loadPipConfig } from "../../ecosystems/pypi/pipconf.ts";
import { REGISTRY_KEYS, REGISTRY_OPTIONS } from "../../ecosystems/registries.ts";
import type { RegistryOption } from "../../ecosystems/types.ts";
import type { EngineOptions, RegistryUrls } from "../../engine/setup.ts";
import { registryIdentity } from "../../sources/cache.ts";
import { allowedHosts, DEFAULT_LOCKFILE_HOSTS, hostBelieved } from "../../core/signals.ts";
import { readRegularFile } from "../../sources/files.ts";
import { type CliIO, UsageError } from "./io.ts";
import { loadLogKey } from "./logkey.ts";

export const POLICY_FILE = "bouncer.policy.json";

export interface CommonFlags {
  offline?: boolean;
  policy?: string;
  "data-dir"?: string;
  "npm-registry"?: string;
  "npm-downloads-api"?: string;
  "pypi-url"?: string;
  "log-key"?: string;
}

// In a module of their own so that a door's fast path can parse them without loading this one.
export { COMMON_OPTIONS } from "./options.ts";

export function dataDir(flags: CommonFlags, io: CliIO, use: { write: boolean } = { write: true }): string {
  const chosen = flags["data-dir"] ?? io.env.BOUNCER_HOME;
  const dir = chosen
    ? path.resolve(io.cwd, chosen)
    : path.join(io.env.XDG_CACHE_HOME || path.join(io.env.HOME || homedir(), ".cache"), "bouncer");
  usableDir(dir, use.write, chosen ? (flags["data-dir"] ? "--data-dir" : "BOUNCER_HOME") : "the default data directory");
  return dir;
}

/**
 * A data directory that cannot be used is the user's to fix (exit 2), found before any work starts.
 * Created one level at a time: Node's recursive mkdir never returns under /proc.
 */
function usableDir(dir: string, write: boolean, what: string): void {
  const fail = (reason: string): never => {
    throw new UsageError(`${what} ${dir} cannot be used: ${reason}`, "choose a writable directory with --data-dir or BOUNCER_HOME");
  };
  const missing: string[] = [];
  let at = dir;
  while (!existsSync(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  if (!missing.length && !statSync(dir).isDirectory()) fail("it is not a directory");
  if (!write) return;
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      fail(code === "ENOTDIR" || code === "EEXIST" ? `${path.dirname(d)} is not a directory` : `cannot create it (${code})`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    fail(`not writable (${(error as NodeJS.ErrnoException).code})`);
  }
}

export function clock(io: CliIO): Date {
  const fixed = io.env.BOUNCER_NOW;
  if (!fixed) return new Date();
  const t = Date.parse(fixed);
  if (Number.isNaN(t)) throw new UsageError(`BOUNCER_NOW is not an ISO time: "${fixed}"`, "e.g. BOUNCER_NOW=2026-11-23T12:00:00Z");
  return new Date(t);
}

/** Configuration files are small: a larger one, or one that is not a regular file (/dev/zero, a FIFO), is not read. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

/** A configuration file's text, or why it could not be read ("ENOENT", "too large", "not a regular file"...). */
export function readConfigFile(file: string): { text: string } | { problem: string } {
  try {
    return { text: readRegularFile(file, { limit: MAX_CONFIG_BYTES }).toString("utf8") };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { problem: code === "EFTYPE" ? "not a regular file" : code === "EFBIG" ? `larger than ${MAX_CONFIG_BYTES} bytes` : (code ?? "unreadable") };
  }
}

/** A configuration file's text; undefined when missing, not a regular file, or too big to be one. */
export const readIfExists = (file: string): string | undefined => {
  const read = readConfigFile(file);
  return "text" in read ? read.text : undefined;
};

/** A file reader that reads each file once (by path): one judgement asks for ~/.npmrc and pip's files from several parts. */
export function readOnce(read: (file: string) => string | undefined = readIfExists): (file: string) => string | undefined {
  const texts = new Map<string, string | undefined>();
  return (file) => {
    if (!texts.has(file)) texts.set(file, read(file));
    return texts.get(file);
  };
}

/**
 * Where trusted policy comes from, lowest precedence first: the administrator's file
 * (BOUNCER_ADMIN_POLICY, default /etc/bouncer/policy.json), the user's
 * ($XDG_CONFIG_HOME/bouncer/policy.json, default ~/.config/bouncer/policy.json), then `--policy FILE`
 * or BOUNCER_POLICY (the CI action's input). The first two may be absent; the last must exist.
 */
export function trustedPolicyFiles(flags: CommonFlags, io: CliIO): Array<{ file: string; required: boolean }> {
  const home = io.env.HOME || homedir();
  const configHome = io.env.XDG_CONFIG_HOME || path.join(home, ".config");
  const files = [
    { file: path.resolve(io.cwd, io.env.BOUNCER_ADMIN_POLICY || "/etc/bouncer/policy.json"), required: false },
    { file: path.join(configHome, "bouncer", "policy.json"), required: false },
  ];
  const explicit = flags.policy ?? io.env.BOUNCER_POLICY;
  if (explicit) files.push({ file: path.resolve(io.cwd, explicit), required: true });
  return files;
}

/** A policy file's document; undefined when an optional file is absent. Anything else wrong is a usage error. */
export function readPolicyDocument(file: string, required: boolean): unknown {
  const read = readConfigFile(file);
  if ("problem" in read) {
    if (!required && (read.problem === "ENOENT" || read.problem === "ENOTDIR")) return undefined;
    throw new UsageError(`cannot read policy file ${file}: ${read.problem === "ENOENT" ? "no such file" : read.problem}`);
  }
  try {
    return JSON.parse(read.text);
  } catch (error) {
    throw new UsageError(`policy file ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

export function invalidPolicy(file: string, error: unknown): never {
  if (error instanceof PolicyError) throw new UsageError(`invalid policy ${file}: ${error.message}`, "see the Policy section of the README");
  throw error;
}

/** The trusted policy: the trusted files merged (later ones win a key; allow and deny lists add up). */
export function loadTrustedPolicy(flags: CommonFlags, io: CliIO): Policy {
  const docs: unknown[] = [];
  for (const { file, required } of trustedPolicyFiles(flags, io)) {
    const doc = readPolicyDocument(file, required);
    if (doc === undefined) continue;
    try {
      parsePolicy(doc, REGISTRY_KEYS);
    } catch (error) {
      invalidPolicy(file, error);
    }
    docs.push(doc);
  }
  return docs.length ? parsePolicy(mergePolicyDocuments(docs), REGISTRY_KEYS) : defaultPolicy();
}

const IGNORED_WHY: Record<IgnoredSetting["reason"], string> = {
  "allow-list": "a project policy cannot allow packages (a trusted policy can: --policy, BOUNCER_POLICY or ~/.config/bouncer/policy.json)",
  weaker: "a project policy can only make Bouncer stricter",
  registries: "a project policy cannot choose registries",
  "lockfile-hosts": "a project policy cannot trust hosts for lockfile downloads (a trusted policy can)",
};
/** Notices per project file; the rest are counted. */
const MAX_NOTICES = 10;

/**
 * The policy in force: the trusted policy, made stricter (never weaker) by the project's
 * bouncer.policy.json in each project directory. What a project file tries to weaken is ignored
 * with a notice on stderr; an invalid project file is an error (the gate fails closed).
 */
export function loadPolicy(flags: CommonFlags, io: CliIO, projectDirs: readonly string[] = [io.cwd]): Policy {
  let policy = loadTrustedPolicy(flags, io);
  const trustedFiles = new Set(trustedPolicyFiles(flags, io).map((f) => f.file));
  for (const file of new Set(projectDirs.map((dir) => path.resolve(io.cwd, dir, POLICY_FILE)))) {
    if (trustedFiles.has(file)) continue; // chosen with --policy: trusted
    const doc = readPolicyDocument(file, false);
    if (doc === undefined) continue;
    let ignored: IgnoredSetting[];
    try {
      ({ policy, ignored } = stricterOnly(policy, doc, REGISTRY_KEYS));
    } catch (error) {
      invalidPolicy(file, error);
    }
    for (const item of ignored.slice(0, MAX_NOTICES)) {
      io.stderr.write(`bouncer: ${file}: ignored ${item.key} ${JSON.stringify(excerpt(item.value))}: ${IGNORED_WHY[item.reason]}\n`);
    }
    if (ignored.length > MAX_NOTICES) io.stderr.write(`bouncer: ${file}: ignored ${ignored.length - MAX_NOTICES} more settings\n`);
  }
  return policy;
}

/** At most a short excerpt of text from a file under review, with credentials in URLs removed. */
function excerpt(value: string): string {
  const clean = value.replace(/\/\/[^/@\s]*@/g, "//");
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

function checkUrl(value: string, what: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw new UsageError(`${what} is not an http(s) URL: "${value}"`);
  }
  return value.endsWith("/") ? value : `${value}/`;
}

/** The registries Bouncer asks, and the credentials for them, from trusted configuration only. */
export interface TrustedRegistries {
  /** Each registry option's URL by its key (src/ecosystems/registries.ts). */
  registries: RegistryUrls;
  /** "@scope" -> registry and its credentials, from the user's and global npmrc and npm_config_* variables. */
  npmScopes: Record<string, { baseUrl: string; authorization?: string }>;
  /** Scopes an npm_config_* variable routes: npm ranks those above the project's .npmrc. */
  npmEnvScopes: ReadonlySet<string>;
  /**
   * The Authorization header trusted configuration holds for a registry URL (npmrc entries by
   * //host/path, pip's index credentials), or undefined: credentials keyed by where they may go.
   */
  credentialsFor(url: string): string | undefined;
  /** Whether trusted configuration names this registry for npm (the default or a scope's). */
  namesNpmRegistry(url: string): boolean;
  /** pip configuration files inside the projects that pip would read (found while reading pip's configuration once). */
  pipProjectFiles: string[];
}

/** The URL an option, its BOUNCER_* variable or the trusted policy's `registries` sets for a registry, if any. */
export function explicitRegistry(option: RegistryOption, flags: CommonFlags, io: CliIO, policy: Policy): string | undefined {
  const flag = option.flag ? (flags as Record<string, unknown>)[option.flag] : undefined;
  return (typeof flag === "string" ? flag : undefined) ?? io.env[option.env] ?? policy.registries[option.key];
}

/**
 * Trusted registries, each the first of: option, BOUNCER_* variable, trusted policy `registries`,
 * the user's npm/pip configuration (with npm_config_*, PIP_* variables), the public default. The
 * project's own .npmrc and pip configuration never take part (see readProjectConfig).
 */
export function trustedRegistries(
  flags: CommonFlags,
  io: CliIO,
  policy: Policy,
  projectDirs: readonly string[] = [io.cwd],
  readFile: (file: string) => string | undefined = readIfExists,
): TrustedRegistries {
  const home = io.env.HOME || homedir();
  const npmrc = loadNpmConfig({ cwd: io.cwd, home, env: io.env, readFile, globalFile: npmGlobalConfig(io) });
  const pip = loadPipConfig({ env: io.env, home, readFile, projectDirs: projectDirs.map((d) => path.resolve(io.cwd, d)) });
  // The registry each user tool's own configuration names, by registry key.
  const fromTool: Record<string, string | undefined> = { npm: npmrc.registry, pypi: pip.baseUrl };
  const urls: Record<string, string> = {};
  for (const option of REGISTRY_OPTIONS) {
    urls[option.key] = checkUrl(explicitRegistry(option, flags, io, policy) ?? fromTool[option.key] ?? option.defaultUrl, option.what);
  }
  // Every key of REGISTRY_OPTIONS is set, the engine's included (test/ecosystems/index.test.ts lists them).
  const registries = urls as RegistryUrls;
  const { npm, github } = registries;
  const githubToken = io.env.GITHUB_TOKEN?.trim();
  const namedNpm = new Set([npm, ...Object.values(npmrc.scopes).map((s) => s.baseUrl)].map(registryIdentity));
  const npmHosts = allowedHosts(DEFAULT_LOCKFILE_HOSTS.npm, policy.lockfileHosts);
  const pipBase = pip.baseUrl ? registryIdentity(pip.baseUrl) : undefined;
  return {
    registries,
    npmScopes: npmrc.scopes,
    npmEnvScopes: new Set(npmrc.envScopes),
    credentialsFor(url) {
      // GITHUB_TOKEN goes to the GitHub API Bouncer is configured to ask, never elsewhere.
      if (github && registryIdentity(url) === registryIdentity(github)) return githubToken ? `Bearer ${githubToken}` : undefined;
      // pip's index credentials belong to its index; npm's are matched by npmrc's //host/path keys.
      if (pip.authorization && pipBase && registryIdentity(url).startsWith(pipBase)) return pip.authorization;
      return npmrc.authFor(url);
    },
    // Named: as a registry or scope, by the credentials the user keeps for it, or by the trusted policy's hosts.
    namesNpmRegistry: (url) => namedNpm.has(registryIdentity(url)) || npmrc.authFor(url) !== undefined || hostBelieved(url, npmHosts),
    pipProjectFiles: pip.untrusted ?? [],
  };
}

/** npm's global npmrc: $PREFIX/etc/npmrc, PREFIX being npm_config_prefix or the node installation. */
function npmGlobalConfig(io: CliIO): string {
  const prefix = io.env.npm_config_prefix || io.env.NPM_CONFIG_PREFIX || path.dirname(path.dirname(process.execPath));
  return path.join(prefix, "etc", "npmrc");
}

/** Configuration found inside the project under review: read, never trusted. */
export interface ProjectConfig {
  /** The project's .npmrc files (registry, scopes; credentials only by key). */
  npmrc: ProjectNpmrc[];
  /** pip configuration files inside the project that pip would read (a virtualenv's pip.conf). */
  pipFiles: string[];
}

/**
 * Reads the configuration of the projects at `projectDirs` (the cwd, the scanned folders) as data, not
 * as settings. `pipFiles`: the project's pip files when pip's configuration was already read for them.
 */
export function readProjectConfig(io: CliIO, projectDirs: readonly string[] = [io.cwd], pipFiles?: string[]): ProjectConfig {
  const dirs = [...new Set(projectDirs.map((d) => path.resolve(io.cwd, d)))];
  const npmrc = new Map<string, ProjectNpmrc>();
  for (const cwd of dirs) {
    const ctx = { cwd, readFile: readIfExists, exists: (file: string) => existsSync(file) };
    const found = readProjectNpmrc(ctx);
    if (found) npmrc.set(found.file, found);
    // yarn's and bun's own files route registries and scopes too.
    for (const tool of readProjectToolConfigs(npmProjectDir(ctx), readIfExists)) npmrc.set(tool.file, { ...tool, credentialKeys: [] });
  }
  if (pipFiles) return { npmrc: [...npmrc.values()], pipFiles };
  const pip = loadPipConfig({ env: io.env, home: io.env.HOME || homedir(), readFile: readIfExists, projectDirs: dirs });
  return { npmrc: [...npmrc.values()], pipFiles: pip.untrusted ?? [] };
}

/**
 * What the project's registry settings are used for: a scope it routes to a registry the trusted
 * configuration names is looked up there (with the trusted credentials for it); a scope routed
 * anywhere else is fenced (private: asked of no registry, so unverifiable, with how to trust it);
 * its default registry and credentials are ignored. Each ignored setting gets one notice.
 */
export function judgeProjectRegistries(
  trusted: TrustedRegistries,
  project: ProjectConfig,
  io: CliIO,
): { npmScopes: TrustedRegistries["npmScopes"]; npmFencedScopes: Record<string, string> } {
  const npmScopes = { ...trusted.npmScopes };
  const fenced: Record<string, string> = {};
  const notice = (text: string) => io.stderr.write(`bouncer: ${text}\n`);
  for (const rc of project.npmrc) {
    if (rc.registry && registryIdentity(rc.registry) !== registryIdentity(trusted.registries.npm)) {
      notice(`${rc.file}: ignored registry=${excerpt(rc.registry)}: the project does not choose where Bouncer looks packages up (judging at ${trusted.registries.npm}; set registry= in ~/.npmrc or BOUNCER_NPM_REGISTRY to trust it)`);
    }
    if (rc.credentialKeys.length) {
      notice(`${rc.file}: its credentials (${excerpt(rc.credentialKeys.join(", "))}) are not used: Bouncer sends only credentials from trusted configuration`);
    }
    for (const [scope, url] of Object.entries(rc.scopes)) {
      // npm takes the project's route over the user's files (only an npm_config_ variable outranks
      // it): the trusted route stands only where npm would take it, or where both name one registry.
      const trustedRoute = Object.hasOwn(npmScopes, scope) ? npmScopes[scope] : undefined;
      if (trustedRoute && (trusted.npmEnvScopes.has(scope) || registryIdentity(trustedRoute.baseUrl) === registryIdentity(url))) continue;
      delete npmScopes[scope];
      if (trusted.namesNpmRegistry(url)) {
        const authorization = trusted.credentialsFor(url);
        npmScopes[scope] = authorization ? { baseUrl: url, authorization } : { baseUrl: url };
        continue;
      }
      // The scope exactly as written: npm routes only that case here (its keys are case-sensitive).
      fenced[scope] = `${rc.file} routes ${scope} packages to ${excerpt(url)}, a registry your trusted configuration does not name; to check them there, add "${scope}:registry=${excerpt(url)}" (and its token) to ~/.npmrc or its host to "lockfileHosts" in a trusted policy, or allow "npm:${scope}/*" in a trusted policy`;
    }
  }
  for (const file of project.pipFiles) notice(`${file}: ignored: pip configuration inside the project under review is not trusted`);
  return { npmScopes, npmFencedScopes: fenced };
}

/**
 * Everything the engine needs: the policy (trusted, made stricter by the project's), trusted
 * registries and credentials, and the project's private scopes fenced. `projectDirs`: the projects
 * under review (default: the cwd).
 */
export function engineOptions(
  flags: CommonFlags,
  io: CliIO,
  projectDirs: readonly string[] = [io.cwd],
  use: { installFromProject?: boolean; readFile?: (file: string) => string | undefined } = {},
): EngineOptions {
  const policy = loadPolicy(flags, io, projectDirs);
  // npm's and pip's configuration files (the policy files are read by loadPolicy, as before).
  const trusted = trustedRegistries(flags, io, policy, projectDirs, use.readFile);
  // The install guard judges where the real tool will fetch (the project's registries included, asked
  // without secrets): it resolves those itself. Every other door judges at the trusted registries.
  const { npmScopes, npmFencedScopes } = use.installFromProject
    ? { npmScopes: { ...trusted.npmScopes }, npmFencedScopes: {} }
    : judgeProjectRegistries(trusted, readProjectConfig(io, projectDirs, trusted.pipProjectFiles), io);
  const dir = dataDir(flags, io);
  return {
    dataDir: dir,
    logKey: loadLogKey(flags, io, dir),
    offline: Boolean(flags.offline),
    policy,
    now: clock(io),
    registries: { ...trusted.registries },
    npmScopes,
    npmFencedScopes,
    // Credentials go only to the registry they were configured for.
    credentialsFor: trusted.credentialsFor,
    npmAuthorization: trusted.credentialsFor(trusted.registries.npm),
    pypiAuthorization: trusted.credentialsFor(trusted.registries.pypi),
  };
}
