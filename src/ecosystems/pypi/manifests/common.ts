// Shared pieces of the PyPI manifest and lockfile extractors: the dependency record, versions
// from specifiers, sources of URLs, names from archive file names, TOML loading with a problem.
import { parse as parseToml, TomlError } from "smol-toml";
import { type DependencyExtra, makeDependency } from "../../../core/dependency.ts";
import { excerpt } from "../../../core/excerpt.ts";
import type {
  DependencyKind,
  DependencySource,
  ExtractedDependency,
  ExtractProblem,
  ExtractResult,
} from "../../../core/dependency.ts";
import { normalizePypiName } from "../names.ts";
import { parseRequirement, pinnedVersion } from "../pep508.ts";
import { pathKey, tomlPositions } from "../../../formats/toml.ts";
import { basename, errorMessage, isRecord } from "../../../core/guards.ts";

export const ECOSYSTEM = "pypi";

export type { DependencyExtra };

export function dependency(
  file: string,
  line: number | undefined,
  name: string,
  version: string | null,
  source: DependencySource,
  kind: DependencyKind,
  extra: DependencyExtra = {},
): ExtractedDependency {
  return makeDependency(ECOSYSTEM, kind, file, line, name, version, source, extra);
}

export function result(dependencies: ExtractedDependency[], problems: ExtractProblem[]): ExtractResult {
  return { dependencies, problems };
}

export function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i < 0 ? "" : path.slice(0, i);
}

/** An exact pin becomes the bare version ("==1.0" -> "1.0"); a range stays as written; none is null. */
export function versionFromSpecifier(specifier: string): string | null {
  const spec = specifier.trim();
  if (spec === "") return null;
  return pinnedVersion(spec) ?? spec;
}

const VCS = /^(?:git|hg|svn|bzr)\+|^git:\/\/|^git@|^ssh:\/\/git@/i;

/** Where a direct reference points: a VCS checkout, a local path, or a download URL. */
export function sourceOfUrl(url: string): DependencySource {
  const u = url.trim();
  if (VCS.test(u)) return "git";
  if (/^file:/i.test(u) || /^[a-z]:[\\/]/i.test(u) || !/^[a-z][a-z0-9+.-]*:/i.test(u)) return "path";
  if (/^https?:\/\/[^/]+\/.+\.git(?:[@#].*)?$/i.test(u)) return "git";
  return "url";
}

const SDIST = /\.(?:tar\.gz|tar\.bz2|tar\.xz|tar\.z|tgz|tbz|txz|tar|zip)$/i;

/** Whether a path or URL names a distribution archive (wheel or sdist). */
export function isArchive(path: string): boolean {
  const clean = path.replace(/[#?].*$/, "");
  return /\.whl$/i.test(clean) || SDIST.test(clean);
}

/** Name and version from a wheel or sdist file name, or from a URL's `#egg=` fragment or VCS path. */
export function nameFromLocation(location: string): { name: string; version: string | null } | null {
  const egg = /[#&]egg=([^&#\s[]+)/.exec(location);
  if (egg) return { name: decodeSafe(egg[1]!), version: null };
  const path = location.replace(/[#?].*$/, "").replace(/[\\/]+$/, "");
  let file = decodeSafe(basename(path));
  if (/\.whl$/i.test(file)) {
    const parts = file.slice(0, -4).split("-");
    if (parts.length >= 5 && parts[0] && parts[1]) return { name: parts[0], version: parts[1] };
    return null;
  }
  const sdist = SDIST.exec(file);
  if (sdist) {
    const stem = file.slice(0, -sdist[0].length);
    const m = /^(.+?)-(v?\d[^-]*)$/.exec(stem);
    return m ? { name: m[1]!, version: m[2]! } : { name: stem, version: null };
  }
  if (VCS.test(location)) {
    file = file.replace(/@[^@]*$/, "").replace(/\.git$/i, "");
    return file ? { name: file, version: null } : null;
  }
  return null;
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export type RequirementOutcome = { dependency: ExtractedDependency } | { problem: ExtractProblem };

/** One PEP 508 string (pyproject, setup.cfg, lockfile metadata) as a dependency, or a problem. */
export function requirementDependency(
  text: string,
  file: string,
  line: number | undefined,
  kind: DependencyKind,
  extra: DependencyExtra = {},
): RequirementOutcome {
  const parsed = parseRequirement(text);
  if ("error" in parsed) {
    const problem: ExtractProblem = { file, reason: `invalid requirement "${excerpt(text)}": ${parsed.error}` };
    if (line !== undefined) problem.line = line;
    return { problem };
  }
  if (parsed.url !== null) {
    return {
      dependency: dependency(file, line, parsed.name, null, sourceOfUrl(parsed.url), kind, { spec: parsed.url, ...extra }),
    };
  }
  return { dependency: dependency(file, line, parsed.name, versionFromSpecifier(parsed.specifier), "registry", kind, extra) };
}

/** A project's requirement on itself (`name[extra]` among its own extras) is not a registry dependency. */
export function markSelfReferences(deps: ExtractedDependency[], projectName: unknown): void {
  if (typeof projectName !== "string" || projectName.trim() === "") return;
  const self = normalizePypiName(projectName.trim());
  for (const d of deps) if (d.source === "registry" && normalizePypiName(d.name) === self) d.source = "workspace";
}

/** Parses TOML; a syntax error becomes a problem with its line. */
export function loadToml(text: string, file: string): { data: Record<string, unknown> } | { problem: ExtractProblem } {
  try {
    return { data: parseToml(text.replace(/^\uFEFF/, "")) as Record<string, unknown> };
  } catch (error) {
    const problem: ExtractProblem = { file, reason: `not valid TOML: ${firstLine(errorMessage(error))}` };
    if (error instanceof TomlError && Number.isFinite(error.line)) problem.line = error.line;
    return { problem };
  }
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? text;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

export function asStringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

const NAME_ONLY: ReadonlySet<string> = new Set(["name"]);

export interface LockPackage {
  pkg: Record<string, unknown>;
  name: string;
  version: string | null;
  line: number | undefined;
}

/**
 * The [[package]] entries of a TOML lockfile (poetry.lock, uv.lock, pdm.lock; [[packages]] in
 * pylock.toml) with the line of their `name`; an entry without a name is a problem.
 */
export function lockPackages(
  data: Record<string, unknown>,
  text: string,
  file: string,
  problems: ExtractProblem[],
  table = "package",
): LockPackage[] {
  const list = data[table];
  if (list === undefined) return [];
  if (!Array.isArray(list)) {
    problems.push({ file, reason: `${table} should be an array of tables` });
    return [];
  }
  const positions = tomlPositions(text, { maxDepth: 3, leafKeys: NAME_ONLY });
  const out: LockPackage[] = [];
  list.forEach((pkg, index) => {
    const line = positions.get(pathKey(table, index, "name")) ?? positions.get(pathKey(table, index));
    const name = isRecord(pkg) ? asString(pkg.name) : undefined;
    if (!isRecord(pkg) || name === undefined || name.trim() === "") {
      problems.push(line === undefined ? { file, reason: `package entry ${index + 1} has no name` } : { file, line, reason: "package entry has no name" });
      return;
    }
    const version = asString(pkg.version) ?? null;
    out.push({ pkg, name, version: version === "" ? null : version, line });
  });
  return out;
}
