// The dashboard API's reads and waiver changes over a store: run against the embedded store (fast)
// and PostgreSQL (slow), the same assertions for both.
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import type { DashboardDeps } from "../../../src/doors/dashboard/index.ts";
import { instrumentStore } from "../../../src/store/instrument.ts";
import type { OpenStoreOptions } from "../../../src/store/types.ts";
import { ADMIN, dashboardFixture, type Fixture, NOW, VIEWER } from "./fixture.ts";

export const XSS = "<img src=x onerror=alert(1)>";

type Row = { seq: number; name: string };
export const seqs = (body: Record<string, unknown>, key = "decisions") => (body[key] as Row[]).map((d) => d.seq);

/** Six decisions over two weeks, three of them blocks today. */
export async function history(f: Fixture): Promise<void> {
  await f.log("2026-11-10T08:00:00.000Z", { verdict: "block", name: "left-padd" });
  await f.log("2026-11-22T08:00:00.000Z", { verdict: "warn", name: "lodash", door: "guard" });
  await f.log("2026-11-23T08:00:00.000Z", { verdict: "block", name: XSS, purl: "pkg:npm/%3Cimg" });
  await f.log("2026-11-23T09:00:00.000Z", { verdict: "block", name: XSS, purl: "pkg:npm/%3Cimg" });
  await f.log("2026-11-23T10:00:00.000Z", { verdict: "block", name: "numpay", ecosystem: "pypi" });
  await f.log("2026-11-23T11:00:00.000Z", { verdict: "allow", name: "requests", ecosystem: "pypi", waiver: "w_1" });
}

/** `storeOptions` gives each test a fresh store (e.g. a new PostgreSQL schema). */
export function dashboardDataSuites(label: string, storeOptions: () => Promise<Partial<OpenStoreOptions>>): void {
  const setup = async (t: TestContext, over: Partial<DashboardDeps> = {}): Promise<Fixture> => {
    const f = await dashboardFixture(over, await storeOptions());
    t.after(() => f.close());
    return f;
  };

  describe(`decisions and overview (${label})`, () => {
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
      assert.deepEqual(seqs((await f.get("/ui/api/decisions?waived=yes")).body), [6]);
      assert.deepEqual(seqs((await f.get("/ui/api/decisions?waived=no&range=24h")).body), [5, 4, 3]);
      for (const bad of ["waived=maybe", "verdict=maybe", "ecosystem=cargo", "door=elsewhere", "range=1y", "before=x", "since=yesterday", `package=${"a".repeat(300)}`]) {
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
      // Every store operation the overview makes, counted: one read of the log answers it.
      const operations: string[] = [];
      f.data.decisions = instrumentStore(f.store, { operation: (name) => operations.push(name) }).decisions;
      const { body } = await f.get("/ui/api/overview");
      assert.deepEqual(operations, ["decisions.summary"]);
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

  describe(`package page (${label})`, () => {
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

  describe(`waivers (${label})`, () => {
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
      const later = await dashboardFixture({ clock: () => new Date("2026-11-23T13:00:00.000Z") }, await storeOptions());
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

}
