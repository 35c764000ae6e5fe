// uv.lock: every [[package]] except the project itself; workspace members are "workspace".
// Groups come from the root packages' optional-dependencies (extras) and dev-dependencies
// (PEP 735 groups); a package only a dev group asks for directly is dev.
import type { DependencyExtra } from "../../../core/dependency.ts";
import type { ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../../../core/dependency.ts";
import { normalizePypiName } from "../names.ts";
import { asString, dependency, loadToml, lockPackages, result, sourceOfUrl } from "./common.ts";
import { lockedFiles, pythonLockEvidence } from "./lock-evidence.ts";
import { basename, isRecord } from "../../../core/guards.ts";

function namesIn(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.filter(isRecord).map((d) => asString(d.name)).filter((n): n is string => n !== undefined);
}

export const uvLockExtractor: Extractor = {
  id: "pypi-uv-lock",
  matches: (path: string) => basename(path) === "uv.lock",
  extract(text: string, path: string): ExtractResult {
    const loaded = loadToml(typeof text === "string" ? text : "", path);
    if ("problem" in loaded) return result([], [loaded.problem]);
    const problems: ExtractProblem[] = [];
    const packages = lockPackages(loaded.data, text, path, problems);
    // Direct dependencies of the workspace roots, by normalised name.
    const groups = new Map<string, Set<string>>();
    const main = new Set<string>();
    const devOnly = new Set<string>();
    for (const { pkg } of packages) {
      const src = isRecord(pkg.source) ? pkg.source : {};
      if (src.virtual === undefined && src.editable === undefined) continue;
      for (const n of namesIn(pkg.dependencies)) main.add(normalizePypiName(n));
      for (const [kind, table] of [["extra", pkg["optional-dependencies"]], ["dev", pkg["dev-dependencies"]]] as const) {
        if (!isRecord(table)) continue;
        for (const [group, list] of Object.entries(table)) {
          for (const n of namesIn(list)) {
            const key = normalizePypiName(n);
            if (!groups.has(key)) groups.set(key, new Set());
            groups.get(key)!.add(group);
            if (kind === "dev") devOnly.add(key);
            else main.add(key);
          }
        }
      }
    }
    const deps: ExtractedDependency[] = [];
    for (const { pkg, name, version, line } of packages) {
      const src = isRecord(pkg.source) ? pkg.source : {};
      const key = normalizePypiName(name);
      const extra: DependencyExtra = {};
      const named = groups.get(key);
      if (named) extra.group = [...named].join(",");
      if (devOnly.has(key) && !main.has(key)) extra.dev = true;
      const local = asString(src.virtual) ?? asString(src.editable);
      let source: ExtractedDependency["source"] = "registry";
      if (local !== undefined) {
        if (local === "." || local === "") continue; // the project itself
        source = "workspace";
        extra.spec = local;
      } else if (asString(src.git) !== undefined) {
        source = "git";
        extra.spec = asString(src.git);
      } else if (asString(src.path) !== undefined || asString(src.directory) !== undefined) {
        source = "path";
        extra.spec = asString(src.path) ?? asString(src.directory);
      } else if (asString(src.url) !== undefined) {
        source = sourceOfUrl(asString(src.url)!);
        extra.spec = asString(src.url);
      } else if (asString(src.registry) !== undefined && !/^https?:\/\/pypi\.org\/simple\/?$/.test(asString(src.registry)!)) {
        extra.spec = asString(src.registry);
      }
      const files = [...lockedFiles(pkg.sdist), ...lockedFiles(pkg.wheels)];
      const index = [asString(src.registry), asString(src.url)].filter((u): u is string => u !== undefined);
      const evidence = pythonLockEvidence(name, source, files, index);
      if (evidence.lock) extra.lock = evidence.lock;
      deps.push(dependency(path, line, evidence.name, version, source, "lockfile", extra));
    }
    return result(deps, problems);
  },
};
