import assert from "node:assert/strict";
import { test } from "node:test";
import type { Finding } from "../../src/core/findings.ts";
import { defaultPolicy, parsePolicy, stricterOnly } from "../../src/core/policy.ts";
import { findWaiver, type WaiverRule } from "../../src/core/waivers.ts";

const NOW = new Date("2026-12-07T10:00:00Z");
const rule = (over: Partial<WaiverRule> = {}): WaiverRule => ({
  id: "w_1",
  ecosystem: "npm",
  name: "young-pkg",
  version: null,
  scope: { kind: "all" },
  expiresAt: "2026-12-08T00:00:00.000Z",
  requestedBy: "alice",
  reason: "vetted",
  ...over,
});
const f = (code: Finding["code"]): Finding => ({ code, severity: "high", message: code });
const request = { ecosystem: "npm", name: "young-pkg", version: "1.0.0" };

test("a waiver applies to its package, its version (or every one), its scope, until it expires", () => {
  const policy = defaultPolicy();
  const find = (r: WaiverRule, context = {}, now = NOW, req = request) => findWaiver([r], req, [f("new-package")], policy, context, now)?.id;
  assert.equal(find(rule()), "w_1");
  assert.equal(find(rule({ version: "1.0.0" })), "w_1");
  assert.equal(find(rule({ version: "2.0.0" })), undefined, "another version");
  assert.equal(find(rule({ name: "other" })), undefined);
  assert.equal(find(rule({ ecosystem: "pypi" })), undefined);
  assert.equal(find(rule(), {}, new Date("2026-12-08T00:00:00Z")), undefined, "expired at expiresAt");
  assert.equal(find(rule({ scope: { kind: "team", team: "web" } })), undefined, "no team given");
  assert.equal(find(rule({ scope: { kind: "team", team: "web" } }), { team: "web" }), "w_1");
  assert.equal(find(rule({ scope: { kind: "team", team: "web" } }), { team: "ops" }), undefined);
  assert.equal(find(rule({ scope: { kind: "project", project: "shop" } }), { project: "shop", team: "web" }), "w_1");
  assert.equal(find(rule({ scope: { kind: "project", project: "shop" } }), { project: "blog" }), undefined);
});

test("a waiver never lets a known-malicious package through unless the trusted policy permits it, nor one the policy denies", () => {
  const malicious = [f("known-malicious"), f("new-package")];
  assert.equal(findWaiver([rule()], request, malicious, defaultPolicy(), {}, NOW), undefined);
  const permissive = parsePolicy({ waiveKnownMalicious: true });
  assert.equal(findWaiver([rule()], request, malicious, permissive, {}, NOW)?.id, "w_1");
  assert.equal(findWaiver([rule()], request, [f("denied-by-policy")], permissive, {}, NOW), undefined, "an explicit deny wins");
  // A project policy cannot grant it.
  const { policy, ignored } = stricterOnly(defaultPolicy(), { waiveKnownMalicious: true });
  assert.equal(policy.waiveKnownMalicious, undefined);
  assert.deepEqual(ignored, [{ key: "waiveKnownMalicious", value: "true", reason: "weaker" }]);
  assert.throws(() => parsePolicy({ waiveKnownMalicious: "yes" }), /waiveKnownMalicious: must be true or false/);
});
