// npm configuration (.npmrc): registry, scoped registries and the credentials for them. The user's
// and global files are trusted; a project's .npmrc belongs to the code under review and is read
// apart, without variables or credentials. Only parsing and loading; the doors decide what wins.
import path from "node:path";
import { nearestFolderWith } from "../../sources/files.ts";

export const DEFAULT_NPM_REGISTRY = "https://registry.npmjs.org/";

/** Expands ${VAR} (left as written when unset) and ${VAR?} (empty when unset), as npm does. */
export function expandEnv(text: string, env: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/(\\*)\$\{([^${}?]+)(\?)?\}/g, (whole: string, slashes: string, name: string, optional?: string) => {
    const n = slashes.length;
    // An odd run of backslashes escapes the expression; pairs of backslashes stand for one each.
    if (n % 2 === 1) return whole.slice((n + 1) / 2);
    const value = env[name] ?? (optional ? "" : `\${${name}}`);
    return slashes.slice(n / 2) + value;
  });
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    try {
      const parsed: unknown = JSON.parse(value);
      if (typeof parsed === "string") return parsed;
    } catch {
      // fall through to stripping the quotes
    }
    return value.slice(1, -1);
  }
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  return value;
}

/** Parses .npmrc text into key/value pairs (top level only, as npm reads it), with env expansion. */
export function parseNpmrc(text: string, env: Readonly<Record<string, string | undefined>> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  let inSection = false;
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(";") || line.startsWith("#")) continue;
    if (/^\[.*\]$/.test(line)) {
      inSection = true; // npm does not read keys under a section
      continue;
    }
    if (inSection) continue;
    const eq = line.indexOf("=");
    const key = expandEnv((eq < 0 ? line : line.slice(0, eq)).trim(), env);
    if (!key || key.endsWith("[]") || key === "__proto__") continue;
    out[key] = eq < 0 ? "true" : expandEnv(unquote(line.slice(eq + 1).trim()), env);
  }
  return out;
}

/** The keys npm would try for a registry URL's credentials, most specific first ("//host/path/", ..., "//host"). */
function credentialKeys(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(".", url);
  } catch {
    return [];
  }
  let key = `//${parsed.host}${parsed.pathname}`;
  const keys: string[] = [];
  while (key.length > 2) {
    keys.push(key);
    key = key.replace(/([^/]+|\/)$/, "");
  }
  return keys;
}

function decodeBase64(value: string): string {
  return Buffer.from(value, "base64").toString("utf8");
}

/** The Authorization header value configured for `url`, if any. Unexpanded ${VAR} values are not credentials. */
export function authorizationFromEntries(entries: Readonly<Record<string, string>>, url: string): string | undefined {
  const usable = (v: string | undefined) => (v && !v.includes("${") ? v : undefined);
  for (const key of credentialKeys(url)) {
    const token = usable(entries[`${key}:_authToken`]);
    if (token) return `Bearer ${token}`;
    const auth = usable(entries[`${key}:_auth`]);
    if (auth) return `Basic ${auth}`;
    const user = usable(entries[`${key}:username`]);
    const password = usable(entries[`${key}:_password`]);
    if (user && password) return `Basic ${Buffer.from(`${user}:${decodeBase64(password)}`).toString("base64")}`;
  }
  return undefined;
}

export interface NpmConfig {
  /** The configured default registry (with a trailing slash), undefined when none is set. */
  registry?: string;
  /** Credentials for `registry`, or for the public registry when none is set. */
  authorization?: string;
  /** "@scope" (case as written: npm's keys are case-sensitive) -> its registry and the credentials configured for that registry. */
  scopes: Record<string, { baseUrl: string; authorization?: string }>;
  /** Credentials configured for any URL: use it when another registry URL wins over `registry`. */
  authFor(url: string): string | undefined;
  /** The files that were read, lowest precedence first. */
  files: string[];
  /** Scopes routed by an npm_config_* variable: npm ranks those above a project's .npmrc (files rank below it). */
  envScopes: string[];
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}

/** The scope a "<scope>:registry" key sets, as written: npm reads file keys case-sensitively. */
export function scopeOfRegistryKey(key: string): string | undefined {
  return /^(@[^:/\s]+):registry$/.exec(key)?.[1];
}

/**
 * The config key an npm_config_* variable sets, as npm reads the environment: lower-cased, "_" after
 * the first character read as "-", except credential keys ("//host/:_authToken"); undefined for others.
 */
export function configKeyOfEnv(name: string): string | undefined {
  if (!/^npm_config_/i.test(name)) return undefined;
  const key = name.slice("npm_config_".length);
  return key.startsWith("//") ? key : key.replace(/(?!^)_/g, "-").toLowerCase();
}

/** Builds the settings from merged entries. */
export function npmConfigFromEntries(entries: Readonly<Record<string, string>>, files: string[] = [], envScopes: string[] = []): NpmConfig {
  const registry = entries.registry && isHttpUrl(entries.registry) ? withSlash(entries.registry) : undefined;
  const scopes: NpmConfig["scopes"] = {};
  for (const [key, value] of Object.entries(entries)) {
    const scope = scopeOfRegistryKey(key);
    if (!scope || !isHttpUrl(value)) continue;
    const baseUrl = withSlash(value);
    const authorization = authorizationFromEntries(entries, baseUrl);
    scopes[scope] = authorization ? { baseUrl, authorization } : { baseUrl };
  }
  const authFor = (url: string) => authorizationFromEntries(entries, url);
  const config: NpmConfig = { scopes, authFor, files, envScopes };
  if (registry) config.registry = registry;
  const authorization = authFor(registry ?? DEFAULT_NPM_REGISTRY);
  if (authorization) config.authorization = authorization;
  return config;
}

export interface NpmConfigContext {
  cwd: string;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Returns the file's text, or undefined (or throws) when it cannot be read. */
  readFile: (file: string) => string | undefined;
  /** npm's global npmrc (`$PREFIX/etc/npmrc`) when $npm_config_globalconfig does not name one. */
  globalFile?: string;
  /** Whether a file exists (finding the project directory); default: `readFile` can read it. */
  exists?: (file: string) => boolean;
}

function tryRead(readFile: NpmConfigContext["readFile"], file: string): string | undefined {
  try {
    return readFile(file) ?? undefined;
  } catch {
    return undefined;
  }
}

/** npm's project directory: the nearest ancestor of cwd with a package.json, else cwd. */
export function npmProjectDir(ctx: Pick<NpmConfigContext, "cwd" | "readFile" | "exists">): string {
  const exists = ctx.exists ?? ((file: string) => tryRead(ctx.readFile, file) !== undefined);
  const cwd = path.resolve(ctx.cwd);
  return nearestFolderWith(cwd, ["package.json"], exists) ?? cwd;
}

function envConfig(env: NpmConfigContext["env"], key: string): string | undefined {
  return env[`npm_config_${key}`] ?? env[`NPM_CONFIG_${key.toUpperCase()}`];
}

/**
 * The trusted npm configuration: the global npmrc, the user's ~/.npmrc (or $npm_config_userconfig)
 * over it, and npm_config_registry / npm_config_@scope:registry over both. Never the project's
 * .npmrc (see readProjectNpmrc).
 */
export function loadNpmConfig(ctx: NpmConfigContext): NpmConfig {
  const userFile = path.resolve(ctx.cwd, envConfig(ctx.env, "userconfig") ?? path.join(ctx.home, ".npmrc"));
  const globalConfig = envConfig(ctx.env, "globalconfig");
  const globalFile = globalConfig ? path.resolve(ctx.cwd, globalConfig) : ctx.globalFile;
  const entries: Record<string, string> = {};
  const files: string[] = [];
  for (const file of globalFile && globalFile !== userFile ? [globalFile, userFile] : [userFile]) {
    const text = tryRead(ctx.readFile, file);
    if (text === undefined) continue;
    Object.assign(entries, parseNpmrc(text, ctx.env));
    files.push(file);
  }
  const envScopes: string[] = [];
  for (const [name, value] of Object.entries(ctx.env)) {
    const key = configKeyOfEnv(name);
    const scope = key && value ? scopeOfRegistryKey(key) : undefined;
    if (!key || !scope) continue;
    entries[key] = value!;
    envScopes.push(scope);
  }
  const fromEnv = envConfig(ctx.env, "registry");
  if (fromEnv) entries.registry = fromEnv;
  return npmConfigFromEntries(entries, files, envScopes);
}

/** The npm CLI's name, and its setting that keeps versions newer than that many days uninstallable (npm 11.10 or newer). */
export const NPM_CLI = "npm";
export const NPM_COOLDOWN_KEY = "min-release-age";

/** Where npm reads the user's .npmrc ($npm_config_userconfig, else ~/.npmrc), relative names against `cwd`. */
export function userNpmrcFile(env: NpmConfigContext["env"], home: string, cwd: string): string {
  const named = envConfig(env, "userconfig");
  return named ? path.resolve(cwd, named) : path.join(home, ".npmrc");
}

/**
 * One npm setting as npm resolves it: the environment (npm_config_<key>), then the project's
 * .npmrc, then the user's; `where` says which. The files' texts come in (undefined: none).
 */
export function npmSetting(
  key: string,
  env: NpmConfigContext["env"],
  texts: { project: string | undefined; user: string | undefined },
): { value: string; where: string } | undefined {
  const envKey = `npm_config_${key.replace(/-/g, "_")}`;
  const named = [envKey, envKey.toUpperCase()].find((k) => env[k]);
  if (named) return { value: env[named]!, where: named };
  const project = parseNpmrc(texts.project ?? "");
  if (project[key] !== undefined) return { value: project[key]!, where: ".npmrc" };
  const user = parseNpmrc(texts.user ?? "");
  if (user[key] !== undefined) return { value: user[key]!, where: "~/.npmrc" };
  return undefined;
}

/** What a project's .npmrc asks for. Its credentials are never kept: only where they were written. */
export interface ProjectNpmrc {
  file: string;
  /** registry=, as written (variables not expanded), when it is an http(s) URL. */
  registry?: string;
  /** "@scope" -> the registry the project routes it to. */
  scopes: Record<string, string>;
  /** Keys that hold credentials (`//host/:_authToken`...): Bouncer sends none of them anywhere. */
  credentialKeys: string[];
}

const CREDENTIAL_KEY = /:(_authToken|_auth|_password|username|certfile|keyfile)$/;

/**
 * The .npmrc of the project at cwd (next to the nearest package.json): configuration written by the
 * code under review. Read without expanding ${VAR}, so no secret of the environment enters a URL.
 */
export function readProjectNpmrc(ctx: Pick<NpmConfigContext, "cwd" | "readFile" | "exists">): ProjectNpmrc | undefined {
  const file = path.join(npmProjectDir(ctx), ".npmrc");
  const text = tryRead(ctx.readFile, file);
  if (text === undefined) return undefined;
  const entries = parseNpmrc(text);
  const config = npmConfigFromEntries(entries);
  const project: ProjectNpmrc = {
    file,
    scopes: Object.fromEntries(Object.entries(config.scopes).map(([scope, s]) => [scope, s.baseUrl])),
    credentialKeys: Object.keys(entries).filter((k) => CREDENTIAL_KEY.test(k)),
  };
  if (config.registry) project.registry = config.registry;
  return project;
}
