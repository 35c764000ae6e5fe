// GET decisions (filtered, newest first, paged by log position) and GET overview (blocked today,
// verdicts per day).
import type { Verdict } from "../../../core/findings.ts";
import type { DecisionQuery } from "../../../store/types.ts";
import { type ApiContext, DAY_MS, dayStart, type Handler } from "./context.ts";
import { ApiError, json, oneOf } from "./json.ts";

export const VERDICTS: readonly Verdict[] = ["allow", "warn", "block"];
const RANGES: Record<string, number> = { "1h": 3_600_000, "24h": DAY_MS, "7d": 7 * DAY_MS, "30d": 30 * DAY_MS };
const PAGE = 100;
const MAX_PAGE = 500;
/** Days in the chart. */
export const CHART_DAYS = 14;
/** Blocked decisions read to list today's blocked packages. */
const MAX_BLOCKED_SCAN = 1000;
export const MAX_NAME = 256;

function isoParam(url: URL, key: string): string | undefined {
  const value = url.searchParams.get(key);
  if (!value) return undefined;
  const t = Date.parse(value);
  if (value.length > 40 || Number.isNaN(t)) throw new ApiError(400, `${key} must be an ISO time`);
  return new Date(t).toISOString();
}

export function decisionQuery(ctx: ApiContext, url: URL): DecisionQuery & { limit: number } {
  const q = url.searchParams;
  const range = oneOf(q.get("range"), [...Object.keys(RANGES), "all"], "range");
  const pkg = q.get("package")?.trim();
  if (pkg && pkg.length > MAX_NAME) throw new ApiError(400, `package is ${pkg.length} characters long; the limit is ${MAX_NAME}`);
  const before = q.get("before");
  if (before !== null && !/^\d{1,15}$/.test(before)) throw new ApiError(400, "before must be a log position");
  const limit = q.get("limit");
  if (limit !== null && !/^\d{1,4}$/.test(limit)) throw new ApiError(400, "limit must be a number");
  const ecosystem = oneOf(q.get("ecosystem"), ctx.ecosystems, "ecosystem");
  const waived = oneOf(q.get("waived"), ["yes", "no"], "waived");
  return {
    door: oneOf(q.get("door"), ctx.doors, "door"),
    verdict: oneOf(q.get("verdict"), VERDICTS, "verdict"),
    ecosystem,
    // A purl prefix as given; a name as its ecosystem records it (PEP 503 for PyPI) when one is chosen.
    package: pkg ? (ecosystem && !pkg.startsWith("pkg:") ? canonical(ctx, ecosystem, pkg) : pkg) : undefined,
    since: isoParam(url, "since") ?? (range && range !== "all" ? new Date(ctx.now.getTime() - RANGES[range]!).toISOString() : undefined),
    until: isoParam(url, "until"),
    waived: waived === undefined ? undefined : waived === "yes",
    beforeSeq: before === null ? undefined : Number(before),
    limit: Math.min(Math.max(Number(limit ?? PAGE), 1), MAX_PAGE),
  };
}

/** The canonical form of a name, or the name as typed when it is not valid (nothing will match it). */
function canonical(ctx: ApiContext, ecosystem: string, name: string): string {
  try {
    return ctx.data.canonicalName(ecosystem, name);
  } catch {
    return name;
  }
}

export const listDecisions: Handler = async (ctx, _request, _params, url) => {
  const query = decisionQuery(ctx, url);
  // One more than asked tells whether older entries exist.
  const rows = await ctx.data.decisions.query({ ...query, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  return json(200, { decisions: page, next: rows.length > query.limit ? page.at(-1)!.seq : undefined });
};

export const overview: Handler = async (ctx) => {
  const today = dayStart(ctx.now);
  const first = new Date(today.getTime() - (CHART_DAYS - 1) * DAY_MS);
  const end = new Date(today.getTime() + DAY_MS);
  // One read of the log for both: the chart's counts and today's blocked decisions.
  const { series, latest: blocked } = await ctx.data.decisions.summary(
    { since: first.toISOString(), until: end.toISOString(), bucketMs: DAY_MS },
    { verdict: "block", since: today.toISOString(), until: end.toISOString(), limit: MAX_BLOCKED_SCAN },
  );
  const days = series.map((b) => ({ day: b.start.slice(0, 10), allow: b.allow, warn: b.warn, block: b.block }));
  const packages = new Map<string, { ecosystem: string; name: string; count: number; last: string }>();
  for (const d of blocked) {
    const key = `${d.ecosystem}\u0000${d.name}`;
    const seen = packages.get(key);
    if (seen) seen.count++;
    else packages.set(key, { ecosystem: d.ecosystem, name: d.name, count: 1, last: d.time });
  }
  const blockedToday = [...packages.values()].sort((a, b) => b.count - a.count || b.last.localeCompare(a.last)).slice(0, 20);
  return json(200, { now: ctx.now.toISOString(), todayStart: today.toISOString(), today: days.at(-1), days, blockedToday });
};
