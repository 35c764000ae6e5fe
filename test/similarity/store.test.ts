// The name index kept between runs: a reloaded index answers exactly as a fresh one; a damaged one is rebuilt.
import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyFacts } from "../../src/core/model.ts";
import { ECOSYSTEMS } from "../../src/ecosystems/index.ts";
import { createNameIntel, type IndexStore } from "../../src/similarity/intel.ts";
import { loadShippedPopular } from "../../src/similarity/shipped.ts";

function memoryStore(): IndexStore & { arrays: Map<string, Uint32Array>; texts: Map<string, string> } {
  const arrays = new Map<string, Uint32Array>();
  const texts = new Map<string, string>();
  return {
    arrays,
    texts,
    load: (k) => arrays.get(k),
    save: (k, d) => void arrays.set(k, d),
    loadText: (k) => texts.get(k),
    saveText: (k, t) => void texts.set(k, t),
  };
}

const NAMES = ["reactt", "lodahs", "expresss", "@babel/cor", "axois", "react-dom", "fastapi-utils", "chalkk", "left-pad", "zzzz-unknown"];
const answers = (intel: ReturnType<typeof createNameIntel>) => NAMES.map((n) => JSON.stringify([intel.typosquat(n, emptyFacts()), intel.suspicious(n)]));

test("a reloaded index answers exactly as a freshly built one", () => {
  const popular = loadShippedPopular("npm");
  const options = ECOSYSTEMS.get("npm")!.similarity;
  const store = memoryStore();
  const fresh = createNameIntel(popular, options, store);
  assert.equal(store.arrays.size, 1);
  assert.equal(store.texts.size, 1);
  const saved = [...store.arrays.values()][0]!;
  let loads = 0;
  const counting: IndexStore = {
    ...store,
    load: (k) => {
      loads++;
      return store.load(k);
    },
  };
  const reloaded = createNameIntel(popular, options, counting);
  assert.equal(loads, 1);
  assert.deepEqual(answers(reloaded), answers(fresh));
  assert.ok(answers(fresh).some((a) => a.includes('"target":"react"')), "the sample does find typosquats");
  // Damaged data (a cut file, a bad map) is not trusted: the index is built again and answers the same.
  store.arrays.set([...store.arrays.keys()][0]!, saved.subarray(0, saved.length - 7));
  store.texts.set([...store.texts.keys()][0]!, "[[[\"x\",[99999999]]],[]]");
  assert.deepEqual(answers(createNameIntel(popular, options, store)), answers(fresh));
});
