// The dashboard at /ui/: a static page (HTML, CSS, vanilla JavaScript from ./assets) and its JSON
// API at /ui/api/. The page holds no data and is served to anyone; every API call needs an identity
// from the service's authenticator (viewer or admin token, trusted identity header, or the local
// user), carries the x-bouncer-ui header (a cross-site page cannot send it without a CORS
// preflight, which is never granted) and is answered under a strict CSP.
import { errorMessage } from "../../core/guards.ts";
import type { EcosystemId } from "../../core/model.ts";
import { type Door, StoreUnavailableError } from "../../store/types.ts";
import type { Identity } from "../service/auth.ts";
import type { ApiContext } from "./api/context.ts";
import { json } from "./api/json.ts";
import { createRoutes, routeApi } from "./api/router.ts";
import { type Asset, loadAssets } from "./static.ts";
import type { DashboardData } from "./types.ts";

export const UI_PATH = "/ui/";
const API_PATH = "/ui/api/";
export const UI_HEADER = "x-bouncer-ui";

/**
 * Scripts and styles from this origin only, no inline code, no eval, no plugins, not framed, and
 * Trusted Types with no policy: any innerHTML-style sink throws instead of parsing data as markup.
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join("; ");

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

export interface DashboardDeps {
  data: DashboardData;
  /** Who presents this request (the service's authenticator); undefined: not signed in (401). */
  authenticate: (request: Request) => Identity | undefined;
  /** The page signs in with a token (false: an open loopback server, where everyone is admin). */
  signIn: boolean;
  clock: () => Date;
  ecosystems: readonly EcosystemId[];
  doors: readonly Door[];
  assets?: Map<string, Asset>;
}

export type DashboardHandler = (request: Request) => Promise<Response>;

export function isDashboardPath(pathname: string): boolean {
  return pathname === "/ui" || pathname.startsWith(UI_PATH);
}

function withHeaders(response: Response, extra: Record<string, string> = {}): Response {
  for (const [k, v] of Object.entries({ ...SECURITY_HEADERS, ...extra })) response.headers.set(k, v);
  return response;
}

export function createDashboard(deps: DashboardDeps): DashboardHandler {
  const assets = deps.assets ?? loadAssets();
  const routes = createRoutes();

  const serveAsset = (request: Request, name: string): Response => {
    const asset = assets.get(name);
    if (!asset) return json(404, { error: `${UI_PATH}${name} is not part of the dashboard` });
    if (request.method !== "GET" && request.method !== "HEAD") return new Response(null, { status: 405, headers: { allow: "GET, HEAD" } });
    const headers = { "content-type": asset.type, etag: asset.etag, "cache-control": "no-cache" };
    if (request.headers.get("if-none-match") === asset.etag) return new Response(null, { status: 304, headers });
    return new Response(request.method === "HEAD" ? null : new Uint8Array(asset.body), { status: 200, headers: { ...headers, "content-length": String(asset.body.length) } });
  };

  const serveApi = async (request: Request, url: URL): Promise<Response> => {
    if (request.headers.get(UI_HEADER) !== "1") return json(403, { error: `the dashboard API answers the dashboard's own page (it sends ${UI_HEADER}: 1)` });
    const site = request.headers.get("sec-fetch-site");
    if (site && site !== "same-origin" && site !== "none") return json(403, { error: "the dashboard API does not answer other sites" });
    const identity = deps.authenticate(request);
    if (!identity) return json(401, { error: "sign in with a viewer or admin token" });
    const ctx: ApiContext = {
      data: deps.data,
      identity,
      now: deps.clock(),
      ecosystems: deps.ecosystems,
      doors: deps.doors,
      signIn: deps.signIn,
    };
    return routeApi(routes, ctx, request, url.pathname.slice(API_PATH.length), url);
  };

  return async (request) => {
    try {
      const url = new URL(request.url);
      if (url.pathname === "/ui") return withHeaders(new Response(null, { status: 301, headers: { location: UI_PATH } }));
      if (url.pathname.startsWith(API_PATH)) return withHeaders(await serveApi(request, url));
      return withHeaders(serveAsset(request, url.pathname.slice(UI_PATH.length)));
    } catch (error) {
      // The store down is the service's state (503, as the proxy answers); anything else is a failure of Bouncer itself.
      if (error instanceof StoreUnavailableError) return withHeaders(json(503, { error: `the store is unavailable: ${error.message}` }));
      return withHeaders(json(500, { error: `the dashboard failed: ${errorMessage(error)}` }));
    }
  };
}
