// Lockfiles as evidence of what is installed: for every format, the package an entry really
// fetches is the one reported, and its URL, host, scheme and integrity hash become findings
// (test/fixtures/lockfile-integrity: one folder per scenario, each with its expected.json).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { DEFAULT_LOCKFILE_HOSTS, lockfileFindings } from "../../src/core/signals.ts";
import { npmExtractors } from "../../src/ecosystems/npm/manifests/index.ts";
import { pypiExtractors } from "../../src/ecosystems/pypi/manifests/index.ts";
import type { ExtractedDependency } from "../../src/core/dependency.ts";

const ROOT = fileURLToPath(new URL("../fixtures/lockfile-integrity/", import.meta.url));
const EXTRACTORS = [...npmExtractors, ...pypiExtractors];

interface Expected {
  semantics: string;
  packages: Array<{ name: string; version: string; claimedName?: string; findings: string[]; urls?: string[] }>;
}

export function findingCodes(d: ExtractedDependency, extraHosts: readonly string[] = []): string[] {
  const hosts = new Set([...(DEFAULT_LOCKFILE_HOSTS[d.ecosystem] ?? []), ...extraHosts]);
  return lockfileFindings(d.name, d.lock ? [d.lock] : [], hosts, d.source === "git").map((f) => f.code);
}

const scenarios = readdirSync(ROOT).sort();

test("the scenarios are there, one folder each", () => assert.ok(scenarios.length >= 35, `${scenarios.length} scenarios`));

for (const scenario of scenarios) {
  test(`lockfile integrity: ${scenario}`, () => {
    const dir = join(ROOT, scenario);
    const files = readdirSync(dir).filter((f) => f !== "expected.json");
    assert.equal(files.length, 1, "one lockfile per scenario");
    const file = files[0]!;
    const extractor = EXTRACTORS.find((e) => e.matches(file));
    assert.ok(extractor, `no extractor reads ${file}`);
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Expected;
    const result = extractor.extract(readFileSync(join(dir, file), "utf8"), file);
    assert.deepEqual(result.problems, []);
    const got = result.dependencies.map((d) => {
      const row: Expected["packages"][number] = { name: d.name, version: d.version ?? "", findings: findingCodes(d) };
      if (d.lock?.claimedName !== undefined) row.claimedName = d.lock.claimedName;
      return row;
    });
    const want = expected.packages.map(({ urls: _urls, ...p }) => p);
    assert.deepEqual(got, want, expected.semantics);
    for (const [i, p] of expected.packages.entries()) if (p.urls) assert.deepEqual(result.dependencies[i]!.lock?.urls, p.urls);
  });
}

test("a host the trusted configuration names is no finding", () => {
  const text = readFileSync(join(ROOT, "yarn-v1-untrusted-host/yarn.lock"), "utf8");
  const [dep] = npmExtractors.find((e) => e.matches("yarn.lock"))!.extract(text, "yarn.lock").dependencies;
  assert.deepEqual(findingCodes(dep!, ["npm.evil.example"]), []);
});

test("lockfileFindings: one finding per host, git checkouts judged by scheme only, nothing for an allowed https registry", () => {
  const hosts = new Set(DEFAULT_LOCKFILE_HOSTS.pypi);
  const wheels = ["a", "b", "c"].map((t) => `https://mirror.example/packages/requests-2.0-py3-${t}-any.whl`);
  const codes = (urls: string[], git = false) => lockfileFindings("requests", [{ urls, integrity: true }], hosts, git).map((f) => f.code);
  assert.deepEqual(codes(wheels), ["lockfile-untrusted-host"]);
  assert.deepEqual(codes(["http://mirror.example/simple", ...wheels]), ["lockfile-insecure-url", "lockfile-untrusted-host"]);
  assert.deepEqual(codes(["git+https://github.com/psf/requests.git"], true), []);
  assert.deepEqual(codes(["git+http://github.com/psf/requests.git"], true), ["lockfile-insecure-url"]);
  assert.deepEqual(codes(["https://files.pythonhosted.org/packages/requests-2.0.tar.gz", "https://PyPI.org./simple"]), []);
  // Credentials and query strings never reach a report.
  const [dep] = pypiExtractors.find((e) => e.matches("Pipfile.lock"))!.extract(readFileSync(join(ROOT, "pipfile-lock-untrusted-host/Pipfile.lock"), "utf8"), "Pipfile.lock").dependencies;
  assert.ok(!JSON.stringify(lockfileFindings(dep!.name, [dep!.lock!], hosts)).includes("secret"));
});
