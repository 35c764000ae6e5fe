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
import { ADMIN, dashboardFixture, type Fixture, NOW, VIEWER } from "./fixture.ts";

const XSS = "<img src=x onerror=alert(1)>";

async function setup(t: TestContext, over: Partial<DashboardDeps> = {}): Promise<Fixture> {
  const f = await dashboardFixture(over);
  t.after(() => f.close());
  return f;
}

type Row = { seq: number; name: string };
const seqs = (body: Record<string, unknown>, key = "decisions") => (body[key] as Row[]).map((d) => d.seq);

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

/** Six decisions over two weeks, three of them blocks today. */
async function history(f: Fixture): Promise<void> {
  await f.log("2026-11-10T08:00:00.000Z", { verdict: "block", name: "left-padd" });
  await f.log("2026-11-22T08:00:00.000Z", { verdict: "warn", name: "lodash", door: "guard" });
  await f.log("2026-11-23T08:00:00.000Z", { verdict: "block", name: XSS, purl: "pkg:npm/%3Cimg" });
  await f.log("2026-11-23T09:00:00.000Z", { verdict: "block", name: XSS, purl: "pkg:npm/%3Cimg" });
  await f.log("2026-11-23T10:00:00.000Z", { verdict: "block", name: "numpay", ecosystem: "pypi" });
  await f.log("2026-11-23T11:00:00.000Z", { verdict: "allow", name: "requests", ecosystem: "pypi" });
}

describe("decisions and overview", () => {
  test("filters by door, verdict, ecosystem, package and a time range counted back from the server's clock", async (t) => {
    const f = await setup(t);
    await history(f);
    assert.deepEqual(seqs((await f.get("/ui/api/decisions?verdict=block&ecosystem=pypi&door=proxy&range=24h")).body), [5]);
    assert.deepEqual(seqs((await f.get("/ui/api/decisions?range=24h")).body), [6, 5, 4, 3]);
    assert.deepEqual(seqs((await f.get("/ui/api/decisions?door=guard")).body), [2]);
    assert.deepEqual(seqs((await f.get("/ui/api/decisions?package=numpay")).body), [5]);
    // A name as its ecosystem records it (PEP 503), or a purl prefix.
    assert.deepEqual(seqs((await f.get("/ui/api/decisions?ecosystem=pypi&package=NumPay")).body), [5]);
    assert.deepEqual(seqs((await f.get("/ui/api/decisions?package=pkg%3Apypi%2F")).body), [6, 5]);
    assert.deepEqual(seqs((await f.get(`/ui/api/decisions?package=${encodeURIComponent(XSS)}`)).body), [4, 3]);
    assert.deepEqual(seqs((await f.get("/ui/api/decisions?since=2026-11-22T00:00:00Z&until=2026-11-23T09:00:00Z")).body), [3, 2]);
    for (const bad of ["verdict=maybe", "ecosystem=cargo", "door=elsewhere", "range=1y", "before=x", "since=yesterday", `package=${"a".repeat(300)}`]) {
      const r = await f.get(`/ui/api/decisions?${bad}`);
      assert.equal(r.status, 400, bad);
      assert.ok(r.body.error, bad);
    }
  });

  test("pages back by log position", async (t) => {
    const f = await setup(t);
    await history(f);
    const first = await f.get("/ui/api/decisions?limit=4");
    assert.deepEqual(seqs(first.body), [6, 5, 4, 3]);
    assert.equal(first.body.next, 3);
    const second = await f.get(`/ui/api/decisions?limit=4&before=${first.body.next}`);
    assert.deepEqual(seqs(second.body), [2, 1]);
    assert.equal(second.body.next, undefined);
  });

  test("overview: today's blocks by package, and fourteen days of verdicts", async (t) => {
    const f = await setup(t);
    await history(f);
    const { body } = await f.get("/ui/api/overview");
    assert.equal(body.todayStart, "2026-11-23T00:00:00.000Z");
    assert.deepEqual(body.today, { day: "2026-11-23", allow: 1, warn: 0, block: 3 });
    const days = body.days as Array<{ day: string; block: number; warn: number }>;
    assert.equal(days.length, 14);
    assert.equal(days[0]!.day, "2026-11-10");
    assert.equal(days[0]!.block, 1);
    assert.equal(days[12]!.warn, 1);
    assert.deepEqual(body.blockedToday, [
      { ecosystem: "npm", name: XSS, count: 2, last: "2026-11-23T09:00:00.000Z" },
      { ecosystem: "pypi", name: "numpay", count: 1, last: "2026-11-23T10:00:00.000Z" },
    ]);
  });
});

describe("package page", () => {
  test("the engine's judgement now, the waivers and the history of that exact name", async (t) => {
    const f = await setup(t);
    await f.log("2026-11-20T00:00:00.000Z", { name: "left-padd", verdict: "block" });
    await f.log("2026-11-21T00:00:00.000Z", { name: "left-padder" });
    f.data.checkResult = {
      purl: "pkg:npm/left-padd",
      ecosystem: "npm",
      name: "left-padd",
      version: null,
      verdict: "block",
      findings: [{ code: "not-found", severity: "critical", message: 'the npm registry has no package named "left-padd"' }],
      didYouMean: ["left-pad"],
      locations: [],
    };
    await f.post("/ui/api/waivers", { ecosystem: "npm", name: "left-padd", scope: "all", reason: "a fork we own" });
    await f.post("/ui/api/waivers", { ecosystem: "npm", name: "left-padder", scope: "all", reason: "another" });
    const { status, body } = await f.get("/ui/api/packages/npm/left-padd");
    assert.equal(status, 200);
    assert.deepEqual(body.check, {
      purl: "pkg:npm/left-padd",
      verdict: "block",
      findings: [{ code: "not-found", severity: "critical", message: 'the npm registry has no package named "left-padd"' }],
      didYouMean: ["left-pad"],
    });
    assert.deepEqual(seqs(body, "history"), [1]);
    assert.deepEqual((body.waivers as Array<{ reason: string }>).map((w) => w.reason), ["a fork we own"]);
  });

  test("a scoped name in one segment or two, a PyPI name normalised; a check that fails is said, the history still shown", async (t) => {
    const f = await setup(t);
    await f.log("2026-11-20T00:00:00.000Z", { name: "@scope/pkg" });
    await f.log("2026-11-20T00:00:00.000Z", { name: "python-dateutil", ecosystem: "pypi" });
    f.data.checkResult = new Error("the registry timed out");
    for (const p of ["/ui/api/packages/npm/%40scope%2Fpkg", "/ui/api/packages/npm/@scope/pkg"]) {
      const { status, body } = await f.get(p);
      assert.equal(status, 200, p);
      assert.equal(body.name, "@scope/pkg");
      assert.equal(body.check, null);
      assert.equal(body.checkError, "the registry timed out");
      assert.deepEqual(seqs(body, "history"), [1]);
    }
    assert.deepEqual(seqs((await f.get("/ui/api/packages/pypi/Python_Dateutil")).body, "history"), [2]);
    assert.equal((await f.get("/ui/api/packages/cargo/serde")).status, 400);
    assert.equal((await f.get("/ui/api/packages/npm/%E0%A4%A")).status, 400);
  });

  test("an invalid name still shows its history, as recorded", async (t) => {
    const f = await setup(t);
    await history(f);
    const { status, body } = await f.get(`/ui/api/packages/npm/${encodeURIComponent(XSS)}`);
    assert.equal(status, 200);
    assert.equal(body.name, XSS);
    assert.deepEqual(seqs(body, "history"), [4, 3]);
  });
});

describe("waivers", () => {
  const request = { ecosystem: "npm", name: "left-padd", version: "1.0.0", scope: "team", scopeValue: "payments", reason: "vendored fork", expiresInHours: 48 };
  type W = { id: string; status: string; requestedBy: string; expiresAt: string; scope: unknown; decidedBy: string | null };

  test("a viewer requests; only an admin approves, the requested expiry counted from the server's clock", async (t) => {
    const { post, get } = await setup(t);
    const asked = await post("/ui/api/waivers", request, VIEWER);
    assert.equal(asked.status, 201);
    const w = asked.body.waiver as W;
    assert.deepEqual(
      { status: w.status, by: w.requestedBy, scope: w.scope, expiresAt: w.expiresAt },
      { status: "requested", by: "viewer-token", scope: { kind: "team", team: "payments" }, expiresAt: "2026-11-25T12:00:00.000Z" },
    );
    const refused = await post(`/ui/api/waivers/${w.id}/approve`, {}, VIEWER);
    assert.equal(refused.status, 403);
    const approved = await post(`/ui/api/waivers/${w.id}/approve`, {});
    assert.equal(approved.status, 200);
    assert.deepEqual(
      { status: (approved.body.waiver as W).status, by: (approved.body.waiver as W).decidedBy },
      { status: "active", by: "admin-token" },
    );
    assert.deepEqual(((await get("/ui/api/waivers")).body.waivers as W[]).map((x) => x.status), ["active"]);
    const again = await post(`/ui/api/waivers/${w.id}/deny`, {});
    assert.equal(again.status, 409);
    assert.match(again.body.error!, /is active, not requested/);
    const revoked = await post(`/ui/api/waivers/${w.id}/revoke`, {});
    assert.equal((revoked.body.waiver as W).status, "revoked");
    assert.equal((await post("/ui/api/waivers/w_nothing/revoke", {})).status, 404);
  });

  test("an admin's waiver is in force at once and shows as expired past its time; a denied request stays denied", async (t) => {
    const f = await setup(t);
    const granted = await f.post("/ui/api/waivers", { ...request, scope: "all", scopeValue: "ignored", expiresInHours: 1 });
    assert.equal(granted.status, 201);
    assert.deepEqual((granted.body.waiver as W).scope, { kind: "all" });
    assert.equal((granted.body.waiver as W).status, "active");
    const asked = await f.post("/ui/api/waivers", request, VIEWER);
    const denied = await f.post(`/ui/api/waivers/${(asked.body.waiver as W).id}/deny`, {});
    assert.equal((denied.body.waiver as W).status, "denied");
    const later = await dashboardFixture({ clock: () => new Date("2026-11-23T13:00:00.000Z") });
    t.after(() => later.close());
    await later.store.waivers.add({ ecosystem: "npm", name: "x", version: null, scope: { kind: "all" }, by: "cli", reason: "r", expiresAt: new Date("2026-11-23T13:00:00.000Z") }, new Date(NOW));
    assert.deepEqual(((await later.get("/ui/api/waivers")).body.waivers as W[]).map((x) => x.status), ["expired"]);
  });

  test("bad requests are refused with the reason", async (t) => {
    const { post, call } = await setup(t);
    for (const [body, pattern] of [
      [{ ...request, reason: "" }, /reason is required/],
      [{ ...request, scope: "galaxy" }, /scope must be one of all, team, project/],
      [{ ...request, scopeValue: null }, /a team waiver names its team/],
      [{ ...request, ecosystem: "cargo" }, /ecosystem must be one of/],
      [{ ...request, name: XSS }, /is not a valid npm package name/],
      [{ ...request, expiresInHours: 0 }, /expiresInHours must be a whole number/],
      [{ ...request, expiresInHours: 1e9 }, /expiresInHours must be a whole number/],
      [{ ...request, name: 5 }, /name must be a string/],
      [{ ...request, reason: "x".repeat(1001) }, /the limit is 1000/],
      [[1, 2], /must be a JSON object/],
      ["{not json", /not JSON/],
    ] as const) {
      const res = await post("/ui/api/waivers", body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.match(res.body.error!, pattern);
    }
    const form = await call("/ui/api/waivers", { token: ADMIN, method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(form.status, 415);
    const huge = await post("/ui/api/waivers", { ...request, reason: "x".repeat(20_000) });
    assert.equal(huge.status, 413);
  });
});

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
