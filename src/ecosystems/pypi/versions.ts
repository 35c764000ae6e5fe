// PyPI version resolution and OSV matching, with PEP 440 (see pep440.ts).
import type { MaliciousRecord, PackageFacts } from "../../core/model.ts";
import { recordAffects, type VersionOrder } from "../osv-ranges.ts";
import {
  compareVersions,
  maxSatisfying,
  type Pep440Version,
  parseSpecifierSet,
  parseVersion,
  type Specifier,
} from "./pep440.ts";

/** The registry's spelling of `version` when it lists an equal one (1.0 == 1.0.0), else `version` as given. */
function listedSpelling(version: string, facts: PackageFacts): string {
  const v = parseVersion(version);
  const listed = facts.versions ? Object.keys(facts.versions) : [];
  if (!v || listed.includes(version)) return version;
  return (
    listed.find((key) => {
      const other = parseVersion(key);
      return other !== null && compareVersions(v, other) === 0;
    }) ?? version
  );
}

/** A clause that pins one version (`==1.0`, `===1.0`), which pip installs even when yanked (PEP 592). */
function pinned(spec: Specifier): boolean {
  return spec.operator === "===" || (spec.operator === "==" && !spec.version.endsWith(".*"));
}

/**
 * The version `pip install "name<requested>"` would pick: no request -> the latest version; an
 * exact version or a pin (`1.0`, `==1.0`, `===1.0`) -> that version; a specifier set -> the
 * highest non-yanked version that satisfies it, pre-releases only when nothing else does or the
 * set names one (null when the versions are not known or the text is no specifier).
 */
export function resolvePypiVersion(requested: string | null, facts: PackageFacts): string | null {
  const wanted = typeof requested === "string" ? requested.trim() : "";
  if (wanted === "") return facts.latestVersion ?? null;
  if (parseVersion(wanted)) return listedSpelling(wanted, facts);
  const set = parseSpecifierSet(wanted);
  if (!set) return null;
  if (!set.specifiers.length) return facts.latestVersion ?? null;
  const only = set.specifiers.length === 1 ? set.specifiers[0]! : null;
  if (only && pinned(only)) {
    if (only.operator === "===") {
      const key = Object.keys(facts.versions ?? {}).find((k) => k.toLowerCase() === only.version.toLowerCase());
      return key ?? only.version;
    }
    return listedSpelling(only.version, facts);
  }
  if (!facts.versions) return null;
  const candidates = Object.entries(facts.versions)
    .filter(([, info]) => !info?.yanked)
    .map(([version]) => version);
  return maxSatisfying(set, candidates);
}

const ORDER: VersionOrder<Pep440Version> = {
  parse: parseVersion,
  compare: compareVersions,
  rangeTypes: ["ECOSYSTEM", "SEMVER"],
};

/** Whether an OSV record affects the version, with PEP 440 equality and order (fail-closed cases: recordAffects). */
export function pypiAffects(record: MaliciousRecord, version: string | null): boolean {
  return recordAffects(record, version, ORDER);
}
