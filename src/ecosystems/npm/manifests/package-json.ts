// package.json: direct dependencies of every group, overrides/resolutions as their own groups.
import type { ExtractContext, ExtractedDependency, ExtractProblem, ExtractResult, Extractor } from "../../../core/dependency.ts";
import { parseDependencyValue } from "../spec.ts";
import { ECOSYSTEM, redactUrl, result } from "./common.ts";
import { type JsonDocument, JsonSyntaxError, parseJson } from "../../../formats/json.ts";
import { basename, errorMessage, isRecord } from "../../../core/guards.ts";

const GROUPS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] as const;

export interface PackageJsonInfo {
  name: string | null;
  version: string | null;
  /** Workspace globs (`workspaces` array or `workspaces.packages`). */
  workspaces: string[];
}

/** The project's own name, version and workspaces; null fields when absent or unreadable. */
export function readPackageJsonInfo(text: string): PackageJsonInfo {
  const none: PackageJsonInfo = { name: null, version: null, workspaces: [] };
  let doc: JsonDocument;
  try {
    doc = parseJson(text);
  } catch {
    return none;
  }
  const m = doc.value;
  if (!isRecord(m)) return none;
  const ws = Array.isArray(m.workspaces) ? m.workspaces : isRecord(m.workspaces) ? m.workspaces.packages : [];
  return {
    name: typeof m.name === "string" && m.name.trim() !== "" ? m.name : null,
    version: typeof m.version === "string" && m.version.trim() !== "" ? m.version : null,
    workspaces: Array.isArray(ws) ? ws.filter((w): w is string => typeof w === "string") : [],
  };
}

/** The project's own `name` (so a scan never looks local packages up on the public registry). */
export function localPackageName(packageJsonText: string): string | null {
  return readPackageJsonInfo(packageJsonText).name;
}

export const packageJsonExtractor: Extractor = {
  id: "npm/package.json",
  matches: (path) => basename(path) === "package.json",
  extract(text, path, context) {
    let doc: JsonDocument;
    try {
      doc = parseJson(text);
    } catch (e) {
      const line = e instanceof JsonSyntaxError ? e.line : undefined;
      return result([], [{ file: path, reason: `invalid JSON: ${errorMessage(e)}`, ...(line ? { line } : {}) }]);
    }
    return extractManifest(doc, path, context?.scriptCommands);
  },
};

/** Scripts npm runs by itself on `npm install` in the project: what they install is installed with it. */
const LIFECYCLE_SCRIPTS = ["preinstall", "install", "postinstall", "prepublish", "preprepare", "prepare", "postprepare", "dependencies"];

function extractManifest(doc: JsonDocument, file: string, scriptCommands?: ExtractContext["scriptCommands"]): ExtractResult {
  const manifest = doc.value;
  const deps: ExtractedDependency[] = [];
  const problems: ExtractProblem[] = [];
  if (!isRecord(manifest)) return result([], [{ file, reason: "package.json is not a JSON object" }]);

  const add = (group: string, container: Record<string, unknown>, key: string, value: unknown, name = key) => {
    const line = doc.keyLine(container, key);
    const spec = parseDependencyValue(name, value);
    if (spec.error) problems.push({ file, reason: `${group} "${key}": ${spec.error}`, ...(line ? { line } : {}) });
    if (spec.name === null) return;
    const dep: ExtractedDependency = {
      ecosystem: ECOSYSTEM,
      name: spec.name,
      version: spec.version,
      source: spec.source,
      kind: "manifest",
      location: line ? { file, line } : { file },
      group,
    };
    if (typeof value === "string" && (spec.source !== "registry" || spec.alias !== undefined || spec.type === "catalog")) {
      dep.spec = redactUrl(value);
    }
    dep.dev = group === "devDependencies";
    deps.push(dep);
  };

  const declared = new Set<string>();
  for (const group of GROUPS) {
    const container = manifest[group];
    if (container === undefined) continue;
    if (!isRecord(container)) {
      problems.push({ file, reason: `"${group}" is not an object`, ...lineOf(doc, manifest, group) });
      continue;
    }
    for (const key of Object.keys(container)) {
      declared.add(key);
      add(group, container, key, container[key]);
    }
  }

  for (const field of ["bundleDependencies", "bundledDependencies"]) {
    const bundled = manifest[field];
    if (!Array.isArray(bundled)) continue;
    for (const name of bundled) {
      // A bundled name is normally declared above; only an undeclared one adds something.
      if (typeof name === "string" && !declared.has(name)) {
        const dep: ExtractedDependency = {
          ecosystem: ECOSYSTEM,
          name,
          version: null,
          source: "registry",
          kind: "manifest",
          location: { file, ...lineOf(doc, manifest, field) },
          group: field,
        };
        deps.push(dep);
      }
    }
  }

  if (manifest.overrides !== undefined) overrides(manifest, "overrides", manifest.overrides, add, 0);
  if (isRecord(manifest.resolutions)) {
    const res = manifest.resolutions;
    for (const key of Object.keys(res)) {
      const name = selectorName(key.split("/").length > 1 ? lastPackageOfPath(key) : key);
      if (name) add("resolutions", res, key, res[key], name);
    }
  }
  const pnpm = manifest.pnpm;
  if (isRecord(pnpm) && isRecord(pnpm.overrides)) {
    const res = pnpm.overrides;
    for (const key of Object.keys(res)) {
      if (res[key] === "-") continue; // removes the dependency
      const name = selectorName(key.split(">").pop() ?? key);
      if (name) add("pnpm.overrides", res, key, res[key], name);
    }
  }
  // The package manager corepack fetches and runs for this project ("yarn@4.5.0+sha512.…", or a URL):
  // a manifest edit can swap the tool every later install runs through.
  const manager = manifest.packageManager;
  if (typeof manager === "string") {
    const m = /^((?:@[^/@\s]+\/)?[^@\s]+)@(.+)$/.exec(manager.trim());
    if (m) add("packageManager", manifest, "packageManager", m[2]!.replace(/\+[\w.-]+$/, ""), m[1]!);
    else problems.push({ file, reason: `packageManager "${redactUrl(manager).slice(0, 80)}" is not name@version`, ...lineOf(doc, manifest, "packageManager") });
  }
  // npm's devEngines.packageManager: { name, version } (or a list of them).
  const engines = isRecord(manifest.devEngines) ? manifest.devEngines : undefined;
  const declaredManagers = engines ? (Array.isArray(engines.packageManager) ? engines.packageManager : [engines.packageManager]) : [];
  for (const pm of declaredManagers) {
    if (isRecord(pm) && typeof pm.name === "string") add("devEngines.packageManager", pm, "name", typeof pm.version === "string" ? pm.version : "latest", pm.name);
  }
  // Installs a lifecycle script runs (`"postinstall": "npm install x"`): read by the scan's shell reader.
  const scripts = manifest.scripts;
  if (scriptCommands && isRecord(scripts)) {
    for (const name of LIFECYCLE_SCRIPTS) {
      const script = scripts[name];
      if (typeof script !== "string") continue;
      const found = scriptCommands(script, file, doc.keyLine(scripts, name) ?? 1, false);
      deps.push(...found.dependencies);
      problems.push(...found.problems);
    }
  }
  return result(deps, problems);
}

type Adder = (group: string, container: Record<string, unknown>, key: string, value: unknown, name?: string) => void;

// npm overrides nest: {"foo": "1", "bar": {".": "2", "baz": "3"}}; "$name" refers to a direct dependency.
function overrides(manifest: Record<string, unknown>, group: string, node: unknown, add: Adder, depth: number): void {
  if (!isRecord(node) || depth > 20) return;
  for (const key of Object.keys(node)) {
    if (key === ".") continue;
    const name = selectorName(key);
    const value = node[key];
    if (!name) continue;
    if (typeof value === "string") {
      add(group, node, key, resolveReference(manifest, value), name);
    } else if (isRecord(value)) {
      if (typeof value["."] === "string") add(group, node, key, resolveReference(manifest, value["."]), name);
      overrides(manifest, group, value, add, depth + 1);
    }
  }
}

function resolveReference(manifest: Record<string, unknown>, value: string): string {
  if (!value.startsWith("$")) return value;
  const target = value.slice(1);
  for (const group of GROUPS) {
    const deps = manifest[group];
    if (isRecord(deps) && typeof deps[target] === "string") return deps[target];
  }
  return value;
}

/** `foo@^1` or `@s/foo@1` selector keys name the package before the version. */
function selectorName(key: string): string {
  const k = key.trim();
  const at = k.indexOf("@", k.startsWith("@") ? 1 : 0);
  return at > 0 ? k.slice(0, at) : k;
}

/** Yarn resolutions paths: `**\/a/@s/b` -> `@s/b`. */
function lastPackageOfPath(key: string): string {
  const parts = key.split("/");
  const last = parts[parts.length - 1] ?? "";
  const prev = parts[parts.length - 2] ?? "";
  return prev.startsWith("@") ? `${prev}/${last}` : last;
}

function lineOf(doc: JsonDocument, container: object, key: string): { line?: number } {
  const line = doc.keyLine(container, key);
  return line ? { line } : {};
}
