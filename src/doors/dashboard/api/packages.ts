// GET packages/:ecosystem/:name: what the engine says about it now, its waivers, and its history across the team.
import { reasonOf } from "../../../sources/http.ts";
import type { Handler } from "./context.ts";
import { ApiError, json, oneOf } from "./json.ts";

const MAX_NAME = 256;
const HISTORY = 200;

export const packagePage: Handler = async (ctx, _request, params) => {
  const ecosystem = oneOf(params[0], ctx.ecosystems, "the ecosystem");
  const name = params[1] ?? "";
  if (!ecosystem || !name) throw new ApiError(404, "name an ecosystem and a package");
  if (name.length > MAX_NAME) throw new ApiError(400, `the package name is ${name.length} characters long; the limit is ${MAX_NAME}`);
  const [checked, history, waivers] = await Promise.all([
    ctx.backend.check(ecosystem, name).then(
      (result) => ({ result }),
      (error: unknown) => ({ error: reasonOf(error) }),
    ),
    ctx.backend.decisions({ ecosystem, name, limit: HISTORY }),
    ctx.backend.waivers({ ecosystem, name }),
  ]);
  const check =
    "result" in checked
      ? {
          purl: checked.result.purl,
          verdict: checked.result.verdict,
          findings: checked.result.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message, target: f.target })),
          didYouMean: checked.result.didYouMean,
        }
      : null;
  return json(200, { ecosystem, name, check, checkError: "error" in checked ? checked.error : undefined, history, waivers });
};
