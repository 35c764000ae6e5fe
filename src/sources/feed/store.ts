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
  /** Keeps the record with the newest `modified`; on an equal time the stored one stays. */
  upsert(record: ParsedOsv, json: string): UpsertOutcome;
  /** Removes a record withdrawn at or after the stored version; true when one was removed. */
  withdraw(record: ParsedOsv): boolean;
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** The answer for the names no report mentions: shared, never written to. */
const NONE: MaliciousRecord[] = Object.freeze([]) as unknown as MaliciousRecord[];

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
  } satisfies Record<string, StatementSync>;

  const stored = (id: string) => q.byId.get(id) as { modified: string; record: string } | undefined;

  // Most names are in no report: a set of the reported names answers those without a query.
  // It is rebuilt when this or another connection changes the database (an import while a proxy runs).
  const names = db.prepare("SELECT DISTINCT ecosystem, name FROM malicious");
  const dataVersion = db.prepare("PRAGMA data_version");
  let reported: Map<string, Set<string>> | undefined;
  let seenVersion = -1;
  let checkedAt = 0;
  const reportedNames = (): Map<string, Set<string>> => {
    const now = Date.now();
    if (reported && now - checkedAt < 1000) return reported;
    checkedAt = now;
    const version = (dataVersion.get() as { data_version: number }).data_version;
    if (!reported || version !== seenVersion) {
      seenVersion = version;
      reported = new Map();
      for (const r of names.all() as Array<{ ecosystem: string; name: string }>) {
        const set = reported.get(r.ecosystem) ?? new Set<string>();
        reported.set(r.ecosystem, set.add(r.name));
      }
    }
    return reported;
  };

  return {
    path,
    find(ecosystem, name) {
      if (!reportedNames().get(ecosystem)?.has(name)) return NONE;
      return (q.find.all(ecosystem, name) as Array<{ facts: string }>).map((r) => JSON.parse(r.facts) as MaliciousRecord);
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
      if (db.isOpen) db.close();
    },
  };
}
