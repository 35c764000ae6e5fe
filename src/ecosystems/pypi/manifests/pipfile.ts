// Pipfile (TOML) and Pipfile.lock (JSON) of pipenv. Package categories: [packages] / "default",
// [dev-packages] / "develop", and any custom category pipenv allows. Entries are a version
// string ("*", "==1.0", ">=2") or a table with version, git (+ref), path, file, editable.
import type { ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../../../core/dependency.ts";
import { asString, dependency, loadToml, result, sourceOfUrl, versionFromSpecifier } from "./common.ts";
import { pipfileLockEvidence, pipfileLockSources } from "./lock-evidence.ts";
import { JsonSyntaxError, parseJson } from "../../../formats/json.ts";
import { pathKey, tomlPositions } from "../../../formats/toml.ts";
import { basename, errorMessage, isRecord } from "../../../core/guards.ts";

// Pipfile tables that are not package categories.
const NOT_CATEGORIES = new Set(["source", "requires", "scripts", "pipenv"]);

function pipenvVersion(text: string): string | null {
  const v = text.trim();
  return v === "" || v === "*" ? null : versionFromSpecifier(v);
}

/** One Pipfile or Pipfile.lock entry as a dependency; null when it says nothing usable. */
function entryDependency(
  file: string,
  line: number | undefined,
  name: string,
  entry: unknown,
  kind: "manifest" | "lockfile",
  extra: { dev?: boolean; group?: string },
): ExtractedDependency | null {
  if (typeof entry === "string") return dependency(file, line, name, pipenvVersion(entry), "registry", kind, extra);
  if (!isRecord(entry)) return null;
  const git = asString(entry.git);
  if (git !== undefined) {
    const ref = asString(entry.ref);
    return dependency(file, line, name, null, "git", kind, { ...extra, spec: ref ? `${git}@${ref}` : git });
  }
  for (const vcs of ["hg", "svn", "bzr"]) {
    const url = asString(entry[vcs]);
    if (url !== undefined) return dependency(file, line, name, null, "git", kind, { ...extra, spec: `${vcs}+${url}` });
  }
  const local = asString(entry.path);
  if (local !== undefined) return dependency(file, line, name, null, "path", kind, { ...extra, spec: local });
  const fileRef = asString(entry.file);
  if (fileRef !== undefined) return dependency(file, line, name, null, sourceOfUrl(fileRef), kind, { ...extra, spec: fileRef });
  const version = entry.version === undefined ? "*" : asString(entry.version);
  if (version === undefined) return null;
  return dependency(file, line, name, pipenvVersion(version), "registry", kind, extra);
}

/** A key may carry extras (`"requests[socks]" = "*"`, as `pipenv install "requests[socks]"` writes): the name is before them. */
function packageName(key: string): string {
  const bracket = key.indexOf("[");
  return bracket > 0 && key.trimEnd().endsWith("]") ? key.slice(0, bracket).trim() : key;
}

function categoryExtra(category: string, dev: string): { dev?: boolean; group?: string } {
  if (category === dev) return { dev: true };
  return category === "packages" || category === "default" ? {} : { group: category };
}

export const pipfileExtractor: Extractor = {
  id: "pypi-pipfile",
  matches: (path: string) => basename(path) === "Pipfile",
  extract(text: string, path: string): ExtractResult {
    const loaded = loadToml(typeof text === "string" ? text : "", path);
    if ("problem" in loaded) return result([], [loaded.problem]);
    const positions = tomlPositions(text, 2);
    const deps: ExtractedDependency[] = [];
    const problems: ExtractProblem[] = [];
    for (const [category, packages] of Object.entries(loaded.data)) {
      if (NOT_CATEGORIES.has(category) || !isRecord(packages)) continue;
      for (const [name, entry] of Object.entries(packages)) {
        const line = positions.get(pathKey(category, name));
        const dep = entryDependency(path, line, packageName(name), entry, "manifest", categoryExtra(category, "dev-packages"));
        if (dep) deps.push(dep);
        else problems.push({ file: path, line, reason: `unrecognised Pipfile entry "${name}" in [${category}]` });
      }
    }
    return result(deps, problems);
  },
};

export const pipfileLockExtractor: Extractor = {
  id: "pypi-pipfile-lock",
  matches: (path: string) => basename(path) === "Pipfile.lock",
  extract(text: string, path: string): ExtractResult {
    const source = typeof text === "string" ? text.replace(/^\uFEFF/, "") : "";
    if (source.trim() === "") return result([], []);
    let doc: ReturnType<typeof parseJson>;
    try {
      doc = parseJson(source);
    } catch (error) {
      if (!(error instanceof JsonSyntaxError)) throw error;
      return result([], [{ file: path, line: error.line, reason: `not valid JSON: ${errorMessage(error)}` }]);
    }
    const data = doc.value;
    if (!isRecord(data)) return result([], [{ file: path, reason: "Pipfile.lock is not a JSON object" }]);
    const deps: ExtractedDependency[] = [];
    const problems: ExtractProblem[] = [];
    const indexes = pipfileLockSources(data._meta);
    for (const [category, packages] of Object.entries(data)) {
      if (category === "_meta" || !isRecord(packages)) continue;
      for (const [name, entry] of Object.entries(packages)) {
        const line = doc.keyLine(packages, name);
        const dep = entryDependency(path, line, packageName(name), entry, "lockfile", categoryExtra(category, "develop"));
        const lock = dep ? pipfileLockEvidence(dep.name, dep.source, entry, indexes) : undefined;
        if (dep && lock) dep.lock = lock;
        if (dep) deps.push(dep);
        else problems.push({ file: path, line, reason: `unrecognised Pipfile.lock entry "${name}" in "${category}"` });
      }
    }
    return result(deps, problems);
  },
};
