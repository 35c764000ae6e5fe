// pnpm-lock.yaml, lockfile versions 5.x, 6.x and 9.x: every locked package.
// Keys: v5 `/name/1.2.3_peer@1`, v6 `/name@1.2.3(peer@1)`, v9 `name@1.2.3` (+ `snapshots` with peers).
import type { DependencyExtra } from "../../../core/dependency.ts";
import type { DependencySource, ExtractContext, ExtractedDependency, Extractor } from "../../../core/dependency.ts";
import { emptyImporter, hasContent, importerNodeId, type LockImporter, lockDependency, lockEvidence, markDev, redactUrl, sourceOfResolved, splitNameAt } from "./common.ts";
import { exactVersion } from "../spec.ts";
import { readPackageJsonInfo } from "./package-json.ts";
import type { LockParse } from "./package-lock.ts";
import { parseYamlDocuments, YamlSyntaxError } from "../../../formats/yaml.ts";
import { basename, errorMessage, isRecord } from "../../../core/guards.ts";

export const pnpmLockExtractor: Extractor = {
  id: "npm/pnpm-lock.yaml",
  matches: (path) => {
    const name = basename(path);
    return name === "pnpm-lock.yaml" || name === "shrinkwrap.yaml";
  },
  extract(text, path, context) {
    const { dependencies, problems } = parsePnpmLock(text, path, context);
    return { dependencies, problems };
  },
};

type KeyLine = (o: object, k: string) => number | undefined;

interface Parsed {
  name: string;
  version: string | null;
  rest: string;
}

export function parsePnpmLock(text: string, file: string, context?: ExtractContext): LockParse {
  const out: LockParse = { dependencies: [], problems: [], graph: { nodes: new Map(), importers: new Map() } };
  if (!hasContent(text)) return out;
  // pnpm writes block YAML with a top-level lockfileVersion; checking first keeps other files
  // (JSON, prose) away from the slow general YAML parser.
  if (!/^['"]?lockfileVersion['"]?[ \t]*:/m.test(text)) {
    out.problems.push({ file, reason: "not a pnpm lockfile: no lockfileVersion" });
    return out;
  }
  let docs: ReturnType<typeof parseYamlDocuments>;
  try {
    docs = parseYamlDocuments(text);
  } catch (e) {
    const line = e instanceof YamlSyntaxError ? e.line : undefined;
    out.problems.push({ file, reason: `invalid pnpm-lock.yaml: ${errorMessage(e)}`, ...(line ? { line } : {}) });
    return out;
  }
  // pnpm 10 may write an environment document first (the package manager and config
  // dependencies); the lockfile proper is the last with packages or importers.
  const doc =
    docs.findLast((d) => isRecord(d.value) && ("packages" in d.value || "importers" in d.value)) ??
    docs.findLast((d) => isRecord(d.value) && "lockfileVersion" in d.value) ??
    docs[0];
  if (!doc || doc.value === null) return out; // empty file
  readDocument(doc.value, doc.keyLine, file, out, context);
  // What the environment document locks is downloaded and run too: reported, outside the project's graph.
  for (const other of docs) {
    if (other === doc || !isRecord(other.value) || !isRecord(other.value.packages)) continue;
    const env: LockParse = { dependencies: [], problems: [], graph: { nodes: new Map(), importers: new Map() } };
    readDocument(other.value, other.keyLine, file, env, context);
    for (const dep of env.dependencies) {
      dep.group = "environment";
      dep.dev = false;
      out.dependencies.push(dep);
    }
    for (const problem of env.problems) out.problems.push(problem);
  }
  return out;
}

function readDocument(lock: unknown, keyLine: KeyLine, file: string, out: LockParse, context?: ExtractContext): LockParse {
  if (!isRecord(lock) || lock.lockfileVersion === undefined) {
    out.problems.push({ file, reason: "not a pnpm lockfile: no lockfileVersion" });
    return out;
  }
  const major = Number.parseFloat(String(lock.lockfileVersion));
  if (!(major >= 5 && major < 10)) {
    out.problems.push({ file, reason: `unsupported pnpm lockfileVersion ${String(lock.lockfileVersion)}` });
  }
  const v9 = major >= 9;
  const v6 = major >= 6 && !v9;
  const packages = isRecord(lock.packages) ? lock.packages : {};
  const snapshots = v9 && isRecord(lock.snapshots) ? lock.snapshots : undefined;
  const { nodes } = out.graph;

  // Records, one per package (peer variants of one package share it).
  const records = new Map<string, ExtractedDependency>();
  const recordOfKey = new Map<string, ExtractedDependency>();
  const devFlags = new Map<ExtractedDependency, boolean>();
  for (const key of Object.keys(packages)) {
    const entry = packages[key];
    const line = keyLine(packages, key);
    const meta = isRecord(entry) ? entry : {};
    const parsed = parseKey(key, meta, v6, v9);
    if (!parsed) {
      out.problems.push({ file, reason: `cannot read a package name and version from "${key}"`, ...(line ? { line } : {}) });
      continue;
    }
    const { source, spec } = sourceOf(key, parsed, meta);
    const resolution = isRecord(meta.resolution) ? meta.resolution : {};
    // Before v9, a package from another registry is keyed under that registry's host.
    const keyHost = !v9 && source === "registry" ? /^([a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?)\//i.exec(key)?.[1] : undefined;
    const url =
      typeof resolution.tarball === "string"
        ? resolution.tarball
        : typeof resolution.repo === "string"
          ? resolution.repo
          : keyHost !== undefined
            ? `https://${keyHost}/`
            : null;
    // pnpm records the integrity of every registry package and tarball in its resolution.
    const evidence = lockEvidence(parsed.name, url, source, typeof resolution.integrity === "string" && resolution.integrity !== "");
    const identity = `${evidence.name}@${parsed.version ?? ""}@${source}@${source === "registry" ? "" : spec}`;
    let dep = records.get(identity);
    if (!dep) {
      const extra: DependencyExtra = {};
      if (spec !== undefined && source !== "registry") extra.spec = redactUrl(spec);
      if (meta.optional === true) extra.group = "optional";
      if (evidence.lock) extra.lock = evidence.lock;
      dep = lockDependency(file, line, evidence.name, parsed.version, source, extra);
      records.set(identity, dep);
      out.dependencies.push(dep);
    }
    recordOfKey.set(key, dep);
    if (!v9) devFlags.set(dep, (devFlags.get(dep) ?? true) && meta.dev === true);
    if (!snapshots) nodes.set(key, { dep, edges: [] });
  }
  if (snapshots) {
    for (const key of Object.keys(snapshots)) {
      const base = stripPeers(key);
      let dep = recordOfKey.get(base) ?? recordOfKey.get(key);
      if (!dep) {
        // A snapshot without package metadata: still a locked package.
        const line = keyLine(snapshots, key);
        const parsed = parseKey(base, {}, false, true);
        if (!parsed) {
          out.problems.push({ file, reason: `cannot read a package name and version from "${key}"`, ...(line ? { line } : {}) });
          continue;
        }
        const { source, spec } = sourceOf(base, parsed, {});
        dep = lockDependency(file, line, parsed.name, parsed.version, source, spec && source !== "registry" ? { spec: redactUrl(spec) } : {});
        out.dependencies.push(dep);
        recordOfKey.set(base, dep);
      }
      nodes.set(key, { dep, edges: [] });
    }
  }

  const resolveRef = (from: string, name: string, ref: unknown): string | undefined => {
    if (typeof ref !== "string" && typeof ref !== "number") return undefined;
    const r = String(ref);
    if (r.startsWith("link:")) return importerId(joinPath(from, r.slice(5)));
    if (nodes.has(r)) return r;
    const constructed = v9 ? `${name}@${r}` : v6 ? `/${name}@${r}` : `/${name}/${r}`;
    if (nodes.has(constructed)) return constructed;
    return undefined;
  };

  // Edges of packages (v5, v6) or snapshots (v9).
  const edgeSource = snapshots ?? packages;
  for (const key of Object.keys(edgeSource)) {
    const node = nodes.get(key);
    const entry = edgeSource[key];
    if (!node || !isRecord(entry)) continue;
    const resolve = (n: string, r: unknown) => resolveRef(".", n, r);
    node.edges = depIds(entry.dependencies, resolve).map((e) => e[1]);
    node.optional = depIds(entry.optionalDependencies, resolve).map((e) => e[1]);
  }

  // Importers: `importers` (workspaces, and every v9 lockfile) or the root-level groups.
  const importerEntries: Array<[string, Record<string, unknown>]> = isRecord(lock.importers)
    ? Object.entries(lock.importers).filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
    : [[".", lock]];
  const importerPaths = new Set(importerEntries.map(([path]) => normalizePath(path)));
  for (const [path, entry] of importerEntries) {
    const key = normalizePath(path);
    const importer: LockImporter = emptyImporter();
    for (const [group, field] of GROUPS) {
      const deps = entry[field];
      const resolve = (n: string, r: unknown) => {
        const ref = isRecord(r) ? r.version : r;
        const id = resolveRef(key, n, ref);
        if (id?.startsWith("importer:") && isRecord(deps)) workspaceRecord(id, n, deps);
        return id ?? (isRecord(deps) ? unlistedRecord(n, ref, deps, group) : undefined);
      };
      for (const [n, id] of depIds(deps, resolve)) importer[group].set(n, id);
    }
    out.graph.importers.set(key === "." ? "" : key, importer);
    const link = nodes.get(importerId(key)) ?? { edges: [] };
    link.edges = [...importer.prod.values()];
    link.optional = [...importer.optional.values()];
    nodes.set(importerId(key), link);
  }

  /**
   * A registry dependency an importer names that the packages section lacks is still installed:
   * reported from the importer's reference (`1.2.3`, v5 `1.2.3_peer@1`, v6+ `1.2.3(peer@1)`, a key).
   */
  function unlistedRecord(name: string, ref: unknown, container: Record<string, unknown>, group: string): string | undefined {
    if (typeof ref !== "string" && typeof ref !== "number") return undefined;
    const r = String(ref);
    const id = `unlisted:${name}@${r}`;
    if (nodes.has(id)) return id;
    const line = keyLine(container, name);
    const bare = stripPeers(r);
    const v5Bare = bare.includes("_") && isVersion(bare.slice(0, bare.indexOf("_"))) ? bare.slice(0, bare.indexOf("_")) : bare;
    let dep: ExtractedDependency | undefined;
    // No resolution, so no integrity hash: what is downloaded for it is not checked.
    const unchecked = { lock: { urls: [], integrity: false } };
    if (isVersion(v5Bare)) dep = lockDependency(file, line, name, v5Bare, "registry", unchecked);
    else if (!/^[a-z][a-z0-9+.-]*:/i.test(r)) {
      // A key (`/real@1.0.0`, an alias); keys of git, file and link packages name no version.
      const parsed = parseKey(r, {}, v6, v9);
      if (parsed?.version != null && sourceOf(r, parsed, {}).source === "registry") {
        dep = lockDependency(file, line, parsed.name, parsed.version, "registry", unchecked);
      }
    }
    // Another reference the packages section lacks (a git or file key written differently) names no version to report.
    if (!dep) return undefined;
    if (!v9) dep.dev = group === "dev";
    out.dependencies.push(dep);
    nodes.set(id, { dep, edges: [] });
    return id;
  }

  // Workspace members other importers link to: local packages, reported as such.
  function workspaceRecord(id: string, name: string, container: Record<string, unknown>): void {
    const existing = nodes.get(id);
    if (existing?.dep) return;
    const path = id.slice("importer:".length) || ".";
    const line = keyLine(container, name);
    let version: string | null = null;
    const manifest = context?.readFile?.(path === "." ? "package.json" : `${path}/package.json`);
    if (manifest !== undefined) version = readPackageJsonInfo(manifest).version;
    // link: to another importer is a workspace member; to any other folder, a local path
    const source = importerPaths.has(path) ? "workspace" : "path";
    const dep = lockDependency(file, line, name, version, source, { spec: `link:${path}` });
    out.dependencies.push(dep);
    nodes.set(id, { dep, edges: existing?.edges ?? [], optional: existing?.optional });
  }

  if (v9) markDev(out.graph, out.dependencies);
  else for (const [dep, dev] of devFlags) dep.dev = dev;
  return out;
}

const GROUPS = [
  ["prod", "dependencies"],
  ["dev", "devDependencies"],
  ["optional", "optionalDependencies"],
] as const;

function depIds(deps: unknown, resolve: (name: string, ref: unknown) => string | undefined): Array<[string, string]> {
  if (!isRecord(deps)) return [];
  const ids: Array<[string, string]> = [];
  for (const n of Object.keys(deps)) {
    const id = resolve(n, deps[n]);
    if (id) ids.push([n, id]);
  }
  return ids;
}

function stripPeers(key: string): string {
  const paren = key.indexOf("(");
  return paren > 0 ? key.slice(0, paren) : key;
}

function isVersion(v: string): boolean {
  return exactVersion(v) !== null;
}

/** Name and version of a package key, using the entry's own name/version when it has them. */
function parseKey(key: string, meta: Record<string, unknown>, v6: boolean, v9: boolean): Parsed | null {
  const metaName = typeof meta.name === "string" && meta.name !== "" ? meta.name : undefined;
  const metaVersion = meta.version === undefined || meta.version === null ? undefined : String(meta.version);
  let parsed: Parsed | null = null;
  if (v9 || (v6 && key.startsWith("/"))) {
    const { name, rest } = splitNameAt(stripPeers(v9 ? key : key.slice(1)));
    if (rest !== "") parsed = { name, version: isVersion(rest) ? rest : null, rest };
  } else if (!key.startsWith("file:") && !key.startsWith("link:")) {
    parsed = parseV5Path(key);
  }
  if (metaName) return { name: metaName, version: metaVersion ?? parsed?.version ?? null, rest: parsed?.rest ?? key };
  if (parsed && parsed.version === null && metaVersion !== undefined) parsed.version = metaVersion;
  if (parsed && parsed.version === null && isVersion(parsed.rest) === false && !/^[a-z+]+:/i.test(parsed.rest)) {
    return null;
  }
  return parsed;
}

// v5 paths: `/name/1.0.0`, `/@s/n/1.0.0_peer@1`, `registry.example.com/name/1.0.0`.
function parseV5Path(key: string): Parsed | null {
  const segments = (key.startsWith("/") ? key.slice(1) : key).split("/");
  if (segments.length < 2) return null;
  const last = segments[segments.length - 1];
  const underscore = last.indexOf("_");
  const version = underscore > 0 ? last.slice(0, underscore) : last;
  if (!isVersion(version)) return null;
  const nameSeg = segments[segments.length - 2];
  const scopeSeg = segments[segments.length - 3];
  const name = scopeSeg?.startsWith("@") && (key.startsWith("/") || segments.length > 3) ? `${scopeSeg}/${nameSeg}` : nameSeg;
  if (key.startsWith("/") && segments.length !== (name.startsWith("@") ? 3 : 2)) return null;
  return { name, version, rest: version };
}

function sourceOf(key: string, parsed: Parsed, meta: Record<string, unknown>): { source: DependencySource; spec?: string } {
  const resolution = isRecord(meta.resolution) ? meta.resolution : {};
  if (resolution.type === "git" || typeof resolution.commit === "string") {
    const repo = typeof resolution.repo === "string" ? resolution.repo : key;
    return { source: "git", spec: typeof resolution.commit === "string" ? `${repo}#${resolution.commit}` : repo };
  }
  if (typeof resolution.tarball === "string") {
    const tarball = resolution.tarball;
    return { source: tarball.startsWith("file:") ? "path" : sourceOfResolved(tarball), spec: tarball };
  }
  if (typeof resolution.directory === "string") return { source: "path", spec: `file:${resolution.directory}` };
  const rest = parsed.rest;
  if (key.startsWith("file:") || rest.startsWith("file:")) return { source: "path", spec: rest.startsWith("file:") ? rest : key };
  if (rest.startsWith("link:")) return { source: "workspace", spec: rest };
  if (parsed.version !== null && rest === parsed.version) return { source: "registry" };
  if (/^[a-z][a-z0-9+.-]*:/i.test(rest)) return { source: sourceOfResolved(rest), spec: rest };
  // v5/v6 git hosts written as paths: github.com/owner/repo/<commit>
  if (/^(?:github\.com|gitlab\.com|bitbucket\.org)\//.test(key)) return { source: "git", spec: key };
  return { source: "registry" };
}

function importerId(path: string): string {
  return importerNodeId(path === "." ? "" : path);
}

function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else out.push(part);
  }
  return out.length === 0 ? "." : out.join("/");
}

function joinPath(from: string, rel: string): string {
  return normalizePath(from === "." ? rel : `${from}/${rel}`);
}
