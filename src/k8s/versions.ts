// Kubernetes MAJOR.MINOR versions: parsing, ordering, and which field index serves a target.
import type { FieldIndex, K8sData } from "./types.ts";

/** "1.34", "v1.34" or "1.34.2" -> "1.34"; undefined when it is not a version. */
export function normalizeVersion(input: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(input.trim());
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** A sortable number for "MAJOR.MINOR". */
export function versionRank(version: string): number {
  const [major, minor] = version.split(".").map(Number);
  return (major ?? 0) * 1000 + (minor ?? 0);
}

/** v <= target. */
export const atOrBefore = (v: string, target: string): boolean => versionRank(v) <= versionRank(target);

export interface SupportedRange {
  oldest: string;
  newest: string;
}

/** From the oldest field index to the newest: older targets have no index at or below them. */
export function supportedRange(data: K8sData): SupportedRange {
  const sorted = data.indexes.map((i) => i.version).sort((a, b) => versionRank(a) - versionRank(b));
  return { oldest: sorted[0]!, newest: sorted[sorted.length - 1]! };
}

export function isSupported(version: string, data: K8sData): boolean {
  const { oldest, newest } = supportedRange(data);
  return versionRank(version) >= versionRank(oldest) && versionRank(version) <= versionRank(newest);
}

/** The nearest index at or below the target (the target must be supported). */
export function indexFor(version: string, data: K8sData): FieldIndex {
  const below = data.indexes.filter((i) => atOrBefore(i.version, version)).sort((a, b) => versionRank(b.version) - versionRank(a.version));
  if (!below[0]) throw new Error(`no field index at or below Kubernetes ${version}`);
  return below[0];
}
