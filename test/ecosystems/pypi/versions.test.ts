import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyFacts, type PackageFacts, type VersionFacts } from "../../../src/core/model.ts";
import { resolvePypiVersion } from "../../../src/ecosystems/pypi/versions.ts";

function facts(latest: string | null, versions?: Record<string, Partial<VersionFacts>>): PackageFacts {
  const f: PackageFacts = { ...emptyFacts(), existence: "exists", latestVersion: latest };
  if (versions) f.versions = Object.fromEntries(Object.entries(versions).map(([v, x]) => [v, { version: v, ...x }]));
  return f;
}

const django = facts("5.1", {
  "4.2": {},
  "4.2.16": {},
  "5.0": {},
  "5.0.9": { yanked: "security" },
  "5.1": {},
  "5.2a1": {},
  "6.0.dev20240101": {},
});

test("no request: the latest version", () => {
  assert.equal(resolvePypiVersion(null, django), "5.1");
  assert.equal(resolvePypiVersion("", django), "5.1");
  assert.equal(resolvePypiVersion(null, emptyFacts()), null);
});

test("exact versions and pins: the registry's spelling of an equal version, yanked or not", () => {
  assert.equal(resolvePypiVersion("4.2.16", django), "4.2.16");
  assert.equal(resolvePypiVersion("==4.2.16", django), "4.2.16");
  assert.equal(resolvePypiVersion("==4.2.0", django), "4.2");
  assert.equal(resolvePypiVersion("==5.0.9", django), "5.0.9"); // a pin installs a yanked release (PEP 592)
  assert.equal(resolvePypiVersion("==9.9", django), "9.9");
  assert.equal(resolvePypiVersion("===5.1", django), "5.1");
  assert.equal(resolvePypiVersion("==1.0", emptyFacts()), "1.0");
});

test("specifier sets: highest non-yanked match, pre-releases only when nothing else matches", () => {
  assert.equal(resolvePypiVersion(">=4.2,<5.1", django), "5.0"); // 5.0.9 is yanked
  assert.equal(resolvePypiVersion("~=4.2", django), "4.2.16");
  assert.equal(resolvePypiVersion("~=5.0", django), "5.1"); // 5.2a1 is a pre-release
  assert.equal(resolvePypiVersion("~=4.2.0", django), "4.2.16");
  assert.equal(resolvePypiVersion("==4.*", django), "4.2.16");
  assert.equal(resolvePypiVersion(">=5.1", django), "5.1");
  assert.equal(resolvePypiVersion(">5.1", django), "6.0.dev20240101"); // only pre-releases match
  assert.equal(resolvePypiVersion(">=5.2a1", django), "6.0.dev20240101"); // the set names a pre-release
  assert.equal(resolvePypiVersion(">=7", django), null);
  assert.equal(resolvePypiVersion(">=4", facts("5.1")), null); // versions unknown
});

test("what is no specifier resolves to null", () => {
  assert.equal(resolvePypiVersion("latest", django), null);
  assert.equal(resolvePypiVersion(">=>2", django), null);
});
