// An embedded observation cache (node:sqlite, one file in the data dir) and the decorator that puts
// it in front of a live source with freshness rules.
import { mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { EcosystemId } from "../core/model.ts";
import { isRecord } from "../core/guards.ts";
import type { CachedEntry, DataSource, LookupOptions, Observation, ObservationStore } from "./types.ts";
import { silentObservation } from "./silent.ts";

export const CACHE_FILE_NAME = "cache.sqlite";
// 2: keys name the registry that answered (issue 8 item 5); rows of version 1 did not, and are dropped.
const SCHEMA_VERSION = 2;

export type { CachedEntry };

/**
 * A registry's identity in cache keys: its base URL without credentials, query or fragment, with
 * one trailing slash ("" for sources that ask no registry). Two spellings of one URL share facts;
 * two registries never do.
 */
export function registryIdentity(baseUrl: string): string {
  if (!baseUrl) return "";
  try {
    const url = new URL(baseUrl);
    url.username = "";
    url.password = "";
    url.search = "";
    url.hash = "";
    return url.href.endsWith("/") ? url.href : `${url.href}/`;
  } catch {
    return baseUrl;
  }
}

/** SQLite's result codes for a file that is not a database, or a damaged one (SQLITE_CORRUPT, SQLITE_NOTADB). */
const DAMAGED = new Set([11, 26]);
const isDamaged = (error: unknown) => DAMAGED.has(((error as { errcode?: number }).errcode ?? 0) & 0xff);

/** Observations keyed by source, the registry that answered, ecosystem and name; one JSON column per entry. */
export class ObservationCache implements ObservationStore {
  readonly file: string;
  #db: DatabaseSync;
  #get: StatementSync;
  #put: StatementSync;
  #queued = new Map<string, { stored_at: number; data: string }>();
  #writing: NodeJS.Immediate | undefined;

  /**
   * `file` may be ":memory:". A file that is not a database, or a damaged one, is moved aside and
   * replaced; one that stays busy or failing (other processes opening it at the same moment: an
   * agent's parallel tool calls) leaves this process with a cache in memory, never with an error.
   */
  constructor(file: string) {
    this.file = file;
    this.#db = ObservationCache.#openShared(file);
    this.#get = this.#db.prepare("SELECT stored_at, data FROM observations WHERE key = ?");
    this.#put = this.#db.prepare("INSERT OR REPLACE INTO observations (key, stored_at, data) VALUES (?, ?, ?)");
  }

  static #openShared(file: string): DatabaseSync {
    if (file === ":memory:") return ObservationCache.#open(file);
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        return ObservationCache.#open(file);
      } catch (error) {
        // The cache only holds what can be fetched again: a damaged file is set aside, not fatal.
        if (!isDamaged(error)) continue;
        try {
          renameSync(file, `${file}.corrupt`);
        } catch {
          // Already set aside by another process.
        }
      }
    }
    return ObservationCache.#open(":memory:");
  }

  static #open(file: string): DatabaseSync {
    const db = new DatabaseSync(file);
    try {
      // The wait first: the switch to WAL and the schema take locks another process may hold.
      db.exec("PRAGMA busy_timeout = 5000;");
      db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
      // The version is read and the schema made under one write lock: two processes opening a new
      // file do not both create it.
      db.exec("BEGIN IMMEDIATE");
      try {
        const version = (db.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
        if (version !== SCHEMA_VERSION) {
          db.exec(
            `DROP TABLE IF EXISTS observations;
             CREATE TABLE observations (key TEXT PRIMARY KEY, stored_at INTEGER NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;
             PRAGMA user_version = ${SCHEMA_VERSION};`,
          );
        }
        db.exec("COMMIT");
      } catch (error) {
        try {
          db.exec("ROLLBACK");
        } catch {
          // No transaction left to roll back.
        }
        throw error;
      }
      return db;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** `registry` is a `registryIdentity`: an answer from one registry never answers for another. */
  static key(source: string, registry: string, ecosystem: EcosystemId, name: string): string {
    return JSON.stringify([source, registry, ecosystem, name]);
  }

  /** The entry, or undefined when missing, unreadable or locked. */
  get(source: string, registry: string, ecosystem: EcosystemId, name: string): CachedEntry | undefined {
    try {
      const key = ObservationCache.key(source, registry, ecosystem, name);
      const row = this.#queued.get(key) ?? (this.#get.get(key) as { stored_at: number; data: string } | undefined);
      if (!row) return undefined;
      const observation: unknown = JSON.parse(row.data);
      if (!isRecord(observation) || typeof observation.source !== "string") return undefined;
      return { observation: observation as unknown as Observation, storedAt: Number(row.stored_at) };
    } catch {
      return undefined;
    }
  }

  getSync(source: string, registry: string, ecosystem: EcosystemId, name: string): CachedEntry | undefined {
    return this.get(source, registry, ecosystem, name);
  }

  /**
   * Stores an entry (readable at once, written with the others of this turn of the event loop: one
   * commit for many answers, not one each); a failure (read-only disk, lock held too long) only costs the cache.
   */
  put(source: string, registry: string, ecosystem: EcosystemId, name: string, observation: Observation, storedAt: number): boolean {
    if (!this.#db.isOpen) return false;
    this.#queued.set(ObservationCache.key(source, registry, ecosystem, name), { stored_at: storedAt, data: JSON.stringify(observation) });
    this.#writing ??= setImmediate(() => this.flush());
    return true;
  }

  /** Writes the queued entries in one transaction. */
  flush(): void {
    if (this.#writing) clearImmediate(this.#writing);
    this.#writing = undefined;
    if (!this.#queued.size || !this.#db.isOpen) return;
    try {
      this.#db.exec("BEGIN");
      for (const [key, row] of this.#queued) this.#put.run(key, row.stored_at, row.data);
      this.#db.exec("COMMIT");
    } catch {
      try {
        if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      } catch {
        // nothing was written: only the cache is lost
      }
    }
    this.#queued.clear();
  }

  /**
   * The names stored for a source (from any registry), by ecosystem, for callers that ask about many
   * names and mostly miss (offline bulk checks); `get` then asks for the registry's own entry.
   */
  storedNames(source: string): Map<EcosystemId, Set<string>> {
    this.flush();
    const out = new Map<EcosystemId, Set<string>>();
    // Keys are JSON arrays that open with the source: one range of the primary key holds them.
    const from = `[${JSON.stringify(source)},`;
    const to = `${from.slice(0, -1)}-`; // "," + 1
    try {
      const rows = this.#db.prepare("SELECT key FROM observations WHERE key >= ? AND key < ?").all(from, to);
      for (const { key } of rows as Array<{ key: string }>) {
        const parts: unknown = JSON.parse(key);
        if (!Array.isArray(parts) || parts[0] !== source || typeof parts[2] !== "string") continue;
        const names = out.get(parts[2]) ?? new Set<string>();
        out.set(parts[2], names.add(parts[3]));
      }
      return out;
    } catch {
      return new Map();
    }
  }

  storedNamesSync(source: string): Map<EcosystemId, Set<string>> {
    return this.storedNames(source);
  }

  close(): void {
    this.flush();
    if (this.#db.isOpen) this.#db.close();
  }
}

/** Opens (creating it if needed) the cache file in a data directory. */
export function openObservationCache(dataDir: string): ObservationCache {
  mkdirSync(dataDir, { recursive: true });
  return new ObservationCache(path.join(dataDir, CACHE_FILE_NAME));
}

export interface CacheOptions {
  /** How long an "exists" answer is served without asking again. Default 24 h. */
  positiveTtlMs?: number;
  /** How long an "absent" answer is served. Default 1 h: a name may be registered any minute. */
  negativeTtlMs?: number;
  now?: () => Date;
  /**
   * "offline": serve entries however old, never call the inner source; a miss is no opinion (other
   * local sources, the index and the feed, may still know the name; the engine says when none did).
   */
  mode?: "read-write" | "offline";
  /** When given, other ecosystems get "no opinion" without touching the cache or the inner source. */
  ecosystems?: readonly EcosystemId[];
}

export const DEFAULT_POSITIVE_TTL_MS = 24 * 3_600_000;
export const DEFAULT_NEGATIVE_TTL_MS = 3_600_000;

/** Puts the cache in front of `inner`. "unknown" answers are never stored. */
export function cachedSource(inner: DataSource, cache: ObservationStore, options: CacheOptions = {}): DataSource {
  const positiveTtl = options.positiveTtlMs ?? DEFAULT_POSITIVE_TTL_MS;
  const negativeTtl = options.negativeTtlMs ?? DEFAULT_NEGATIVE_TTL_MS;
  const now = options.now ?? (() => new Date());
  const offline = options.mode === "offline";
  // Offline, nothing is added while we run: one read of the stored names answers every miss without a query.
  let known: Map<EcosystemId, Set<string>> | undefined;
  // Shared, since bulk checks ask this of nearly every name.
  const noOpinion: Observation = silentObservation(Object.freeze({ source: inner.id }));

  /** What the cache alone can say: an observation, or undefined when the inner source must be asked. */
  // A source routes to a few registries: each base URL is normalised once.
  const identities = new Map<string, string>();
  const registryOf = (ecosystem: EcosystemId, name: string): string => {
    const base = inner.registryOf?.(ecosystem, name) ?? "";
    let identity = identities.get(base);
    if (identity === undefined) {
      identity = registryIdentity(base);
      identities.set(base, identity);
    }
    return identity;
  };

  /** A cached entry as an answer, when it is fresh enough (any age offline). */
  const fresh = (hit: CachedEntry | undefined): Observation | undefined => {
    if (!hit) return undefined;
    // A name may be registered any minute; a fact that could not be had (a downloads API hiccup) may be had soon.
    const ttl = hit.observation.existence === "absent" || hit.observation.unknownFacts?.length ? negativeTtl : positiveTtl;
    return offline || now().getTime() - hit.storedAt < ttl ? hit.observation : undefined;
  };
  // Embedded stores answer without waiting; offline checks need that (lookupSync).
  const getSync = cache.getSync?.bind(cache);
  const fromCacheSync = (ecosystem: EcosystemId, name: string): Observation | undefined => {
    if (options.ecosystems && !options.ecosystems.includes(ecosystem)) return noOpinion;
    if (offline) known ??= cache.storedNamesSync?.(inner.id);
    const hit = known && !known.get(ecosystem)?.has(name) ? undefined : getSync!(inner.id, registryOf(ecosystem, name), ecosystem, name);
    return fresh(hit) ?? (offline ? noOpinion : undefined);
  };
  const fromCache = async (ecosystem: EcosystemId, name: string): Promise<Observation | undefined> => {
    if (getSync) return fromCacheSync(ecosystem, name);
    if (options.ecosystems && !options.ecosystems.includes(ecosystem)) return noOpinion;
    return fresh(await cache.get(inner.id, registryOf(ecosystem, name), ecosystem, name)) ?? (offline ? noOpinion : undefined);
  };

  // What a prefetch found in the cache, for the lookups that follow it: each entry is read once, not twice.
  const prefetched = new Map<string, Observation>();
  const prefetchKey = (ecosystem: EcosystemId, name: string) => `${ecosystem}\u0000${name}`;
  const takePrefetched = (ecosystem: EcosystemId, name: string): Observation | undefined => {
    if (!prefetched.size) return undefined;
    const key = prefetchKey(ecosystem, name);
    const hit = prefetched.get(key);
    if (hit) prefetched.delete(key);
    return hit;
  };

  return {
    id: inner.id,
    ...(inner.registryOf ? { registryOf: inner.registryOf } : {}),
    ...(offline && getSync ? { lookupSync: (ecosystem: EcosystemId, name: string) => fromCacheSync(ecosystem, name)! } : {}),
    async lookup(ecosystem: EcosystemId, name: string, lookupOptions?: LookupOptions): Promise<Observation> {
      const cached = takePrefetched(ecosystem, name) ?? (await fromCache(ecosystem, name));
      if (cached) return cached;
      const observation = await inner.lookup(ecosystem, name, lookupOptions);
      if (observation.existence === "exists" || observation.existence === "absent") {
        cache.put(inner.id, registryOf(ecosystem, name), ecosystem, name, observation, now().getTime());
      }
      return observation;
    },
    // Only the names the cache cannot answer will reach the inner source; the hits wait for their lookups (a
    // new prefetch drops those of the last, so a list announced and never asked holds nothing for long). A
    // shared store cannot answer without waiting: every name goes on (a hint only).
    prefetch: inner.prefetch
      ? (ecosystem, names) => {
          prefetched.clear();
          if (!getSync) return inner.prefetch!(ecosystem, names);
          const missing: string[] = [];
          for (const name of names) {
            const hit = fromCacheSync(ecosystem, name);
            if (hit) prefetched.set(prefetchKey(ecosystem, name), hit);
            else missing.push(name);
          }
          inner.prefetch!(ecosystem, missing);
        }
      : undefined,
    close: inner.close ? () => inner.close!() : undefined,
  };
}
