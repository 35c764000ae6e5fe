// Lockfile integrity through the engine: the package a lockfile really fetches is judged, its
// URL's host is checked against the configured registries and the trusted policy's lockfileHosts,
// and a project policy cannot add hosts (issue 9).
import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Report } from "../../src/core/model.ts";
import { defaultPolicy, parsePolicy, PolicyError, type Policy, stricterOnly } from "../../src/core/policy.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";
import type { Engine } from "../../src/engine/check.ts";
import { scan } from "../../src/engine/scan.ts";
import type { DataSource } from "../../src/sources/types.ts";

const FIXTURES = fileURLToPath(new URL("../fixtures/lockfile-integrity/", import.meta.url));

/** Every package exists, is old and popular: only the lockfile findings are left. */
const everything: DataSource = {
  id: "fake",
  lookupSync: (_e, name) => ({ source: "fake", existence: "exists", createdAt: "2015-01-01T00:00:00Z", downloadsLastMonth: 5_000_000, repositoryUrl: `https://github.com/x/${name}` }),
  lookup: async (e, n) => everything.lookupSync!(e, n),
};

function engine(policy: Policy = defaultPolicy(), registryUrls?: Engine["registryUrls"]): Engine {
  return { ecosystems: getEcosystem, sources: [everything], intel: () => undefined, policy, clock: () => new Date("2026-11-23T12:00:00Z"), ...(registryUrls ? { registryUrls } : {}) };
}

const scanScenario = (scenario: string, e: Engine): Promise<Report> => scan({ cwd: FIXTURES, paths: [path.join(FIXTURES, scenario)] }, e);
const summary = (report: Report) => report.results.map((r) => [r.name, r.verdict, r.findings.map((f) => f.code)]);

test("a yarn v1 entry named left-pad that fetches @someone/left-pad is judged as @someone/left-pad, and blocked", async () => {
  const report = await scanScenario("yarn-v1-name-mismatch", engine());
  assert.deepEqual(summary(report), [["@someone/left-pad", "block", ["lockfile-name-mismatch"]]]);
  assert.match(report.results[0]!.findings[0]!.message, /entry for "left-pad" installs another package, @someone\/left-pad/);
  assert.equal(report.results[0]!.findings[0]!.target, "left-pad");
});

test("another host blocks unless it is a configured registry or in the trusted policy's lockfileHosts", async () => {
  assert.deepEqual(summary(await scanScenario("package-lock-v2-untrusted-host", engine())), [["left-pad", "block", ["lockfile-untrusted-host"]]]);
  const configured = engine(defaultPolicy(), { npm: ["https://npm.evil.example/"] });
  assert.deepEqual(summary(await scanScenario("package-lock-v2-untrusted-host", configured)), [["left-pad", "allow", []]]);
  const allowed = engine(parsePolicy({ lockfileHosts: ["NPM.evil.example"] }));
  assert.deepEqual(summary(await scanScenario("package-lock-v2-untrusted-host", allowed)), [["left-pad", "allow", []]]);
  // A PyPI host allowed for npm is not one for PyPI lockfiles' registries, and the reverse.
  const pypiOnly = engine(defaultPolicy(), { pypi: ["https://npm.evil.example/simple"] });
  assert.deepEqual(summary(await scanScenario("package-lock-v2-untrusted-host", pypiOnly)), [["left-pad", "block", ["lockfile-untrusted-host"]]]);
});

test("http: blocks, a missing integrity hash warns, for npm and Python lockfiles", async () => {
  assert.deepEqual(summary(await scanScenario("npm-shrinkwrap-insecure-url", engine())), [["left-pad", "block", ["lockfile-insecure-url"]]]);
  assert.deepEqual(summary(await scanScenario("pipfile-lock-insecure-url", engine())), [["requests", "block", ["lockfile-insecure-url"]]]);
  // A registry the trusted configuration names over http (a local mirror) is its owner's choice.
  const local = engine(defaultPolicy(), { pypi: ["http://pypi.org/simple/"] });
  assert.deepEqual(summary(await scanScenario("pipfile-lock-insecure-url", local)), [["requests", "allow", []]]);
  // So is a host the trusted policy allows over http by name; the host alone allows https only.
  const byPolicy = engine(parsePolicy({ lockfileHosts: ["HTTP://pypi.org"] }));
  assert.deepEqual(summary(await scanScenario("pipfile-lock-insecure-url", byPolicy)), [["requests", "allow", []]]);
  const hostOnly = engine(parsePolicy({ lockfileHosts: ["pypi.org"] }));
  assert.deepEqual(summary(await scanScenario("pipfile-lock-insecure-url", hostOnly)), [["requests", "block", ["lockfile-insecure-url"]]]);
  assert.deepEqual(summary(await scanScenario("yarn-berry-no-integrity", engine())), [["left-pad", "warn", ["lockfile-no-integrity"]]]);
  assert.deepEqual(summary(await scanScenario("uv-no-integrity", engine())), [["requests", "warn", ["lockfile-no-integrity"]]]);
});

test("a tarball URL dependency on another host is a non-registry package and an untrusted host", async () => {
  const report = await scanScenario("yarn-berry-untrusted-host", engine());
  assert.deepEqual(summary(report), [["left-pad", "block", ["not-a-registry-package", "lockfile-untrusted-host"]]]);
  // A registry range that the lockfile fetches from a git host is no longer only a warning.
  const git = await scanScenario("yarn-v1-registry-range-from-git", engine());
  assert.deepEqual(summary(git), [["left-pad", "block", ["not-a-registry-package", "lockfile-untrusted-host"]]]);
});

test("the same package locked twice keeps the evidence of both entries", async () => {
  const report = await scan({ cwd: FIXTURES, paths: [path.join(FIXTURES, "yarn-v1-insecure-url"), path.join(FIXTURES, "yarn-v1-no-integrity")] }, engine());
  assert.deepEqual(summary(report), [["left-pad", "block", ["lockfile-insecure-url", "lockfile-no-integrity"]]]);
  assert.equal(report.results[0]!.locations.length, 2);
});

test("policy: lockfileHosts is a list of host names; a project policy cannot add one", () => {
  assert.deepEqual(parsePolicy({ lockfileHosts: ["npm.corp.example", "10.0.0.5:8080"] }).lockfileHosts, ["npm.corp.example", "10.0.0.5:8080"]);
  assert.deepEqual(parsePolicy({ lockfileHosts: ["http://10.0.0.5:8080"] }).lockfileHosts, ["http://10.0.0.5:8080"]);
  for (const bad of [["https://npm.corp.example/"], ["http://npm.corp.example/"], ["ftp://npm.corp.example"], "npm.corp.example", [""], [3]]) {
    assert.throws(() => parsePolicy({ lockfileHosts: bad }), (e: unknown) => e instanceof PolicyError && /^lockfileHosts:/.test(e.message));
  }
  const trusted = parsePolicy({ lockfileHosts: ["npm.corp.example"] });
  const { policy, ignored } = stricterOnly(trusted, { lockfileHosts: ["npm.evil.example"] });
  assert.deepEqual(policy.lockfileHosts, ["npm.corp.example"]);
  assert.deepEqual(ignored, [{ key: "lockfileHosts", value: "npm.evil.example", reason: "lockfile-hosts" }]);
  // The integrity codes block by default; a project cannot weaken them, a trusted policy can.
  assert.deepEqual(stricterOnly(defaultPolicy(), { codes: { "lockfile-untrusted-host": "warn" } }).ignored.map((i) => i.reason), ["weaker"]);
  assert.equal(parsePolicy({ codes: { "lockfile-no-integrity": "block" } }).codes["lockfile-no-integrity"], "block");
});
