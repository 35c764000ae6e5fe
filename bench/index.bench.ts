// Offline index (build, size, open, lookup) over the real 2026-11 snapshots, and the malicious-feed import.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importFeeds } from "../src/sources/feed/import.ts";
import { openFeedStore } from "../src/sources/feed/store.ts";
import { buildIndex } from "../src/sources/offline-index/build.ts";
import { openIndex } from "../src/sources/offline-index/read.ts";
import type { BenchRow } from "./types.ts";

const shared = (path: string) => new URL(`../../shared/${path}`, import.meta.url).pathname;
// The ecosystems own canonical names; a local PEP 503 keeps this bench independent of them.
const normalizers = { npm: (n: string) => n, pypi: (n: string) => n.replace(/[-_.]+/g, "-").toLowerCase() };
const OPENS = 5;
const LOOKUPS = 1_000_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** openIndex wall time in a fresh process (no warm module or heap; the OS page cache stays warm). */
function openInFreshProcess(path: string): number {
  const reader = new URL("../src/sources/offline-index/read.ts", import.meta.url).href;
  const script = `import { openIndex } from ${JSON.stringify(reader)};
const t = performance.now(); const index = openIndex(${JSON.stringify(path)}); index.lookup("npm", "react");
process.stdout.write(String(performance.now() - t));`;
  return Number(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }));
}

export default async function (): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "bouncer-bench-index-"));
  try {
    const out = join(dir, "index.bin");
    let t = performance.now();
    const stats = await buildIndex({
      out,
      inputs: [
        { ecosystem: "npm", file: shared("registry-snapshot/npm.tsv.gz"), normalize: normalizers.npm },
        { ecosystem: "pypi", file: shared("registry-snapshot/pypi.tsv.gz"), normalize: normalizers.pypi },
      ],
    });
    const buildMs = performance.now() - t;
    const mb = stats.bytes / (1024 * 1024);

    const opens = Array.from({ length: OPENS }, () => openInFreshProcess(out));
    t = performance.now();
    const index = openIndex(out);
    const openHere = performance.now() - t;

    // Half hits (popular names of both ecosystems), half misses (the same names, altered).
    const hits = [...index.popular("npm", 500), ...index.popular("pypi", 500)].map((p, i) => ({
      ecosystem: i < 500 ? "npm" : "pypi",
      name: p.name,
    }));
    const probes = hits.flatMap((h) => [h, { ecosystem: h.ecosystem, name: `${h.name}-x` }]);
    let found = 0;
    t = performance.now();
    for (let i = 0; i < LOOKUPS; i++) {
      const p = probes[i % probes.length]!;
      if (index.lookup(p.ecosystem, p.name)) found++;
    }
    const lookupNs = ((performance.now() - t) * 1e6) / LOOKUPS;
    if (found < LOOKUPS / 2) throw new Error(`lookup bench: only ${found} of ${LOOKUPS} probes found`);

    t = performance.now();
    index.popular("npm", 10_000);
    const popularMs = performance.now() - t;

    const store = openFeedStore(join(dir, "feed.sqlite"));
    t = performance.now();
    const feed = await importFeeds([shared("feeds/osv-npm-all.zip"), shared("feeds/osv-pypi-all.zip")], store, normalizers);
    const importMs = performance.now() - t;
    store.close();
    if (feed.inserted !== 26810) throw new Error(`feed bench: imported ${feed.inserted} records, expected 26810`);

    const openMs = median(opens);
    return [
      { name: "index build, npm + PyPI snapshots", value: Math.round(buildMs), unit: "ms", target: "< 15000 ms", ok: buildMs < 15000 },
      { name: "index file size", value: Number(mb.toFixed(1)), unit: "MB", target: "< 25 MB", ok: mb < 25 },
      {
        name: `index open + first lookup, fresh process (median of ${OPENS})`,
        value: Number(openMs.toFixed(1)),
        unit: "ms",
        target: "< 150 ms",
        ok: openMs < 150,
      },
      { name: "index open, warm process", value: Number(openHere.toFixed(1)), unit: "ms" },
      {
        name: "index lookup, half hits",
        value: Math.round(lookupNs),
        unit: "ns/op",
        target: "< 5000 ns/op",
        ok: lookupNs < 5000,
      },
      { name: "index popular(npm, 10000)", value: Number(popularMs.toFixed(1)), unit: "ms" },
      {
        name: "feed import, both OSV zips (26,810 records)",
        value: Math.round(importMs),
        unit: "ms",
        target: "< 5000 ms",
        ok: importMs < 5000,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
