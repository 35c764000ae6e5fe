// GET packages/:ecosystem/:name: what the engine says about it now, its waivers, and its history across the team.
import { errorMessage } from "../../../core/guards.ts";
import type { Handler } from "./context.ts";
import { MAX_NAME } from "./decisions.ts";
import { ApiError, json, oneOf } from "./json.ts";
import { waiverView } from "./waivers.ts";

const HISTORY = 200;

export const packagePage: Handler = async (ctx, _request, params) => {
  const ecosystem = oneOf(params[0], ctx.ecosystems, "the ecosystem")!;
  const raw = params[1] ?? "";
  if (raw.length > MAX_NAME) throw new ApiError(400, `the package name is ${raw.length} characters long; the limit is ${MAX_NAME}`);
  let name = raw;
  try {
    name = ctx.data.canonicalName(ecosystem, raw);
  } catch {
    // Not a valid name: its history may still hold decisions about it (invalid-name blocks).
  }
  const [checked, history, waivers] = await Promise.all([
    ctx.data.check(ecosystem, name).then(
      (result) => ({ result }),
      (error: unknown) => ({ error: errorMessage(error) }),
    ),
    ctx.data.decisions.query({ ecosystem, package: name, limit: HISTORY }),
    ctx.data.waivers.list({ now: ctx.now, all: true }),
  ]);
  const check =
    "result" in checked
      ? {
          purl: checked.result.purl,
          verdict: checked.result.verdict,
          findings: checked.result.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, target: f.target })),
          didYouMean: checked.result.didYouMean,
          waiver: checked.result.waiver,
        }
      : null;
  return json(200, {
    ecosystem,
    name,
    check,
    checkError: "error" in checked ? checked.error : undefined,
    history,
    waivers: waivers.filter((w) => w.ecosystem === ecosystem && w.name === name).map((w) => waiverView(w, ctx.now)),
  });
};
