// npm versions: semver, as the npm client reads them (loose parsing, like npm-package-arg).
import { isPlainVersion, type SemVer, semver } from "./semver.ts";
import type { MaliciousRecord, PackageFacts } from "../../core/model.ts";
import { recordAffects, type VersionOrder } from "../osv-ranges.ts";

const LOOSE = { loose: true } as const;

/** The normalised form of an exact version ("v1.2.3" -> "1.2.3"), or null when it is not one. */
export function normalizeNpmVersion(text: string): string | null {
  if (typeof text !== "string") return null;
  return isPlainVersion(text) ? text : semver().valid(text, LOOSE);
}

/** A total order: valid versions by semver precedence, others before them as text. */
export function compareNpmVersions(a: string, b: string): number {
  const va = semver().parse(a, LOOSE);
  const vb = semver().parse(b, LOOSE);
  if (va && vb) return semver().compare(va, vb);
  if (va || vb) return va ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The version `npm install name@requested` would pick, as npm-pick-manifest does: no request or
 * "latest" -> the latest tag; an exact version -> itself; a range -> the latest tag when it
 * satisfies the range, else the highest satisfying version, preferring non-deprecated ones
 * (null when the versions are not known); any other tag -> null (only "latest" is known).
 */
export function resolveNpmVersion(requested: string | null, facts: PackageFacts): string | null {
  const wanted = typeof requested === "string" ? requested.trim() : "";
  if (wanted === "" || wanted === "latest") return facts.latestVersion ?? null;
  const exact = normalizeNpmVersion(wanted);
  if (exact) return exact;
  const range = semver().validRange(wanted, LOOSE);
  if (!range) return null;
  const latest = facts.latestVersion;
  if (latest && (range === "*" || semver().satisfies(latest, range, LOOSE))) return latest;
  if (!facts.versions) return null;
  let best: string | null = null;
  let bestDeprecated = true;
  for (const [version, info] of Object.entries(facts.versions)) {
    if (!semver().satisfies(version, range, LOOSE)) continue;
    const deprecated = Boolean(info?.deprecated);
    const better =
      best === null ||
      (bestDeprecated && !deprecated) ||
      (bestDeprecated === deprecated && semver().gt(version, best, LOOSE));
    if (better) {
      best = version;
      bestDeprecated = deprecated;
    }
  }
  return best;
}

const ORDER: VersionOrder<SemVer> = {
  parse: (text) => semver().parse(text, LOOSE),
  compare: (a, b) => semver().compare(a, b),
  rangeTypes: ["SEMVER", "ECOSYSTEM"],
};

/** Whether an OSV record affects the version (see recordAffects for the fail-closed cases). */
export function npmAffects(record: MaliciousRecord, version: string | null): boolean {
  return recordAffects(record, version, ORDER);
}
