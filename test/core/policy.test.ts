import assert from "node:assert/strict";
import { test } from "node:test";
import type { Finding, FindingCode } from "../../src/core/findings.ts";
import { versionProblemMessage } from "../../src/core/messages.ts";
import { decide, defaultPolicy, matchesPattern, mergePolicyDocuments, PolicyError, parsePolicy, rulesFor, stricterOnly, versionProblem } from "../../src/core/policy.ts";
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
    [{ codes: { "known-malicious": "allow" } }, /^codes\.known-malicious: must be "block"/],
    [{ ecosystems: { pypi: { codes: { "known-malicious": "warn" } } } }, /^ecosystems\.pypi\.codes\.known-malicious: must be "block"/],
  ];
  for (const [doc, message] of cases) assert.throws(() => parsePolicy(doc), (e: Error) => e instanceof PolicyError && message.test(e.message));
});

test("registries keys: the caller's list (the ecosystems' registry options), else an id's shape", () => {
  const keys = new Set(["npm", "npmDownloads", "pypi", "github"]);
  assert.throws(() => parsePolicy({ registries: { crates: "https://x.example/" } }, keys), /^PolicyError: registries\.crates: unknown registry \(known: npm, npmDownloads, pypi, github\)/);
  assert.throws(() => stricterOnly(defaultPolicy(), { registries: { crates: "https://x.example/" } }, keys), /registries\.crates: unknown registry/);
  assert.deepEqual(parsePolicy({ registries: { npmDownloads: "https://d.example/" } }, keys).registries, { npmDownloads: "https://d.example/" });
  assert.deepEqual(parsePolicy({ registries: { crates: "https://x.example/" } }).registries, { crates: "https://x.example/" });
  assert.throws(() => parsePolicy({ registries: { "../x": "https://x.example/" } }), /registries\.\.\.\/x: unknown registry$/);
});

test("a project policy only makes the trusted one stricter (issue 8 item 2)", () => {
  const trusted = parsePolicy({ codes: { deprecated: "warn" }, allow: ["npm:@mine/*"], thresholds: { lowRank: 10_000 }, ecosystems: { pypi: { thresholds: { newPackageDays: 60 } } } });
  const { policy, ignored } = stricterOnly(trusted, {
    allow: ["*", "npm:evil"],
    deny: ["npm:left-pad"],
    codes: { "not-found": "allow", "known-malicious": "allow", typosquat: "warn", deprecated: "block", "no-repository": "warn", unverifiable: "block" },
    thresholds: { newPackageDays: 90, lowRank: 20_000, lowDownloadsPerMonth: 10, newVersionHours: 72 },
    ecosystems: { pypi: { thresholds: { newPackageDays: 45 }, deny: ["pkg:pypi/x"] }, npm: { codes: { "install-scripts": "block" } } },
    registries: { npm: "https://evil.example/" },
  });
  assert.deepEqual(policy.allow, ["npm:@mine/*"]);
  assert.deepEqual(policy.deny, ["npm:left-pad"]);
  assert.deepEqual(policy.codes, { deprecated: "block", "no-repository": "warn", unverifiable: "block" });
  assert.deepEqual(policy.thresholds, { ...trusted.thresholds, newPackageDays: 90, newVersionHours: 72 });
  assert.deepEqual(policy.ecosystems.pypi, { thresholds: { newPackageDays: 60 }, deny: ["pkg:pypi/x"] });
  assert.deepEqual(policy.ecosystems.npm, { codes: { "install-scripts": "block" } });
  assert.deepEqual(policy.registries, {});
  assert.deepEqual(
    ignored.map((i) => `${i.key}=${i.value} (${i.reason})`),
    [
      "allow=* (allow-list)",
      "allow=npm:evil (allow-list)",
      "codes.not-found=allow (weaker)",
      "codes.known-malicious=allow (weaker)",
      "codes.typosquat=warn (weaker)",
      "thresholds.lowRank=20000 (weaker)",
      "thresholds.lowDownloadsPerMonth=10 (weaker)",
      "ecosystems.pypi.thresholds.newPackageDays=45 (weaker)",
      "registries.npm=https://evil.example/ (registries)",
    ],
  );
  // Settings the project does not write are not compared (no notice for defaults).
  assert.deepEqual(stricterOnly(parsePolicy({ thresholds: { newPackageDays: 60, lowRank: 100 } }), { deny: ["x"] }).ignored, []);
  // The trusted policy itself is not changed, and an invalid project document is an error.
  assert.deepEqual(trusted.deny, []);
  assert.throws(() => stricterOnly(trusted, { allow: "x" }), PolicyError);
  // The verdict: "*" in a project allow-list passes nothing.
  assert.equal(decide(policy, "npm", "hallucinated", [f("not-found")]).verdict, "block");
  assert.equal(decide(policy, "npm", "@mine/tool", [f("not-found")]).verdict, "allow");
});

test("trusted policy documents merge: later keys win, lists add up", () => {
  const merged = mergePolicyDocuments([
    { codes: { deprecated: "block", unverifiable: "warn" }, allow: ["a"], thresholds: { lowRank: 1 } },
    { codes: { deprecated: "allow" }, allow: ["b"], ecosystems: { npm: { deny: ["c"] } } },
  ]);
  assert.deepEqual(merged, {
    codes: { deprecated: "allow", unverifiable: "warn" },
    allow: ["a", "b"],
    thresholds: { lowRank: 1 },
    ecosystems: { npm: { deny: ["c"] } },
  });
});

test("PEP 792: quarantined blocks and archived warns by default; a policy may change either", () => {
  assert.equal(verdict("quarantined"), "block");
  assert.equal(verdict("archived"), "warn");
  const policy = parsePolicy({ codes: { archived: "block", quarantined: "warn" } });
  assert.equal(decide(policy, "pypi", "x", [f("archived")]).verdict, "block");
  assert.equal(decide(policy, "pypi", "x", [f("quarantined")]).verdict, "warn");
});

test("a project policy may make unevaluated files fail the gate, never let them pass", () => {
  const warned = stricterOnly(defaultPolicy(), { notEvaluated: "warn" });
  assert.equal(warned.policy.notEvaluated, undefined);
  assert.deepEqual(warned.ignored, [{ key: "notEvaluated", value: "warn", reason: "weaker" }]);
  const lenient = parsePolicy({ notEvaluated: "warn" });
  assert.equal(stricterOnly(lenient, { notEvaluated: "block" }).policy.notEvaluated, "block");
});

test("versionProblem: the policy on one version to serve, pure (malicious first, then the minimum age)", () => {
  const now = new Date("2026-11-23T12:00:00Z");
  const policy = defaultPolicy();
  const old = { publishedAt: "2026-01-01T00:00:00Z", malicious: [] };
  assert.equal(versionProblem(policy, "npm", old, now), null);
  assert.equal(versionProblem(policy, "npm", { publishedAt: undefined, malicious: [] }, now), null, "no minimum age: no time needed");
  const reported = { publishedAt: "2026-01-01T00:00:00Z", malicious: [{ id: "MAL-1" }, { id: "MAL-2" }] };
  assert.deepEqual(versionProblem(policy, "npm", reported, now), { code: "known-malicious", ids: ["MAL-1", "MAL-2"] });
  assert.equal(versionProblemMessage(versionProblem(policy, "npm", reported, now)!), "known-malicious (MAL-1, MAL-2)");

  const strict = parsePolicy({ ecosystems: { pypi: { thresholds: { minimumVersionAgeHours: 72 } } } });
  assert.equal(versionProblem(strict, "npm", { publishedAt: "2026-11-23T11:00:00Z", malicious: [] }, now), null, "the minimum is PyPI's only");
  const young = versionProblem(strict, "pypi", { publishedAt: "2026-11-22T12:00:00Z", malicious: [] }, now);
  assert.deepEqual(young, { code: "too-new", ageMs: 24 * 3_600_000, minimumHours: 72 });
  assert.equal(versionProblemMessage(young!), "published 24 hours ago; the policy wants at least 72 h");
  assert.equal(versionProblem(strict, "pypi", { publishedAt: "2026-11-20T11:59:59Z", malicious: [] }, now), null);
  const unknown = versionProblem(strict, "pypi", { publishedAt: "not a date", malicious: [] }, now);
  assert.deepEqual(unknown, { code: "publish-time-unknown", minimumHours: 72 });
  assert.equal(versionProblemMessage(unknown!), "publish time unknown, and the policy wants versions at least 72 h old");
  // A clock behind the publish time says "0 hours", never a negative age.
  assert.deepEqual(versionProblem(strict, "pypi", { publishedAt: "2026-11-24T00:00:00Z", malicious: [] }, now), { code: "too-new", ageMs: 0, minimumHours: 72 });
});
