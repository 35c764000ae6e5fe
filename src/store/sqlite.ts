// The embedded store (the default): the observation cache and the decision log of today's data
// directory (cache.sqlite, ledger.jsonl), and policies and waivers in store.sqlite beside them.
import { closeSync, existsSync, fstatSync, mkdirSync, readSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { LOG_FILE, Ledger, ledgerHead, openLogFile, readEntries, verifyLedger } from "../ledger/ledger.ts";
import { CACHE_FILE_NAME, ObservationCache } from "../sources/cache.ts";
import { matchesQuery, queryLimit, readLimit, summarize } from "./query.ts";
import { POLICY_AND_WAIVER_TABLES, type Row, type Sql, sqlPolicies, sqlWaivers } from "./sql.ts";
import type { DecisionEntry, DecisionLog, Entry, OpenStoreOptions, Store } from "./types.ts";

export const STORE_FILE_NAME = "store.sqlite";

/** Bytes read per step when the log is read from its end. */
const CHUNK = 256 * 1024;

/**
 * The log's entries newest first, read from the end of the file a chunk at a time: a query for the
 * latest decisions reads as much of a large log as it needs, not all of it. Unreadable lines are skipped.
 */
export function* entriesFromEnd(dir: string): Generator<Entry> {
  const file = path.join(dir, LOG_FILE);
  if (!existsSync(file)) return;
  const fd = openLogFile(file);
  try {
    let end = fstatSync(fd).size;
    let rest = Buffer.alloc(0); // the start of a line whose beginning is in an earlier chunk
    while (end > 0) {
      const start = Math.max(0, end - CHUNK);
      const chunk = Buffer.alloc(end - start);
      readSync(fd, chunk, 0, chunk.length, start);
      const data = Buffer.concat([chunk, rest]);
      let lineEnd = data.length;
      let nl = data.lastIndexOf(10, lineEnd - 1);
      while (nl >= 0) {
        const entry = parseEntry(data.subarray(nl + 1, lineEnd));
        if (entry) yield entry;
        lineEnd = nl;
        nl = lineEnd > 0 ? data.lastIndexOf(10, lineEnd - 1) : -1;
      }
      rest = data.subarray(0, lineEnd);
      end = start;
    }
    const first = parseEntry(rest);
    if (first) yield first;
  } finally {
    closeSync(fd);
  }
}

function parseEntry(line: Buffer): Entry | undefined {
  if (!line.length) return undefined;
  try {
    const entry = JSON.parse(line.toString("utf8")) as Entry;
    return entry && typeof entry.seq === "number" ? entry : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON-lines ledger of a data directory as a DecisionLog; queries read the file from its end. */
export function fileDecisionLog(dir: string, key: Uint8Array | undefined, now?: () => Date): DecisionLog {
  let ledger: Ledger | undefined;
  const entries = (): Entry[] => {
    const out: Entry[] = [];
    for (const line of readEntries(dir)) {
      try {
        out.push(JSON.parse(line) as Entry);
      } catch {
        // an unreadable line is verify's to report
      }
    }
    return out;
  };
  return {
    append(decisions) {
      // Created on the first write only: reading a log needs no write access.
      ledger ??= new Ledger(dir, { key, ...(now ? { now } : {}) });
      return ledger.append(decisions);
    },
    async read(options = {}) {
      const after = options.afterSeq ?? 0;
      return entries()
        .filter((e) => e.seq > after)
        .slice(0, readLimit(options.limit));
    },
    verify: (options) => verifyLedger(dir, options),
    async head() {
      return ledgerHead(dir);
    },
    async query(filter = {}) {
      const limit = queryLimit(filter);
      const out: DecisionEntry[] = [];
      for (const e of entriesFromEnd(dir)) {
        if (matchesQuery(e, filter)) out.push(e);
        if (out.length >= limit) break;
      }
      return out;
    },
    // Counts need no order: a streamed read holds one chunk of the log, not all of it.
    async verdictSeries(filter) {
      return summarize(entriesFromEnd(dir), filter).series;
    },
    async summary(series, latest) {
      return summarize(entriesFromEnd(dir), series, latest);
    },
  };
}

/** node:sqlite behind the Sql interface; the file is created by the first write, reads of a missing one find nothing. */
function sqliteRunner(file: string): Sql & { close(): void } {
  let db: DatabaseSync | undefined;
  const statements = new Map<string, StatementSync>();
  const open = (): DatabaseSync => {
    if (db) return db;
    mkdirSync(path.dirname(file), { recursive: true });
    db = new DatabaseSync(file);
    // The wait first: switching to WAL takes a lock another process opening the store may hold.
    db.exec("PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;");
    for (const ddl of POLICY_AND_WAIVER_TABLES) db.exec(ddl);
    return db;
  };
  return {
    async all(sql, params = []) {
      if (!db && !existsSync(file) && /^\s*SELECT/i.test(sql)) return [];
      const d = open();
      let statement = statements.get(sql);
      if (!statement) {
        statement = d.prepare(sql);
        statements.set(sql, statement);
      }
      return statement.all(...params.map((p) => (p === undefined ? null : p) as SQLInputValue)) as Row[];
    },
    close() {
      if (db?.isOpen) db.close();
    },
  };
}

export async function openSqliteStore(options: OpenStoreOptions): Promise<Store> {
  const { dataDir } = options;
  let cache: ObservationCache | undefined;
  const observations = () => {
    if (!cache) {
      mkdirSync(dataDir, { recursive: true });
      cache = new ObservationCache(path.join(dataDir, CACHE_FILE_NAME));
    }
    return cache;
  };
  const sql = sqliteRunner(path.join(dataDir, STORE_FILE_NAME));
  return {
    kind: "sqlite",
    location: dataDir,
    // The cache file is opened when first used: `audit verify` on read-only media never creates it.
    observations: {
      get: (...a) => observations().get(...a),
      getSync: (...a) => observations().get(...a),
      put: (...a) => observations().put(...a),
      storedNames: (source) => observations().storedNames(source),
      storedNamesSync: (source) => observations().storedNames(source),
      flush: () => cache?.flush(),
      close: () => cache?.close(),
    },
    decisions: fileDecisionLog(dataDir, options.logKey, options.now),
    policies: sqlPolicies(sql),
    waivers: sqlWaivers(sql),
    async ping() {},
    async close() {
      cache?.close();
      sql.close();
    },
  };
}
