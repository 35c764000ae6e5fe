// The API's routes, one line each; handlers live with their kind of data.
import type { ApiContext, Handler } from "./context.ts";
import { listDecisions, overview, VERDICTS } from "./decisions.ts";
import { integrityHandler } from "./integrity.ts";
import { ApiError, json } from "./json.ts";
import { packagePage } from "./packages.ts";
import { addWaiver, decideWaiver, listWaivers, WAIVER_SCOPES } from "./waivers.ts";

interface Route {
  method: "GET" | "POST";
  pattern: RegExp;
  handler: Handler;
}

const session: Handler = async (ctx) =>
  json(200, {
    role: ctx.identity.role,
    who: ctx.identity.name,
    signIn: ctx.signIn && ctx.identity.via === "token",
    now: ctx.now.toISOString(),
    ecosystems: ctx.ecosystems,
    doors: ctx.doors,
    verdicts: VERDICTS,
    waiverScopes: WAIVER_SCOPES,
  });

export function createRoutes(): Route[] {
  return [
    { method: "GET", pattern: /^session$/, handler: session },
    { method: "GET", pattern: /^decisions$/, handler: listDecisions },
    { method: "GET", pattern: /^overview$/, handler: overview },
    { method: "GET", pattern: /^packages\/([^/]+)\/(.+)$/, handler: packagePage },
    { method: "GET", pattern: /^integrity$/, handler: integrityHandler() },
    { method: "GET", pattern: /^waivers$/, handler: listWaivers },
    { method: "POST", pattern: /^waivers$/, handler: addWaiver },
    { method: "POST", pattern: /^waivers\/([\w-]{1,64})\/(approve|deny|revoke)$/, handler: decideWaiver },
  ];
}

/** Answers one API request: `path` is what follows /ui/api/, still percent-encoded. */
export async function routeApi(routes: readonly Route[], ctx: ApiContext, request: Request, path: string, url: URL): Promise<Response> {
  try {
    let allowed: string[] = [];
    for (const route of routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method !== request.method) {
        allowed = [...allowed, route.method];
        continue;
      }
      let params: string[];
      try {
        params = m.slice(1).map((p) => decodeURIComponent(p));
      } catch {
        throw new ApiError(400, "bad percent-encoding in the path");
      }
      return await route.handler(ctx, request, params, url);
    }
    if (allowed.length) return json(405, { error: `use ${allowed.join(" or ")}` }, { allow: allowed.join(", ") });
    return json(404, { error: `no API at ${path}` });
  } catch (error) {
    if (error instanceof ApiError) return json(error.status, { error: error.message });
    throw error;
  }
}
