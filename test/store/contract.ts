// The contract every store implements, run against each (SQLite in the fast tier, PostgreSQL in the slow one).
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import type { Decision } from "../../src/ledger/ledger.ts";
import type { Store } from "../../src/store/types.ts";

export interface StoreFixture {
  /** A fresh, empty store location; `open` may be called several times on it (replicas). */
  open(options?: { logKey?: Uint8Array; now?: () => Date }): Promise<Store>;
  /** Rewrites the stored entry `seq` (someone with write access to the log). */
  tamper(seq: number): Promise<void>;
}

const T0 = new Date("2026-12-07T10:00:00.000Z");
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

const decision = (name: string, over: Partial<Decision> = {}): Decision => ({
  door: "proxy",
  purl: `pkg:npm/${name}`,
  ecosystem: "npm",
  name,
  version: null,
  verdict: "allow",
  findings: [],
  policyDigest: "sha256:p1",
  ...over,
});

export function storeContract(kind: string, fixture: () => Promise<StoreFixture>): void {
  test(`${kind} store: observations are readable at once, by another replica once flushed, and keyed by registry`, async () => {
    const f = await fixture();
    const a = await f.open();
    const b = await f.open();
    try {
      const obs = { source: "npm-registry", existence: "exists" as const, latestVersion: "1.0.0" };
      assert.equal(a.observations.put("npm-registry", "https://r1/", "npm", "left-pad", obs, 1000), true);
      assert.deepEqual(await a.observations.get("npm-registry", "https://r1/", "npm", "left-pad"), { observation: obs, storedAt: 1000 });
      await a.observations.flush();
      assert.deepEqual(await b.observations.get("npm-registry", "https://r1/", "npm", "left-pad"), { observation: obs, storedAt: 1000 });
      assert.equal(await b.observations.get("npm-registry", "https://r2/", "npm", "left-pad"), undefined, "another registry's answer is not this one's");
      a.observations.put("npm-registry", "https://r1/", "npm", "left-pad", { ...obs, latestVersion: "1.0.1" }, 2000);
      await a.observations.flush();
      assert.equal((await b.observations.get("npm-registry", "https://r1/", "npm", "left-pad"))?.storedAt, 2000, "a newer answer replaces the old");
      const names = await b.observations.storedNames("npm-registry");
      assert.deepEqual([...(names.get("npm") ?? [])], ["left-pad"]);
      assert.equal((await b.observations.storedNames("other")).size, 0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test(`${kind} store: the decision log chains appends from several replicas into one verifiable chain`, async () => {
    const f = await fixture();
    const key = randomBytes(32);
    const replicas = await Promise.all([f.open({ logKey: key, now: () => at(0) }), f.open({ logKey: key, now: () => at(0) }), f.open({ logKey: key, now: () => at(0) })]);
    try {
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 30; i++) writes.push(replicas[i % 3]!.decisions.append([decision(`p${i}`), decision(`q${i}`)]));
      await Promise.all(writes);
      const head = await replicas[0]!.decisions.head();
      assert.equal(head.seq, 60);
      const all = await replicas[1]!.decisions.read({ limit: 100 });
      assert.deepEqual(
        all.map((e) => e.seq),
        Array.from({ length: 60 }, (_, i) => i + 1),
      );
      for (let i = 1; i < all.length; i++) assert.equal(all[i]!.prev, all[i - 1]!.hash);
      assert.equal(all.at(-1)!.hash, head.hash);
      // Each append's pair stays together and in order.
      const nameOf = (e: (typeof all)[number]) => ("name" in e ? e.name : "");
      for (let i = 0; i < 60; i += 2) assert.equal(nameOf(all[i]!).replace("p", "q"), nameOf(all[i + 1]!));
      assert.deepEqual(
        (await replicas[2]!.decisions.read({ afterSeq: 58 })).map((e) => e.seq),
        [59, 60],
      );
      const verified = await replicas[2]!.decisions.verify({ key });
      assert.deepEqual(verified.problems, []);
      assert.equal(verified.entries, 60);
      assert.equal(verified.anchored, true);
      const unanchored = await replicas[2]!.decisions.verify();
      assert.deepEqual(unanchored.problems, []);
      assert.equal(unanchored.anchored, false);
      const forged = await replicas[2]!.decisions.verify({ key: randomBytes(32) });
      assert.ok(forged.problems.some((p) => p.kind === "forged"));
    } finally {
      for (const r of replicas) await r.close();
    }
  });

  test(`${kind} store: an edited entry breaks the chain`, async () => {
    const f = await fixture();
    const store = await f.open({ now: () => at(0) });
    try {
      await store.decisions.append([decision("a"), decision("b"), decision("c")]);
      assert.deepEqual((await store.decisions.verify()).problems, []);
      await f.tamper(2);
      const result = await store.decisions.verify();
      assert.ok(
        result.problems.some((p) => p.kind === "edited"),
        JSON.stringify(result.problems),
      );
    } finally {
      await store.close();
    }
  });

  test(`${kind} store: decision queries filter by door, verdict, package, ecosystem, time and waiver, newest first`, async () => {
    const f = await fixture();
    let clock = at(0);
    const store = await f.open({ now: () => clock });
    try {
      await store.decisions.append([decision("left-pad"), decision("evil-pkg", { verdict: "block", findings: [{ code: "known-malicious", severity: "critical" }] })]);
      clock = at(30);
      await store.decisions.append([decision("requests", { door: "guard", ecosystem: "pypi", purl: "pkg:pypi/requests@2.0.0", version: "2.0.0" })]);
      clock = at(90);
      await store.decisions.append([decision("young-pkg", { verdict: "allow", waiver: "w_1" }), decision("left-pad", { verdict: "warn" })]);
      const names = (entries: Array<{ name: string }>) => entries.map((e) => e.name);
      assert.deepEqual(names(await store.decisions.query()), ["left-pad", "young-pkg", "requests", "evil-pkg", "left-pad"]);
      assert.deepEqual(names(await store.decisions.query({ verdict: "block" })), ["evil-pkg"]);
      assert.deepEqual(names(await store.decisions.query({ door: "guard" })), ["requests"]);
      assert.deepEqual(names(await store.decisions.query({ ecosystem: "pypi" })), ["requests"]);
      assert.deepEqual(names(await store.decisions.query({ package: "left-pad" })), ["left-pad", "left-pad"]);
      assert.deepEqual(names(await store.decisions.query({ package: "pkg:pypi/req" })), ["requests"]);
      assert.deepEqual(names(await store.decisions.query({ since: at(30).toISOString(), until: at(60).toISOString() })), ["requests"]);
      assert.deepEqual(names(await store.decisions.query({ waived: true })), ["young-pkg"]);
      const first = await store.decisions.query({ limit: 2 });
      assert.deepEqual(names(first), ["left-pad", "young-pkg"]);
      assert.deepEqual(names(await store.decisions.query({ limit: 2, beforeSeq: first.at(-1)!.seq })), ["requests", "evil-pkg"]);
      const series = await store.decisions.verdictSeries({ since: at(0).toISOString(), until: at(120).toISOString(), bucketMs: 3_600_000 });
      assert.deepEqual(series, [
        { start: at(0).toISOString(), allow: 2, warn: 0, block: 1 },
        { start: at(60).toISOString(), allow: 1, warn: 1, block: 0 },
      ]);
      const blockedOnly = await store.decisions.verdictSeries({ since: at(0).toISOString(), until: at(60).toISOString(), bucketMs: 3_600_000, verdict: "block" });
      assert.deepEqual(blockedOnly, [{ start: at(0).toISOString(), allow: 0, warn: 0, block: 1 }]);
      // Both at once (one read): the same series, and the newest entries of the query, newest first.
      const seriesFilter = { since: at(0).toISOString(), until: at(120).toISOString(), bucketMs: 3_600_000 };
      const both = await store.decisions.summary(seriesFilter, { verdict: "allow", limit: 2 });
      assert.deepEqual(both.series, series);
      assert.deepEqual(both.latest, await store.decisions.query({ verdict: "allow", limit: 2 }));
      assert.deepEqual(names(both.latest), ["young-pkg", "requests"]);
      assert.deepEqual((await store.decisions.summary(seriesFilter, { door: "mcp" })).latest, []);
    } finally {
      await store.close();
    }
  });

  test(`${kind} store: the policy is one versioned document, newest active`, async () => {
    const f = await fixture();
    const a = await f.open();
    const b = await f.open();
    try {
      assert.equal(await b.policies.active(), undefined);
      const v1 = await a.policies.push('{"deny":["evil"]}', "sha256:one", "alice", at(0));
      assert.deepEqual(v1, { version: 1, digest: "sha256:one", document: '{"deny":["evil"]}', pushedAt: at(0).toISOString(), pushedBy: "alice" });
      const v2 = await b.policies.push("{}", "sha256:two", "bob", at(1));
      assert.equal(v2.version, 2);
      assert.deepEqual(await a.policies.active(), v2);
      assert.deepEqual(
        (await a.policies.history()).map((p) => p.version),
        [2, 1],
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  test(`${kind} store: waivers are requested, approved, denied, revoked, matched until they expire, and counted`, async () => {
    const f = await fixture();
    const store = await f.open();
    try {
      const base = { ecosystem: "npm", name: "young-pkg", scope: { kind: "all" } as const, by: "alice", reason: "vetted by hand", expiresAt: at(60) };
      const any = await store.waivers.add({ ...base, version: null }, at(0));
      assert.match(any.id, /^w_[0-9a-f]{16}$/);
      assert.equal(any.status, "active");
      assert.equal(any.decidedBy, "alice");
      const pinned = await store.waivers.add({ ...base, version: "1.0.0", scope: { kind: "team", team: "web" } }, at(1));
      const asked = await store.waivers.add({ ...base, name: "other", version: null, scope: { kind: "project", project: "shop" }, status: "requested", by: "carol" }, at(2));
      assert.equal(asked.status, "requested");
      assert.equal(asked.decidedBy, null);
      const ids = (ws: Array<{ id: string }>) => ws.map((w) => w.id).sort();
      assert.deepEqual(ids(await store.waivers.match("npm", "young-pkg", "1.0.0", at(10))), ids([any, pinned]));
      assert.deepEqual(ids(await store.waivers.match("npm", "young-pkg", "2.0.0", at(10))), ids([any]));
      assert.deepEqual(ids(await store.waivers.match("npm", "young-pkg", null, at(10))), ids([any]));
      assert.deepEqual(await store.waivers.match("npm", "young-pkg", "1.0.0", at(60)), [], "expired at expiresAt");
      assert.deepEqual(await store.waivers.match("npm", "other", null, at(10)), [], "a request is not in force");
      assert.deepEqual((await store.waivers.get(pinned.id))?.scope, { kind: "team", team: "web" });
      assert.deepEqual(ids(await store.waivers.list({ now: at(10) })), ids([any, pinned, asked]));
      assert.deepEqual(ids(await store.waivers.list({ now: at(70) })), ids([asked]), "expired ones are listed only with all");
      assert.equal((await store.waivers.list({ now: at(70), all: true })).length, 3);

      const approved = await store.waivers.approve(asked.id, "dave", at(3));
      assert.equal(approved?.status, "active");
      assert.equal(approved?.decidedBy, "dave");
      assert.equal(await store.waivers.approve(asked.id, "dave", at(3)), undefined, "only a request can be approved");
      assert.deepEqual(ids(await store.waivers.match("npm", "other", "9", at(10))), [asked.id]);
      const revoked = await store.waivers.revoke(any.id, "erin", at(4));
      assert.equal(revoked?.status, "revoked");
      assert.deepEqual(ids(await store.waivers.activeAt(at(10))), ids([pinned, asked]));
      const denied = await store.waivers.add({ ...base, version: null, status: "requested" }, at(5));
      assert.equal((await store.waivers.deny(denied.id, "erin", at(6)))?.status, "denied");
      assert.equal(await store.waivers.revoke("w_nonexistent", "erin", at(6)), undefined);
      assert.deepEqual(ids(await store.waivers.list({ now: at(10), status: "denied", all: true })), [denied.id]);

      await store.waivers.recordUse(pinned.id, at(7));
      await store.waivers.recordUse(pinned.id, at(8));
      const used = await store.waivers.get(pinned.id);
      assert.equal(used?.uses, 2);
      assert.equal(used?.lastUsedAt, at(8).toISOString());
    } finally {
      await store.close();
    }
  });
}
