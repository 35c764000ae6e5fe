// Imports OSV records from JSON files, folders (recursive) and osv.dev-style zips into the feed store.
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Normalizers, type OsvEcosystems, osvEcosystemsOf, parseOsv } from "./osv.ts";
import type { FeedStore } from "./store.ts";
import { DEFAULT_ZIP_LIMITS, readZip, type ZipLimits } from "./zip.ts";

export interface FeedProblem {
  path: string;
  /** The zip entry, when the problem is inside an archive. */
  entry?: string;
  message: string;
}

export interface FeedImportStats {
  /** JSON files and zip archives read. */
  files: number;
  /** JSON documents seen. */
  documents: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Documents older than the stored version of the same id. */
  older: number;
  /** Withdrawn documents seen, and stored records they removed. */
  withdrawn: number;
  removed: number;
  /** Documents for other ecosystems, by OSV ecosystem name. */
  skipped: Record<string, number>;
  /** Valid documents seen per ecosystem id. */
  byEcosystem: Record<string, number>;
  malformed: number;
  /** The first problems (malformed documents, unreadable files and entries). */
  problems: FeedProblem[];
}

export interface ImportOptions {
  /** OSV ecosystem names (lower case) kept, and their ecosystem ids: by default the normalizers' ids. */
  osvEcosystems?: OsvEcosystems;
  zipLimits?: ZipLimits;
  /** Largest JSON file and largest zip archive read. */
  maxFileBytes?: number;
  maxArchiveBytes?: number;
}

const MAX_PROBLEMS = 100;

export async function importFeeds(
  paths: string[],
  store: FeedStore,
  normalizers: Normalizers,
  options: ImportOptions = {},
): Promise<FeedImportStats> {
  const zipLimits = options.zipLimits ?? DEFAULT_ZIP_LIMITS;
  const osvEcosystems = options.osvEcosystems ?? osvEcosystemsOf(normalizers);
  const maxFile = options.maxFileBytes ?? zipLimits.maxEntryBytes;
  const maxArchive = options.maxArchiveBytes ?? 1024 * 1024 * 1024;
  const stats: FeedImportStats = {
    files: 0,
    documents: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    older: 0,
    withdrawn: 0,
    removed: 0,
    skipped: {},
    byEcosystem: {},
    malformed: 0,
    problems: [],
  };
  const problem = (p: FeedProblem) => {
    if (stats.problems.length < MAX_PROBLEMS) stats.problems.push(p);
  };

  const document = (bytes: Buffer, path: string, entry?: string) => {
    stats.documents++;
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString("utf8"));
    } catch {
      stats.malformed++;
      problem({ path, entry, message: "not valid JSON" });
      return;
    }
    const result = parseOsv(value, normalizers, osvEcosystems);
    if (!result.ok) {
      stats.malformed++;
      problem({ path, entry, message: `${result.id ? `${result.id}: ` : ""}malformed OSV record: ${result.error}` });
      return;
    }
    const r = result.value;
    if (r.withdrawn) {
      stats.withdrawn++;
      if (store.withdraw(r)) stats.removed++;
      return;
    }
    if (r.packages.length === 0) {
      for (const e of new Set(r.otherEcosystems)) stats.skipped[e] = (stats.skipped[e] ?? 0) + 1;
      return;
    }
    for (const e of new Set(r.packages.map((p) => p.ecosystem))) stats.byEcosystem[e] = (stats.byEcosystem[e] ?? 0) + 1;
    // Stored compact, so an identical re-import is recognised as unchanged.
    stats[store.upsert(r, JSON.stringify(value))]++;
  };

  const file = async (path: string) => {
    let bytes: Buffer;
    try {
      const info = await stat(path);
      const isZip = path.toLowerCase().endsWith(".zip");
      const limit = isZip ? maxArchive : maxFile;
      if (info.size > limit) {
        problem({ path, message: `${info.size} bytes, more than the limit of ${limit}; not read` });
        return;
      }
      bytes = await readFile(path);
    } catch (error) {
      problem({ path, message: `cannot read: ${(error as Error).message}` });
      return;
    }
    stats.files++;
    // Zips are recognised by content ("PK"), whatever the file is called.
    if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b) {
      let entries: ReturnType<typeof readZip>;
      try {
        entries = readZip(bytes, zipLimits);
      } catch (error) {
        problem({ path, message: (error as Error).message });
        return;
      }
      store.transaction(() => {
        for (const e of entries) {
          if (e.isDirectory || !e.name.toLowerCase().endsWith(".json")) continue;
          let data: Buffer;
          try {
            data = e.read();
          } catch (error) {
            stats.malformed++;
            problem({ path, entry: e.name, message: (error as Error).message });
            continue;
          }
          document(data, path, e.name);
        }
      });
    } else {
      store.transaction(() => document(bytes, path));
    }
  };

  const walk = async (dir: string) => {
    let names: Array<{ name: string; isFile(): boolean; isDirectory(): boolean }>;
    try {
      names = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      problem({ path: dir, message: `cannot read folder: ${(error as Error).message}` });
      return;
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of names) {
      // Symbolic links are neither files nor folders here: not followed, so no loops.
      if (d.name.startsWith(".")) continue;
      const full = join(dir, d.name);
      if (d.isDirectory()) await walk(full);
      else if (d.isFile() && /\.(json|zip)$/i.test(d.name)) await file(full);
    }
  };

  for (const path of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      problem({ path, message: code === "ENOENT" ? "no such file or folder" : (error as Error).message });
      continue;
    }
    if (info.isDirectory()) await walk(path);
    else await file(path);
  }
  return stats;
}
