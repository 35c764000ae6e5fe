// The known-malicious feed in one SQLite file: one row per (ecosystem, name, record id).
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { EcosystemId, MaliciousRecord } from "../../core/model.ts";
import type { ParsedOsv } from "./osv.ts";

const SCHEMA_VERSION = 1;

export type UpsertOutcome = "inserted" | "updated" | "unchanged" | "older";

export interface FeedStore {
  readonly path: string;
  /** Reports that name this package (canonical name), oldest id first. */
  find(ecosystem: EcosystemId, name: string): MaliciousRecord[];
  /** Distinct record ids per ecosystem. */
  counts(): Record<EcosystemId, number>;
  /** Whether any report is stored (cheap, unlike counts). */
  hasRecords(): boolean;
  /** Keeps the record with the newest `modified`; on an equal time the stored one stays. */
  upsert(record: ParsedOsv, json: string): UpsertOutcome;
  /** Removes a record withdrawn at or after the stored version; true when one was removed. */
  withdraw(record: ParsedOsv): boolean;
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** The answer for the names no report mentions: shared, never written to. */
const NONE: MaliciousRecord[] = Object.freeze([]) as unknown as MaliciousRecord[];

/**
 * Which names may be in a report: a Bloom filter (two bits per name in a table of 32 to 64 bits per
 * name, about 0.4% false positives) that the query then settles. Most names looked up are in no
 * report; this answers them without loading the names as strings or probing a large Set.
 */
class MaybeReported {
  private readonly bits: Int32Array;
  private readonly mask: number;

  constructor(names: readonly string[]) {
    let size = 1024;
    while (size < 32 * names.length) size *= 2;
    this.bits = new Int32Array(size / 32);
    this.mask = size - 1;
    for (const name of names) {
      const h = fnv1a(name);
      this.set(h);
      this.set(remix(h));
    }
  }

  private set(hash: number): void {
    const i = hash & this.mask;
    this.bits[i >>> 5]! |= 1 << (i & 31);
  }

  private isSet(hash: number): boolean {
    const i = hash & this.mask;
    return (this.bits[i >>> 5]! & (1 << (i & 31))) !== 0;
  }

  has(name: string): boolean {
    const h = fnv1a(name);
    return this.isSet(h) && this.isSet(remix(h));
  }
}

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** A second hash from the first (murmur3's finalizer), for the filter's second bit. */
function remix(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** Lookups answered by a plain query before the filter is built. */
const QUERIES_BEFORE_FILTER = 1000;

export function openFeedStore(path: string): FeedStore {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
    // Readers wait briefly while an import commits, rather than failing at once.
    db.exec("PRAGMA busy_timeout = 2000");
    const version = (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (version > SCHEMA_VERSION) {
      throw new Error(`it was written by a newer Bouncer (schema ${version})`);
    }
    db.exec(`
      CREATE TABLE IF NOT EXISTS malicious (
        ecosystem TEXT NOT NULL,
        name TEXT NOT NULL,
        id TEXT NOT NULL,
        modified TEXT NOT NULL,
        record TEXT NOT NULL,
        facts TEXT NOT NULL,
        PRIMARY KEY (ecosystem, name, id)
      ) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS malicious_by_id ON malicious (id);
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
  } catch (error) {
    throw new Error(`malicious feed store ${path} is unusable: ${(error as Error).message}`);
  }

  const q = {
    find: db.prepare("SELECT facts FROM malicious WHERE ecosystem = ? AND name = ? ORDER BY id"),
    byId: db.prepare("SELECT modified, record FROM malicious WHERE id = ? LIMIT 1"),
    remove: db.prepare("DELETE FROM malicious WHERE id = ?"),
    insert: db.prepare(
      "INSERT OR REPLACE INTO malicious (ecosystem, name, id, modified, record, facts) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    counts: db.prepare("SELECT ecosystem, COUNT(DISTINCT id) AS n FROM malicious GROUP BY ecosystem"),
    any: db.prepare("SELECT 1 FROM malicious LIMIT 1"),
  } satisfies Record<string, StatementSync>;

  const stored = (id: string) => q.byId.get(id) as { modified: string; record: string } | undefined;

  // Most names are in no report: a filter of the reported names answers those without a query (the
  // first lookups are plain queries: for a few names that costs less than reading them all).
  // It is rebuilt when this or another connection changes the database (an import while a proxy runs),
  // checked at most once a second: a timer marks the filter stale, so that a lookup reads no clock
  // (a synchronous bulk check sees one snapshot).
  // One string of names per ecosystem costs far less than a row per name, and the id index holds
  // (id, ecosystem, name): the stored records are not read.
  const namesByEcosystem = db.prepare(
    `SELECT ecosystem, group_concat(name, char(10)) AS names, count(*) AS n
     FROM malicious INDEXED BY malicious_by_id GROUP BY ecosystem`,
  );
  const namesOf = db.prepare("SELECT name FROM malicious WHERE ecosystem = ?");
  const dataVersion = db.prepare("PRAGMA data_version");
  let reported: Map<string, MaybeReported> | undefined;
  let seenVersion = -1;
  let checked = false;
  let staleTimer: ReturnType<typeof setTimeout> | undefined;
  let queries = 0;
  const reportedNames = (): Map<string, MaybeReported> => {
    if (reported && checked) return reported;
    if (!checked) {
      checked = true;
      staleTimer = setTimeout(() => {
        checked = false;
      }, 1000).unref();
    }
    const version = (dataVersion.get() as { data_version: number }).data_version;
    if (!reported || version !== seenVersion) {
      seenVersion = version;
      reported = new Map();
      for (const r of namesByEcosystem.all() as Array<{ ecosystem: string; names: string; n: number }>) {
        let list = r.names.split("\n");
        // A name holding a newline splits in two: then this ecosystem's names are read one row each.
        if (list.length !== r.n) list = (namesOf.all(r.ecosystem) as Array<{ name: string }>).map((row) => row.name);
        reported.set(r.ecosystem, new MaybeReported(list));
      }
    }
    return reported;
  };

  return {
    path,
    find(ecosystem, name) {
      if (queries < QUERIES_BEFORE_FILTER) queries++;
      else if (!reportedNames().get(ecosystem)?.has(name)) return NONE;
      const rows = q.find.all(ecosystem, name) as Array<{ facts: string }>;
      return rows.length ? rows.map((r) => JSON.parse(r.facts) as MaliciousRecord) : NONE;
    },
    hasRecords() {
      return q.any.get() !== undefined;
    },
    counts() {
      const out: Record<string, number> = {};
      for (const r of q.counts.all() as Array<{ ecosystem: string; n: number }>) out[r.ecosystem] = r.n;
      return out;
    },
    upsert(record, json) {
      const old = stored(record.id);
      if (old) {
        const oldMs = Date.parse(old.modified);
        if (oldMs > record.modifiedMs) return "older";
        // OSV changes `modified` with every edit: an equal time is the same record (keeps re-imports idempotent).
        if (oldMs === record.modifiedMs) return "unchanged";
        q.remove.run(record.id);
      }
      reported = undefined;
      for (const p of record.packages) {
        q.insert.run(p.ecosystem, p.name, record.id, record.modified, json, JSON.stringify(p.record));
      }
      return old ? "updated" : "inserted";
    },
    withdraw(record) {
      const old = stored(record.id);
      if (!old || Date.parse(old.modified) > record.modifiedMs) return false;
      reported = undefined;
      q.remove.run(record.id);
      return true;
    },
    transaction(fn) {
      db.exec("BEGIN");
      try {
        const result = fn();
        db.exec("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      }
    },
    close() {
      clearTimeout(staleTimer);
      if (db.isOpen) db.close();
    },
  };
}
