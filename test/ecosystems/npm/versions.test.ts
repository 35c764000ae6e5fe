import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { test } from "node:test";
import { emptyFacts, type PackageFacts, type VersionFacts } from "../../../src/core/model.ts";
import { npm } from "../../../src/ecosystems/npm/index.ts";
import { isPlainVersion } from "../../../src/ecosystems/npm/semver.ts";
import { compareNpmVersions, normalizeNpmVersion, resolveNpmVersion } from "../../../src/ecosystems/npm/versions.ts";

function facts(latest: string | null, versions?: Record<string, Partial<VersionFacts>>): PackageFacts {
  const f: PackageFacts = { ...emptyFacts(), existence: "exists", latestVersion: latest };
  if (versions) f.versions = Object.fromEntries(Object.entries(versions).map(([v, x]) => [v, { version: v, ...x }]));
  return f;
}

const leftPad = facts("1.3.0", { "0.0.9": {}, "1.0.0": {}, "1.1.3": {}, "1.2.0": {}, "1.3.0": {}, "2.0.0-beta.1": {} });

test("no request or latest: the latest tag", () => {
  assert.equal(resolveNpmVersion(null, leftPad), "1.3.0");
  assert.equal(resolveNpmVersion("latest", leftPad), "1.3.0");
  assert.equal(resolveNpmVersion("", leftPad), "1.3.0");
  assert.equal(resolveNpmVersion(null, emptyFacts()), null);
});

test("exact versions are themselves, normalised", () => {
  assert.equal(resolveNpmVersion("1.1.3", leftPad), "1.1.3");
  assert.equal(resolveNpmVersion("v1.1.3", leftPad), "1.1.3");
  assert.equal(resolveNpmVersion("9.9.9", leftPad), "9.9.9"); // not published: another signal's business
  assert.equal(resolveNpmVersion("1.0.0", emptyFacts()), "1.0.0");
});

test("ranges: the latest tag when it satisfies, else the highest satisfying version", () => {
  assert.equal(resolveNpmVersion("^1.0.0", leftPad), "1.3.0");
  assert.equal(resolveNpmVersion("*", leftPad), "1.3.0");
  assert.equal(resolveNpmVersion("~1.1", leftPad), "1.1.3");
  assert.equal(resolveNpmVersion("<1.2 >=1.0", leftPad), "1.1.3");
  assert.equal(resolveNpmVersion("1.x || >=0.0.1 <0.1", leftPad), "1.3.0");
  assert.equal(resolveNpmVersion("^0.0.9", leftPad), "0.0.9");
  assert.equal(resolveNpmVersion("^2.0.0-beta.0", leftPad), "2.0.0-beta.1");
  assert.equal(resolveNpmVersion("^2.0.0", leftPad), null); // pre-releases only when the range asks
  assert.equal(resolveNpmVersion("^3", leftPad), null);
  // Versions unknown and latest outside the range: unknown.
  assert.equal(resolveNpmVersion("~1.1", facts("1.3.0")), null);
  assert.equal(resolveNpmVersion("^1", facts("1.3.0")), "1.3.0");
});

test("ranges prefer versions that are not deprecated, as npm does", () => {
  const f = facts("2.0.0", { "1.0.0": {}, "1.1.0": { deprecated: "broken" }, "2.0.0": {} });
  assert.equal(resolveNpmVersion("^1.0.0", f), "1.0.0");
  const allDeprecated = facts("2.0.0", { "1.0.0": { deprecated: "x" }, "1.1.0": { deprecated: "y" } });
  assert.equal(resolveNpmVersion("^1.0.0", allDeprecated), "1.1.0");
});

test("other tags are unknown", () => {
  assert.equal(resolveNpmVersion("next", leftPad), null);
  assert.equal(resolveNpmVersion("beta", leftPad), null);
});

test("version order and normalisation", () => {
  assert.equal(normalizeNpmVersion("=v1.2.3"), "1.2.3");
  assert.equal(normalizeNpmVersion("1.2"), null);
  assert.ok(compareNpmVersions("1.2.3-beta.1", "1.2.3") < 0);
  assert.ok(compareNpmVersions("1.10.0", "1.9.0") > 0);
  assert.equal(compareNpmVersions("1.0.0", "v1.0.0"), 0);
  assert.deepEqual(["2.0.0", "junk", "1.0.0-rc.1", "1.0.0"].sort(compareNpmVersions), ["junk", "1.0.0-rc.1", "1.0.0", "2.0.0"]);
});

test("plain versions are read without semver, and exactly as semver reads them", () => {
  const strict = createRequire(import.meta.url)("semver") as typeof import("semver");
  const samples = ["1.0.0", "0.0.0", "10.20.30", "999999999999999.0.0", "9999999999999999.0.0", "01.0.0", "1.0", "1.0.0.0", "v1.0.0", "=1.2.3", "1.0.0-beta", "1.0.0+build", " 1.0.0", "1.0.0 ", "a.b.c", ""];
  for (const v of samples) {
    if (isPlainVersion(v)) assert.equal(strict.valid(v), v, v);
    assert.equal(normalizeNpmVersion(v), strict.valid(v, { loose: true }), v);
    assert.equal(npm.isExactVersion(v), strict.valid(v) !== null, v);
  }
  assert.deepEqual(samples.filter(isPlainVersion), ["1.0.0", "0.0.0", "10.20.30", "999999999999999.0.0"]);
});
