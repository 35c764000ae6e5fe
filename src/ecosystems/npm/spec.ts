// npm dependency specs ("name@range", aliases, git, tarballs, paths, workspace:), in the spirit of
// npm-package-arg but total: bad input gives a result with `error`, never an exception.
import { semver } from "./semver.ts";
import type { DependencySource } from "../../core/dependency.ts";

export type NpmSpecType =
  | "version"
  | "range"
  | "tag"
  | "git"
  | "remote"
  | "file"
  | "directory"
  | "workspace"
  | "catalog";

export interface NpmSpec {
  /** Registry name; for an alias the real package; null when only fetching would tell (git, url, path). */
  name: string | null;
  /** Exact version, range or tag for registry specs; null when none was asked for or not a registry spec. */
  version: string | null;
  source: DependencySource;
  /** What the spec (for an alias: its target) denotes. */
  type: NpmSpecType;
  /** The name the package is installed under when it differs from `name` (`alias@npm:real@1`). */
  alias?: string;
  /** Git committish or `semver:<range>` after `#`. */
  gitRef?: string;
  /** The part after `name@` (or the whole input when it has no name). */
  rawSpec: string;
  raw: string;
  error?: string;
}

const GIT_HOSTS: Record<string, string> = {
  "github.com": "github",
  "gitlab.com": "gitlab",
  "bitbucket.org": "bitbucket",
  "gist.github.com": "gist",
  "git.sr.ht": "sourcehut",
};
const HOSTED_SHORTCUT = /^(?:github|gitlab|bitbucket|gist|sourcehut):/i;
const URL_SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
// scp-like git remote: git@github.com:owner/repo
const SCP_GIT = /^[^@\s/]+@[^:.\s/]+\.[^:\s]+:.+$/;
const FILE_TYPE = /\.(?:tgz|tar\.gz|tar)$/i;
const FILE_SPEC = /^(?:\.|~\/|\/|[a-z]:)/i;

const EXACT = /^(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;

/** The normalised exact version a string denotes (`1.2.3`, `v1.2.3`, `=1.2.3`), or null. */
export function exactVersion(text: string): string | null {
  // Lockfiles hold hundreds of thousands of plain versions: skip the semver parser for those.
  if (EXACT.test(text)) return text;
  return semver().valid(text, { loose: true });
}

/** Whether a spec can only be a registry range or tag (no protocol, path, URL or git part). */
export function isRegistryRangeSyntax(spec: string): boolean {
  return !/[:/\\#]/.test(spec) && !spec.startsWith(".") && !/\.(?:tgz|tar)$/i.test(spec);
}

/** Whether a string is acceptable as an npm package name (lenient: legacy upper-case names pass). */
export function isValidNpmName(name: string): boolean {
  if (name.length === 0 || name.length > 214 || name.trim() !== name) return false;
  if (name.startsWith(".") || name.startsWith("_")) return false;
  if (name.startsWith("@")) {
    const slash = name.indexOf("/");
    if (slash < 2 || slash === name.length - 1) return false;
    const scope = name.slice(1, slash);
    const rest = name.slice(slash + 1);
    return urlSafe(scope) && urlSafe(rest) && !rest.startsWith(".") && !rest.startsWith("_");
  }
  return urlSafe(name);
}

function urlSafe(part: string): boolean {
  try {
    return encodeURIComponent(part) === part;
  } catch {
    return false;
  }
}

/** Parses a command-line style spec: `name`, `name@range`, `alias@npm:real@1`, `github:o/r`, `./dir`, URLs. */
export function parseNpmSpec(spec: string): NpmSpec {
  const raw = typeof spec === "string" ? spec : String(spec);
  const arg = raw.trim();
  if (arg === "") return failure(raw, arg, "empty spec");
  if (URL_SCHEME.test(arg) || SCP_GIT.test(arg) || HOSTED_SHORTCUT.test(arg) || /^file:/i.test(arg)) {
    return resolve(null, arg, raw);
  }
  const at = arg.startsWith("@") ? arg.indexOf("@", 1) : arg.indexOf("@");
  const namePart = at > 0 ? arg.slice(0, at) : arg;
  if (!namePart.startsWith("@") && (namePart.includes("/") || FILE_TYPE.test(namePart))) {
    return resolve(null, arg, raw);
  }
  if (at > 0) return resolve(namePart, arg.slice(at + 1), raw);
  if (isValidNpmName(arg)) return resolve(arg, "", raw);
  return resolve(null, arg, raw);
}

/** One package.json entry: `"foo": "^1"`, `"foo": "npm:bar@^2"`, `"foo": "github:x/y"`, `"foo": "workspace:*"`. */
export function parseDependencyValue(key: string, value: unknown): NpmSpec {
  const raw = `${key}@${typeof value === "string" ? value : ""}`;
  if (typeof value !== "string") {
    return failure(raw, "", "the version is not a string");
  }
  return resolve(key, value.trim(), raw);
}

function failure(raw: string, rawSpec: string, error: string): NpmSpec {
  return { name: null, version: null, source: "registry", type: "tag", rawSpec, raw, error };
}

function resolve(name: string | null, spec: string, raw: string): NpmSpec {
  const base = { name, raw, rawSpec: spec };
  const nameError = name !== null && !isValidNpmName(name) ? `invalid package name "${name}"` : undefined;
  const withNameError = (r: NpmSpec): NpmSpec => (nameError && !r.error ? { ...r, error: nameError } : r);

  if (/^npm:/i.test(spec)) {
    const target = spec.slice(4).trim();
    // yarn berry writes `"foo": "npm:^1.2.0"`: the same package, with an explicit protocol.
    if (name !== null && target !== "" && semver().validRange(target, { loose: true }) !== null) {
      return withNameError({ ...registrySpec(name, target, raw), rawSpec: spec });
    }
    const inner = parseNpmSpec(target);
    if (inner.alias !== undefined) return failure(raw, spec, "nested aliases are not allowed");
    if (inner.error) return { ...inner, raw, rawSpec: spec, alias: name ?? undefined };
    if (inner.source !== "registry" || inner.name === null) {
      return failure(raw, spec, "an npm: alias must point to a registry package");
    }
    const out: NpmSpec = { ...inner, raw, rawSpec: spec };
    if (name !== null) out.alias = name;
    return withNameError(out);
  }
  if (/^workspace:/i.test(spec)) {
    return withNameError({ ...base, version: spec.slice(10) || null, source: "workspace", type: "workspace" });
  }
  if (/^catalog:/i.test(spec)) {
    // pnpm catalogs: the range lives in pnpm-workspace.yaml; the package is still a registry one.
    return withNameError({ ...base, version: null, source: "registry", type: "catalog" });
  }
  if (/^(?:file|link|portal|exec):/i.test(spec) || FILE_SPEC.test(spec)) {
    const path = spec.replace(/^(?:file|link|portal|exec):/i, "");
    const type = FILE_TYPE.test(path) ? "file" : "directory";
    return withNameError({ ...base, version: null, source: "path", type });
  }
  const git = gitSpec(spec);
  if (git) {
    const out: NpmSpec = { ...base, version: null, source: "git", type: "git" };
    if (git.ref) out.gitRef = git.ref;
    return withNameError(out);
  }
  const scheme = URL_SCHEME.exec(spec);
  if (scheme) {
    const protocol = scheme[1].toLowerCase();
    if (protocol === "http" || protocol === "https") {
      return withNameError({ ...base, version: null, source: "url", type: "remote" });
    }
    return failure(raw, spec, `unsupported URL type "${protocol}:"`);
  }
  if (spec.includes("/") || FILE_TYPE.test(spec)) {
    return withNameError({ ...base, version: null, source: "path", type: FILE_TYPE.test(spec) ? "file" : "directory" });
  }
  if (name === null) return failure(raw, spec, `"${spec}" is neither a package name nor a path or URL`);
  return withNameError(registrySpec(name, spec, raw));
}

function registrySpec(name: string, spec: string, raw: string): NpmSpec {
  const base = { name, raw, rawSpec: spec, source: "registry" as const };
  if (spec === "" || spec === "*" || spec === "latest") {
    return { ...base, version: spec === "" ? null : spec, type: spec === "latest" ? "tag" : "range" };
  }
  const exact = exactVersion(spec);
  if (exact) return { ...base, version: exact, type: "version" };
  if (semver().validRange(spec, { loose: true }) !== null) return { ...base, version: spec, type: "range" };
  if (urlSafe(spec)) return { ...base, version: spec, type: "tag" };
  return { ...base, version: spec, type: "tag", error: `invalid tag or range "${spec}"` };
}

/** Git reference (hosted shortcut, shorthand `owner/repo`, scp-like or git URL), with its `#` part. */
function gitSpec(spec: string): { ref?: string } | null {
  const hash = spec.indexOf("#");
  const ref = hash >= 0 ? spec.slice(hash + 1) : undefined;
  const body = hash >= 0 ? spec.slice(0, hash) : spec;
  const found = { ref: ref || undefined };
  if (HOSTED_SHORTCUT.test(body)) return body.includes("/") || /^gist:/i.test(body) ? found : null;
  if (isGitHubShorthand(spec)) return found;
  if (SCP_GIT.test(body)) return found;
  const scheme = URL_SCHEME.exec(body);
  if (!scheme) return null;
  const protocol = scheme[1].toLowerCase();
  if (protocol === "git" || protocol.startsWith("git+") || protocol === "ssh") return found;
  if (protocol === "http" || protocol === "https") {
    // https://github.com/owner/repo(.git) is a hosted git repository, not a tarball.
    try {
      const url = new URL(body);
      if (GIT_HOSTS[url.hostname.toLowerCase()] && /^\/[^/]+\/[^/]+?(?:\.git)?\/?$/.test(url.pathname)) return found;
      if (url.pathname.endsWith(".git")) return found;
    } catch {
      return null;
    }
  }
  return null;
}

function isGitHubShorthand(arg: string): boolean {
  const hash = arg.indexOf("#");
  const head = hash >= 0 ? arg.slice(0, hash) : arg;
  const slash = head.indexOf("/");
  if (slash <= 0 || head.indexOf("/", slash + 1) >= 0 || head.endsWith("/")) return false;
  if (head.startsWith(".") || /[\s@:]/.test(head)) return false;
  return true;
}
