// Whether an OSV record (a known-malicious report) affects a version, given an ecosystem's version order.
import type { MaliciousRecord } from "../core/model.ts";

export interface VersionOrder<V> {
  /** null when the text is not a version of this ecosystem. */
  parse(text: string): V | null;
  compare(a: V, b: V): number;
  /** The OSV range types this order evaluates (upper case), e.g. ["SEMVER", "ECOSYSTEM"]. */
  rangeTypes: readonly string[];
}

type Bound<V> = { kind: "introduced" | "fixed" | "last_affected" | "limit"; at: V | null };

const EVENT_KINDS = ["introduced", "fixed", "last_affected", "limit"] as const;

/**
 * OSV semantics. Fails closed wherever the record cannot be evaluated:
 * - an unknown version (null) is affected, whatever the record lists, since we cannot show it is not;
 * - a record that lists neither versions nor ranges covers every version;
 * - a range with a bound that does not parse, or only ranges of a type we cannot evaluate (GIT), affects;
 * - a version that does not parse is affected by any record with ranges.
 */
export function recordAffects<V>(record: MaliciousRecord, version: string | null, order: VersionOrder<V>): boolean {
  if (record.allVersions || version === null) return true;
  const listed = Array.isArray(record.versions) ? record.versions.filter((x) => typeof x === "string") : [];
  const ranges = Array.isArray(record.ranges) ? record.ranges : [];
  if (!listed.length && !ranges.length) return true;
  const v = order.parse(version);
  for (const text of listed) {
    if (text === version) return true;
    const other = v && order.parse(text);
    if (v && other && order.compare(v, other) === 0) return true;
  }
  const evaluable = ranges.filter((r) => typeof r?.type === "string" && order.rangeTypes.includes(r.type.toUpperCase()));
  if (!evaluable.length) return !listed.length && ranges.length > 0;
  if (!v) return true;
  return evaluable.some((range) => rangeAffects(range.events, v, order));
}

function rangeAffects<V>(events: unknown, v: V, order: VersionOrder<V>): boolean {
  if (!Array.isArray(events)) return true;
  const bounds: Bound<V>[] = [];
  for (const event of events) {
    if (!event || typeof event !== "object") continue;
    for (const kind of EVENT_KINDS) {
      const text = (event as Record<string, unknown>)[kind];
      if (typeof text !== "string") continue;
      if (kind === "introduced" && text === "0") {
        bounds.push({ kind, at: null });
        continue;
      }
      const at = order.parse(text);
      if (!at) return true;
      bounds.push({ kind, at });
    }
  }
  // A range without "introduced" is read as starting at the beginning (fail closed).
  if (!bounds.some((b) => b.kind === "introduced")) bounds.push({ kind: "introduced", at: null });
  const limits = bounds.filter((b) => b.kind === "limit");
  if (limits.length && !limits.some((b) => order.compare(v, b.at!) < 0)) return false;
  // Events are evaluated in version order ("0" first), as the OSV schema prescribes.
  const sorted = bounds
    .filter((b) => b.kind !== "limit")
    .sort((a, b) => (a.at === null ? (b.at === null ? 0 : -1) : b.at === null ? 1 : order.compare(a.at, b.at)));
  let affected = false;
  for (const b of sorted) {
    if (b.kind === "introduced") {
      if (b.at === null || order.compare(v, b.at) >= 0) affected = true;
    } else if (b.kind === "fixed") {
      if (order.compare(v, b.at!) >= 0) affected = false;
    } else if (order.compare(v, b.at!) > 0) {
      affected = false;
    }
  }
  return affected;
}
