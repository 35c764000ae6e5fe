import assert from "node:assert/strict";
import test from "node:test";
import { mergeObservations, syncLookup } from "../../src/sources/compose.ts";
import { silentObservation } from "../../src/sources/silent.ts";
import type { DataSource, Observation } from "../../src/sources/types.ts";

test("a silent answer merges as the same plain answer would: its source is listed, nothing else", () => {
  const index: Observation = { source: "offline-index", existence: "exists", latestVersion: "1.0.0", downloadsLastMonth: 900 };
  const plain = [{ source: "npm-registry" }, index, { source: "malicious-feed", malicious: [] }];
  const marked = [
    silentObservation(Object.freeze({ source: "npm-registry" })),
    index,
    silentObservation(Object.freeze({ source: "malicious-feed", malicious: [] })),
  ];
  const merged = mergeObservations(marked);
  assert.deepEqual(merged, mergeObservations(plain));
  assert.deepEqual(merged.sources, ["npm-registry", "offline-index", "malicious-feed"]);
});

test("syncLookup asks every source in order, a failing one answers unknown; undefined when one cannot answer at once", () => {
  const source = (id: string, answer: (name: string) => Observation): DataSource => ({
    id,
    lookupSync: (_ecosystem, name) => answer(name),
    lookup: async (_ecosystem, name) => answer(name),
  });
  const lookup = syncLookup([
    source("registry", () => {
      throw new Error("boom");
    }),
    source("index", (name) => ({ source: "index", existence: name === "a" ? "exists" : "absent" })),
  ]);
  assert.ok(lookup);
  const facts = lookup("npm", "a");
  assert.equal(facts.existence, "exists");
  assert.deepEqual(facts.unknownReasons, ["registry: boom"]);
  assert.equal(lookup("npm", "b").existence, "absent");
  assert.equal(syncLookup([{ id: "remote", lookup: async () => ({ source: "remote" }) }]), undefined);
});
