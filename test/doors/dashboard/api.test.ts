// The dashboard's files and JSON API, handler by handler, over an in-memory backend (no browser).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { withDashboard } from "../../../src/doors/dashboard/http.ts";
import { CSP, createDashboard, type DashboardDeps, tokenAuthenticator } from "../../../src/doors/dashboard/index.ts";
import { decision, type FakeBackend, fakeBackend } from "./fake-backend.ts";

const NOW = "2026-11-23T12:00:00.000Z";
const ADMIN = "admin-token-0123456789abcdef";
const VIEWER = "viewer-token-0123456789abcdef";
const XSS = "<img src=x onerror=alert(1)>";

function setup(backend: FakeBackend = fakeBackend(), over: Partial<DashboardDeps> = {}) {
  const handler = createDashboard({
    backend,
    authenticate: tokenAuthenticator({ admin: [ADMIN], viewer: [VIEWER] }),
    tokens: true,
    clock: () => new Date(NOW),
    ecosystems: ["npm", "pypi"],
    doors: ["check", "guard", "proxy"],
    ...over,
  });
  const call = (path: string, options: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    const headers: Record<string, string> = { "x-bouncer-ui": "1", ...options.headers };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] = "application/json";
    return handler(
      new Request(`http://bouncer.invalid${path}`, {
        method: options.method ?? (options.body === undefined ? "GET" : "POST"),
        headers,
        body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
      }),
    );
  };
  const get = async (path: string, token = VIEWER) => {
    const res = await call(path, { token });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: string } };
  };
  const post = async (path: string, body: unknown, token = ADMIN) => {
    const res = await call(path, { token, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> & { error?: string } };
  };
  return { backend, handler, call, get, post };
}

describe("dashboard files", () => {
  test("the page, its script and style, with a strict CSP and no-sniff; /ui redirects to /ui/", async () => {
    const { call } = setup();
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

  test("answers a matching ETag with 304", async () => {
    const { call } = setup();
    const first = await call("/ui/app.js");
    const etag = first.headers.get("etag")!;
    assert.ok(etag);
    const again = await call("/ui/app.js", { headers: { "if-none-match": etag } });
    assert.equal(again.status, 304);
  });

  test("no script builds markup from strings", async () => {
    const { call } = setup();
    for (const file of ["app.js", "dom.js", "chart.js"]) {
      const text = await (await call(`/ui/${file}`)).text();
      assert.doesNotMatch(text, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/, file);
    }
  });
});

describe("dashboard API access", () => {
  test("needs the x-bouncer-ui header, refuses other sites, and needs a token", async () => {
    const { call } = setup();
    const noHeader = await call("/ui/api/session", { token: ADMIN, headers: { "x-bouncer-ui": "" } });
    assert.equal(noHeader.status, 403);
    const crossSite = await call("/ui/api/session", { token: ADMIN, headers: { "sec-fetch-site": "cross-site" } });
    assert.equal(crossSite.status, 403);
    const anonymous = await call("/ui/api/session");
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.headers.get("www-authenticate"), null, "no browser password prompt");
    assert.equal((await call("/ui/api/session", { token: "wrong-token-0123456789abcdef" })).status, 401);
  });

  test("tells viewer from admin; Basic credentials carry the token as the proxy's do", async () => {
    const { get, call } = setup();
    assert.deepEqual(
      { role: (await get("/ui/api/session", VIEWER)).body.role, admin: (await get("/ui/api/session", ADMIN)).body.role },
      { role: "viewer", admin: "admin" },
    );
    const basic = await call("/ui/api/session", { headers: { authorization: `Basic ${Buffer.from(`me:${ADMIN}`).toString("base64")}` } });
    assert.equal(((await basic.json()) as { role: string }).role, "admin");
    const session = (await get("/ui/api/session")).body;
    assert.deepEqual(session.ecosystems, ["npm", "pypi"]);
    assert.deepEqual(session.waiverScopes, ["all", "team", "project"]);
    assert.equal(session.now, NOW);
  });

  test("with no token configured everyone is admin (a loopback server, as the proxy)", async () => {
    const { get } = setup(fakeBackend(), { authenticate: tokenAuthenticator({}), tokens: false });
    const res = await get("/ui/api/session", "");
    assert.equal(res.status, 200);
    assert.equal(res.body.role, "admin");
    assert.equal(res.body.tokens, false);
  });

  test("unknown routes and methods", async () => {
    const { get, call } = setup();
    assert.equal((await get("/ui/api/nothing")).status, 404);
    const wrongMethod = await call("/ui/api/decisions", { token: ADMIN, method: "DELETE" });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "GET");
  });
});

describe("decisions and overview", () => {
  const rows = [
    decision(1, "2026-11-10T08:00:00.000Z", { verdict: "block", name: "left-padd" }),
    decision(2, "2026-11-22T08:00:00.000Z", { verdict: "warn", name: "lodash", door: "guard" }),
    decision(3, "2026-11-23T08:00:00.000Z", { verdict: "block", name: XSS }),
    decision(4, "2026-11-23T09:00:00.000Z", { verdict: "block", name: XSS }),
    decision(5, "2026-11-23T10:00:00.000Z", { verdict: "block", name: "numpay", ecosystem: "pypi" }),
    decision(6, "2026-11-23T11:00:00.000Z", { verdict: "allow", name: "requests", ecosystem: "pypi" }),
  ];

  test("filters reach the backend validated; the time range counts back from the server's clock", async () => {
    const { get, backend } = setup(fakeBackend(rows));
    const res = await get("/ui/api/decisions?verdict=block&ecosystem=pypi&door=proxy&range=24h&package=%20NUM%20");
    assert.equal(res.status, 200);
    assert.deepEqual(
      (res.body.decisions as Array<{ seq: number }>).map((d) => d.seq),
      [5],
    );
    assert.deepEqual(backend.filters.at(-1), {
      door: "proxy",
      verdict: "block",
      ecosystem: "pypi",
      nameContains: "NUM",
      since: "2026-11-22T12:00:00.000Z",
      until: undefined,
      beforeSeq: undefined,
      limit: 101,
    });
    for (const bad of ["verdict=maybe", "ecosystem=cargo", "door=elsewhere", "range=1y", "before=x", "since=yesterday", `package=${"a".repeat(300)}`]) {
      const r = await get(`/ui/api/decisions?${bad}`);
      assert.equal(r.status, 400, bad);
      assert.ok(r.body.error, bad);
    }
  });

  test("pages back by log position", async () => {
    const { get } = setup(fakeBackend(rows));
    const first = await get("/ui/api/decisions?limit=4");
    assert.deepEqual((first.body.decisions as Array<{ seq: number }>).map((d) => d.seq), [6, 5, 4, 3]);
    assert.equal(first.body.next, 3);
    const second = await get(`/ui/api/decisions?limit=4&before=${first.body.next}`);
    assert.deepEqual((second.body.decisions as Array<{ seq: number }>).map((d) => d.seq), [2, 1]);
    assert.equal(second.body.next, undefined);
  });

  test("overview: today's blocks by package, and fourteen days of verdicts with the empty days filled", async () => {
    const { get } = setup(fakeBackend(rows));
    const { body } = await get("/ui/api/overview");
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
  test("the engine's judgement now, the waivers and the history of that exact name", async () => {
    const backend = fakeBackend([decision(1, "2026-11-20T00:00:00.000Z", { name: "left-padd", verdict: "block" }), decision(2, "2026-11-21T00:00:00.000Z", { name: "left-padder" })]);
    backend.checkResult = {
      purl: "pkg:npm/left-padd",
      ecosystem: "npm",
      name: "left-padd",
      version: null,
      verdict: "block",
      findings: [{ code: "not-found", severity: "critical", message: 'the npm registry has no package named "left-padd"' }],
      didYouMean: ["left-pad"],
      locations: [],
    };
    const { get } = setup(backend);
    const { status, body } = await get("/ui/api/packages/npm/left-padd");
    assert.equal(status, 200);
    assert.deepEqual(body.check, {
      purl: "pkg:npm/left-padd",
      verdict: "block",
      findings: [{ code: "not-found", severity: "critical", message: 'the npm registry has no package named "left-padd"' }],
      didYouMean: ["left-pad"],
    });
    assert.deepEqual((body.history as Array<{ seq: number }>).map((d) => d.seq), [1]);
    assert.equal(backend.filters.at(-1)!.name, "left-padd");
  });

  test("a scoped name in one segment or two; a check that fails is said, the history still shown", async () => {
    const backend = fakeBackend([decision(1, "2026-11-20T00:00:00.000Z", { name: "@scope/pkg" })]);
    backend.checkResult = new Error("the registry timed out");
    const { get } = setup(backend);
    for (const path of ["/ui/api/packages/npm/%40scope%2Fpkg", "/ui/api/packages/npm/@scope/pkg"]) {
      const { status, body } = await get(path);
      assert.equal(status, 200, path);
      assert.equal(body.name, "@scope/pkg");
      assert.equal(body.check, null);
      assert.equal(body.checkError, "the registry timed out");
      assert.equal((body.history as unknown[]).length, 1);
    }
    assert.equal((await get("/ui/api/packages/cargo/serde")).status, 400);
    assert.equal((await get("/ui/api/packages/npm/%E0%A4%A")).status, 400);
  });
});

describe("waivers", () => {
  const request = { ecosystem: "npm", name: XSS, version: "1.0.0", scope: "team", scopeValue: "payments", reason: "vendored fork", expiresInHours: 24 };

  test("a viewer requests, only an admin approves (the expiry counted from the server's clock)", async () => {
    const { post, get, backend } = setup();
    const asked = await post("/ui/api/waivers", request, VIEWER);
    assert.equal(asked.status, 201);
    const w = asked.body.waiver as { id: string; status: string; requestedBy: string; name: string };
    assert.equal(w.status, "requested");
    assert.equal(w.requestedBy, "viewer token");
    assert.equal(w.name, XSS);
    assert.equal((await post(`/ui/api/waivers/${w.id}/approve`, {}, VIEWER)).status, 403);
    const approved = await post(`/ui/api/waivers/${w.id}/approve`, { expiresInHours: 48 });
    assert.equal(approved.status, 200);
    assert.deepEqual(
      { status: (approved.body.waiver as { status: string }).status, expiresAt: backend.waiverRows[0]!.expiresAt },
      { status: "active", expiresAt: "2026-11-25T12:00:00.000Z" },
    );
    assert.equal(((await get("/ui/api/waivers")).body.waivers as unknown[]).length, 1);
    const again = await post(`/ui/api/waivers/${w.id}/deny`, {});
    assert.equal(again.status, 409);
    assert.match(again.body.error!, /is active, not requested/);
    const revoked = await post(`/ui/api/waivers/${w.id}/revoke`, {});
    assert.equal((revoked.body.waiver as { status: string }).status, "revoked");
    assert.equal((await post("/ui/api/waivers/99/revoke", {})).status, 404);
  });

  test("an admin's waiver is granted at once; deny leaves no active waiver", async () => {
    const { post } = setup();
    const granted = await post("/ui/api/waivers", { ...request, scope: "all", scopeValue: "ignored" });
    assert.equal(granted.status, 201);
    assert.deepEqual(
      { status: (granted.body.waiver as { status: string }).status, scopeValue: (granted.body.waiver as { scopeValue: unknown }).scopeValue },
      { status: "active", scopeValue: null },
    );
    const asked = await post("/ui/api/waivers", request, VIEWER);
    const denied = await post(`/ui/api/waivers/${(asked.body.waiver as { id: string }).id}/deny`, {});
    assert.equal((denied.body.waiver as { status: string }).status, "denied");
  });

  test("bad requests are refused with the reason", async () => {
    const { post, call } = setup();
    for (const [body, pattern] of [
      [{ ...request, reason: "" }, /reason is required/],
      [{ ...request, scope: "galaxy" }, /scope must be one of all, team, project/],
      [{ ...request, scopeValue: null }, /a team waiver names its team/],
      [{ ...request, ecosystem: "cargo" }, /ecosystem must be one of/],
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
    const refused = await post("/ui/api/waivers", { ...request, name: "cannot-waive" });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error!, /cannot be waived/);
    const form = await call("/ui/api/waivers", { token: ADMIN, method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" } });
    assert.equal(form.status, 415);
    const huge = await post("/ui/api/waivers", { ...request, reason: "x".repeat(20_000) });
    assert.equal(huge.status, 413);
  });
});

describe("integrity", () => {
  test("intact, empty or broken, with the problems listed; one verification answers for a few seconds", async () => {
    const backend = fakeBackend([decision(1, NOW)]);
    const { get } = setup(backend);
    const intact = await get("/ui/api/integrity");
    assert.equal(intact.body.status, "intact");
    assert.equal(intact.body.checkedAt, NOW);
    await get("/ui/api/integrity");
    assert.equal(backend.verifications, 1);
    const broken = setup(fakeBackend());
    broken.backend.report = { entries: 3, head: { seq: 3, hash: "0".repeat(64) }, anchored: true, problems: [{ kind: "edited", message: "line 2: entry 2 was edited" }], notes: [] };
    const res = await broken.get("/ui/api/integrity");
    assert.equal(res.body.status, "broken");
    assert.deepEqual(res.body.problems, [{ kind: "edited", message: "line 2: entry 2 was edited" }]);
    const empty = setup(fakeBackend());
    empty.backend.report = { ...empty.backend.report, entries: 0 };
    assert.equal((await empty.get("/ui/api/integrity")).body.status, "empty");
  });
});

describe("over node:http", () => {
  test("POST bodies reach the API, bounded; other paths go to the proxy", async () => {
    const { handler } = setup();
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
      const body = JSON.stringify({ ecosystem: "npm", name: "x", scope: "all", reason: "why" });
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
