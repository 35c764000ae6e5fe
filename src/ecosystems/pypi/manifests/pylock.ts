// PEP 751 lock files (pylock.toml, pylock.<name>.toml; uv and pip write them): every
// [[packages]] entry with its name and version. Where it is installed from: `vcs` (a checkout),
// `directory` (a local tree), `archive` (one file by URL or path), else `sdist`/`wheels` from an
// index. The URLs an entry records are kept (see pylockUrls) for checks on where files come from.
import type { ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../../../core/dependency.ts";
import { asString, dependency, loadToml, lockPackages, result, sourceOfUrl } from "./common.ts";
import { type LockedFile, pythonLockEvidence } from "./lock-evidence.ts";
import { basename, isRecord } from "../../../core/guards.ts";

const FILE_NAME = /^pylock\.(?:[^.]+\.)?toml$/;
const PYPI_INDEX = /^https?:\/\/pypi\.org\/simple\/?$/;

/** Every URL a pylock.toml package entry records (vcs, archive, sdist, wheels), in file order. */
export function pylockUrls(pkg: Record<string, unknown>): string[] {
  const urls: string[] = [];
  for (const table of [pkg.vcs, ...fileTables(pkg)]) {
    const url = isRecord(table) ? asString(table.url) : undefined;
    if (url !== undefined) urls.push(url);
  }
  return urls;
}

function fileTables(pkg: Record<string, unknown>): unknown[] {
  return [pkg.archive, pkg.sdist, ...(Array.isArray(pkg.wheels) ? pkg.wheels : [])];
}

/** The files an entry installs from (archive, sdist, wheels), each with whether PEP 751 `hashes` pin it. */
function pylockFiles(pkg: Record<string, unknown>): LockedFile[] {
  const out: LockedFile[] = [];
  for (const table of fileTables(pkg)) {
    if (!isRecord(table)) continue;
    const location = asString(table.url) ?? asString(table.path) ?? asString(table.name);
    if (location !== undefined) out.push({ location, hash: isRecord(table.hashes) && Object.keys(table.hashes).length > 0 });
  }
  return out;
}

type Extra = { spec?: string };

/** Where one entry is installed from, with the URL or path that says so. */
function origin(pkg: Record<string, unknown>): { source: ExtractedDependency["source"]; extra: Extra } {
  if (isRecord(pkg.vcs)) {
    const vcs = pkg.vcs;
    const where = asString(vcs.url) ?? asString(vcs.path) ?? "";
    const type = asString(vcs.type);
    const commit = asString(vcs["commit-id"]);
    const spec = `${type && asString(vcs.url) !== undefined ? `${type}+` : ""}${where}${commit ? `@${commit}` : ""}`;
    return { source: "git", extra: { spec } };
  }
  if (isRecord(pkg.directory)) return { source: "path", extra: { spec: asString(pkg.directory.path) ?? "" } };
  if (isRecord(pkg.archive)) {
    const url = asString(pkg.archive.url);
    if (url !== undefined) return { source: sourceOfUrl(url), extra: { spec: url } };
    return { source: "path", extra: { spec: asString(pkg.archive.path) ?? "" } };
  }
  // From an index: only a non-PyPI index is worth repeating.
  const index = asString(pkg.index);
  return { source: "registry", extra: index !== undefined && !PYPI_INDEX.test(index) ? { spec: index } : {} };
}

export const pylockExtractor: Extractor = {
  id: "pypi-pylock",
  matches: (path: string) => FILE_NAME.test(basename(path)),
  extract(text: string, path: string): ExtractResult {
    const loaded = loadToml(typeof text === "string" ? text : "", path);
    if ("problem" in loaded) return result([], [loaded.problem]);
    const problems: ExtractProblem[] = [];
    const deps: ExtractedDependency[] = [];
    for (const { pkg, name, version, line } of lockPackages(loaded.data, text, path, problems, "packages")) {
      const { source, extra } = origin(pkg);
      const index = asString(pkg.index);
      const evidence = pythonLockEvidence(name, source, pylockFiles(pkg), index !== undefined ? [index] : []);
      deps.push(dependency(path, line, evidence.name, version, source, "lockfile", evidence.lock ? { ...extra, lock: evidence.lock } : extra));
    }
    return result(deps, problems);
  },
};
