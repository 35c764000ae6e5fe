// Shared pieces of the npm manifest and lockfile extractors: the dependency record, source
// classification of resolved URLs, and a small dependency graph used to tell dev-only packages
// (and, in tests, what a project actually reaches).
import { type DependencyKind, makeDependency } from "../../../core/dependency.ts";
import type { LockEvidence } from "../../../core/model.ts";
import type { DependencySource, ExtractContext, ExtractedDependency, ExtractProblem, ExtractResult } from "../../../core/dependency.ts";

export const ECOSYSTEM = "npm";

type DependencyArgs = Parameters<typeof makeDependency> extends [string, DependencyKind, ...infer Rest] ? Rest : never;

/** makeDependency for a locked npm package: the same arguments after the ecosystem and kind. */
export const lockDependency = (...args: DependencyArgs): ExtractedDependency => makeDependency(ECOSYSTEM, "lockfile", ...args);

const GIT_HOST = /^(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)$/i;
// scheme://[userinfo@]host[:port]path[?query][#fragment], without building a URL object per entry
const HTTP_URL = /^https?:\/\/(?:[^@/?#]*@)?([^/:?#]*)(?::\d*)?([^?#]*)(?:\?[^#]*)?(?:#(.*))?$/i;

/** Where a locked package was fetched from, judged by its resolved URL or path. */
export function sourceOfResolved(resolved: string): DependencySource {
  const r = resolved.trim();
  const http = HTTP_URL.exec(r);
  if (http) {
    const host = http[1].toLowerCase();
    const path = http[2];
    if (host === "codeload.github.com") return "git";
    if (path.includes("/-/")) return "registry";
    if (GIT_HOST.test(host)) return "git";
    if (path.endsWith(".git") || /^(?:commit=)?[0-9a-f]{7,40}$/i.test(http[3] ?? "")) return "git";
    return "url";
  }
  if (/^(?:git\+|git:|ssh:|git@|github:|gitlab:|bitbucket:|gist:)/i.test(r)) return "git";
  if (/^workspace:/i.test(r)) return "workspace";
  if (/^(?:file|link|portal|exec):/i.test(r)) return "path";
  if (/^[a-z][a-z0-9+.-]*:/i.test(r) && !/^[a-z]:[\\/]/i.test(r)) return "url";
  return "path";
}

/** The package an npm registry tarball URL serves: `…/<name>/-/<file>.tgz`, scoped `@s/n` or `@s%2fn`. */
export function tarballName(url: string): string | undefined {
  const http = HTTP_URL.exec(url.trim());
  if (!http) return undefined;
  const path = http[2];
  const dash = path.indexOf("/-/");
  if (dash < 0) return undefined;
  const before = path.slice(0, dash).split("/");
  const last = decodeSegment(before.pop() ?? "");
  if (last.includes("/")) return last;
  const prev = before.pop();
  if (prev?.startsWith("@")) return `${decodeSegment(prev)}/${last}`;
  return last === "" ? undefined : last;
}

function decodeSegment(segment: string): string {
  if (!segment.includes("%")) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * What a locked entry fetches: its URL (credentials and query removed), whether it records an
 * integrity hash (asked of registry packages and tarballs only), and, when a registry tarball URL
 * names another package than the entry's, that package, which is the one reported.
 */
export function lockEvidence(
  name: string,
  resolved: string | null | undefined,
  source: DependencySource,
  integrity: boolean | undefined,
): { name: string; lock?: LockEvidence } {
  if (source === "path" || source === "workspace") return { name };
  const url = resolved?.trim() ?? "";
  const lock: LockEvidence = { urls: /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? [redactUrl(url).replace(/\?[^#]*/, "")] : [] };
  if (integrity !== undefined && (source === "registry" || source === "url")) lock.integrity = integrity;
  const fetched = source === "registry" && url !== "" ? tarballName(url) : undefined;
  if (fetched !== undefined && fetched !== name) {
    lock.claimedName = name;
    return { name: fetched, lock };
  }
  return { name, lock };
}

/** A context whose readFile reads each file once (several steps consult package.json). */
export function cachedReader(context: ExtractContext | undefined): ExtractContext | undefined {
  const read = context?.readFile;
  if (!read) return undefined;
  const cache = new Map<string, string | undefined>();
  return {
    readFile: (path) => {
      if (!cache.has(path)) cache.set(path, read(path));
      return cache.get(path);
    },
  };
}

/** Matches a path against workspace globs (`packages/*`, `apps/**`, `tools/cli`). */
export function matchesWorkspaces(path: string, globs: readonly string[]): boolean {
  const clean = path.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/$/, "");
  return globs.some((glob) => {
    const pattern = glob.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/$/, "");
    const source = pattern
      .split("/")
      .map((part) => (part === "**" ? ".*" : part.replace(/[.+?^${}()|[\]]/g, "\\$&").replace(/\*/g, "[^/]*")))
      .join("/");
    return new RegExp(`^${source}$`).test(clean);
  });
}

/** Whether a YAML-like text has anything besides blank and `#` comment lines. */
export function hasContent(text: string): boolean {
  return /^[ \t]*[^#\s]/m.test(text);
}

/** Drops credentials from http(s) URLs (`https://token@host/...`) so reports never show them. */
export function redactUrl(spec: string): string {
  // http(s): any user part goes; other schemes (git+ssh://git@host) keep a bare user, never user:secret.
  return spec.replace(/^((?:git\+)?https?:\/\/)[^@/]+@/i, "$1").replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/:]+:[^@/]*@/i, "$1");
}

/** Splits `name@rest` where the name may be scoped (`@s/n@rest`); rest is "" when there is no `@`. */
export function splitNameAt(text: string): { name: string; rest: string } {
  const at = text.indexOf("@", text.startsWith("@") ? 1 : 0);
  if (at <= 0) return { name: text, rest: "" };
  return { name: text.slice(0, at), rest: text.slice(at + 1) };
}

// ---------------------------------------------------------------------------------------------
// Dependency graph

export interface LockNode {
  /** The record this node is reported as (pnpm peer variants share one); none for a pass-through link. */
  dep?: ExtractedDependency;
  /** Ids of the nodes it depends on (a link: its target). */
  edges: string[];
  /** Ids of its optionalDependencies. */
  optional?: string[];
}

export type DepGroup = "prod" | "dev" | "optional" | "peer";

/** A project (root or workspace member): its direct dependencies, name -> node id, by group. */
export type LockImporter = Record<DepGroup, Map<string, string>>;

export interface LockGraph {
  nodes: Map<string, LockNode>;
  importers: Map<string, LockImporter>;
}

/** Id of the node that stands for an importer when other projects link to it (workspaces). */
export function importerNodeId(importerKey: string): string {
  return `importer:${importerKey}`;
}

export function emptyImporter(): LockImporter {
  return { prod: new Map(), dev: new Map(), optional: new Map(), peer: new Map() };
}

export interface ReachOptions {
  /** Importer keys to start from; default: all. */
  importers?: string[];
  /** Only these direct dependencies (e.g. the names a package.json declares). */
  names?: ReadonlySet<string>;
  dev?: boolean;
  /** Direct optional dependencies (default true). */
  optional?: boolean;
  /** optionalDependencies of packages (default true). */
  transitiveOptional?: boolean;
  peer?: boolean;
}

/** Records reachable from the importers' direct dependencies. */
export function reachable(graph: LockGraph, options: ReachOptions = {}): Set<ExtractedDependency> {
  const groups: DepGroup[] = ["prod"];
  if (options.optional !== false) groups.push("optional");
  if (options.dev) groups.push("dev");
  if (options.peer) groups.push("peer");
  const starts: string[] = [];
  const seen = new Set<string>();
  for (const [key, importer] of graph.importers) {
    if (options.importers && !options.importers.includes(key)) continue;
    seen.add(importerNodeId(key)); // a project is not its own dependency, even through a cycle
    for (const g of groups) {
      for (const [name, id] of importer[g]) if (!options.names || options.names.has(name)) starts.push(id);
    }
  }
  const withOptional = options.transitiveOptional !== false;
  const out = new Set<ExtractedDependency>();
  const stack = starts;
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    const node = graph.nodes.get(id);
    if (!node) continue;
    if (node.dep) out.add(node.dep);
    for (const e of node.edges) if (!seen.has(e)) stack.push(e);
    if (withOptional && node.optional) for (const e of node.optional) if (!seen.has(e)) stack.push(e);
  }
  return out;
}

/**
 * Marks records reachable only through devDependencies as dev, and those reachable from
 * production, optional or peer dependencies as not dev. Unreachable records stay unmarked.
 */
export function markDev(graph: LockGraph, records: Iterable<ExtractedDependency>): void {
  const prod = reachable(graph, { optional: true, peer: true });
  const all = reachable(graph, { dev: true, optional: true, peer: true });
  for (const dep of records) {
    if (prod.has(dep)) dep.dev = false;
    else if (all.has(dep)) dep.dev = true;
  }
}

/** Direct dependencies of a package.json, as `name -> spec` per group. */
export interface ManifestDeps {
  prod: Array<[string, string]>;
  dev: Array<[string, string]>;
  optional: Array<[string, string]>;
  peer: Array<[string, string]>;
}

export function manifestDeps(manifest: unknown): ManifestDeps {
  const m = typeof manifest === "object" && manifest !== null ? (manifest as Record<string, unknown>) : {};
  const entries = (v: unknown): Array<[string, string]> =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.entries(v as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === "string")
      : [];
  return {
    prod: entries(m.dependencies),
    dev: entries(m.devDependencies),
    optional: entries(m.optionalDependencies),
    peer: entries(m.peerDependencies),
  };
}

/** Builds an importer from `name -> spec` lists with a format-specific resolver to node ids. */
export function importerFrom(deps: ManifestDeps, resolve: (name: string, spec: string) => string | undefined): LockImporter {
  const importer = emptyImporter();
  for (const group of ["prod", "dev", "optional", "peer"] as const) {
    for (const [name, spec] of deps[group]) {
      const id = resolve(name, spec);
      if (id !== undefined) importer[group].set(name, id);
    }
  }
  return importer;
}

export function result(dependencies: ExtractedDependency[], problems: ExtractProblem[]): ExtractResult {
  return { dependencies, problems };
}

