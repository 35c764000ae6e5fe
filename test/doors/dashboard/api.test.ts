// The dashboard's files and JSON API, handler by handler, over a real embedded store (no browser).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { describe, type TestContext, test } from "node:test";
import { withDashboard } from "../../../src/doors/dashboard/http.ts";
import { CSP, type DashboardDeps } from "../../../src/doors/dashboard/index.ts";
import { authenticator } from "../../../src/doors/service/auth.ts";
import { StoreUnavailableError } from "../../../src/store/types.ts";
import { dashboardDataSuites, history } from "./data-suite.ts";
import { ADMIN, dashboardFixture, type Fixture, NOW, VIEWER } from "./fixture.ts";

async function setup(t: TestContext, over: Partial<DashboardDeps> = {}): Promise<Fixture> {
  const f = await dashboardFixture(over);
  t.after(() => f.close());
  return f;
}

describe("dashboard files", () => {
  test("the page, its script and style, with a strict CSP and no-sniff; /ui redirects to /ui/", async (t) => {
    const { call } = await setup(t);
    const page = await call("/ui/");
    assert.equal(page.status, 200);
    assert.equal(page.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(page.headers.get("content-security-policy"), CSP);
    assert.match(CSP, /script-src 'self'(;|$)/);
    assert.doesNotMatch(CSP, /unsafe|https?:/);
    assert.equal(page.headers.get("x-content-type-options"), "nosniff");
    assert.equal(page.headers.get("x-frame-options"), "DENY");
    const html = await page.text();
    assert.match(html, /<script type="module" src="app.js"><\/script>/);
    assert.doesNotMatch(html, /<script>|<script(?![^>]*src=)[^>]*>|\son\w+=|style=|https?:\/\/(?!www\.w3\.org)/, "no inline script, handler, style or other origin");
    assert.equal((await call("/ui/app.js")).headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal((await call("/ui/app.css")).headers.get("content-type"), "text/css; charset=utf-8");
    const redirect = await call("/ui");
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get("location"), "/ui/");
    assert.equal((await call("/ui/../package.json")).status, 404);
    assert.equal((await call("/ui/nope.js")).status, 404);
  });

  test("answers a matching ETag with 304", async (t) => {
    const { call } = await setup(t);
    const first = await call("/ui/app.js");
    const etag = first.headers.get("etag")!;
    assert.ok(etag);
    const again = await call("/ui/app.js", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
  });

  test("no script builds markup from strings", async (t) => {
    const { call } = await setup(t);
    for (const file of ["app.js", "dom.js", "chart.js"]) {
      const text = await (await call(`/ui/${file}`)).text();
      assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/, file);
    }
  });
});

describe("dashboard API access", () => {
  test("needs the x-bouncer-ui header, refuses other sites, and needs a token", async (t) => {
    const { call } = await setup(t);
    const noHeader = await call("/ui/api/session", { token: ADMIN, headers: { "x-bouncer-ui": "" } });
    assert.equal(noHeader.status, 403);
    const crossSite = await call("/ui/api/session", { token: ADMIN, headers: { "sec-fetch-site": "cross-site" } });
    assert.equal(crossSite.status, 403);
    const anonymous = await call("/ui/api/session");
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get("www-authenticate"), null, "no browser password prompt");
    assert.equal((await call("/ui/api/session", { token: "wrong-token-0123456789abcdef" })).status, 401);
  });

  test("tells viewer from admin; Basic credentials carry the token as the proxy's do", async (t) => {
    const { get, call } = await setup(t);
    assert.equal((await get("/ui/api/session", VIEWER)).body.role, "viewer");
    assert.equal((await get("/ui/api/session", ADMIN)).body.role, "admin");
    const basic = await call("/ui/api/session", { headers: { authorization: `Basic ${Buffer.from(`me:${ADMIN}`).toString("base64")}` } });
    assert.equal(((await basic.json()) as { role: string }).role, "admin");
    const session = (await get("/ui/api/session")).body;
    assert.deepEqual(session.ecosystems, ["npm", "pypi"]);
    assert.deepEqual(session.waiverScopes, ["all", "team", "project"]);
    assert.equal(session.now, NOW);
  });

  test("with no token configured everyone is admin (a loopback server, as the proxy)", async (t) => {
    const { get } = await setup(t, { authenticate: authenticator({ local: true }), signIn: false });
    const res = await get("/ui/api/session", "");
    assert.equal(res.status, 200);
    assert.equal(res.body.role, "admin");
    assert.equal(res.body.signIn, false);
  });

  test("behind a reverse proxy's identity header, its user is who acts", async (t) => {
    const { call } = await setup(t, { authenticate: authenticator({ identityHeader: "x-forwarded-user", admins: ["ana"], local: false }) });
    const res = await call("/ui/api/waivers", { headers: { "x-forwarded-user": "ana" }, body: { ecosystem: "npm", name: "left-padd", scope: "all", reason: "ours" } });
    assert.equal(res.status, 201);
    const w = ((await res.json()) as { waiver: { requestedBy: string; status: string } }).waiver;
    assert.deepEqual({ by: w.requestedBy, status: w.status }, { by: "ana", status: "active" });
    const viewer = (await (await call("/ui/api/session", { headers: { "x-forwarded-user": "bo" } })).json()) as { role: string; who: string; signIn: boolean };
    assert.deepEqual({ role: viewer.role, who: viewer.who, signIn: viewer.signIn }, { role: "viewer", who: "bo", signIn: false });
  });

  test("a store that is down is a 503 with its reason, not a failure of the dashboard", async (t) => {
    const f = await setup(t);
    f.data.decisions = {
      ...f.store.decisions,
      query: () => Promise.reject(new StoreUnavailableError("connection refused")),
    };
    const res = await f.get("/ui/api/decisions");
    assert.equal(res.status, 503);
    assert.match(res.body.error!, /the store is unavailable: connection refused/);
  });

  test("unknown routes and methods", async (t) => {
    const { get, call } = await setup(t);
    assert.equal((await get("/ui/api/nothing")).status, 404);
    const wrongMethod = await call("/ui/api/decisions", { token: ADMIN, method: "DELETE" });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "GET");
  });
});

dashboardDataSuites("embedded store", async () => ({}));

describe("integrity", () => {
  test("empty, intact, then broken with the problem listed; one verification answers for a few seconds", async (t) => {
    const f = await setup(t);
    assert.equal((await f.get("/ui/api/integrity")).body.status, "empty");
    const g = await setup(t);
    await history(g);
    const intact = await g.get("/ui/api/integrity");
    assert.equal(intact.body.status, "intact");
    assert.equal(intact.body.entries, 6);
    assert.equal(intact.body.checkedAt, NOW);
    await g.get("/ui/api/integrity");
    assert.equal(g.data.verifications, 1);
    const h = await setup(t);
    await history(h);
    const file = path.join(h.store.location, "ledger.jsonl");
    writeFileSync(file, readFileSync(file, "utf8").replace('"verdict":"warn"', '"verdict":"allow"'));
    const broken = await h.get("/ui/api/integrity");
    assert.equal(broken.body.status, "broken");
    assert.match((broken.body.problems as Array<{ message: string }>)[0]!.message, /entry 2 was edited/);
  });
});

describe("over node:http", () => {
  test("POST bodies reach the API, bounded; other paths go to the proxy", async (t) => {
    const { handler } = await setup(t);
    const server = createServer(
      withDashboard(handler, (_req, res) => {
        res.writeHead(299);
        res.end("proxy");
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const headers = { "x-bouncer-ui": "1", authorization: `Bearer ${VIEWER}`, "content-type": "application/json" };
      const body = JSON.stringify({ ecosystem: "npm", name: "left-padd", scope: "all", reason: "why" });
      const created = await fetch(`${base}/ui/api/waivers`, { method: "POST", headers, body });
      assert.equal(created.status, 201);
      assert.equal(((await created.json()) as { waiver: { status: string } }).waiver.status, "requested");
      const huge = await fetch(`${base}/ui/api/waivers`, { method: "POST", headers, body: "x".repeat(100_000) });
      assert.equal(huge.status, 413);
      await huge.arrayBuffer();
      const proxied = await fetch(`${base}/npm/left-pad`);
      assert.equal(proxied.status, 299);
      assert.equal(await proxied.text(), "proxy");
      const page = await fetch(`${base}/ui/`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get("content-length"), String((await page.arrayBuffer()).byteLength));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
