// poetry.lock: every [[package]], with its source (git, url, file/directory, or a registry),
// whether it is dev-only (v1 `category`, v2 `groups` without "main") and optional (extras only).
import type { DependencyExtra } from "../../../core/dependency.ts";
import type { ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../../../core/dependency.ts";
import { asString, asStringArray, dependency, loadToml, lockPackages, result, sourceOfUrl } from "./common.ts";
import { lockedFiles, pythonLockEvidence } from "./lock-evidence.ts";
import { basename, isRecord } from "../../../core/guards.ts";

export const poetryLockExtractor: Extractor = {
  id: "pypi-poetry-lock",
  matches: (path: string) => basename(path) === "poetry.lock",
  extract(text: string, path: string): ExtractResult {
    const loaded = loadToml(typeof text === "string" ? text : "", path);
    if ("problem" in loaded) return result([], [loaded.problem]);
    const problems: ExtractProblem[] = [];
    const deps: ExtractedDependency[] = [];
    // Lock format 1.x kept each package's files in [metadata.files], by name.
    const meta = isRecord(loaded.data.metadata) && isRecord(loaded.data.metadata.files) ? loaded.data.metadata.files : {};
    for (const { pkg, name, version, line } of lockPackages(loaded.data, text, path, problems)) {
      const groups = Array.isArray(pkg.groups) ? asStringArray(pkg.groups) : null;
      const category = asString(pkg.category);
      const named = groups ?? (category ? [category] : []);
      const extra: DependencyExtra = {};
      const others = named.filter((g) => g !== "main");
      const group = [...(pkg.optional === true ? ["optional"] : []), ...others].join(",");
      if (group) extra.group = group;
      if (named.length > 0 && !named.includes("main")) extra.dev = true;
      const src = isRecord(pkg.source) ? pkg.source : null;
      const type = src ? asString(src.type) : undefined;
      const url = src ? asString(src.url) : undefined;
      let source: ExtractedDependency["source"] = "registry";
      if (type === "git") {
        source = "git";
        const ref = asString(src?.resolved_reference) ?? asString(src?.reference);
        if (url) extra.spec = ref ? `${url}@${ref}` : url;
      } else if (type === "directory" || type === "file") {
        source = "path";
        if (url) extra.spec = url;
      } else if (type === "url") {
        source = url ? sourceOfUrl(url) : "url";
        if (url) extra.spec = url;
      } else if (url) {
        // "legacy" and other package indexes: still a registry name, from that index.
        extra.spec = url;
      }
      // Poetry records the index (legacy sources) or the URL, and each file's name and hash.
      const evidence = pythonLockEvidence(name, source, lockedFiles(pkg.files ?? (Object.hasOwn(meta, name) ? meta[name] : undefined)), url !== undefined && type !== "git" ? [url] : []);
      if (evidence.lock) extra.lock = evidence.lock;
      deps.push(dependency(path, line, evidence.name, version, source, "lockfile", extra));
    }
    return result(deps, problems);
  },
};
