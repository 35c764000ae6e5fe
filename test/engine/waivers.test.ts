// Waivers and the store's policy through the gate (the embedded store): the verdict, the decision
// log entry with the waiver's id, the use count, expiry by the clock, and a pushed policy picked up.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { canonicalPolicy, defaultPolicy, parsePolicy } from "../../src/core/policy.ts";
import { openGate } from "../../src/engine/service.ts";
import { policyDigest } from "../../src/ledger/ledger.ts";
import { FIXED_NOW, type RegistryServer, startRegistryServer } from "../support/registry-server.ts";

let up: RegistryServer;
const dirs: string[] = [];
before(async () => {
  up = await startRegistryServer();
});
after(async () => {
  await up.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function gateAt(clock: { now: Date }, extra: Parameters<typeof openGate>[1] = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bouncer-waivers-"));
  dirs.push(dataDir);
  return openGate(
    {
      dataDir,
      offline: false,
      policy: defaultPolicy(),
      now: new Date(FIXED_NOW),
      clock: () => clock.now,
      registries: { npm: up.npmBase, npmDownloads: up.downloadsBase, pypi: up.pypiBase },
    },
    extra,
  );
}

const NEW_PKG = "react-hooks-toolkit-pro"; // new, barely downloaded, install scripts: blocked

test("a waiver lets a blocked package through until it expires; each use is logged with its id and counted", async () => {
  const clock = { now: new Date(FIXED_NOW) };
  const gate = await gateAt(clock);
  try {
    const check = async (version: string | null = null) => (await gate.check([gate.request("npm", NEW_PKG, version)], "proxy"))[0]!;
    assert.equal((await check()).verdict, "block");
    const expiresAt = new Date(clock.now.getTime() + 3_600_000);
    const w = await gate.store.waivers.add({ ecosystem: "npm", name: NEW_PKG, version: null, scope: { kind: "all" }, by: "alice", reason: "vetted", expiresAt }, clock.now);
    const before = gate.generation;
    assert.equal(await gate.refresh(), true);
    assert.notEqual(gate.generation, before, "caches of judged answers see the change");
    assert.equal(await gate.refresh(), false);

    const waived = await check();
    assert.equal(waived.verdict, "allow");
    assert.deepEqual(waived.waiver, { id: w.id, by: "alice", reason: "vetted", expiresAt: expiresAt.toISOString() });
    assert.ok(waived.findings.some((f) => f.code === "install-scripts"), "the findings are kept");
    const [logged] = await gate.log.query({ waived: true });
    assert.equal(logged?.waiver, w.id);
    assert.equal(logged?.verdict, "allow");
    assert.equal((await gate.store.waivers.get(w.id))?.uses, 1);

    clock.now = expiresAt; // expired: no refresh needed
    assert.equal((await check()).verdict, "block");
    assert.equal((await gate.store.waivers.get(w.id))?.uses, 1);
    assert.deepEqual((await gate.log.verify()).problems, []);
  } finally {
    await gate.close();
  }
});

test("a version waiver applies to that version only; a scoped one only to its team", async () => {
  const clock = { now: new Date(FIXED_NOW) };
  const gate = await gateAt(clock, { waiverContext: { team: "web" } });
  try {
    const expiresAt = new Date(clock.now.getTime() + 3_600_000);
    const base = { ecosystem: "npm", name: NEW_PKG, by: "alice", reason: "vetted", expiresAt };
    await gate.store.waivers.add({ ...base, version: "1.0.0", scope: { kind: "team", team: "web" } }, clock.now);
    await gate.store.waivers.add({ ...base, version: "1.0.1", scope: { kind: "team", team: "ops" } }, clock.now);
    await gate.refresh();
    const verdict = async (version: string | null) => (await gate.check([gate.request("npm", NEW_PKG, version)], "guard"))[0]!.verdict;
    assert.equal(await verdict("1.0.0"), "allow");
    assert.equal(await verdict("1.0.1"), "block", "that waiver is another team's");
    assert.equal(await verdict(null), "block", "the latest (1.0.1) is not the waived version");
  } finally {
    await gate.close();
  }
});

test("a shared door's gate applies a scoped waiver for the caller it is given, not for a caller of another scope or none", async () => {
  const clock = { now: new Date(FIXED_NOW) };
  const gate = await gateAt(clock);
  try {
    const expiresAt = new Date(clock.now.getTime() + 3_600_000);
    const w = await gate.store.waivers.add({ ecosystem: "npm", name: NEW_PKG, version: null, scope: { kind: "project", project: "shop" }, by: "alice", reason: "vetted", expiresAt }, clock.now);
    await gate.refresh();
    const check = async (caller?: { team?: string; project?: string }) => (await gate.check([gate.request("npm", NEW_PKG, null)], "proxy", "GET /npm/x", caller))[0]!;
    const shop = await check({ team: "web", project: "shop" });
    assert.equal(shop.verdict, "allow");
    assert.equal(shop.waiver?.id, w.id);
    assert.equal((await check({ project: "other" })).verdict, "block");
    assert.equal((await check({})).verdict, "block");
    assert.equal((await check()).verdict, "block", "a gate configured with no scope gives none");
  } finally {
    await gate.close();
  }
});

test("a serve gate takes the store's pushed policy on refresh, and every decision carries its digest", async () => {
  const clock = { now: new Date(FIXED_NOW) };
  const gate = await gateAt(clock, { livePolicy: true });
  try {
    assert.equal(gate.policyVersion, undefined);
    assert.notEqual((await gate.check([gate.request("npm", "left-pad", null)], "proxy"))[0]!.verdict, "block");
    const doc = { deny: ["left-pad"] };
    const digest = policyDigest(canonicalPolicy(parsePolicy(doc)));
    await gate.store.policies.push(JSON.stringify(doc), digest, "alice", clock.now);
    assert.equal(await gate.refresh(), true);
    assert.equal(gate.policyVersion, 1);
    assert.equal(gate.policyDigest, digest);
    const [result] = await gate.check([gate.request("npm", "left-pad", null)], "proxy");
    assert.equal(result!.verdict, "block");
    const [first, second] = (await gate.log.query()).reverse();
    assert.notEqual(first!.policyDigest, digest);
    assert.equal(second!.policyDigest, digest);
  } finally {
    await gate.close();
  }
});
