// yarn.lock, classic (v1) and berry (v2+, YAML with __metadata): every locked package.
import type { DependencyExtra } from "../../../core/dependency.ts";
import type { DependencySource, ExtractContext, ExtractedDependency, Extractor } from "../../../core/dependency.ts";
import { isRegistryRangeSyntax, parseDependencyValue } from "../spec.ts";
import { cachedReader, emptyImporter, hasContent, importerFrom, type LockImporter, type LockNode, lockDependency, lockEvidence, type ManifestDeps, manifestDeps, markDev, redactUrl, sourceOfResolved, splitNameAt } from "./common.ts";
import { parseJson } from "../../../formats/json.ts";
import type { LockParse } from "./package-lock.ts";
import { parseYarnV1, YarnSyntaxError } from "./yarn-v1-syntax.ts";
import { parseYamlDocuments, YamlSyntaxError } from "../../../formats/yaml.ts";
import { basename, errorMessage, isRecord } from "../../../core/guards.ts";

export const yarnLockExtractor: Extractor = {
  id: "npm/yarn.lock",
  matches: (path) => basename(path) === "yarn.lock",
  extract(text, path, context) {
    const { dependencies, problems } = parseYarnLock(text, path, context);
    return { dependencies, problems };
  },
};

/** Berry lockfiles are YAML with a `__metadata` block; classic ones are not. */
export function isBerryLock(text: string): boolean {
  return /^"?__metadata"?:/m.test(text);
}

export function parseYarnLock(text: string, file: string, callerContext?: ExtractContext): LockParse {
  const context = cachedReader(callerContext);
  const out = isBerryLock(text) ? parseBerry(text, file, context) : parseClassic(text, file, context);
  // Without a package.json, dev-only packages cannot be told apart: leave `dev` unset.
  if (out.graph.importers.size > 0 && context?.readFile?.("package.json") !== undefined) {
    markDev(out.graph, out.dependencies);
  }
  return out;
}

function readManifest(context: ExtractContext | undefined, path: string): ManifestDeps | undefined {
  const text = context?.readFile?.(path);
  if (text === undefined) return undefined;
  try {
    return manifestDeps(parseJson(text).value);
  } catch {
    return undefined;
  }
}

/** Descriptor -> node id lookup with yarn's fallbacks (missing npm: prefix, resolutions, single version). */
class Descriptors {
  private readonly byDescriptor = new Map<string, string>();
  private readonly byName = new Map<string, string[]>();
  /** package.json `resolutions`, by the package name they force (`a/b` -> b). */
  readonly resolutions = new Map<string, string>();

  add(descriptor: string, id: string, name: string): void {
    this.byDescriptor.set(descriptor, id);
    const ids = this.byName.get(name) ?? [];
    if (!ids.includes(id)) ids.push(id);
    this.byName.set(name, ids);
  }

  resolve(name: string, range: string): string | undefined {
    const exact = this.lookup(name, range);
    if (exact) return exact;
    const forced = this.resolutions.get(name);
    const viaResolution = forced === undefined ? undefined : this.lookup(name, forced);
    if (viaResolution) return viaResolution;
    const ids = this.byName.get(name);
    return ids && ids.length === 1 ? ids[0] : undefined;
  }

  private lookup(name: string, range: string): string | undefined {
    return this.byDescriptor.get(`${name}@${range}`) ?? this.byDescriptor.get(`${name}@npm:${range}`);
  }
}

function emptyParse(): LockParse {
  return { dependencies: [], problems: [], graph: { nodes: new Map(), importers: new Map() } };
}

function idsOf(deps: unknown, descriptors: Descriptors): string[] {
  if (!isRecord(deps)) return [];
  const ids: string[] = [];
  for (const n of Object.keys(deps)) {
    const range = deps[n];
    const id = descriptors.resolve(n, typeof range === "string" ? range : String(range));
    if (id) ids.push(id);
  }
  return ids;
}

function linkNode(node: LockNode | undefined, fields: Record<string, unknown>, descriptors: Descriptors): void {
  if (!node) return;
  node.edges = idsOf(fields.dependencies, descriptors);
  node.optional = idsOf(fields.optionalDependencies, descriptors);
}

function readResolutions(context: ExtractContext | undefined, descriptors: Descriptors): void {
  const text = context?.readFile?.("package.json");
  if (text === undefined) return;
  try {
    const manifest = parseJson(text).value;
    if (!isRecord(manifest) || !isRecord(manifest.resolutions)) return;
    for (const [key, value] of Object.entries(manifest.resolutions)) {
      if (typeof value !== "string") continue;
      const parts = key.split("/");
      const last = parts[parts.length - 1] ?? "";
      const prev = parts[parts.length - 2] ?? "";
      const name = prev.startsWith("@") ? `${prev}/${last}` : last;
      descriptors.resolutions.set(splitNameAt(name).name, value);
    }
  } catch {
    // An unreadable package.json only loses the resolutions fallback.
  }
}

function rootImporter(context: ExtractContext | undefined, path: string, descriptors: Descriptors): LockImporter | undefined {
  const deps = readManifest(context, path);
  return deps ? importerFrom(deps, (n, spec) => descriptors.resolve(n, spec)) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Classic

function parseClassic(text: string, file: string, context?: ExtractContext): LockParse {
  const out = emptyParse();
  let entries: ReturnType<typeof parseYarnV1>;
  try {
    entries = parseYarnV1(text);
  } catch (e) {
    const line = e instanceof YarnSyntaxError ? e.line : undefined;
    out.problems.push({ file, reason: `invalid yarn.lock: ${errorMessage(e)}`, ...(line ? { line } : {}) });
    return out;
  }
  if (entries.length === 0 && hasContent(text)) {
    out.problems.push({ file, reason: "not a yarn.lock: no entries" });
    return out;
  }
  const descriptors = new Descriptors();
  readResolutions(context, descriptors);
  const nodes = out.graph.nodes;
  const pending: Array<[string, Record<string, unknown>]> = [];
  for (const entry of entries) {
    const id = `${entry.line}`;
    let name: string | null = null;
    let aliasSpec: string | undefined;
    let rangeSource: DependencySource = "registry";
    let rangeSpec: string | undefined;
    for (const d of entry.descriptors) {
      const { name: dn, rest } = splitNameAt(d);
      if (dn === "") continue;
      if (isRegistryRangeSyntax(rest)) {
        name ??= dn;
        continue;
      }
      const spec = parseDependencyValue(dn, rest);
      if (spec.alias !== undefined && spec.name) {
        name = spec.name;
        aliasSpec = rest;
      } else if (name === null) {
        name = dn;
      }
      if (spec.source !== "registry" && rangeSource === "registry") {
        rangeSource = spec.source;
        rangeSpec = rest;
      }
    }
    for (const d of entry.descriptors) {
      const dn = splitNameAt(d).name;
      descriptors.add(d, id, dn);
    }
    if (name === null) {
      out.problems.push({ file, reason: `cannot read a package name from "${entry.descriptors.join(", ")}"`, line: entry.line });
      continue;
    }
    const version = typeof entry.fields.version === "string" ? entry.fields.version : null;
    const resolved = typeof entry.fields.resolved === "string" ? entry.fields.resolved : null;
    const source = resolved !== null ? sourceOfResolved(resolved) : rangeSource;
    const extra: DependencyExtra = {};
    if (source !== "registry") extra.spec = redactUrl(resolved ?? rangeSpec ?? "");
    else if (aliasSpec !== undefined) extra.spec = aliasSpec;
    if (version === null) out.problems.push({ file, reason: `"${name}" has no version`, line: entry.line });
    // Yarn before 1.10 kept the tarball's sha1 as the URL fragment instead of an `integrity` line.
    const integrity = typeof entry.fields.integrity === "string" || (resolved !== null && /#[0-9a-f]{40}$/i.test(resolved));
    const evidence = lockEvidence(name, resolved ?? (rangeSource === "registry" ? null : rangeSpec), source, integrity);
    if (evidence.lock) {
      if (rangeSource === "registry" && source !== "registry") evidence.lock.registryClaim = true;
      extra.lock = evidence.lock;
    }
    const dep = lockDependency(file, entry.line, evidence.name, version, source, extra);
    out.dependencies.push(dep);
    nodes.set(id, { dep, edges: [] });
    pending.push([id, entry.fields]);
  }
  for (const [id, fields] of pending) {
    linkNode(nodes.get(id), fields, descriptors);
  }
  const root = rootImporter(context, "package.json", descriptors);
  if (root) out.graph.importers.set("", root);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Berry

function parseBerry(text: string, file: string, context?: ExtractContext): LockParse {
  const out = emptyParse();
  let lock: unknown;
  let keyLine: (o: object, k: string) => number | undefined;
  try {
    const docs = parseYamlDocuments(text);
    const doc = docs.find((d) => isRecord(d.value) && "__metadata" in d.value) ?? docs[0];
    lock = doc?.value;
    keyLine = doc ? doc.keyLine : () => undefined;
  } catch (e) {
    const line = e instanceof YamlSyntaxError ? e.line : undefined;
    out.problems.push({ file, reason: `invalid yarn.lock: ${errorMessage(e)}`, ...(line ? { line } : {}) });
    return out;
  }
  if (!isRecord(lock)) {
    out.problems.push({ file, reason: "not a yarn.lock: the top level is not a mapping" });
    return out;
  }
  const descriptors = new Descriptors();
  readResolutions(context, descriptors);
  const nodes = out.graph.nodes;
  const byResolution = new Map<string, string>();
  const pending: Array<[string, Record<string, unknown>]> = [];
  const patches: Array<[string, string]> = [];
  const workspaces: Array<[string, Record<string, unknown>]> = [];

  for (const key of Object.keys(lock)) {
    if (key === "__metadata") continue;
    const fields = lock[key];
    const line = keyLine(lock, key);
    if (!isRecord(fields)) {
      out.problems.push({ file, reason: `entry "${key}" is not a mapping`, ...(line ? { line } : {}) });
      continue;
    }
    const id = key;
    const resolution = typeof fields.resolution === "string" ? fields.resolution : key.split(", ")[0];
    const { name, rest } = splitNameAt(resolution);
    for (const d of key.split(/,\s*/)) descriptors.add(d.trim(), id, splitNameAt(d.trim()).name);
    byResolution.set(resolution, id);
    pending.push([id, fields]);
    if (rest === "") {
      out.problems.push({ file, reason: `cannot read a package from "${resolution}"`, ...(line ? { line } : {}) });
      continue;
    }
    const version = fields.version === undefined || fields.version === null ? null : String(fields.version);
    if (rest.startsWith("workspace:")) {
      const path = rest.slice("workspace:".length);
      workspaces.push([path, fields]);
      if (path === "." || path === "") {
        nodes.set(id, { edges: [] }); // the project itself
        continue;
      }
      const dep = lockDependency(file, line, name, version, "workspace", { spec: rest });
      out.dependencies.push(dep);
      nodes.set(id, { dep, edges: [] });
      continue;
    }
    if (rest.startsWith("patch:")) {
      const inner = patchTarget(rest);
      if (inner !== undefined) patches.push([id, inner]);
    }
    const dep = berryDependency(file, line, name, rest, version);
    const url = rest.startsWith("npm:") || rest.startsWith("patch:") ? null : rest.replace(/::.*$/, "");
    const { lock: evidence } = lockEvidence(name, url, dep.source, typeof fields.checksum === "string" && fields.checksum !== "");
    const claimed = claimedName(key, name);
    if (evidence) {
      if (claimed !== undefined) evidence.claimedName = claimed;
      dep.lock = evidence;
    }
    out.dependencies.push(dep);
    nodes.set(id, { dep, edges: [] });
  }

  // A patch entry whose unpatched package is locked too is the same package: report it once.
  const drop = new Set<ExtractedDependency>();
  for (const [id, inner] of patches) {
    const target = byResolution.get(inner);
    const node = nodes.get(id);
    if (target && node?.dep) {
      drop.add(node.dep);
      node.dep = undefined;
      node.edges = [target];
    }
  }
  if (drop.size > 0) out.dependencies = out.dependencies.filter((d) => !drop.has(d));

  for (const [id, fields] of pending) {
    const node = nodes.get(id);
    if (node?.dep || node?.edges.length === 0) linkNode(node, fields, descriptors);
  }
  for (const [path, fields] of workspaces) {
    const key = path === "" ? "." : path;
    const manifestPath = key === "." ? "package.json" : `${key}/package.json`;
    const importer = rootImporter(context, manifestPath, descriptors) ?? lockedImporter(fields, descriptors);
    out.graph.importers.set(key === "." ? "" : key, importer);
  }
  return out;
}

/**
 * The name a berry entry's descriptors ask for when its resolution is another package: each
 * descriptor names its package (`a@npm:^1`), or through an alias (`a@npm:b@^1`) the package it
 * stands for; undefined when one of them asks for the resolved one.
 */
function claimedName(key: string, resolvedName: string): string | undefined {
  let first: string | undefined;
  for (const d of key.split(/,\s*/)) {
    const { name, rest } = splitNameAt(d.trim());
    const aliased = rest.startsWith("npm:") ? splitNameAt(rest.slice(4)) : undefined;
    const asked = aliased && aliased.rest !== "" && aliased.name !== "" ? aliased.name : name;
    if (asked === resolvedName || asked === "") return undefined;
    first ??= asked;
  }
  return first;
}

/** A workspace's dependencies as the lockfile records them (dev and prod merged). */
function lockedImporter(fields: Record<string, unknown>, descriptors: Descriptors): LockImporter {
  const importer = emptyImporter();
  for (const [group, field] of [["prod", "dependencies"], ["optional", "optionalDependencies"]] as const) {
    const deps = fields[field];
    if (!isRecord(deps)) continue;
    for (const n of Object.keys(deps)) {
      const id = descriptors.resolve(n, String(deps[n]));
      if (id) importer[group].set(n, id);
    }
  }
  return importer;
}

/** `patch:name@npm%3A1.0.0#./p.patch::...` -> `name@npm:1.0.0` */
function patchTarget(rest: string): string | undefined {
  const body = rest.slice("patch:".length).split("#")[0];
  try {
    return decodeURIComponent(body);
  } catch {
    return undefined;
  }
}

function berryDependency(file: string, line: number | undefined, name: string, rest: string, version: string | null): ExtractedDependency {
  if (rest.startsWith("npm:")) return lockDependency(file, line, name, version ?? rest.slice(4), "registry");
  if (rest.startsWith("patch:")) {
    const inner = patchTarget(rest);
    const innerRest = inner ? splitNameAt(inner).rest : "";
    const source: DependencySource = innerRest.startsWith("npm:") || innerRest === "" ? "registry" : sourceOfResolved(innerRest);
    return lockDependency(file, line, name, version, source, { spec: redactUrl(rest) });
  }
  // file:, link:, portal:, exec:, git and tarball URLs
  const clean = rest.replace(/::.*$/, "");
  return lockDependency(file, line, name, version, sourceOfResolved(clean), { spec: redactUrl(clean) });
}
