// The embedded store (the default): the observation cache and the decision log of today's data
// directory (cache.sqlite, ledger.jsonl), and policies and waivers in store.sqlite beside them.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { Ledger, ledgerHead, readEntries, verifyLedger } from "../ledger/ledger.ts";
import { CACHE_FILE_NAME, ObservationCache } from "../sources/cache.ts";
import { buckets, matchesQuery, queryLimit, readLimit } from "./query.ts";
import { POLICY_AND_WAIVER_TABLES, type Row, type Sql, sqlPolicies, sqlWaivers } from "./sql.ts";
import type { DecisionEntry, DecisionLog, Entry, OpenStoreOptions, Store } from "./types.ts";

export const STORE_FILE_NAME = "store.sqlite";

/** The JSON-lines ledger of a data directory as a DecisionLog; queries read the file. */
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
      const all = entries();
      const out: DecisionEntry[] = [];
      for (let i = all.length - 1; i >= 0 && out.length < limit; i--) {
        const e = all[i]!;
        if (matchesQuery(e, filter)) out.push(e);
      }
      return out;
    },
    async verdictSeries(filter) {
      const { list, indexOf } = buckets(filter.since, filter.until, filter.bucketMs);
      for (const e of entries()) {
        if (!matchesQuery(e, filter)) continue;
        const i = indexOf(e.time);
        if (i >= 0) list[i]![e.verdict]++;
      }
      return list;
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
    db.exec("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000;");
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
