// OSV range semantics, with the event lists of real MAL- records (fsevents, @ledgerhq/connect-kit, @solana/web3.js).
import assert from "node:assert/strict";
import { test } from "node:test";
import type { MaliciousRecord } from "../../src/core/model.ts";
import { npmAffects } from "../../src/ecosystems/npm/versions.ts";
import { pypiAffects } from "../../src/ecosystems/pypi/versions.ts";

const record = (parts: Partial<MaliciousRecord>): MaliciousRecord => ({
  id: "MAL-TEST",
  allVersions: false,
  versions: [],
  ranges: [],
  ...parts,
});
const semverRange = (...events: Array<Record<string, string>>) => [{ type: "SEMVER", events }];

test("introduced/fixed (MAL-2023-462 fsevents: 1.0.0 up to 1.2.11)", () => {
  const r = record({ ranges: semverRange({ introduced: "1.0.0" }, { fixed: "1.2.11" }) });
  assert.equal(npmAffects(r, "0.9.9"), false);
  assert.equal(npmAffects(r, "1.0.0"), true);
  assert.equal(npmAffects(r, "1.2.10"), true);
  assert.equal(npmAffects(r, "1.2.11"), false);
  assert.equal(npmAffects(r, "2.3.3"), false);
});

test("introduced/last_affected (MAL-2023-8697 @ledgerhq/connect-kit: 1.1.5 to 1.1.7)", () => {
  const r = record({ ranges: semverRange({ introduced: "1.1.5" }, { last_affected: "1.1.7" }) });
  assert.deepEqual(["1.1.4", "1.1.5", "1.1.7", "1.1.8"].map((v) => npmAffects(r, v)), [false, true, true, false]);
});

test("introduced 0 means from the start; events are taken in version order", () => {
  assert.equal(npmAffects(record({ ranges: semverRange({ introduced: "0" }) }), "0.0.1"), true);
  const twoWindows = record({
    ranges: semverRange({ fixed: "3.0.0" }, { introduced: "2.0.0" }, { introduced: "1.0.0" }, { fixed: "1.5.0" }),
  });
  assert.deepEqual(["0.1.0", "1.2.0", "1.6.0", "2.5.0", "3.0.0"].map((v) => npmAffects(twoWindows, v)), [false, true, false, true, false]);
});

test("limit bounds a range from above", () => {
  const r = record({ ranges: semverRange({ introduced: "0" }, { limit: "2.0.0" }) });
  assert.equal(npmAffects(r, "1.9.9"), true);
  assert.equal(npmAffects(r, "2.0.0"), false);
});

test("versions lists are 'at least these', matched after normalisation", () => {
  const npmRecord = record({ versions: ["1.0.0"] }); // MAL-2023-1077
  assert.equal(npmAffects(npmRecord, "1.0.0"), true);
  assert.equal(npmAffects(npmRecord, "v1.0.0"), true);
  assert.equal(npmAffects(npmRecord, "1.0.1"), false);
  const pypiRecord = record({ versions: ["1.0.3"] }); // MAL-2023-1354 barcodegeneratorqr
  assert.equal(pypiAffects(pypiRecord, "1.0.3"), true);
  assert.equal(pypiAffects(pypiRecord, "1.0.3.0"), true); // PEP 440 equality
  assert.equal(pypiAffects(pypiRecord, "1.0.4"), false);
});

test("PyPI ranges use PEP 440 order (ECOSYSTEM type)", () => {
  const r = record({ ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "1.0" }, { fixed: "1.2.post1" }] }] });
  assert.deepEqual(["0.9", "1.0rc1", "1.0", "1.2", "1.2.post1", "1.10"].map((v) => pypiAffects(r, v)), [false, false, true, true, false, false]);
});

test("fail closed: unknown version, empty record, unparsable bounds or versions, GIT-only ranges", () => {
  const window = record({ ranges: semverRange({ introduced: "1.0.0" }, { fixed: "2.0.0" }) });
  assert.equal(npmAffects(window, null), true);
  assert.equal(npmAffects(record({ versions: ["1.0.0"] }), null), true);
  assert.equal(npmAffects(record({ allVersions: true }), "9.9.9"), true);
  assert.equal(npmAffects(record({}), "1.0.0"), true);
  assert.equal(npmAffects(window, "not-a-version"), true);
  assert.equal(npmAffects(record({ ranges: semverRange({ introduced: "1.0.0" }, { fixed: "garbage" }) }), "3.0.0"), true);
  assert.equal(npmAffects(record({ ranges: semverRange({ fixed: "2.0.0" }) }), "1.0.0"), true); // no "introduced": from 0
  const git = record({ ranges: [{ type: "GIT", events: [{ introduced: "abc123" }] }] });
  assert.equal(npmAffects(git, "1.0.0"), true);
  // A GIT range next to a versions list: the list decides.
  assert.equal(npmAffects(record({ versions: ["1.0.0"], ranges: git.ranges }), "2.0.0"), false);
  // Hostile shapes do not throw.
  const hostile = { id: "x", allVersions: false, versions: [3], ranges: [{ type: "SEMVER", events: "nope" }] } as unknown as MaliciousRecord;
  assert.equal(npmAffects(hostile, "1.0.0"), true);
});
