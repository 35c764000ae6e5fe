import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyFacts, type PackageFacts } from "../../src/core/model.ts";
import { DEFAULT_THRESHOLDS } from "../../src/core/policy.ts";
import { evaluateSignals, type SignalInput } from "../../src/core/signals.ts";

const NOW = new Date("2026-11-23T12:00:00Z");
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function run(facts: Partial<PackageFacts>, extra: Partial<SignalInput> = {}) {
  return evaluateSignals({
    request: { ecosystem: "npm", rawName: "pkg", name: "pkg", nameProblem: null, version: null, locations: [] },
    registryLabel: "npm",
    facts: { ...emptyFacts(), existence: "exists", ...facts },
    resolvedVersion: null,
    malicious: [],
    invalidNameReason: null,
    typosquat: null,
    suspicious: null,
    importNameOf: null,
    now: NOW,
    thresholds: DEFAULT_THRESHOLDS,
    ...extra,
  });
}
const codes = (fs: ReturnType<typeof run>) => fs.map((f) => f.code).sort();

test("an old, popular package with a repository has no findings", () => {
  assert.deepEqual(run({ createdAt: daysAgo(3000), downloadsLastMonth: 5e7, repositoryUrl: "https://github.com/x/y" }), []);
});

test("absent is not-found; unknown is unverifiable with the reason", () => {
  assert.deepEqual(codes(run({ existence: "absent" })), ["not-found"]);
  const u = run({ existence: "unknown", unknownReasons: ["npm-registry: timeout after 10 s"] });
  assert.deepEqual(codes(u), ["unverifiable"]);
  assert.match(u[0]!.message, /timeout after 10 s/);
});

test("invalid names stop there", () => {
  const f = run({}, { invalidNameReason: "name cannot contain spaces" });
  assert.deepEqual(codes(f), ["invalid-name"]);
  assert.match(f[0]!.message, /cannot contain spaces/);
});

test("new package, low popularity, no repository", () => {
  const f = run({ createdAt: daysAgo(3), downloadsLastMonth: 12, repositoryUrl: null });
  assert.deepEqual(codes(f), ["low-popularity", "new-package", "no-repository"]);
  assert.match(f.find((x) => x.code === "new-package")!.message, /3 days ago/);
});

test("a missing creation time (a mirror) is not taken as new", () => {
  assert.deepEqual(codes(run({ createdAt: undefined, downloadsLastMonth: 1e6 })), []);
});

test("version-level signals: new version, install scripts, deprecated, yanked", () => {
  const f = run(
    { createdAt: daysAgo(900), downloadsLastMonth: 1e6 },
    { resolvedVersion: "2.0.0", versionFacts: { version: "2.0.0", publishedAt: daysAgo(1), installScripts: ["postinstall"], deprecated: "use v3" } },
  );
  assert.deepEqual(codes(f), ["deprecated", "install-scripts", "new-version"]);
  const sdist = run({ createdAt: daysAgo(900), popularityRank: 10 }, { resolvedVersion: "1.0", versionFacts: { version: "1.0", sdistOnly: true, yanked: "broken" } });
  assert.deepEqual(codes(sdist), ["deprecated", "install-scripts"]);
});

test("security holders and malicious records", () => {
  const f = run(
    { securityHolder: true, downloadsLastMonth: 5000 },
    { malicious: [{ id: "MAL-2024-1", allVersions: true, versions: [], ranges: [], summary: "steals tokens" }] },
  );
  assert.deepEqual(codes(f), ["known-malicious", "security-holding"]);
  assert.match(f[0]!.message, /MAL-2024-1.*steals tokens/);
});

test("popularity by rank when downloads are unknown (PyPI)", () => {
  assert.deepEqual(codes(run({ popularityRank: null })), ["low-popularity"]);
  assert.deepEqual(codes(run({ popularityRank: 120 })), []);
  assert.deepEqual(codes(run({})), [], "unknown popularity is not claimed to be low");
});

test("typosquat carries its target; suspicious names need little history", () => {
  const t = run({ downloadsLastMonth: 10 }, { typosquat: { target: "react", edit: "deletion", targetDownloads: 9e7 } });
  const ts = t.find((x) => x.code === "typosquat")!;
  assert.equal(ts.target, "react");
  assert.match(ts.message, /one letter missing from react \(90M downloads a month\)/);
  const sus = { base: "fastapi", affix: "-secure-auth-extension", position: "suffix" as const };
  assert.ok(codes(run({ downloadsLastMonth: 10 }, { suspicious: sus })).includes("suspicious-name"));
  assert.ok(!codes(run({ downloadsLastMonth: 1e6, createdAt: daysAgo(900) }, { suspicious: sus })).includes("suspicious-name"));
});

test("an install of an import name names the real distribution", () => {
  const f = run({ existence: "absent" }, { importNameOf: "PyYAML" });
  assert.deepEqual(codes(f), ["import-name-mismatch", "not-found"]);
  assert.equal(f[0]!.target, "PyYAML");
});

test("a fact a source could not give is a finding: incomplete where history stands, unverifiable where it cannot be told", () => {
  const downloadsDown = [{ fact: "popularity" as const, reason: "downloads API: HTTP 500" }];
  const noTime = [{ fact: "age" as const, reason: "the registry document has no publication times" }];
  const old = run({ createdAt: daysAgo(2000), repositoryUrl: "https://github.com/x/y", unknownFacts: downloadsDown });
  assert.deepEqual(codes(old), ["incomplete-facts"]);
  assert.equal(old[0]!.severity, "low");
  assert.match(old[0]!.message, /^its popularity could not be established \(downloads API: HTTP 500\); judged on its age \(first published 2000 days ago\)$/);
  // New with popularity unknown, or unknown age with little or unknown popularity: fail closed.
  for (const facts of [
    { createdAt: daysAgo(3), unknownFacts: downloadsDown },
    { downloadsLastMonth: 12, unknownFacts: noTime },
    { unknownFacts: [...noTime, ...downloadsDown] },
  ]) {
    const f = run(facts);
    assert.ok(codes(f).includes("unverifiable"), JSON.stringify(facts));
    assert.match(f.find((x) => x.code === "unverifiable")!.message, /could not be established .* so its history cannot be told/);
  }
  const both = run({ unknownFacts: [...noTime, ...downloadsDown] });
  assert.deepEqual(both[0]!.details, { unknown: ["age", "popularity"] });
  assert.match(both[0]!.message, /its age and popularity could not be established/);
  // Popular with no dates: judged on its popularity.
  assert.deepEqual(codes(run({ downloadsLastMonth: 5e6, unknownFacts: noTime })), ["incomplete-facts"]);
  // A gap another source filled (the index knew the downloads) is no gap.
  assert.deepEqual(codes(run({ createdAt: daysAgo(3), downloadsLastMonth: 5e6, unknownFacts: downloadsDown })), ["new-package"]);
});

test("existence from a lesser source while the registry failed: what only the registry tells is unknown", () => {
  const reasons = ["npm-registry: registry.example failed (HTTP 503)"];
  const popular = run({ downloadsLastMonth: 3e8, unknownReasons: reasons });
  assert.deepEqual(codes(popular), ["incomplete-facts"]);
  assert.deepEqual(popular[0]!.details, { unknown: ["age", "releases", "repository"] });
  assert.deepEqual(codes(run({ downloadsLastMonth: 600, unknownReasons: reasons })), ["low-popularity", "unverifiable"]);
});

test("PEP 792: quarantined replaces the unpublished reading; archived is its own finding", () => {
  const old = { createdAt: daysAgo(3000), downloadsLastMonth: 5e7, repositoryUrl: "https://github.com/x/y" };
  const q = run({ ...old, unpublished: true, projectStatus: { status: "quarantined", reason: "malware" } });
  assert.deepEqual(codes(q), ["quarantined"]);
  assert.equal(q[0]!.severity, "critical");
  assert.match(q[0]!.message, /quarantined.*: malware; none of its files may be installed/);
  const a = run({ ...old, projectStatus: { status: "archived", reason: null } });
  assert.deepEqual(codes(a), ["archived"]);
  assert.equal(a[0]!.message, "the project is archived: its maintainers expect no further releases, fixes included");
});
