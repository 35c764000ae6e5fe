// pip's configuration: which index pip installs from (index-url, extra-index-url), read from the
// same files and variables pip reads. Only parsing and loading; the doors decide precedence.
import { devNull } from "node:os";
import path from "node:path";

/** The public index, when no configuration names one. */
export const DEFAULT_PYPI_URL = "https://pypi.org/";

/** INI text as pip's configparser reads it: sections of keys (lower case, "_" as "-"), continuation lines joined. */
export function parsePipConfig(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  let lastKey: string | undefined;
  for (const raw of text.replace(/^\uFEFF/, "").split(/\r?\n/)) {
    if (!raw.trim() || /^\s*[#;]/.test(raw)) continue;
    if (/^\s/.test(raw)) {
      // A continuation line adds to the previous value (extra-index-url lists span lines).
      if (section && lastKey !== undefined) section[lastKey] = `${section[lastKey]}\n${raw.trim()}`;
      continue;
    }
    const header = /^\[([^\]]+)\]\s*$/.exec(raw.trim());
    if (header) {
      const name = header[1]!.trim().toLowerCase();
      // Own keys only: a section named "__proto__" must not reach Object.prototype.
      section = Object.hasOwn(out, name) ? out[name] : {};
      if (name !== "__proto__") out[name] = section;
      lastKey = undefined;
      continue;
    }
    const m = /^([^=:]+)[=:](.*)$/.exec(raw);
    if (!m || !section) {
      lastKey = undefined;
      continue;
    }
    lastKey = m[1]!.trim().toLowerCase().replace(/_/g, "-");
    if (lastKey === "--proto--") {
      lastKey = undefined;
      continue;
    }
    section[lastKey] = m[2]!.trim();
  }
  return out;
}

export interface PipConfig {
  /** The index pip installs from, without credentials. */
  indexUrl?: string;
  extraIndexUrls: string[];
  /** PyPI base URL for the registry source (index-url minus its "simple/"), when the index has that shape. */
  baseUrl?: string;
  /** Basic credentials that were written into index-url, for that index only. */
  authorization?: string;
  /** The files that were read, lowest precedence first. */
  files: string[];
  /** Files pip would read that lie inside the project under review: not trusted, not read. */
  untrusted?: string[];
}

export interface PipConfigContext {
  env: Readonly<Record<string, string | undefined>>;
  home: string;
  /** The projects under review: a virtualenv's pip.conf inside one is the project's, not the user's. */
  projectDirs?: readonly string[];
  /** Returns the file's text, or undefined (or throws) when it cannot be read. */
  readFile: (file: string) => string | undefined;
}

/** Splits "https://user:pass@host/simple" into the URL without credentials and a Basic header. */
export function splitCredentials(raw: string): { url: string; authorization?: string } | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (!url.username && !url.password) return { url: url.href };
  const user = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  url.username = "";
  url.password = "";
  return { url: url.href, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}` };
}

/** "https://host/prefix/simple/" -> "https://host/prefix/"; null when the URL does not end in /simple. */
export function baseFromIndexUrl(indexUrl: string): string | null {
  const m = /^(.*\/)simple\/?$/.exec(indexUrl.split(/[?#]/)[0]!);
  return m ? m[1]! : null;
}

function configFiles(ctx: PipConfigContext): { global: string[]; user: string[]; site: string[] } {
  const { env, home } = ctx;
  const xdgDirs = (env.XDG_CONFIG_DIRS || "/etc/xdg").split(":").filter(Boolean);
  const globalFiles = [...xdgDirs.map((d) => path.join(d, "pip", "pip.conf")), "/etc/pip.conf"];
  const userFiles = [
    path.join(home, ".pip", "pip.conf"),
    path.join(home, "Library", "Application Support", "pip", "pip.conf"),
    path.join(env.XDG_CONFIG_HOME || path.join(home, ".config"), "pip", "pip.conf"),
  ];
  const siteFiles = env.VIRTUAL_ENV ? [path.join(env.VIRTUAL_ENV, "pip.conf")] : [];
  return { global: globalFiles, user: userFiles, site: siteFiles };
}

function tryRead(readFile: PipConfigContext["readFile"], file: string): string | undefined {
  try {
    return readFile(file) ?? undefined;
  } catch {
    return undefined;
  }
}

/** pip's settings for `pip install`, merged as pip merges them, and where they came from. */
export interface PipSettings {
  /** Each option's value ("index-url", "uploaded-prior-to", ...). */
  settings: Record<string, string>;
  /** The files that were read, lowest precedence first. */
  files: string[];
  /** Files pip would read that lie inside the project under review: not trusted, not read. */
  untrusted?: string[];
}

/**
 * pip's settings in pip's order: global, user and site files, then PIP_CONFIG_FILE (whose presence
 * also skips the user files; os.devnull skips every file), later files winning key by key. Then, as
 * pip's option parser does, every file's [global] values, over them every file's [install] values
 * (an [install] key in /etc/pip.conf beats a [global] one in the user's file), then PIP_<OPTION>
 * variables. Empty values are skipped, as pip skips them.
 */
export function loadPipSettings(ctx: PipConfigContext): PipSettings {
  const files = configFiles(ctx);
  const envFile = ctx.env.PIP_CONFIG_FILE || undefined;
  const envText = envFile ? tryRead(ctx.readFile, envFile) : undefined;
  const sections: { global: Record<string, string>; install: Record<string, string> } = { global: {}, install: {} };
  const read: string[] = [];
  const apply = (file: string, text: string) => {
    const parsed = parsePipConfig(text);
    Object.assign(sections.global, parsed.global);
    Object.assign(sections.install, parsed.install);
    read.push(file);
  };
  const inProject = (file: string) =>
    (ctx.projectDirs ?? []).some((dir) => {
      const rel = path.relative(path.resolve(dir), path.resolve(file));
      return !rel.startsWith("..") && !path.isAbsolute(rel);
    });
  // pip loads no file at all when PIP_CONFIG_FILE is os.devnull.
  const none = envFile === devNull;
  const untrusted = none ? [] : files.site.filter((f) => inProject(f) && tryRead(ctx.readFile, f) !== undefined);
  const site = files.site.filter((f) => !inProject(f));
  for (const file of none ? [] : [...files.global, ...(envText === undefined ? files.user : []), ...site]) {
    const text = tryRead(ctx.readFile, file);
    if (text !== undefined) apply(file, text);
  }
  if (envFile && envText !== undefined && !none) apply(envFile, envText);
  const fromEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries(ctx.env)) {
    const m = /^PIP_(\w+)$/.exec(name);
    if (m && value) fromEnv[m[1]!.toLowerCase().replace(/_/g, "-")] = value;
  }
  const filled = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== ""));
  const settings = { ...filled(sections.global), ...filled(sections.install), ...fromEnv };
  return untrusted.length ? { settings, files: read, untrusted } : { settings, files: read };
}

/** The index pip installs from (and the extra ones), from pip's settings (loadPipSettings). */
export function loadPipConfig(ctx: PipConfigContext): PipConfig {
  const { settings, files: read, untrusted } = loadPipSettings(ctx);
  const config: PipConfig = { extraIndexUrls: [], files: read };
  if (untrusted) config.untrusted = untrusted;
  const index = settings["index-url"]?.split(/\s+/).find(Boolean);
  const split = index ? splitCredentials(index) : null;
  if (split) {
    config.indexUrl = split.url;
    const base = baseFromIndexUrl(split.url);
    if (base) config.baseUrl = base;
    if (split.authorization) config.authorization = split.authorization;
  }
  for (const extra of (settings["extra-index-url"] ?? "").split(/\s+/).filter(Boolean)) {
    const s = splitCredentials(extra);
    if (s) config.extraIndexUrls.push(s.url);
  }
  return config;
}
