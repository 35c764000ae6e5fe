// The tables kept between runs: reloaded ones answer exactly as fresh ones; damaged or foreign ones are rebuilt.
import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyFacts } from "../../src/core/model.ts";
import { ECOSYSTEMS } from "../../src/ecosystems/index.ts";
import { createNameIntel, type IndexStore } from "../../src/similarity/intel.ts";
import { keyedTsvList, loadShippedPopular } from "../../src/similarity/shipped.ts";
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
  // The name tables and their deletion index, then the suggester's (built for the first suggestion).
  assert.equal(store.arrays.size, 3);
  assert.ok(fresh.some((a) => a.includes('"target":"react"')), "the sample does find typosquats");
  store.loads.length = 0;
  const saved = new Map(store.arrays);
  assert.deepEqual(answers(createNameIntel(popular, options, store)), fresh);
  assert.equal(store.loads.length, 3);
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
  const others = [...otherStore.arrays];
  for (const k of saved.keys()) store.arrays.set(k, others.find(([o]) => o.slice(32) === k.slice(32))![1]);
  assert.deepEqual(answers(createNameIntel(popular, options, store)), fresh);
});

test("changed figures make new tables", () => {
  const store = memoryStore();
  createNameIntel(popular, options, store);
  const demoted = popular.map((e) => (e.name === "react" ? { ...e, downloads: 0 } : e));
  const answer = answers(createNameIntel(demoted, options, store));
  assert.equal(store.arrays.size, 5);
  assert.deepEqual(answer, answers(createNameIntel(demoted, options)));
  assert.notDeepEqual(answer, fresh);
});

/** A TSV list of the first `count` shipped names, keyed as the shipped lists are, counting its reads. */
function tsvList(entries: readonly PopularEntry[]) {
  const text = `name\tdownloads\n${entries.map((e) => `${e.name}\t${e.downloads}`).join("\n")}\n`;
  const list = keyedTsvList("npm", Buffer.from(text));
  let reads = 0;
  return {
    key: list.key,
    entries: () => {
      reads++;
      return list.entries();
    },
    reads: () => reads,
  };
}

const head = popular.slice(0, 3000);

test("a keyed list is read only to build its tables, and reloaded ones answer as fresh ones", () => {
  const store = memoryStore();
  const list = tsvList(head);
  const built = answers(createNameIntel(list, options, store));
  assert.equal(list.reads(), 1);
  assert.deepEqual(built, answers(createNameIntel(head, options)));
  const again = tsvList(head);
  assert.equal(again.key, list.key);
  assert.deepEqual(answers(createNameIntel(again, options, store)), built);
  assert.equal(again.reads(), 0, "loaded from the store without reading the list");
});

test("an edited list of the same size gets a new key: the tables stored for the old one are not used", () => {
  const store = memoryStore();
  createNameIntel(tsvList(head), options, store);
  // react's downloads become 9s, digit for digit: the file keeps its size.
  const edited = head.map((e) => (e.name === "react" ? { ...e, downloads: Number(String(e.downloads).replace(/\d/g, "9")) } : e));
  const demoted = head.map((e) => (e.name === "react" ? { ...e, downloads: Number(String(e.downloads).replace(/\d/g, "1")) } : e));
  for (const changed of [edited, demoted]) {
    const list = tsvList(changed);
    const answer = answers(createNameIntel(list, options, store));
    assert.equal(list.reads(), 1, "built again from the edited list");
    assert.deepEqual(answer, answers(createNameIntel(changed, options)));
  }
  assert.notDeepEqual(answers(createNameIntel(tsvList(demoted), options, store)), answers(createNameIntel(tsvList(head), options, store)));
});

test("a damaged stored block of a keyed list, or another list's block under its key, is built again", () => {
  const store = memoryStore();
  const fresh = answers(createNameIntel(head, options));
  createNameIntel(tsvList(head), options, store);
  const [[key, block]] = [...store.arrays];
  const damages: Array<(data: Uint32Array) => Uint32Array> = [
    (d) => d.subarray(0, d.length - 7),
    () => new Uint32Array(0),
    (d) => {
      const copy = d.slice();
      copy[copy.length >> 1]! ^= 1;
      return copy;
    },
  ];
  const otherStore = memoryStore();
  createNameIntel(tsvList(head.slice(0, 500)), options, otherStore);
  damages.push(() => [...otherStore.arrays.values()][0]!);
  for (const damage of damages) {
    store.arrays.set(key!, damage(block!));
    const list = tsvList(head);
    assert.deepEqual(answers(createNameIntel(list, options, store)), fresh);
    assert.equal(list.reads(), 1, "built again");
    assert.deepEqual(store.arrays.get(key!), block, "and saved again");
  }
  // The deletion index alone: built again from the stored names, at the first search that needs it.
  const deletions = `${key}-deletions`;
  const index = store.arrays.get(deletions)!;
  for (const damage of damages) {
    store.arrays.set(deletions, damage(index));
    const list = tsvList(head);
    assert.deepEqual(answers(createNameIntel(list, options, store)), fresh);
    assert.equal(list.reads(), 0, "the tables were loaded");
    assert.deepEqual(store.arrays.get(deletions), index, "the index built and saved again");
  }
});

test("stored names are told apart without decoding them, ASCII or not", () => {
  const list: PopularEntry[] = [
    { name: "café-utils", downloads: 9e8 },
    { name: "cafe-utils", downloads: 8e8 },
    { name: "react", downloads: 7e8 },
    { name: "reac", downloads: 6e8 },
    { name: "ü", downloads: 5e8 },
  ];
  const store = memoryStore();
  const ask = (intel: ReturnType<typeof createNameIntel>) =>
    ["café-utils", "cafe-utils", "cafe-util", "react", "reac", "reactt", "ü", "u", "ä", "caf\u00e9-utils", "cafë-utils"].map((n) => [n, intel.isPopular(n), intel.suggest(n, 2)]);
  const fresh = ask(createNameIntel(list, options));
  createNameIntel(list, options, store);
  assert.deepEqual(ask(createNameIntel(list, options, store)), fresh);
  // Each name alone, on tables just loaded (nothing decoded before it).
  for (const [n, popular] of fresh) assert.equal(createNameIntel(list, options, store).isPopular(n as string), popular, String(n));
  assert.deepEqual(fresh.filter(([, popular]) => popular).map(([n]) => n), ["café-utils", "cafe-utils", "react", "reac", "ü", "caf\u00e9-utils"]);
});
