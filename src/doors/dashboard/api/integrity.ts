// GET integrity: the decision log's chain, verified; one verification at a time, reused for a few seconds.
import type { Verification } from "../../../store/types.ts";
import type { Handler } from "./context.ts";
import { json } from "./json.ts";

/** How long a verification answers for (a whole-chain read is not repeated per page view). */
const REUSE_MS = 5_000;
const MAX_SHOWN = 50;

export function integrityHandler(): Handler {
  let last: { at: number; checkedAt: string; report: Promise<Verification> } | undefined;
  return async (ctx) => {
    if (!last || Date.now() - last.at > REUSE_MS) {
      const report = ctx.data.verify();
      last = { at: Date.now(), checkedAt: ctx.now.toISOString(), report };
      report.catch(() => {
        last = undefined;
      });
    }
    const { checkedAt } = last;
    const v = await last.report;
    const status = v.problems.length ? "broken" : v.entries === 0 ? "empty" : "intact";
    return json(200, {
      status,
      checkedAt,
      entries: v.entries,
      head: v.head,
      anchored: v.anchored,
      problems: v.problems.slice(0, MAX_SHOWN).map((p) => ({ kind: p.kind, line: p.line, message: p.message })),
      notes: v.notes.slice(0, MAX_SHOWN),
    });
  };
}
