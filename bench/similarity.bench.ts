// Name intelligence: build time per ecosystem, and per-name typosquat() and suggest() latency over
// mixed names (registered ones from the 2026-11 snapshots, generated typos, random strings).
import { emptyFacts } from "../src/core/model.ts";
import { getEcosystem } from "../src/ecosystems/index.ts";
import { createNameIntel, type IndexStore } from "../src/similarity/intel.ts";
import { loadShippedPopular } from "../src/similarity/shipped.ts";
import { loadSnapshot } from "../test/similarity/shared-data.ts";
import { makeTypo, seededRandom, TYPO_KINDS, type TypoOptions } from "../test/similarity/typo-generator.ts";
import type { BenchRow } from "./types.ts";
import { names as checkInput } from "./check.bench.ts";

const LOOKUPS = 100_000;
const SUGGESTIONS = 5_000;
const TYPO_OPTIONS: Record<"npm" | "pypi", TypoOptions> = {
  npm: { scoped: true, separators: ["-", "_", "."], prefixes: ["js-", "node-"], suffixes: ["-js", ".js"] },
  pypi: { scoped: false, separators: ["-"], prefixes: ["py-", "python-"], suffixes: ["-py"] },
};

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/** A third registered names, a third typos of popular names, a third random strings. */
function mixedNames(eco: "npm" | "pypi", count: number, random: () => number): string[] {
  const snapshot = loadSnapshot(eco);
  const popular = loadShippedPopular(eco);
  const out: string[] = [];
  while (out.length < count) {
    const r = out.length % 3;
    if (r === 0) out.push(snapshot[Math.floor(random() * snapshot.length)]!.name);
    else if (r === 1) {
      const base = popular[Math.floor(random() * Math.min(popular.length, 5000))]!.name;
      const typo = makeTypo(base, TYPO_KINDS[Math.floor(random() * TYPO_KINDS.length)]!, random, TYPO_OPTIONS[eco]);
      if (typo) out.push(typo);
    } else {
      const length = 3 + Math.floor(random() * 18);
      out.push(Array.from({ length }, () => "abcdefghijklmnopqrstuvwxyz0123456789-"[Math.floor(random() * 37)]).join(""));
    }
  }
  return out;
}

function timeEach(names: readonly string[], fn: (name: string) => unknown): Float64Array {
  for (const name of names.slice(0, 2000)) fn(name); // warm up
  const times = new Float64Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const t = performance.now();
    fn(names[i]!);
    times[i] = (performance.now() - t) * 1000;
  }
  return times.sort();
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const random = seededRandom(1);
  const facts = emptyFacts();
  const lookups: Float64Array[] = [];
  for (const eco of ["npm", "pypi"] as const) {
    const popular = loadShippedPopular(eco);
    const options = getEcosystem(eco)!.similarity;
    createNameIntel(popular, options); // warm up the code paths
    let t = performance.now();
    const intel = createNameIntel(popular, options);
    const buildMs = performance.now() - t;
    rows.push({ name: `name intel build, ${eco} (${popular.length.toLocaleString("en")} names)`, value: Math.round(buildMs), unit: "ms", target: "< 1000 ms", ok: buildMs < 1000 });

    // What a run pays with the tables kept from an earlier one (the store in memory: decoding, not the disk read).
    const blocks = new Map<string, Uint32Array>();
    const store: IndexStore = { load: (key) => blocks.get(key), save: (key, data) => void blocks.set(key, data) };
    createNameIntel(popular, options, store).suggest("warm-up");
    let stored = createNameIntel(popular, options, store);
    let loadMs = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      stored = createNameIntel(popular, options, store);
      loadMs = Math.min(loadMs, performance.now() - t);
    }
    rows.push({ name: `name intel from stored tables, ${eco} (best of 3)`, value: Number(loadMs.toFixed(1)), unit: "ms", target: "< 30 ms", ok: loadMs < 30 });
    t = performance.now();
    stored.suggest("warm-up");
    rows.push({ name: `suggest index from stored tables (first call), ${eco}`, value: Number((performance.now() - t).toFixed(1)), unit: "ms" });

    const names = mixedNames(eco, LOOKUPS / 2, random);
    lookups.push(timeEach(names, (name) => intel.typosquat(name, facts)));

    t = performance.now();
    intel.suggest("warm-up");
    const suggestBuildMs = performance.now() - t;
    rows.push({ name: `suggest index build (first call), ${eco}`, value: Math.round(suggestBuildMs), unit: "ms" });
    const suggest = timeEach(names.slice(0, SUGGESTIONS), (name) => intel.suggest(name, 5));
    rows.push({ name: `suggest() p50, ${eco}, ${SUGGESTIONS.toLocaleString("en")} mixed names`, value: Math.round(percentile(suggest, 0.5)), unit: "µs" });
    rows.push({ name: `suggest() p99, ${eco}`, value: Math.round(percentile(suggest, 0.99)), unit: "µs", target: "< 5000 µs", ok: percentile(suggest, 0.99) < 5_000 });
  }
  rows.push(...didYouMeanProfile());
  const all = new Float64Array(LOOKUPS);
  all.set(lookups[0]!, 0);
  all.set(lookups[1]!, lookups[0]!.length);
  all.sort();
  const p50 = percentile(all, 0.5);
  const p99 = percentile(all, 0.99);
  rows.push({ name: `typosquat() p50, ${LOOKUPS.toLocaleString("en")} mixed names (npm + PyPI)`, value: Number(p50.toFixed(1)), unit: "µs" });
  rows.push({ name: "typosquat() p99", value: Number(p99.toFixed(1)), unit: "µs", target: "< 100 µs", ok: p99 < 100 });
  return rows;
}

/**
 * What the full "did you mean" costs per name in `check --offline` of check.bench's 100,000 names:
 * for each name no snapshot lists (those the engine searches), the typosquat() and suggest() calls
 * it makes, in µs. Steps of the search, not the process: the end-to-end rate is check.bench's.
 */
function didYouMeanProfile(): BenchRow[] {
  const listed = { npm: new Set(loadSnapshot("npm").map((r) => r.name)), pypi: new Set(loadSnapshot("pypi").map((r) => r.name)) };
  const rows: BenchRow[] = [];
  const facts = emptyFacts();
  const byEco = { npm: [] as string[], pypi: [] as string[] };
  for (const purl of checkInput(100_000)) {
    const eco = purl.startsWith("pkg:npm/") ? "npm" : "pypi";
    const name = getEcosystem(eco)!.canonicalName(decodeURIComponent(purl.slice(eco.length + 5)));
    if (!listed[eco].has(name)) byEco[eco].push(name);
  }
  let total = 0;
  for (const eco of ["npm", "pypi"] as const) {
    const intel = createNameIntel(loadShippedPopular(eco), getEcosystem(eco)!.similarity);
    intel.suggest("warm-up");
    const typosquat = timeEach(byEco[eco], (name) => intel.typosquat(name, facts));
    const suggest = timeEach(byEco[eco], (name) => intel.suggest(name, 3));
    const mean = (t: Float64Array) => t.reduce((a, b) => a + b, 0) / t.length;
    total += (mean(typosquat) + mean(suggest)) * byEco[eco].length;
    rows.push({ name: `did-you-mean per unlisted name of check's input, ${eco} (${byEco[eco].length.toLocaleString("en")}): typosquat() mean`, value: Number(mean(typosquat).toFixed(1)), unit: "µs" });
    rows.push({ name: "  suggest() mean", value: Number(mean(suggest).toFixed(1)), unit: "µs" });
    rows.push({ name: "  suggest() p50", value: Number(percentile(suggest, 0.5).toFixed(1)), unit: "µs" });
    rows.push({ name: "  suggest() p99", value: Number(percentile(suggest, 0.99).toFixed(1)), unit: "µs" });
  }
  rows.push({ name: "did-you-mean for all of them (seconds of a 100,000-name check)", value: Number((total / 1e6).toFixed(2)), unit: "s" });
  rows.push({ name: "  per name of the whole input", value: Number((total / 100_000).toFixed(1)), unit: "µs" });
  return rows;
}
