// bun.lock (text lockfile, JSON with trailing commas): every locked package.
// packages: { "<install path>": ["name@version-or-spec", registry?, { dependencies... }, integrity?] }
import type { ExtractedDependency, Extractor } from "../../../core/dependency.ts";
import { parseDependencyValue } from "../spec.ts";
import { emptyImporter, type LockImporter, lockDependency, lockEvidence, markDev, redactUrl, sourceOfResolved, splitNameAt } from "./common.ts";
import { JsonSyntaxError, parseJson } from "../../../formats/json.ts";
import type { LockParse } from "./package-lock.ts";
import { basename, errorMessage, isRecord } from "../../../core/guards.ts";

export const bunLockExtractor: Extractor = {
  id: "npm/bun.lock",
  matches: (path) => basename(path) === "bun.lock",
  extract(text, path) {
    const { dependencies, problems } = parseBunLock(text, path);
    return { dependencies, problems };
  },
};

const GROUPS = [
  ["prod", "dependencies"],
  ["dev", "devDependencies"],
  ["optional", "optionalDependencies"],
  ["peer", "peerDependencies"],
] as const;

/** Install path `a/@s/b/c` -> ["a", "@s/b", "c"]. */
function pathNames(key: string): string[] {
  const parts = key.split("/");
  const names: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith("@") && i + 1 < parts.length) {
      names.push(`${parts[i]}/${parts[i + 1]}`);
      i++;
    } else {
      names.push(parts[i]);
    }
  }
  return names;
}

/** Aliases the workspaces and packages declare (`"old": "npm:real@^1"`): alias -> real names. */
function declaredAliases(workspaces: unknown, packages: Record<string, unknown>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const read = (deps: unknown) => {
    if (!isRecord(deps)) return;
    for (const [alias, spec] of Object.entries(deps)) {
      if (typeof spec !== "string" || !spec.startsWith("npm:")) continue;
      const real = splitNameAt(spec.slice(4)).name;
      if (!out.has(alias)) out.set(alias, new Set());
      out.get(alias)!.add(real);
    }
  };
  const holders = [...(isRecord(workspaces) ? Object.values(workspaces) : []), ...Object.values(packages).map((t) => (Array.isArray(t) ? t.find(isRecord) : undefined))];
  for (const holder of holders) {
    if (!isRecord(holder)) continue;
    for (const [, field] of GROUPS) read(holder[field]);
  }
  return out;
}

export function parseBunLock(text: string, file: string): LockParse {
  const out: LockParse = { dependencies: [], problems: [], graph: { nodes: new Map(), importers: new Map() } };
  if (text.trim() === "") return out; // an empty lockfile locks nothing
  let doc: ReturnType<typeof parseJson>;
  try {
    doc = parseJson(text, { jsonc: true });
  } catch (e) {
    const line = e instanceof JsonSyntaxError ? e.line : undefined;
    out.problems.push({ file, reason: `invalid bun.lock: ${errorMessage(e)}`, ...(line ? { line } : {}) });
    return out;
  }
  const lock = doc.value;
  if (isRecord(lock) && Object.keys(lock).length === 0) return out; // `{}`: nothing locked
  if (!isRecord(lock) || lock.lockfileVersion === undefined) {
    out.problems.push({ file, reason: "not a bun.lock: no lockfileVersion" });
    return out;
  }
  const packages = isRecord(lock.packages) ? lock.packages : {};
  const { nodes } = out.graph;
  const infos = new Map<string, Record<string, unknown>>();
  const aliases = declaredAliases(lock.workspaces, packages);

  for (const key of Object.keys(packages)) {
    const tuple = packages[key];
    const line = doc.keyLine(packages, key);
    const at = line ? { line } : {};
    if (!Array.isArray(tuple) || typeof tuple[0] !== "string") {
      out.problems.push({ file, reason: `package "${key}" is not a ["name@version", ...] entry`, ...at });
      continue;
    }
    const ident = tuple[0];
    const { name, rest } = splitNameAt(ident);
    if (name === "" || rest === "") {
      out.problems.push({ file, reason: `cannot read a package from "${ident}"`, ...at });
      continue;
    }
    const info = tuple.slice(1).find(isRecord) ?? {};
    infos.set(key, info);
    if (rest.startsWith("root:")) {
      nodes.set(key, { edges: [] });
      continue;
    }
    const spec = parseDependencyValue(name, rest);
    const registry = spec.source === "registry" && !spec.error;
    const dep: ExtractedDependency = registry
      ? lockDependency(file, line, spec.name ?? name, spec.version, "registry", spec.alias ? { spec: rest } : {})
      : lockDependency(file, line, name, null, spec.error ? sourceOfResolved(rest) : spec.source, { spec: redactUrl(rest) });
    // npm entries: [ident, registry or tarball URL ("" = the default), info, integrity]
    const url = registry ? (typeof tuple[1] === "string" ? tuple[1] : null) : rest;
    const evidence = lockEvidence(dep.name, url, dep.source, registry ? typeof tuple[3] === "string" && tuple[3] !== "" : undefined);
    if (evidence.lock) {
      // The install path names the package a project asked for: another one there is an alias or an injection.
      const asked = pathNames(key).pop() ?? "";
      if (registry && asked !== dep.name && !aliases.get(asked)?.has(dep.name)) evidence.lock.claimedName = asked;
      dep.lock = evidence.lock;
    }
    out.dependencies.push(dep);
    nodes.set(key, { dep, edges: [] });
  }

  const resolve = (from: string[], name: string): string | undefined => {
    for (let i = from.length; i >= 0; i--) {
      const id = [...from.slice(0, i), name].join("/");
      if (nodes.has(id)) return id;
    }
    return undefined;
  };
  for (const [key, info] of infos) {
    const node = nodes.get(key);
    if (!node) continue;
    const from = pathNames(key);
    const ids = (groups: string[]) => {
      const found: string[] = [];
      for (const g of groups) {
        const deps = info[g];
        if (!isRecord(deps)) continue;
        for (const n of Object.keys(deps)) {
          const id = resolve(from, n);
          if (id && id !== key) found.push(id);
        }
      }
      return found;
    };
    // bun installs peers too.
    node.edges = ids(["dependencies", "peerDependencies"]);
    node.optional = ids(["optionalDependencies"]);
  }

  const workspaces = isRecord(lock.workspaces) ? lock.workspaces : {};
  for (const path of Object.keys(workspaces)) {
    const ws = workspaces[path];
    if (!isRecord(ws)) continue;
    const from = path === "" || typeof ws.name !== "string" ? [] : [ws.name];
    const importer: LockImporter = emptyImporter();
    for (const [group, field] of GROUPS) {
      const deps = ws[field];
      if (!isRecord(deps)) continue;
      for (const n of Object.keys(deps)) {
        const id = resolve(from, n);
        if (id) importer[group].set(n, id);
      }
    }
    out.graph.importers.set(path, importer);
  }
  markDev(out.graph, out.dependencies);
  return out;
}
