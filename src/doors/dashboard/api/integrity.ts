// GET integrity: the decision log's chain, verified; one verification at a time, reused for a few seconds.
import type { IntegrityReport } from "../types.ts";
import type { Handler } from "./context.ts";
import { json } from "./json.ts";

/** How long a verification answers for (a whole-chain read is not repeated per page view). */
const REUSE_MS = 5_000;

export function integrityHandler(): Handler {
  let last: { at: number; checkedAt: string; report: Promise<IntegrityReport> } | undefined;
  return async (ctx) => {
    if (!last || Date.now() - last.at > REUSE_MS) {
      const report = ctx.backend.verify();
      last = { at: Date.now(), checkedAt: ctx.now.toISOString(), report };
      report.catch(() => {
        last = undefined;
      });
    }
    const { checkedAt } = last;
    const report = await last.report;
    const status = report.problems.length ? "broken" : report.entries === 0 ? "empty" : "intact";
    return json(200, { status, checkedAt, ...report, problems: report.problems.slice(0, 50) });
  };
}
