// A waiver lifts the proxy's hiding of the versions it covers, for the callers it covers: a team
// that was told yes for a fresh release can install it through the proxy. A deny-list entry and a
// malicious report (unless the trusted policy says waiveKnownMalicious) still hide it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePolicy } from "../../../src/core/policy.ts";
import type { WaiverScope } from "../../../src/core/waivers.ts";
import { FIXED_NOW, osvRecord, type ProxyFixture, publishNpm, publishPypi, startProxy } from "../proxy/setup.ts";

const OLD = "2020-01-01T00:00:00.000Z";
const YOUNG = "2026-11-23T10:00:00.000Z"; // 2 h before the fixed clock
const SHARED = "shared-proxy-token-0123456789";
const WEB = "web-team-token-0123456789abcdef";
const OPS = "ops-team-token-0123456789abcdef";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
// Only the proxy's minimum age objects to the young release (the engine's new-version rule is quieter),
// so any waiver applied is the proxy's own to apply and to log.
const POLICY = { thresholds: { minimumVersionAgeHours: 48, newVersionHours: 1 } };

type Doc = { versions: Record<string, unknown>; "dist-tags": Record<string, string> };

async function waive(p: ProxyFixture, name: string, version: string | null, scope: WaiverScope = { kind: "all" }, ecosystem = "npm") {
  const now = new Date(FIXED_NOW);
  const w = await p.gate.store.waivers.add({ ecosystem, name, version, scope, by: "alice", reason: "needed now", expiresAt: new Date(now.getTime() + 3_600_000) }, now);
  await p.gate.refresh();
  return w;
}

async function versions(p: ProxyFixture, name: string, headers: Record<string, string> = {}): Promise<string[]> {
  const res = await p.get(`/npm/${name}`, { accept: "application/json", ...headers });
  assert.equal(res.status, 200);
  return Object.keys(((await res.json()) as Doc).versions);
}

test("a version waiver for everyone serves the too-young version: listed, its tarball downloaded, the use logged", async () => {
  const p = await startProxy({ policy: parsePolicy(POLICY) });
  try {
    const bytes = publishNpm(p.up, "left-pad", [{ version: "1.2.0", time: OLD }, { version: "1.3.0", time: YOUNG }]);
    const tarball = "/npm/left-pad/-/left-pad-1.3.0.tgz";
    assert.deepEqual(await versions(p, "left-pad"), ["1.2.0"], "hidden without a waiver");
    assert.equal((await p.get(tarball)).status, 403);

    await waive(p, "left-pad", "1.2.0");
    assert.deepEqual(await versions(p, "left-pad"), ["1.2.0"], "a waiver for another version lifts nothing");
    assert.equal((await p.get(tarball)).status, 403);

    const w = await waive(p, "left-pad", "1.3.0");
    const res = await p.get("/npm/left-pad", { accept: "application/json" });
    const doc = (await res.json()) as Doc;
    assert.deepEqual(Object.keys(doc.versions), ["1.2.0", "1.3.0"]);
    assert.equal(doc["dist-tags"].latest, "1.3.0");
    const served = await p.get(tarball);
    assert.equal(served.status, 200);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes.get("1.3.0"));

    const used = (await p.gate.log.query({ waived: true })).filter((e) => e.waiver === w.id);
    assert.ok(used.some((e) => e.door === "proxy" && e.version === "1.3.0"), "the file served under the waiver is logged with its id");
    const [stored] = (await p.gate.store.waivers.list({ now: new Date(FIXED_NOW) })).filter((x) => x.id === w.id);
    assert.ok(stored && stored.uses >= 1, "the waiver's use is counted");
  } finally {
    await p.close();
  }
});

test("a team's version waiver serves the version to that team's token only, never from another caller's cached document", async () => {
  const p = await startProxy({
    policy: parsePolicy(POLICY),
    token: SHARED,
    clients: [
      { name: "web-ci", token: WEB, team: "web" },
      { name: "ops-ci", token: OPS, team: "ops" },
    ],
  });
  try {
    publishNpm(p.up, "left-pad", [{ version: "1.2.0", time: OLD }, { version: "1.3.0", time: YOUNG }]);
    await waive(p, "left-pad", "1.3.0", { kind: "team", team: "web" });
    const tarball = "/npm/left-pad/-/left-pad-1.3.0.tgz";
    // Another team asks first: its filtered document is cached and must not be the web team's (nor the reverse).
    assert.deepEqual(await versions(p, "left-pad", bearer(OPS)), ["1.2.0"]);
    assert.deepEqual(await versions(p, "left-pad", bearer(WEB)), ["1.2.0", "1.3.0"]);
    assert.deepEqual(await versions(p, "left-pad", bearer(OPS)), ["1.2.0"]);
    assert.deepEqual(await versions(p, "left-pad", bearer(SHARED)), ["1.2.0"], "the shared token belongs to no team");
    assert.equal((await p.get(tarball, bearer(WEB))).status, 200);
    assert.equal((await p.get(tarball, bearer(OPS))).status, 403);
    assert.equal((await p.get(tarball, bearer(SHARED))).status, 403);
    const waived = await p.gate.log.query({ waived: true });
    assert.ok(waived.length >= 1);
    for (const e of waived) assert.match(e.context ?? "", / as web-ci$/);
  } finally {
    await p.close();
  }
});

test("a malicious version stays hidden under a waiver, unless the trusted policy says waiveKnownMalicious", async () => {
  for (const waiveKnownMalicious of [false, true]) {
    const p = await startProxy({
      policy: parsePolicy({ ...POLICY, waiveKnownMalicious }),
      osv: [osvRecord("MAL-2026-0300", "npm", "mal-pad", ["1.0.0"])],
    });
    try {
      publishNpm(p.up, "mal-pad", [{ version: "1.0.0", time: OLD }, { version: "1.1.0", time: OLD }]);
      await waive(p, "mal-pad", "1.0.0");
      const expected = waiveKnownMalicious ? ["1.0.0", "1.1.0"] : ["1.1.0"];
      assert.deepEqual(await versions(p, "mal-pad"), expected, `waiveKnownMalicious: ${waiveKnownMalicious}`);
      assert.equal((await p.get("/npm/mal-pad/-/mal-pad-1.0.0.tgz")).status, waiveKnownMalicious ? 200 : 403);
    } finally {
      await p.close();
    }
  }
});

test("a deny-list entry holds under a waiver", async () => {
  const p = await startProxy({ policy: parsePolicy({ ...POLICY, deny: ["left-pad"] }) });
  try {
    publishNpm(p.up, "left-pad", [{ version: "1.2.0", time: OLD }, { version: "1.3.0", time: YOUNG }]);
    await waive(p, "left-pad", "1.3.0");
    assert.equal((await p.get("/npm/left-pad")).status, 403);
    assert.equal((await p.get("/npm/left-pad/-/left-pad-1.3.0.tgz")).status, 403);
  } finally {
    await p.close();
  }
});

test("PyPI: a version waiver serves the too-young release's files", async () => {
  const p = await startProxy({ policy: parsePolicy(POLICY) });
  try {
    const wheels = publishPypi(p.up, "fresh-lib", [
      { version: "1.0.0", time: "2020-01-01T00:00:00" },
      { version: "1.1.0", time: "2026-11-23T10:00:00" },
    ]);
    const young = wheels.get("1.1.0")!;
    const listed = async () => {
      const res = await p.get("/pypi/simple/fresh-lib/", { accept: "application/vnd.pypi.simple.v1+json" });
      return ((await res.json()) as { versions: string[] }).versions;
    };
    assert.deepEqual(await listed(), ["1.0.0"]);
    assert.equal((await p.get(`/pypi/files/fresh-lib/${young.filename}`)).status, 403);
    await waive(p, "fresh-lib", "1.1.0", { kind: "all" }, "pypi");
    assert.deepEqual(await listed(), ["1.0.0", "1.1.0"]);
    const served = await p.get(`/pypi/files/fresh-lib/${young.filename}`);
    assert.equal(served.status, 200);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), young.bytes);
  } finally {
    await p.close();
  }
});
