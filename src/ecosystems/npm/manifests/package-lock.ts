// package-lock.json (lockfileVersion 1, 2, 3) and npm-shrinkwrap.json: every locked package.
import type { DependencyExtra } from "../../../core/dependency.ts";
import type { ExtractContext, ExtractedDependency, ExtractProblem, Extractor } from "../../../core/dependency.ts";
import { parseDependencyValue } from "../spec.ts";
import { emptyImporter, importerFrom, type LockGraph, type LockImporter, lockDependency, lockEvidence, manifestDeps, matchesWorkspaces, redactUrl, sourceOfResolved } from "./common.ts";
import { type JsonDocument, JsonSyntaxError, parseJson } from "../../../formats/json.ts";
import { basename, errorMessage, isRecord } from "../../../core/guards.ts";

export interface LockParse {
  dependencies: ExtractedDependency[];
  problems: ExtractProblem[];
  graph: LockGraph;
}

const NAMES = new Set(["package-lock.json", "npm-shrinkwrap.json", ".package-lock.json"]);

export const packageLockExtractor: Extractor = {
  id: "npm/package-lock.json",
  matches: (path) => NAMES.has(basename(path)),
  extract(text, path, context) {
    const { dependencies, problems } = parsePackageLock(text, path, context);
    return { dependencies, problems };
  },
};

export function parsePackageLock(text: string, file: string, context?: ExtractContext): LockParse {
  const graph: LockGraph = { nodes: new Map(), importers: new Map() };
  const out: LockParse = { dependencies: [], problems: [], graph };
  if (text.trim() === "") return out; // an empty lockfile locks nothing
  let doc: JsonDocument;
  try {
    doc = parseJson(text);
  } catch (e) {
    const line = e instanceof JsonSyntaxError ? e.line : undefined;
    out.problems.push({ file, reason: `invalid JSON: ${errorMessage(e)}`, ...(line ? { line } : {}) });
    return out;
  }
  const lock = doc.value;
  if (!isRecord(lock)) {
    out.problems.push({ file, reason: "not an npm lockfile: the top level is not an object" });
    return out;
  }
  const version = lock.lockfileVersion;
  if (version !== undefined && (typeof version !== "number" || version < 1 || version > 3)) {
    out.problems.push({ file, reason: `unsupported lockfileVersion ${JSON.stringify(version)}` });
  }
  if (isRecord(lock.packages)) readPackages(doc, lock.packages, file, out);
  else if (isRecord(lock.dependencies)) readV1(doc, lock.dependencies, file, out, context);
  else if (lock.packages !== undefined || lock.dependencies !== undefined) {
    out.problems.push({ file, reason: "not an npm lockfile: \"packages\"/\"dependencies\" is not an object" });
  } else if (version === undefined) {
    out.problems.push({ file, reason: "not an npm lockfile: no lockfileVersion, packages or dependencies" });
  }
  return out;
}

/** Node id of `name` as seen from the package at `from` (node_modules lookup up the tree). */
function resolveFrom(nodes: Map<string, unknown>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const id = base === "" ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (nodes.has(id)) return id;
    if (base === "") return undefined;
    const i = base.lastIndexOf("/node_modules/");
    base = i >= 0 ? base.slice(0, i) : "";
  }
}

function nameFromPath(path: string): string {
  const i = path.lastIndexOf("node_modules/");
  return i >= 0 ? path.slice(i + "node_modules/".length) : basename(path);
}

function depNames(entry: Record<string, unknown>, ...fields: string[]): string[] {
  const names: string[] = [];
  for (const f of fields) {
    const v = entry[f];
    if (isRecord(v)) for (const name of Object.keys(v)) names.push(name);
  }
  return names;
}

function ids(names: string[], resolve: (name: string) => string | undefined): string[] {
  return names.map(resolve).filter((id): id is string => id !== undefined);
}

/** npm writes `link: true`; hand-edited lockfiles sometimes only point `resolved` at another entry. */
function isLink(entry: Record<string, unknown>, packages: Record<string, unknown>): boolean {
  if (entry.link === true) return true;
  return entry.version === undefined && typeof entry.resolved === "string" && isRecord(packages[entry.resolved]);
}

function groupOf(entry: Record<string, unknown>): string | undefined {
  if (entry.inBundle === true || entry.bundled === true) return "bundled";
  if (entry.optional === true || entry.devOptional === true) return "optional";
  if (entry.peer === true) return "peer";
  return undefined;
}

// lockfileVersion 2 and 3: a flat "packages" map keyed by install path.
function readPackages(doc: JsonDocument, packages: Record<string, unknown>, file: string, out: LockParse): void {
  const { graph } = out;
  const keys = Object.keys(packages);
  const root = isRecord(packages[""]) ? packages[""] : {};
  const rawGlobs = isRecord(root.workspaces) ? root.workspaces.packages : root.workspaces;
  const globs = Array.isArray(rawGlobs) ? rawGlobs.filter((g): g is string => typeof g === "string") : [];
  // Names of folders that links point at, for folder entries without a "name".
  const linkNames = new Map<string, string>();
  const links = new Set<string>();
  for (const key of keys) {
    const e = packages[key];
    if (isRecord(e) && isLink(e, packages) && typeof e.resolved === "string") {
      links.add(key);
      linkNames.set(e.resolved, nameFromPath(key));
    }
  }
  // A folder is a workspace member when the root's workspaces globs name it; else a local path.
  const folderSource = (key: string) => (matchesWorkspaces(key, globs) ? "workspace" : "path");

  for (const key of keys) {
    if (key === "") continue;
    const entry = packages[key];
    const line = doc.keyLine(packages, key);
    if (!isRecord(entry)) {
      out.problems.push({ file, reason: `entry "${key}" is not an object`, ...(line ? { line } : {}) });
      continue;
    }
    const underNodeModules = key.startsWith("node_modules/") || key.includes("/node_modules/");
    if (links.has(key) || entry.link === true) {
      const target = typeof entry.resolved === "string" ? entry.resolved : "";
      if (target !== "" && packages[target] !== undefined) {
        graph.nodes.set(key, { edges: [target] });
        continue;
      }
      // A link to a folder the lockfile does not describe: still a local package.
      const dep = lockDependency(file, line, nameFromPath(key), str(entry.version), folderSource(target), {
        spec: target === "" ? undefined : `file:${target}`,
      });
      out.dependencies.push(dep);
      graph.nodes.set(key, { dep, edges: [] });
      continue;
    }
    const installName = nameFromPath(key);
    const claimed =
      typeof entry.name === "string" && entry.name !== ""
        ? entry.name
        : underNodeModules
          ? installName
          : (linkNames.get(key) ?? installName);
    const resolved = str(entry.resolved);
    let source: ExtractedDependency["source"] = underNodeModules ? "registry" : folderSource(key);
    if (resolved !== null && underNodeModules) source = sourceOfResolved(resolved);
    const group = groupOf(entry);
    // A bundled package comes inside its parent's tarball, an extraneous one is not installed from
    // the lockfile: neither has a URL or hash of its own.
    const fetched = group !== "bundled" && entry.extraneous !== true;
    const evidence = fetched ? lockEvidence(claimed, resolved, source, hasIntegrity(entry)) : { name: claimed };
    const name = evidence.name;
    const extra: DependencyExtra = {};
    if (source !== "registry" && resolved !== null) extra.spec = redactUrl(resolved);
    else if (!underNodeModules) extra.spec = `file:${key}`;
    else if (name !== installName) extra.spec = `npm:${name}@${str(entry.version) ?? ""}`;
    extra.dev = entry.dev === true;
    if (group) extra.group = group;
    if (evidence.lock) extra.lock = evidence.lock;
    const dep = lockDependency(file, line, name, str(entry.version), source, extra);
    out.dependencies.push(dep);
    graph.nodes.set(key, { dep, edges: [] });
  }

  // Edges, and importers (root and workspace folders).
  for (const key of keys) {
    const entry = packages[key];
    if (!isRecord(entry) || links.has(key) || entry.link === true) continue;
    const node = key === "" ? undefined : graph.nodes.get(key);
    const resolve = (n: string) => resolveFrom(graph.nodes, key, n);
    if (node) {
      // Peers are provided by the parent; what a package itself pulls in is its own dependencies.
      node.edges = ids(depNames(entry, "dependencies"), resolve);
      node.optional = ids(depNames(entry, "optionalDependencies"), resolve);
    }
    const isProject = key === "" || !(key.startsWith("node_modules/") || key.includes("/node_modules/"));
    if (isProject) {
      const deps = manifestDeps(entry);
      graph.importers.set(key, importerFrom(deps, (n) => resolve(n)));
    }
  }
}

// lockfileVersion 1: nested "dependencies" trees; ids mirror the v2 install paths.
function readV1(
  doc: JsonDocument,
  top: Record<string, unknown>,
  file: string,
  out: LockParse,
  context?: ExtractContext,
): void {
  const { graph } = out;
  const requires = new Map<string, Record<string, unknown>>();
  const visit = (container: Record<string, unknown>, parent: string, depth: number) => {
    if (depth > 100) {
      out.problems.push({ file, reason: "dependencies nested too deep" });
      return;
    }
    for (const key of Object.keys(container)) {
      const entry = container[key];
      const line = doc.keyLine(container, key);
      const id = parent === "" ? `node_modules/${key}` : `${parent}/node_modules/${key}`;
      if (!isRecord(entry)) {
        out.problems.push({ file, reason: `dependency "${key}" is not an object`, ...(line ? { line } : {}) });
        continue;
      }
      const dep = v1Dependency(key, entry, file, line);
      out.dependencies.push(dep);
      graph.nodes.set(id, { dep, edges: [] });
      if (isRecord(entry.requires)) requires.set(id, entry.requires);
      if (isRecord(entry.dependencies)) visit(entry.dependencies, id, depth + 1);
    }
  };
  visit(top, "", 0);
  for (const [id, req] of requires) {
    const node = graph.nodes.get(id);
    for (const n of Object.keys(req)) {
      const target = resolveFrom(graph.nodes, id, n);
      if (node && target) node.edges.push(target);
    }
  }
  // v1 does not record the root's own dependencies; the package.json beside it does.
  const manifest = context?.readFile?.("package.json");
  let importer: LockImporter = emptyImporter();
  if (manifest !== undefined) {
    try {
      importer = importerFrom(manifestDeps(parseJson(manifest).value), (n) => resolveFrom(graph.nodes, "", n));
    } catch {
      // An unreadable package.json only loses the reachability information.
    }
  }
  graph.importers.set("", importer);
}

function v1Dependency(key: string, entry: Record<string, unknown>, file: string, line: number | undefined): ExtractedDependency {
  const raw = str(entry.version);
  const resolved = str(entry.resolved);
  const extra: DependencyExtra = { dev: entry.dev === true };
  const group = groupOf(entry);
  if (group) extra.group = group;
  const bundled = group === "bundled";
  const withEvidence = (name: string, url: string | null, source: ExtractedDependency["source"]) => {
    const evidence = bundled ? { name } : lockEvidence(name, url, source, hasIntegrity(entry));
    if (evidence.lock) extra.lock = evidence.lock;
    return evidence.name;
  };
  if (raw === null) return lockDependency(file, line, withEvidence(key, resolved, "registry"), null, "registry", extra);
  const spec = parseDependencyValue(key, raw);
  if (spec.source === "registry" && spec.name !== null && !spec.error) {
    // "npm:real@1.2.3" aliases carry the real name; a plain version is the key's package.
    if (spec.alias !== undefined) extra.spec = raw;
    const source = resolved !== null ? sourceOfResolved(resolved) : "registry";
    if (source !== "registry" && resolved !== null) extra.spec = redactUrl(resolved);
    const name = withEvidence(spec.name, resolved, source);
    // A registry version fetched from a git host or tarball URL: where it comes from is judged too.
    if (source !== "registry" && extra.lock) extra.lock.registryClaim = true;
    return lockDependency(file, line, name, spec.version, source, extra);
  }
  // git URL, tarball or file: path in place of a version
  extra.spec = redactUrl(raw);
  const source = spec.error ? sourceOfResolved(raw) : spec.source;
  return lockDependency(file, line, withEvidence(key, resolved ?? raw, source), null, source, extra);
}

function hasIntegrity(entry: Record<string, unknown>): boolean {
  return typeof entry.integrity === "string" && entry.integrity.trim() !== "";
}

function str(v: unknown): string | null {
  return typeof v === "string" && v !== "" ? v : null;
}
