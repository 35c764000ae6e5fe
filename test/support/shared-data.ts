// Builds Bouncer's offline data (index and malicious feed) from ../shared into a data directory,
// as `bouncer index build` and `bouncer feeds import` would: for quality tests and benches.
// The build takes seconds, so it is made once per content of its inputs (the snapshot, the feeds
// and the code that builds them) in node_modules/.cache/bouncer-test, and copied from there.
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { ECOSYSTEMS } from "../../src/ecosystems/index.ts";
import { FEED_FILE, INDEX_FILE } from "../../src/engine/setup.ts";
import { importFeeds } from "../../src/sources/feed/import.ts";
import { openFeedStore } from "../../src/sources/feed/store.ts";
import { buildIndex } from "../../src/sources/offline-index/build.ts";
import { SEARCH_FILE } from "../../src/sources/offline-index/search.ts";

export const SHARED = path.resolve(import.meta.dirname, "../../../shared");
const ROOT = path.resolve(import.meta.dirname, "../..");
const CACHE = path.join(ROOT, "node_modules", ".cache", "bouncer-test");

const SNAPSHOTS = { npm: "registry-snapshot/npm.tsv.gz", pypi: "registry-snapshot/pypi.tsv.gz" };
const FEEDS = ["feeds/osv-npm-all.zip", "feeds/osv-pypi-all.zip"];
const KEEP_BUILDS = 3;

/** The code whose output lands in the data files (the builders, and each ecosystem's names and index entry, which
 * give the canonical names): a change to it builds them again. */
function builderSources(): string[] {
  const under = (dir: string) =>
    readdirSync(path.join(ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((f) => f.endsWith(".ts"))
      .map((f) => path.join(ROOT, dir, f));
  const ecosystems = readdirSync(path.join(ROOT, "src/ecosystems"), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => ["names.ts", "index.ts"].map((f) => path.join(ROOT, "src/ecosystems", e.name, f)))
    .filter((f) => existsSync(f));
  return [...under("src/sources/offline-index"), ...under("src/sources/feed"), ...ecosystems].sort();
}

/** Keeps the newest builds only: each is some 40 MB. */
function prune(keep: string): void {
  const builds = readdirSync(CACHE, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[0-9a-f]{32}$/.test(e.name) && e.name !== path.basename(keep))
    .map((e) => ({ dir: path.join(CACHE, e.name), at: statSync(path.join(CACHE, e.name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(KEEP_BUILDS - 1)) rmSync(old.dir, { recursive: true, force: true });
}

function inputsHash(): string {
  const hash = createHash("sha256");
  for (const file of [...Object.values(SNAPSHOTS), ...FEEDS].map((f) => path.join(SHARED, f)).concat(builderSources())) {
    hash.update(`${path.relative(ROOT, file)}\0`);
    hash.update(readFileSync(file));
  }
  return hash.digest("hex").slice(0, 32);
}

async function build(dataDir: string): Promise<void> {
  const normalize = Object.fromEntries([...ECOSYSTEMS.values()].map((e) => [e.id, (n: string) => e.canonicalName(n)]));
  await buildIndex({
    inputs: Object.entries(SNAPSHOTS).map(([ecosystem, file]) => ({ ecosystem, file: path.join(SHARED, file), normalize: normalize[ecosystem]! })),
    out: path.join(dataDir, INDEX_FILE),
    searchOut: path.join(dataDir, SEARCH_FILE),
  });
  const store = openFeedStore(path.join(dataDir, FEED_FILE));
  try {
    await importFeeds(
      FEEDS.map((f) => path.join(SHARED, f)),
      store,
      normalize,
    );
  } finally {
    store.close();
  }
}

/** The built data for the current inputs, from the cache or built into it (atomically: parallel runs may race). */
async function cachedData(): Promise<string> {
  const done = path.join(CACHE, inputsHash());
  if (existsSync(done)) return done;
  mkdirSync(CACHE, { recursive: true });
  const work = mkdtempSync(path.join(CACHE, "building-"));
  try {
    await build(work);
    renameSync(work, done);
    prune(done);
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    if (!existsSync(done)) throw error;
  }
  return done;
}

/** Writes the index and the feed for ../shared into `dataDir` (copies: the engine may write beside them). */
export async function buildSharedData(dataDir: string): Promise<void> {
  const from = await cachedData();
  try {
    for (const file of [INDEX_FILE, FEED_FILE]) copyFileSync(path.join(from, file), path.join(dataDir, file));
  } catch {
    // Another run pruned that build meanwhile: build here, over whatever was half copied.
    for (const file of [INDEX_FILE, FEED_FILE]) rmSync(path.join(dataDir, file), { force: true });
    await build(dataDir);
  }
}
