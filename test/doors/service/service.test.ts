// The service around the proxy: health, readiness, metrics, authentication of its own pages,
// failing closed while the store is down and recovering on the next poll, draining on shutdown.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { defaultPolicy } from "../../../src/core/policy.ts";
import type { ProxyHandler } from "../../../src/doors/proxy/types.ts";
import { ServiceMetrics } from "../../../src/doors/service/metrics.ts";
import { createService, type LogRecord, recordMetrics, type ServiceRoute } from "../../../src/doors/service/service.ts";
import { type Gate, openGate } from "../../../src/engine/service.ts";
import { StoreUnavailableError } from "../../../src/store/types.ts";
import { FIXED_NOW, type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";

const VIEWER = "viewer-token-0123456789";
const ADMIN = "admin-token-0123456789ab";
let up: RegistryServer;
let gate: Gate;
let dataDir: string;
const metrics = new ServiceMetrics();

before(async () => {
  up = await startRegistryServer();
  dataDir = mkdtempSync(path.join(tmpdir(), "bouncer-service-"));
  gate = await openGate(
    {
      dataDir,
      offline: false,
      policy: defaultPolicy(),
      now: new Date(FIXED_NOW),
      registries: { npm: up.npmBase, npmDownloads: up.downloadsBase, pypi: up.pypiBase },
    },
    { livePolicy: true, onRecord: recordMetrics(metrics) },
  );
});
after(async () => {
  await gate.close();
  await up.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const get = (handler: ProxyHandler, p: string, headers: Record<string, string> = {}) => handler(new Request(`http://bouncer.invalid${p}`, { headers }));

function serviceWith(proxy: ProxyHandler, extra: { routes?: ServiceRoute[]; auth?: Partial<Parameters<typeof createService>[0]["auth"]> } = {}) {
  const logs: LogRecord[] = [];
  const service = createService({
    proxy,
    gate,
    metrics,
    routes: extra.routes,
    log: (r) => void logs.push(r),
    auth: { viewerToken: VIEWER, adminToken: ADMIN, local: false, ...extra.auth },
  });
  return { service, logs };
}

const ok: ProxyHandler = async () => new Response("served", { status: 200 });

test("health, readiness after the first poll, metrics behind a token, one JSON log line per proxied request", async () => {
  const { service, logs } = serviceWith(ok);
  assert.equal((await get(service.handler, "/healthz")).status, 200);
  const early = await get(service.handler, "/readyz");
  assert.equal(early.status, 503, "not ready before the store was read");
  assert.equal((await get(service.handler, "/npm/left-pad")).status, 503, "nothing served before the store was read");
  await service.poll();
  const ready = await get(service.handler, "/readyz");
  assert.equal(ready.status, 200);
  assert.equal(((await ready.json()) as { store: string }).store, "sqlite");
  assert.equal(await (await get(service.handler, "/npm/left-pad")).text(), "served");
  assert.equal((await get(service.handler, "/metrics")).status, 401);
  const scraped = await get(service.handler, "/metrics", { authorization: `Bearer ${VIEWER}` });
  assert.equal(scraped.status, 200);
  const text = await scraped.text();
  assert.match(text, /^bouncer_requests_total\{group="npm",code="200"\} 1$/m);
  assert.match(text, /^# TYPE bouncer_upstream_request_seconds histogram$/m);
  const line = logs.findLast((l) => l.msg === "request");
  assert.deepEqual({ method: line?.method, path: line?.path, status: line?.status }, { method: "GET", path: "/npm/left-pad", status: 200 });
  assert.doesNotThrow(() => JSON.stringify(line));
});

test("mounted pages need a viewer or admin token, or a trusted identity header when one is configured", async () => {
  const seen: string[] = [];
  const routes: ServiceRoute[] = [
    {
      prefix: "/ui/",
      role: "viewer",
      handle: async (_r, { identity }) => {
        seen.push(`${identity.name}:${identity.role}`);
        return new Response("ui");
      },
    },
    { prefix: "/api/admin/", role: "admin", handle: async () => new Response("admin") },
  ];
  const { service } = serviceWith(ok, { routes });
  await service.poll();
  assert.equal((await get(service.handler, "/ui/")).status, 401);
  assert.equal((await get(service.handler, "/ui/", { authorization: "Bearer wrong-token-0123456789" })).status, 401);
  assert.equal((await get(service.handler, "/ui", { authorization: `Bearer ${VIEWER}` })).status, 200);
  assert.equal((await get(service.handler, "/ui/", { cookie: `theme=dark; bouncer_token=${ADMIN}` })).status, 200);
  assert.equal((await get(service.handler, "/api/admin/waivers", { authorization: `Bearer ${VIEWER}` })).status, 403);
  assert.equal((await get(service.handler, "/api/admin/waivers", { authorization: `Basic ${Buffer.from(`x:${ADMIN}`).toString("base64")}` })).status, 200);
  assert.equal((await get(service.handler, "/ui/", { "x-forwarded-user": "mallory" })).status, 401, "the header is not trusted unless configured");
  assert.deepEqual(seen, ["viewer-token:viewer", "admin-token:admin"]);

  const behindProxy = serviceWith(ok, { routes, auth: { viewerToken: undefined, adminToken: undefined, identityHeader: "X-Forwarded-User", admins: ["alice"] } }).service;
  await behindProxy.poll();
  assert.equal((await get(behindProxy.handler, "/api/admin/x", { "x-forwarded-user": "bob" })).status, 403);
  assert.equal((await get(behindProxy.handler, "/api/admin/x", { "x-forwarded-user": "alice" })).status, 200);
  assert.equal((await get(behindProxy.handler, "/ui/")).status, 401);
});

test("while the store is down nothing is served (503 with the reason); the next good poll recovers", async () => {
  let proxied = 0;
  const { service, logs } = serviceWith(async () => {
    proxied++;
    return new Response("served");
  });
  await service.poll();
  service.storeDown(new StoreUnavailableError("the store at postgres://db/ is unavailable: connect ECONNREFUSED"));
  const refused = await get(service.handler, "/pypi/simple/requests/");
  assert.equal(refused.status, 503);
  assert.match(((await refused.json()) as { error: string }).error, /ECONNREFUSED/);
  const notReady = await get(service.handler, "/readyz");
  assert.equal(notReady.status, 503);
  assert.match(((await notReady.json()) as { reason: string }).reason, /unavailable/);
  assert.equal(proxied, 0);
  assert.ok(logs.some((l) => l.level === "error" && l.msg === "store unavailable: failing closed"));
  await service.poll();
  assert.equal((await get(service.handler, "/pypi/simple/requests/")).status, 200);
  assert.equal(proxied, 1);

  // A store failure met by the proxy itself is the same: 503, and the replica fails closed until a poll succeeds.
  const failing = serviceWith(async () => {
    throw new StoreUnavailableError("the store is unavailable: Connection terminated unexpectedly");
  }).service;
  await failing.poll();
  assert.equal((await get(failing.handler, "/npm/x")).status, 503);
  assert.equal(failing.state().ready, false);
});

test("draining: in-flight requests finish, new ones get 503, readiness drops", async () => {
  let release!: () => void;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const { service } = serviceWith(async () => {
    await held;
    return new Response("late but whole");
  });
  await service.poll();
  const inFlight = get(service.handler, "/npm/slow");
  await new Promise((r) => setImmediate(r));
  assert.equal(service.state().inFlight, 1);
  let drained = false;
  const draining = service.drain().then(() => {
    drained = true;
  });
  assert.equal((await get(service.handler, "/npm/other")).status, 503);
  assert.equal((await get(service.handler, "/readyz")).status, 503);
  assert.equal(drained, false);
  release();
  assert.equal(await (await inFlight).text(), "late but whole");
  await draining;
  assert.equal(drained, true);
});

test("verdicts, finding codes and waivers used are counted as decisions are logged", async () => {
  const before = metrics.verdicts.get({ verdict: "block", door: "proxy" });
  await gate.check([gate.request("npm", "react-hooks-toolkit-pro", null)], "proxy");
  assert.equal(metrics.verdicts.get({ verdict: "block", door: "proxy" }), before + 1);
  assert.ok(metrics.findings.get({ code: "install-scripts" }) >= 1);
  const w = await gate.store.waivers.add(
    { ecosystem: "npm", name: "react-hooks-toolkit-pro", version: null, scope: { kind: "all" }, by: "alice", reason: "vetted", expiresAt: new Date(Date.parse(FIXED_NOW) + 3_600_000) },
    new Date(FIXED_NOW),
  );
  await gate.refresh();
  await gate.check([gate.request("npm", "react-hooks-toolkit-pro", null)], "proxy");
  assert.equal(metrics.waiversUsed.get(), 1);
  await gate.store.waivers.revoke(w.id, "alice", new Date(FIXED_NOW));
  await gate.refresh();
});
