// A waiver scoped to a team or project follows the caller's own token, never the replica: the
// proxy authenticates each client, judges (and caches) for its scope, and logs who asked. The
// shared token, an open proxy and an unknown token get no scoped waiver's benefit.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { CliIO } from "../../../src/doors/cli/io.ts";
import { parseProxyClients, proxyAuthenticator } from "../../../src/doors/service/auth.ts";
import { cli } from "../cli/run.ts";
import { parsePolicy } from "../../../src/core/policy.ts";
import { FIXED_NOW, publishNpm, startProxy } from "../proxy/setup.ts";

const FRESH = "react-hooks-toolkit-pro"; // blocked without a waiver
const TEAM_PKG = "team-only-pkg";
const SHARED = "shared-proxy-token-0123456789";
const WEB = "web-team-token-0123456789abcdef";
const OPS = "ops-team-token-0123456789abcdef";
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const basic = (token: string) => ({ authorization: `Basic ${Buffer.from(`user:${token}`).toString("base64")}` });

test("a team's waiver lets its package through for that team's token only; answers are not shared across scopes", async () => {
  // A real tarball, blocked only by the trusted policy's rule on popularity (which a waiver may lift).
  const p = await startProxy({
    policy: parsePolicy({ codes: { "low-popularity": "block" } }),
    token: SHARED,
    clients: [
      { name: "web-ci", token: WEB, team: "web" },
      { name: "ops-ci", token: OPS, team: "ops", project: "shop" },
    ],
  });
  try {
    const bytes = publishNpm(p.up, TEAM_PKG, [{ version: "1.0.0", time: "2020-01-01T00:00:00.000Z" }], { downloads: 5 });
    const now = new Date(FIXED_NOW);
    const w = await p.gate.store.waivers.add(
      { ecosystem: "npm", name: TEAM_PKG, version: null, scope: { kind: "team", team: "web" }, by: "alice", reason: "vetted", expiresAt: new Date(now.getTime() + 3_600_000) },
      now,
    );
    await p.gate.refresh();
    const status = async (headers: Record<string, string>) => (await p.get(`/npm/${TEAM_PKG}`, headers)).status;
    // Another team first: its refusal is cached, and must not be what the web team gets (nor the reverse).
    assert.equal(await status(bearer(OPS)), 403);
    assert.equal(await status(bearer(WEB)), 200);
    assert.equal(await status(basic(WEB)), 200, "pip's user:TOKEN@host form too");
    assert.equal(await status(bearer(OPS)), 403);
    assert.equal(await status(bearer(SHARED)), 403, "the shared token belongs to no team");
    assert.equal(await status(bearer("unknown-token-0123456789abcdef")), 401);
    assert.equal(await status({}), 401);

    const file = `/npm/${TEAM_PKG}/-/${TEAM_PKG}-1.0.0.tgz`;
    const served = await p.get(file, bearer(WEB));
    assert.equal(served.status, 200, "the file is judged again, for the same caller");
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes.get("1.0.0"));
    assert.equal((await p.get(file, bearer(OPS))).status, 403);

    const waived = await p.gate.log.query({ waived: true });
    assert.ok(waived.length >= 2);
    for (const entry of waived) {
      assert.equal(entry.waiver, w.id);
      assert.match(entry.context ?? "", / as web-ci$/, "the log says which client the waiver served");
    }
    const all = await p.gate.log.query();
    assert.ok(all.some((e) => e.verdict === "block" && / as ops-ci$/.test(e.context ?? "")));
  } finally {
    await p.close();
  }
});

test("an open proxy (no token configured) gets only waivers for everyone", async () => {
  const p = await startProxy();
  try {
    const now = new Date(FIXED_NOW);
    const expiresAt = new Date(now.getTime() + 3_600_000);
    await p.gate.store.waivers.add({ ecosystem: "npm", name: FRESH, version: null, scope: { kind: "project", project: "shop" }, by: "alice", reason: "vetted", expiresAt }, now);
    await p.gate.refresh();
    assert.equal((await p.get(`/npm/${FRESH}`)).status, 403);
  } finally {
    await p.close();
  }
});

test("the proxy's callers: shared token unscoped, client tokens scoped, nothing for a wrong or missing token", () => {
  const request = (headers: Record<string, string> = {}) => new Request("http://proxy.test/npm/x", { headers });
  const open = proxyAuthenticator(undefined, []);
  assert.deepEqual(open(request(bearer(WEB))), { waivers: {} }, "an open proxy: whatever is presented, no scope");
  const only = proxyAuthenticator(undefined, [{ name: "web-ci", token: WEB, team: "web" }]);
  assert.equal(only(request()), undefined, "client tokens configured: one is needed");
  assert.deepEqual(only(request(bearer(WEB))), { name: "web-ci", waivers: { team: "web", project: undefined } });
  const both = proxyAuthenticator(SHARED, [{ name: "web-ci", token: WEB, team: "web" }]);
  assert.deepEqual(both(request(basic(SHARED))), { waivers: {} });
  assert.equal(both(request(bearer(`${WEB}x`))), undefined);
});

test("BOUNCER_CLIENT_TOKENS is checked, and its mistakes never repeat a token", () => {
  assert.deepEqual(parseProxyClients(JSON.stringify([{ name: "web-ci", token: WEB, team: "web", project: "shop" }])), [
    { name: "web-ci", token: WEB, team: "web", project: "shop" },
  ]);
  for (const [doc, message] of [
    ["{", /is not JSON/],
    [JSON.stringify({ name: "a" }), /must be a JSON list/],
    [JSON.stringify([{ name: "a", token: "short" }]), /a: the token must be at least 16 characters/],
    [JSON.stringify([{ name: "two words", token: WEB }]), /entry 1 needs a name without spaces/],
    [JSON.stringify([{ name: "a", token: WEB, team: "we b" }]), /a: team must be a name/],
    [JSON.stringify([{ name: "a", token: WEB, scope: "web" }]), /unknown key "scope"/],
    [JSON.stringify([{ name: "a", token: WEB }, { name: "b", token: WEB }]), /the same token is given to two clients/],
    [JSON.stringify([{ name: "a", token: WEB }, { name: "a", token: OPS }]), /the name a is given twice/],
  ] as const) {
    assert.throws(() => parseProxyClients(doc), (error: Error) => message.test(error.message) && !error.message.includes(WEB));
  }
});

test("serve refuses a replica-wide BOUNCER_TEAM or BOUNCER_PROJECT, and a bad BOUNCER_CLIENT_TOKENS, with a hint", async () => {
  const env = { HOME: "/nonexistent", BOUNCER_HOME: "/nonexistent/data", BOUNCER_NOW: FIXED_NOW } satisfies CliIO["env"];
  for (const extra of [{ BOUNCER_TEAM: "web" }, { BOUNCER_PROJECT: "shop" }]) {
    const run = await cli(["serve", "--port", "0"], { ...env, ...extra });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /does not apply to serve: a proxy's callers are told apart by their tokens/);
    assert.match(run.stderr, /BOUNCER_CLIENT_TOKENS/);
  }
  const bad = await cli(["serve", "--port", "0"], { ...env, BOUNCER_CLIENT_TOKENS: JSON.stringify([{ name: "a", token: WEB, team: "x y" }]) });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /BOUNCER_CLIENT_TOKENS a: team must be a name/);
  assert.doesNotMatch(bad.stderr, new RegExp(WEB));
});
