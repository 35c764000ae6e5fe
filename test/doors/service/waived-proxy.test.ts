// A waiver or a pushed policy is not hidden by the proxy's cache of judged documents: answers judged
// under an older generation of the gate are not reused.
import assert from "node:assert/strict";
import { test } from "node:test";
import { canonicalPolicy, parsePolicy } from "../../../src/core/policy.ts";
import { policyDigest } from "../../../src/ledger/ledger.ts";
import { FIXED_NOW, startProxy } from "../proxy/setup.ts";

test("a waiver granted (or revoked) takes effect on the next request, though the refusal was cached", async () => {
  const p = await startProxy();
  try {
    assert.equal((await p.get("/npm/react-hooks-toolkit-pro")).status, 403);
    assert.equal((await p.get("/npm/react-hooks-toolkit-pro")).status, 403, "cached");
    const now = new Date(FIXED_NOW);
    const w = await p.gate.store.waivers.add(
      { ecosystem: "npm", name: "react-hooks-toolkit-pro", version: null, scope: { kind: "all" }, by: "alice", reason: "vetted", expiresAt: new Date(now.getTime() + 3_600_000) },
      now,
    );
    await p.gate.refresh();
    const served = await p.get("/npm/react-hooks-toolkit-pro");
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("x-bouncer-verdict"), "allow");
    await p.gate.store.waivers.revoke(w.id, "alice", now);
    await p.gate.refresh();
    assert.equal((await p.get("/npm/react-hooks-toolkit-pro")).status, 403);
  } finally {
    await p.close();
  }
});

test("a pushed policy takes effect on the next request, though the document was cached", async () => {
  const p = await startProxy();
  try {
    assert.equal((await p.get("/npm/left-pad")).status, 200);
    const doc = { deny: ["left-pad"] };
    await p.gate.store.policies.push(JSON.stringify(doc), policyDigest(canonicalPolicy(parsePolicy(doc))), "alice", new Date(FIXED_NOW));
    // The fixture's gate does not take the store's policy (only serve's does): nothing changes.
    assert.equal(await p.gate.refresh(), false);
    assert.equal((await p.get("/npm/left-pad")).status, 200);
  } finally {
    await p.close();
  }
});
