// The proxy as a service: health and readiness, Prometheus metrics, authenticated pages (the
// dashboard mounts here), one JSON log line per request, fail-closed when the store is down, and
// draining on shutdown. It wraps the proxy's handler; the proxy's own routes are untouched.
import type { PackageResult } from "../../core/model.ts";
import type { Gate } from "../../engine/service.ts";
import type { Door } from "../../ledger/ledger.ts";
import type { Fetcher } from "../../sources/http.ts";
import { StoreUnavailableError } from "../../store/types.ts";
import { jsonResponse } from "../proxy/responses.ts";
import type { ProxyHandler, RequestInfo } from "../proxy/types.ts";
import { allows, authenticator, type AuthConfig, type Identity, type Role } from "./auth.ts";
import type { ServiceMetrics } from "./metrics.ts";

/** Pages served beside the proxy (the dashboard at /ui/ and its API), behind the service's authentication. */
export interface ServiceRoute {
  /** e.g. "/ui/"; matched as a prefix (and the prefix without its trailing slash). */
  prefix: string;
  /** The least role that may reach it; a handler checks `identity.role` for admin-only actions within. */
  role: Role;
  handle(request: Request, context: { identity: Identity; info?: RequestInfo }): Promise<Response>;
}

export type LogRecord = Record<string, string | number | boolean | null | undefined>;

export interface ServiceOptions {
  proxy: ProxyHandler;
  gate: Gate;
  metrics: ServiceMetrics;
  auth: AuthConfig;
  routes?: readonly ServiceRoute[];
  /** One JSON object per line. */
  log?: (record: LogRecord) => void;
  now?: () => Date;
}

export interface ServiceState {
  /** The store answered the last poll, and the service is not draining. */
  ready: boolean;
  /** Why not, for /readyz and 503 answers. */
  reason?: string;
  draining: boolean;
  inFlight: number;
}

export interface Service {
  handler: ProxyHandler;
  /** Reads the store's policy and waivers again; marks the store up or down. Never rejects. */
  poll(): Promise<void>;
  /** The store failed: fail closed until a poll succeeds. */
  storeDown(error: unknown): void;
  /** Stops taking proxy requests (503, readyz not ready); resolves when those in flight are answered. */
  drain(): Promise<void>;
  state(): ServiceState;
}

/** Verdicts, findings and waivers counted as decisions are logged (give it to openGate's onRecord). */
export function recordMetrics(metrics: ServiceMetrics): (results: readonly PackageResult[], door: Door) => void {
  return (results, door) => {
    for (const r of results) {
      metrics.verdicts.inc({ verdict: r.verdict, door });
      for (const f of r.findings) metrics.findings.inc({ code: f.code });
      if (r.waiver) metrics.waiversUsed.inc();
    }
  };
}

/** A fetch that times each upstream exchange to its response headers. */
export function timedFetch(inner: Fetcher, metrics: ServiceMetrics): Fetcher {
  return async (url, init) => {
    const start = performance.now();
    try {
      const response = await inner(url, init);
      metrics.upstreamSeconds.observe((performance.now() - start) / 1000, { outcome: response.ok ? "ok" : String(response.status) });
      return response;
    } catch (error) {
      metrics.upstreamSeconds.observe((performance.now() - start) / 1000, { outcome: "error" });
      throw error;
    }
  };
}

const groupOf = (path: string): string => {
  const m = /^\/([a-z]+)\//.exec(path);
  return m ? m[1]! : path === "/" ? "root" : "other";
};

export function createService(options: ServiceOptions): Service {
  const { proxy, gate, metrics } = options;
  const identify = authenticator(options.auth);
  const routes = options.routes ?? [];
  const log = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  let storeReason: string | undefined = "the store has not been read yet";
  let draining = false;
  let inFlight = 0;
  let drained: (() => void) | undefined;

  const storeDown = (error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    if (storeReason !== reason) log({ time: now().toISOString(), level: "error", msg: "store unavailable: failing closed", reason });
    storeReason = reason;
  };
  const poll = async () => {
    try {
      const changed = await gate.refresh();
      if (storeReason) log({ time: now().toISOString(), level: "info", msg: "store available", store: gate.store.location });
      storeReason = undefined;
      if (changed) log({ time: now().toISOString(), level: "info", msg: "policy or waivers changed", policyVersion: gate.policyVersion ?? null, policyDigest: gate.policyDigest });
    } catch (error) {
      if (error instanceof StoreUnavailableError) storeDown(error);
      // A pushed policy that no longer parses (edited in the database): keep the one in force, say so.
      else log({ time: now().toISOString(), level: "error", msg: "policy or waivers unreadable; keeping those in force", reason: (error as Error).message });
    }
  };
  const state = (): ServiceState => {
    const reason = draining ? "shutting down" : storeReason;
    return { ready: !reason, ...(reason ? { reason } : {}), draining, inFlight };
  };
  const unavailable = (reason: string) =>
    jsonResponse(503, { error: `Bouncer served nothing: ${reason}` }, { "cache-control": "no-store", "retry-after": "5" }, "Service Unavailable");
  const unauthorized = () =>
    jsonResponse(401, { error: "sign in: a viewer or admin token (Authorization: Bearer, or the bouncer_token cookie)" }, { "www-authenticate": 'Bearer realm="bouncer"' }, "Unauthorized");

  const answer = async (request: Request, info: RequestInfo | undefined, path: string): Promise<Response> => {
    if (path === "/healthz") return jsonResponse(200, { status: "ok" }, { "cache-control": "no-store" });
    if (path === "/readyz") {
      const s = state();
      return jsonResponse(s.ready ? 200 : 503, { ready: s.ready, ...(s.reason ? { reason: s.reason } : {}), store: gate.store.kind, policyVersion: gate.policyVersion ?? null, policyDigest: gate.policyDigest }, { "cache-control": "no-store" });
    }
    if (path === "/metrics") {
      const who = identify(request);
      if (!who) return unauthorized();
      return new Response(metrics.render(), { status: 200, headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" } });
    }
    const route = routes.find((r) => path.startsWith(r.prefix) || path === r.prefix.replace(/\/$/, ""));
    if (route) {
      const identity = identify(request);
      if (!identity) return unauthorized();
      if (!allows(identity, route.role)) return jsonResponse(403, { error: `this needs the ${route.role} role` }, {}, "Forbidden");
      return route.handle(request, { identity, info });
    }
    // The proxy: nothing is served that could not be judged and logged.
    const s = state();
    if (!s.ready) return unavailable(s.reason!);
    const response = await proxy(request, info);
    return response;
  };

  const handler: ProxyHandler = async (request, info) => {
    const start = performance.now();
    const path = new URL(request.url).pathname;
    const group = groupOf(path);
    inFlight++;
    let status = 500;
    try {
      const response = await answer(request, info, path);
      status = response.status;
      return response;
    } catch (error) {
      if (error instanceof StoreUnavailableError) {
        storeDown(error);
        status = 503;
        return unavailable(error.message);
      }
      throw error;
    } finally {
      inFlight--;
      const seconds = (performance.now() - start) / 1000;
      metrics.requests.inc({ group, code: String(status) });
      metrics.requestSeconds.observe(seconds, { group });
      if (path !== "/healthz" && path !== "/readyz" && path !== "/metrics") {
        log({ time: now().toISOString(), level: status >= 500 ? "error" : "info", msg: "request", method: request.method, path, status, ms: Math.round(seconds * 1000), client: info?.clientAddress });
      }
      if (draining && inFlight === 0) drained?.();
    }
  };

  return {
    handler,
    poll,
    storeDown,
    state,
    drain() {
      draining = true;
      if (inFlight === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        drained = resolve;
      });
    },
  };
}
