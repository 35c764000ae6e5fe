import assert from "node:assert/strict";
import { test } from "node:test";
import type { Finding, FindingCode } from "../../src/core/findings.ts";
import { decide, defaultPolicy, matchesPattern, PolicyError, parsePolicy, rulesFor } from "../../src/core/policy.ts";
import { finding } from "../../src/core/signals.ts";
import { BLOWUP_MS } from "../support/bounded.ts";
import { seededRandom } from "../support/random.ts";

const f = (code: FindingCode): Finding => finding(code, { name: "x", registry: "npm", reason: "r", version: "1.0.0", age: "1 day", threshold: "t", description: "d", edit: "deletion", target: "y", ids: "MAL-1", scripts: "postinstall", base: "b", affix: "a", position: "suffix", rule: "r" });
const verdict = (...codes: FindingCode[]) => decide(defaultPolicy(), "npm", "x", codes.map(f)).verdict;

test("default policy blocks what SPEC says it blocks", () => {
  for (const code of ["not-found", "invalid-name", "known-malicious", "security-holding", "unverifiable"] as const) {
    assert.equal(verdict(code), "block", code);
  }
});

test("typosquat blocks only when the package has little history", () => {
  assert.equal(verdict("typosquat"), "warn");
  assert.equal(verdict("typosquat", "low-popularity"), "block");
  assert.equal(verdict("typosquat", "new-package"), "block");
});

test("a new package blocks together with low popularity, no repository or install scripts", () => {
  assert.equal(verdict("new-package"), "warn");
  assert.equal(verdict("new-package", "low-popularity"), "block");
  assert.equal(verdict("new-package", "no-repository"), "block");
  assert.equal(verdict("new-package", "install-scripts"), "block");
});

test("the rest warns, and no findings allow", () => {
  assert.equal(verdict("deprecated"), "warn");
  assert.equal(verdict("new-version"), "warn");
  assert.equal(verdict(), "allow");
});

test("codes override, per ecosystem too", () => {
  const policy = parsePolicy({ codes: { unverifiable: "warn" }, ecosystems: { pypi: { codes: { deprecated: "allow" } } } });
  assert.equal(decide(policy, "npm", "x", [f("unverifiable")]).verdict, "warn");
  assert.equal(decide(policy, "pypi", "x", [f("deprecated")]).verdict, "allow");
  assert.equal(decide(policy, "npm", "x", [f("deprecated")]).verdict, "warn");
});

test("allow lists silence all but malicious reports; deny lists block", () => {
  const policy = parsePolicy({ allow: ["npm:@acme/*"], deny: ["pkg:pypi/evil"] });
  assert.equal(decide(policy, "npm", "@acme/tool", [f("not-found")]).verdict, "allow");
  assert.equal(decide(policy, "npm", "@acme/tool", [f("known-malicious")]).verdict, "block");
  const denied = decide(policy, "pypi", "evil", []);
  assert.equal(denied.verdict, "block");
  assert.equal(denied.findings[0]!.code, "denied-by-policy");
});

test("patterns", () => {
  assert.ok(matchesPattern("left-pad", "npm", "left-pad"));
  assert.ok(matchesPattern("npm:@types/*", "npm", "@types/node"));
  assert.ok(!matchesPattern("npm:@types/*", "pypi", "@types/node"));
  assert.ok(matchesPattern("pkg:npm/%40types/node@1.0.0", "npm", "@types/node"));
  assert.ok(!matchesPattern("a.b", "pypi", "axb"));
});

test("glob patterns match as a regex of \".*\" would, on random small patterns and names", () => {
  const random = seededRandom(8);
  const pick = (alphabet: string, max: number) =>
    Array.from({ length: Math.floor(random() * max) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
  for (let i = 0; i < 2000; i++) {
    const pattern = `${pick("ab*", 7)}*${pick("ab*", 3)}`;
    const name = pick("abAB", 9);
    const reference = new RegExp(`^${pattern.split("*").join(".*")}$`, "i").test(name);
    assert.equal(matchesPattern(pattern, "npm", name), reference, `${pattern} ~ ${name}`);
  }
  assert.ok(matchesPattern("npm:@ACME/*-plugin", "npm", "@acme/eslint-plugin"));
  assert.ok(!matchesPattern("a*a", "npm", "a"), "prefix and suffix do not overlap");
});

test("glob patterns take linear time on hostile patterns and names (issue 8 item 18)", () => {
  const started = performance.now();
  // A regex of these backtracks cubically: 16 s for the first one on the old matcher.
  assert.ok(!matchesPattern("*a*a*a*b", "npm", "a".repeat(500)));
  assert.ok(!matchesPattern(`${"*a".repeat(2_000)}*b`, "npm", "a".repeat(5_000)));
  assert.ok(!matchesPattern(`*${"a".repeat(2_000)}b*`, "npm", "a".repeat(100_000)));
  assert.ok(matchesPattern(`${"*".repeat(10_000)}x`, "npm", `${"a".repeat(100_000)}x`));
  const elapsed = performance.now() - started;
  assert.ok(elapsed < BLOWUP_MS, `took ${elapsed.toFixed(0)} ms`);
});

test("thresholds merge per ecosystem", () => {
  const policy = parsePolicy({ thresholds: { newPackageDays: 10 }, ecosystems: { npm: { thresholds: { newVersionHours: 1 } } } });
  assert.equal(rulesFor(policy, "npm").thresholds.newPackageDays, 10);
  assert.equal(rulesFor(policy, "npm").thresholds.newVersionHours, 1);
  assert.equal(rulesFor(policy, "pypi").thresholds.newVersionHours, 48);
});

test("an invalid policy names the offending key", () => {
  const cases: Array<[unknown, RegExp]> = [
    [[], /policy: must be a JSON object/],
    [{ thresholds: { newPackageDay: 3 } }, /thresholds\.newPackageDay: unknown threshold/],
    [{ thresholds: { newPackageDays: -1 } }, /thresholds\.newPackageDays: must be a non-negative number/],
    [{ codes: { "no-such-code": "warn" } }, /codes\.no-such-code: unknown finding code/],
    [{ codes: { deprecated: "ignore" } }, /codes\.deprecated: must be/],
    [{ allow: "left-pad" }, /allow: must be a list/],
    [{ ecosystems: { npm: { colour: 1 } } }, /ecosystems\.npm\.colour: unknown key/],
    [{ registries: { npm: "ftp://x" } }, /registries\.npm: must be an http\(s\) URL/],
    [{ unknownTop: true }, /unknownTop: unknown key/],
  ];
  for (const [doc, message] of cases) assert.throws(() => parsePolicy(doc), (e: Error) => e instanceof PolicyError && message.test(e.message));
});
