// Builds Bouncer's offline data (index and malicious feed) from ../shared into a data directory,
// as `bouncer index build` and `bouncer feeds import` would: for quality tests and benches.
import path from "node:path";
import { ECOSYSTEMS } from "../../src/ecosystems/index.ts";
import { FEED_FILE, INDEX_FILE } from "../../src/engine/setup.ts";
import { importFeeds } from "../../src/sources/feed/import.ts";
import { openFeedStore } from "../../src/sources/feed/store.ts";
import { buildIndex } from "../../src/sources/offline-index/build.ts";
import { SEARCH_FILE } from "../../src/sources/offline-index/search.ts";

export const SHARED = path.resolve(import.meta.dirname, "../../../shared");

export async function buildSharedData(dataDir: string): Promise<void> {
  const normalize = Object.fromEntries([...ECOSYSTEMS.values()].map((e) => [e.id, (n: string) => e.canonicalName(n)]));
  await buildIndex({
    inputs: [
      { ecosystem: "npm", file: path.join(SHARED, "registry-snapshot/npm.tsv.gz"), normalize: normalize.npm! },
      { ecosystem: "pypi", file: path.join(SHARED, "registry-snapshot/pypi.tsv.gz"), normalize: normalize.pypi! },
    ],
    out: path.join(dataDir, INDEX_FILE),
    searchOut: path.join(dataDir, SEARCH_FILE),
  });
  const store = openFeedStore(path.join(dataDir, FEED_FILE));
  try {
    await importFeeds([path.join(SHARED, "feeds/osv-npm-all.zip"), path.join(SHARED, "feeds/osv-pypi-all.zip")], store, normalize);
  } finally {
    store.close();
  }
}
