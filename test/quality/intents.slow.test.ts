// suggest_package's search on the full registry snapshots: for 50 tasks written by hand, the package
// a maintainer would pick is among the first three answers for at least 80% of them.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { ECOSYSTEMS } from "../../src/ecosystems/index.ts";
import { buildIndex } from "../../src/sources/offline-index/build.ts";
import { openSearchIndex, parseQuery } from "../../src/sources/offline-index/search.ts";
import { SEARCH_WORDS } from "../../src/ecosystems/index.ts";
import { SHARED } from "../support/shared-data.ts";

export interface Intent {
  ecosystem: string;
  intent: string;
  expected: string[];
}

export function readIntents(): Intent[] {
  const text = readFileSync(path.resolve(import.meta.dirname, "../fixtures/intents.tsv"), "utf8");
  return text
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"))
    .slice(1)
    .map((l) => {
      const [ecosystem, intent, expected] = l.split("\t");
      return { ecosystem: ecosystem!, intent: intent!, expected: expected!.split("|").map((e) => e.toLowerCase()) };
    });
}

test("the expected package is in the top 3 for at least 80% of 50 intents", async () => {
  const intents = readIntents();
  assert.equal(intents.length, 50);
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-intents-"));
  const normalize = Object.fromEntries([...ECOSYSTEMS.values()].map((e) => [e.id, (n: string) => e.canonicalName(n)]));
  const stats = await buildIndex({
    inputs: [
      { ecosystem: "npm", file: path.join(SHARED, "registry-snapshot/npm.tsv.gz"), normalize: normalize.npm! },
      { ecosystem: "pypi", file: path.join(SHARED, "registry-snapshot/pypi.tsv.gz"), normalize: normalize.pypi! },
    ],
    out: path.join(dir, "index.bin"),
    searchOut: path.join(dir, "search.tsv.gz"),
  });
  // Bounded: the most popular packages only, a few megabytes.
  assert.ok(stats.search!.bytes < 8 * 1024 * 1024, `${stats.search!.bytes} bytes`);
  const index = openSearchIndex(path.join(dir, "search.tsv.gz"))!;
  const misses: string[] = [];
  for (const i of intents) {
    const hits = index.search(i.ecosystem, parseQuery(i.intent, SEARCH_WORDS), 3);
    if (!hits.some((h) => i.expected.includes(h.name.toLowerCase()))) misses.push(`${i.ecosystem} "${i.intent}": ${hits.map((h) => h.name).join(", ")}`);
  }
  const share = (intents.length - misses.length) / intents.length;
  console.log(`top-3 hits: ${intents.length - misses.length}/${intents.length} (${(share * 100).toFixed(0)}%)\nmisses:\n  ${misses.join("\n  ")}`);
  assert.ok(share >= 0.8, misses.join("\n"));
  // Words that fit no package get no answer dressed up as one.
  assert.deepEqual(index.search("npm", parseQuery("zxqv wibblefrob", SEARCH_WORDS), 3), []);
});
