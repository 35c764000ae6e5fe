// Issue 8 item 18: every similarity search is bounded on hostile names (a 5,000-character name took
// the suggestion search 55 s); names over the registry's maximum get no search at all.
import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyFacts } from "../../src/core/model.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";
import { createNameIntel, MAX_SEARCH_LENGTH } from "../../src/similarity/intel.ts";
import { loadShippedPopular } from "../../src/similarity/shipped.ts";
import { BLOWUP_MS } from "../support/bounded.ts";

const intels = (["npm", "pypi"] as const).map((eco) => createNameIntel(loadShippedPopular(eco), getEcosystem(eco)!.similarity));

/** Shapes that made the searches super-linear: one long token, many generic tokens, many short ones. */
function hostile(length: number): string[] {
  const fill = (unit: string) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
  return [fill("a"), fill("react"), fill("utils-"), fill("a-"), `${fill("py-").slice(0, length - 6)}pandas`, fill("reactjs-lodash-")];
}

function timed(label: string, run: () => unknown): void {
  const started = performance.now();
  run();
  const ms = performance.now() - started;
  assert.ok(ms < BLOWUP_MS, `${label}: ${ms.toFixed(0)} ms`);
}

test("names over the search limit: no typosquat, suspicious-name or suggestion search, at once", () => {
  for (const intel of intels) {
    for (const name of hostile(5000)) {
      timed(`typosquat ${name.slice(0, 12)}`, () => assert.equal(intel.typosquat(name, emptyFacts()), null));
      timed(`suspicious ${name.slice(0, 12)}`, () => assert.equal(intel.suspicious(name), null));
      timed(`suggest ${name.slice(0, 12)}`, () => assert.deepEqual(intel.suggest(name, 3), []));
    }
  }
});

test("the longest names searched stay far under the ceiling, with the searches all run", () => {
  intels[0]!.suggest("warm-up", 1);
  intels[1]!.suggest("warm-up", 1);
  for (const intel of intels) {
    timed("all", () => {
      for (const name of hostile(MAX_SEARCH_LENGTH)) {
        intel.typosquat(name, emptyFacts());
        intel.suspicious(name);
        intel.suggest(name, 3);
      }
    });
  }
});

test("the search limit lies above every registry's longest name", () => {
  assert.ok(MAX_SEARCH_LENGTH >= 214);
  assert.ok(getEcosystem("npm")!.checkName("x".repeat(MAX_SEARCH_LENGTH + 1)).ok === false);
  assert.ok(getEcosystem("pypi")!.checkName("x".repeat(MAX_SEARCH_LENGTH + 1)).ok === false);
});
