// pdm.lock: every [[package]], with git/path/url sources; groups other than "default" are kept
// as the group, and a package only the "dev" group has is dev.
import type { DependencyExtra } from "../../../core/dependency.ts";
import type { ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../../../core/dependency.ts";
import { asString, asStringArray, dependency, loadToml, lockPackages, result, sourceOfUrl } from "./common.ts";
import { lockedFiles, pythonLockEvidence } from "./lock-evidence.ts";
import { basename } from "../../../core/guards.ts";

export const pdmLockExtractor: Extractor = {
  id: "pypi-pdm-lock",
  matches: (path: string) => basename(path) === "pdm.lock",
  extract(text: string, path: string): ExtractResult {
    const loaded = loadToml(typeof text === "string" ? text : "", path);
    if ("problem" in loaded) return result([], [loaded.problem]);
    const problems: ExtractProblem[] = [];
    const deps: ExtractedDependency[] = [];
    for (const { pkg, name, version, line } of lockPackages(loaded.data, text, path, problems)) {
      const groups = asStringArray(pkg.groups);
      const extra: DependencyExtra = {};
      const others = groups.filter((g) => g !== "default");
      if (others.length) extra.group = others.join(",");
      if (groups.includes("dev") && !groups.includes("default")) extra.dev = true;
      let source: ExtractedDependency["source"] = "registry";
      const git = asString(pkg.git);
      const local = asString(pkg.path);
      const url = asString(pkg.url);
      if (git !== undefined) {
        source = "git";
        const ref = asString(pkg.revision) ?? asString(pkg.ref);
        extra.spec = ref ? `${git}@${ref}` : git;
      } else if (local !== undefined) {
        source = "path";
        extra.spec = local;
      } else if (url !== undefined) {
        source = sourceOfUrl(url);
        extra.spec = url;
      }
      const evidence = pythonLockEvidence(name, source, lockedFiles(pkg.files), url !== undefined ? [url] : []);
      if (evidence.lock) extra.lock = evidence.lock;
      deps.push(dependency(path, line, evidence.name, version, source, "lockfile", extra));
    }
    return result(deps, problems);
  },
};
