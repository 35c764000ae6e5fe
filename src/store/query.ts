// Decision-log filters evaluated in memory (the embedded log is a file), and their shared limits.
import type { DecisionEntry, DecisionQuery, DecisionSummary, Entry, SeriesFilter, VerdictBucket } from "./types.ts";

export const DEFAULT_QUERY_LIMIT = 100;
export const MAX_QUERY_LIMIT = 1000;
export const DEFAULT_READ_LIMIT = 1000;
export const MAX_READ_LIMIT = 10_000;
/** A chart of more buckets than this is not readable anyway. */
export const MAX_BUCKETS = 2000;

export function queryLimit(filter: DecisionQuery | undefined): number {
  return Math.min(Math.max(1, Math.floor(filter?.limit ?? DEFAULT_QUERY_LIMIT)), MAX_QUERY_LIMIT);
}

export function readLimit(limit: number | undefined): number {
  return Math.min(Math.max(1, Math.floor(limit ?? DEFAULT_READ_LIMIT)), MAX_READ_LIMIT);
}

/** "pkg:npm/left-pad" names a purl prefix; anything else an exact package name. */
export function isPurlFilter(text: string): boolean {
  return text.startsWith("pkg:");
}

export function matchesQuery(entry: Entry, filter: DecisionQuery): entry is DecisionEntry {
  if ("event" in entry) return false;
  if (filter.door && entry.door !== filter.door) return false;
  if (filter.verdict && entry.verdict !== filter.verdict) return false;
  if (filter.ecosystem && entry.ecosystem !== filter.ecosystem) return false;
  if (filter.package && !(isPurlFilter(filter.package) ? entry.purl.startsWith(filter.package) : entry.name === filter.package)) return false;
  if (filter.since && entry.time < filter.since) return false;
  if (filter.until && entry.time >= filter.until) return false;
  if (filter.waived !== undefined && Boolean(entry.waiver) !== filter.waived) return false;
  if (filter.beforeSeq !== undefined && entry.seq >= filter.beforeSeq) return false;
  return true;
}

/** Empty buckets from `since` to `until`, and the index of the one a time falls in. */
export function buckets(since: string, until: string, bucketMs: number): { list: VerdictBucket[]; indexOf(time: string): number } {
  const start = Date.parse(since);
  const end = Date.parse(until);
  if (!Number.isFinite(start) || !Number.isFinite(end) || !(bucketMs > 0)) throw new RangeError("since, until and bucketMs must be times and a positive length");
  const count = Math.min(Math.max(0, Math.ceil((end - start) / bucketMs)), MAX_BUCKETS);
  const list = Array.from({ length: count }, (_, i) => ({ start: new Date(start + i * bucketMs).toISOString(), allow: 0, warn: 0, block: 0 }));
  return {
    list,
    indexOf(time) {
      const t = Date.parse(time);
      const i = Math.floor((t - start) / bucketMs);
      return t >= start && t < end && i < count ? i : -1;
    },
  };
}

/**
 * A verdict series and, when `latest` is given, the newest entries it matches, from one pass over
 * entries newest first. The series needs every entry, so the pass never stops early.
 */
export function summarize(entries: Iterable<Entry>, series: SeriesFilter, latest?: DecisionQuery): DecisionSummary {
  const { list, indexOf } = buckets(series.since, series.until, series.bucketMs);
  const limit = latest ? queryLimit(latest) : 0;
  const found: DecisionEntry[] = [];
  for (const e of entries) {
    if (latest && found.length < limit && matchesQuery(e, latest)) found.push(e);
    if (!matchesQuery(e, series)) continue;
    const i = indexOf(e.time);
    if (i >= 0) list[i]![e.verdict]++;
  }
  return { series: list, latest: found };
}
