// The registry proxy as a fetch-style handler: npm at /npm/, the PyPI simple API at /pypi/simple/,
// the PyPI JSON API at /pypi/pypi/, package files at /pypi/files/. Every package is judged (and the
// decision logged) before anything of it is served; what cannot be verified is not served.
import { errorMessage } from "../../core/guards.ts";
import { randomUUID } from "node:crypto";
import { ECOSYSTEMS } from "../../ecosystems/index.ts";
import type { Gate } from "../../engine/service.ts";
import { StoreUnavailableError } from "../../store/types.ts";
import { proxyAuthenticator } from "../service/auth.ts";
import { createPipeline } from "./pipeline.ts";
import { jsonResponse, notFound } from "./responses.ts";
import { npmRoutes } from "./npm-routes.ts";
import { pypiRoutes } from "./pypi-routes.ts";
import { DEFAULT_PROXY_LIMITS, type ProxyDeps, type ProxyHandler, type ProxyLimits, type RouteGroup } from "./types.ts";
import { HOP_HEADER } from "./upstream.ts";


/**
 * Builds the engine's name data now (about a second of CPU), so the first requests do not stall
 * the event loop, and with it every upstream exchange in flight.
 */
export function warmUp(gate: Gate): void {
  for (const id of ECOSYSTEMS.keys()) gate.engine.intel(id)?.suggest("bouncer-warm-up", 1);
}

export function createProxy(deps: ProxyDeps): ProxyHandler {
  const limits: ProxyLimits = { ...DEFAULT_PROXY_LIMITS, ...deps.limits };
  const instanceId = deps.instanceId ?? randomUUID();
  const callerOf = proxyAuthenticator(deps.token, deps.clients);
  const pipeline = createPipeline(deps, limits, instanceId);
  const groups: RouteGroup[] = [npmRoutes(pipeline, deps.upstreams), pypiRoutes(pipeline, deps.upstreams)];
  const homes = groups.map((g) => g.home);
  const health = { bouncer: "proxy", ...Object.fromEntries(homes.map((h) => [h.key, h.path])) };
  const served = homes.map((h) => `${h.label}: ${h.path}`).join(", ");

  const handle: ProxyHandler = async (request, info) => {
    try {
      if (request.headers.get(HOP_HEADER) === instanceId) {
        return jsonResponse(508, { error: "the proxy's upstream is the proxy itself; configure another upstream registry" }, {}, "Loop Detected");
      }
      // The caller's scope comes from its token, never from this replica's configuration.
      const caller = callerOf(request);
      if (!caller) {
        return jsonResponse(401, { error: "this Bouncer proxy needs its token (npm: _authToken for the proxy URL; pip: https://user:TOKEN@host/...)" }, { "www-authenticate": 'Basic realm="bouncer"' }, "Unauthorized");
      }
      if (request.method !== "GET" && request.method !== "HEAD") {
        return jsonResponse(405, { error: "the Bouncer proxy only reads from registries" }, { allow: "GET, HEAD" }, "Method Not Allowed");
      }
      const path = new URL(request.url).pathname;
      const text = `${request.method} ${path}${info?.clientAddress ? ` from ${info.clientAddress}` : ""}${caller.name ? ` as ${caller.name}` : ""}`;
      const context = { text, caller: caller.waivers };
      for (const group of groups) {
        if (!path.startsWith(group.prefix)) continue;
        const answer = await group.handle({ request, rest: path.slice(group.prefix.length), context, info });
        if (answer) return answer;
      }
      if (path === "/" || path === "/health") return jsonResponse(200, health);
      return notFound(`${path} is not served by the Bouncer proxy (${served})`);
    } catch (error) {
      // The shared store is down: nothing can be judged and logged, so nothing is served (fail closed, retry later).
      if (error instanceof StoreUnavailableError) {
        return jsonResponse(503, { error: `Bouncer served nothing: ${error.message}` }, { "cache-control": "no-store", "retry-after": "5" }, "Service Unavailable");
      }
      // A failure of Bouncer itself: say so, serve nothing.
      return jsonResponse(500, { error: `Bouncer failed and served nothing: ${errorMessage(error)}` }, { "cache-control": "no-store" }, "Internal Server Error");
    }
  };
  // Each request in its own budget scope: the document bytes it caused are released once it is answered.
  return (request, info) => pipeline.budget.run(() => handle(request, info));
}

export { presentedToken } from "../service/auth.ts";
export { UpstreamBudget } from "./budget.ts";
export type { ProxyDeps, ProxyHandler } from "./types.ts";
export { markHops } from "./upstream.ts";
