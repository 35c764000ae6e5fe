// checkPackages: merging, "did you mean" in every run, and local sources judged as they are read.
import assert from "node:assert/strict";
import { test } from "node:test";
import { defaultPolicy } from "../../src/core/policy.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";
import { checkPackages, checkWithFacts, didYouMean, type Engine, judge } from "../../src/engine/check.ts";
import { makeRequest } from "../../src/engine/requests.ts";
import { createNameIntel } from "../../src/similarity/intel.ts";
import type { NameIntel } from "../../src/similarity/types.ts";
import type { DataSource, Observation } from "../../src/sources/types.ts";

const npm = getEcosystem("npm")!;
const POPULAR = ["react", "express", "lodash", "chalk", "commander"].map((name, i) => ({ name, downloads: 100_000_000 - i }));
const intel = createNameIntel(POPULAR, npm.similarity);

/** Knows the popular names and one modest package; `sync` decides whether it answers without waiting. */
function source(sync: boolean): DataSource {
  const observe = (_ecosystem: string, name: string): Observation =>
    POPULAR.some((p) => p.name === name) || name === "left-pad"
      ? { source: "fake", existence: "exists", downloadsLastMonth: name === "left-pad" ? 2_000_000 : 100_000_000 }
      : { source: "fake", existence: "absent" };
  return sync ? { id: "fake", lookupSync: observe, lookup: async (e, n) => observe(e, n) } : { id: "fake", lookup: async (e, n) => observe(e, n) };
}

function engine(sync: boolean): Engine {
  return {
    ecosystems: getEcosystem,
    sources: [source(sync)],
    intel: (id): NameIntel | undefined => (id === "npm" ? intel : undefined),
    policy: defaultPolicy(),
    clock: () => new Date("2026-11-23T12:00:00Z"),
  };
}

const request = (spec: string, line: number) => {
  const { name, version } = npm.splitSpec(spec);
  return makeRequest(npm, name, version, [{ file: "list.txt", line }]);
};

test("one result per package and version, with every location that asked for it, in first-asked order", async () => {
  const results = await checkPackages([request("react", 1), request("lodash@4.17.21", 2), request("react", 3), request("lodash", 4)], engine(true));
  assert.deepEqual(
    results.map((r) => [r.name, r.version, r.locations.map((l) => l.line)]),
    [
      ["react", null, [1, 3]],
      ["lodash", "4.17.21", [2]],
      ["lodash", null, [4]],
    ],
  );
  assert.deepEqual(Object.keys(results[0]!), ["purl", "ecosystem", "name", "version", "verdict", "findings", "didYouMean", "locations"]);
});

test("every run searches what was meant for names that do not exist, however many there are (issue 8 item 16)", async () => {
  const names = ["expresss", "chxlk", "reakt"];
  const typos = Array.from({ length: 1500 }, (_, i) => `zzqq${i}x`);
  const results = (await checkPackages([...typos, ...names].map(request), engine(true))).slice(-3);
  assert.deepEqual(results.map((r) => r.didYouMean[0]), ["express", "chalk", "react"]);
  // Only the full search names these two: no finding points at them.
  assert.deepEqual(results.slice(1).map((r) => r.findings.filter((f) => f.target).length), [0, 0]);
});

test("local sources judged as they are read give the same report as sources that are waited for", async () => {
  const requests = ["react", "reactt", "left-pad@1.3.0", "express-helper", "Bad Name", "chalk", "reactt"].map(request);
  const local = await checkPackages(requests, engine(true));
  const remote = await checkPackages(requests, engine(false));
  assert.deepEqual(local, remote);
  assert.deepEqual(
    local.map((r) => r.verdict),
    ["allow", "block", "allow", "block", "block", "allow"],
  );
});

test("results handed over as they become final are the same, in the same order, and none are kept", async () => {
  const names = ["react", "expresss", "chalkk-js", "reactt", "zzqqxx", "lodash", "express-helper", "react"];
  const requests = names.map(request);
  const kept = await checkPackages(requests, engine(true));
  const handed: unknown[] = [];
  const returned = await checkPackages(requests, engine(true), { onResult: (r) => handed.push(r) });
  assert.deepEqual(returned, []);
  assert.deepEqual(handed, kept);
});

test("judge is pure: the facts and the requests it is given stay as they were, and it names no alternative", () => {
  const e = engine(true);
  const facts = { existence: "unknown" as const, unknownReasons: [], sources: [], malicious: [] };
  const frozen = structuredClone(facts);
  const asked = request("reactt", 1);
  const before = structuredClone(asked);
  const result = judge(asked, facts, e);
  assert.deepEqual(facts, frozen, "the facts are not patched with the engine's hint");
  assert.deepEqual(asked, before);
  assert.equal(result.verdict, "block");
  assert.deepEqual(result.didYouMean, [], "did-you-mean is its own step");
  assert.notEqual(result.locations, asked.locations);
  assert.deepEqual(didYouMean(asked, result, facts, e), ["react"]);
});

test("merging requests changes none of them: each result has its own locations and lockfile entries", async () => {
  const lock = (url: string) => ({ urls: [url], integrity: true });
  const first = { ...request("left-pad", 1), lock: [lock("https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz")] };
  const second = { ...request("left-pad", 2), lock: [lock("http://evil.example/left-pad-1.3.0.tgz")] };
  const copies = structuredClone([first, second]);
  const [result] = await checkPackages([first, second], engine(true));
  assert.deepEqual([first, second], copies);
  assert.deepEqual(result!.locations.map((l) => l.line), [1, 2]);
  assert.ok(result!.findings.some((f) => f.code === "lockfile-insecure-url"), "the second entry's evidence is judged");
});

test("a third request merges into the copy the second made: every location is listed once, no request changes", async () => {
  const asked = [request("left-pad", 1), request("left-pad", 2), request("left-pad", 3)];
  const copies = structuredClone(asked);
  const results = await checkPackages(asked, engine(true));
  assert.equal(results.length, 1);
  assert.deepEqual(results[0]!.locations.map((l) => l.line), [1, 2, 3]);
  assert.deepEqual(asked, copies);
});

test("each verdict comes with the facts it was made on (what the proxy filters versions by)", async () => {
  const checked = await checkWithFacts(["left-pad", "zzqqxx", "Bad Name"].map(request), engine(false));
  assert.deepEqual(
    checked.map((c) => [c.result.name, c.result.verdict, c.facts?.existence, c.facts?.downloadsLastMonth]),
    [
      ["left-pad", "allow", "exists", 2_000_000],
      ["zzqqxx", "block", "absent", undefined],
      ["Bad Name", "block", undefined, undefined],
    ],
  );
});
