// The tables kept between runs: reloaded ones answer exactly as fresh ones; damaged or foreign ones are rebuilt.
import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyFacts } from "../../src/core/model.ts";
import { ECOSYSTEMS } from "../../src/ecosystems/index.ts";
import { createNameIntel, type IndexStore } from "../../src/similarity/intel.ts";
import { loadShippedPopular } from "../../src/similarity/shipped.ts";
import type { PopularEntry } from "../../src/core/model.ts";

function memoryStore(): IndexStore & { arrays: Map<string, Uint32Array>; loads: string[] } {
  const arrays = new Map<string, Uint32Array>();
  const loads: string[] = [];
  return {
    arrays,
    loads,
    load: (k) => {
      loads.push(k);
      return arrays.get(k);
    },
    save: (k, d) => void arrays.set(k, d),
  };
}

const NAMES = ["reactt", "lodahs", "expresss", "@babel/cor", "axois", "react-dom", "fastapi-utils", "chalkk", "left-pad", "zzzz-unknown", "reactjs", "node-lodash"];
const answers = (intel: ReturnType<typeof createNameIntel>) =>
  NAMES.map((n) => JSON.stringify([intel.typosquat(n, emptyFacts()), intel.suspicious(n), intel.isPopular(n), intel.suggest(n, 3)]));

const popular = loadShippedPopular("npm");
const options = ECOSYSTEMS.get("npm")!.similarity;
const fresh = answers(createNameIntel(popular, options));

test("reloaded tables answer exactly as freshly built ones", () => {
  const store = memoryStore();
  assert.deepEqual(answers(createNameIntel(popular, options, store)), fresh);
  // The name tables, then the suggester's (built for the first suggestion).
  assert.equal(store.arrays.size, 2);
  assert.ok(fresh.some((a) => a.includes('"target":"react"')), "the sample does find typosquats");
  store.loads.length = 0;
  const saved = new Map(store.arrays);
  assert.deepEqual(answers(createNameIntel(popular, options, store)), fresh);
  assert.equal(store.loads.length, 2);
  for (const [k, v] of store.arrays) assert.equal(v, saved.get(k), "loaded, not built again");
});

test("cut, damaged or foreign tables are built again and answer the same", () => {
  const store = memoryStore();
  answers(createNameIntel(popular, options, store));
  const saved = new Map(store.arrays);
  const damages: Array<(data: Uint32Array) => Uint32Array> = [
    (d) => d.subarray(0, d.length - 7),
    (d) => d.subarray(0, 2),
    () => new Uint32Array(0),
    (d) => {
      const copy = d.slice();
      copy[copy.length >> 1]! ^= 1;
      return copy;
    },
    (d) => new Uint32Array(d.length).fill(7),
  ];
  for (const damage of damages) {
    for (const [k, v] of saved) store.arrays.set(k, damage(v));
    assert.deepEqual(answers(createNameIntel(popular, options, store)), fresh);
    for (const [k, v] of saved) assert.deepEqual(store.arrays.get(k), v, "rebuilt and saved again");
  }
  // Another list's tables under this list's key are not used either.
  const other: PopularEntry[] = popular.slice(0, 500);
  const otherStore = memoryStore();
  createNameIntel(other, options, otherStore).suggest("reactt");
  for (const k of saved.keys()) store.arrays.set(k, [...otherStore.arrays.values()][k.includes("suggest") ? 1 : 0]!);
  assert.deepEqual(answers(createNameIntel(popular, options, store)), fresh);
});

test("changed figures make new tables", () => {
  const store = memoryStore();
  createNameIntel(popular, options, store);
  const demoted = popular.map((e) => (e.name === "react" ? { ...e, downloads: 0 } : e));
  const answer = answers(createNameIntel(demoted, options, store));
  assert.equal(store.arrays.size, 3);
  assert.deepEqual(answer, answers(createNameIntel(demoted, options)));
  assert.notDeepEqual(answer, fresh);
});
