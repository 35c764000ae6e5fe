// The data an engine runs on, made from files the user gives: the offline index (with the package
// search) from registry snapshots, and the known-malicious feed from OSV reports. The CLI's `index
// build` and `feeds import` are thin over these; every ecosystem takes part through its module.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { ECOSYSTEMS } from "../ecosystems/index.ts";
import { type FeedImportStats, importFeeds } from "../sources/feed/import.ts";
import { openFeedStore } from "../sources/feed/store.ts";
import { type BuildStats, buildIndex } from "../sources/offline-index/build.ts";
import { SEARCH_FILE } from "../sources/offline-index/search.ts";
import { FEED_FILE, INDEX_FILE } from "./setup.ts";

/** Each ecosystem's canonical form of a name. */
const normalizers = () => Object.fromEntries([...ECOSYSTEMS.values()].map((e) => [e.id, (n: string) => e.canonicalName(n)]));

/** Builds the offline index and the package search into the data directory from one snapshot file per ecosystem id. */
export async function buildOfflineIndex(options: {
  dataDir: string;
  snapshots: Readonly<Record<string, string>>;
  onProgress?: (ecosystem: string, rows: number) => void;
}): Promise<BuildStats> {
  const norm = normalizers();
  const inputs = Object.entries(options.snapshots).map(([ecosystem, file]) => {
    const normalize = norm[ecosystem];
    if (!normalize) throw new Error(`no ecosystem "${ecosystem}"`);
    return { ecosystem, file, normalize };
  });
  await mkdir(options.dataDir, { recursive: true });
  return buildIndex({
    inputs,
    out: path.join(options.dataDir, INDEX_FILE),
    searchOut: path.join(options.dataDir, SEARCH_FILE),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
}

/** Imports OSV reports (files, folders, osv.dev-style zips) into the data directory's feed; returns what changed and what is stored. */
export async function importMaliciousFeeds(options: { dataDir: string; paths: string[] }): Promise<FeedImportStats & { stored: ReturnType<ReturnType<typeof openFeedStore>["counts"]> }> {
  await mkdir(options.dataDir, { recursive: true });
  const store = openFeedStore(path.join(options.dataDir, FEED_FILE));
  try {
    const osvEcosystems = Object.fromEntries([...ECOSYSTEMS.values()].map((e) => [(e.osvName ?? e.label).toLowerCase(), e.id]));
    const stats = await importFeeds(options.paths, store, normalizers(), { osvEcosystems });
    return { ...stats, stored: store.counts() };
  } finally {
    store.close();
  }
}
