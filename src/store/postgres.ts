// The shared store: PostgreSQL through `pg` (loaded only for a postgres:// store). Replicas are
// stateless; everything they share is here. Decision-log appends are serialized in the database (a
// transaction holding an advisory lock), so replicas write one hash chain.
import type { Pool, PoolClient } from "pg";
import { redact } from "../core/excerpt.ts";
import { chainEntries, type Decision, type DecisionEntry, type Entry, GENESIS, type Head, verifyEntries } from "../ledger/ledger.ts";
import type { CachedEntry } from "../sources/types.ts";
import { buckets, isPurlFilter, queryLimit, readLimit } from "./query.ts";
import { POLICY_AND_WAIVER_TABLES, type Row, type Sql, sqlPolicies, sqlWaivers } from "./sql.ts";
import {
  type DecisionLog,
  type DecisionQuery,
  type DecisionSummary,
  type ObservationStore,
  type OpenStoreOptions,
  type SeriesFilter,
  type Store,
  StoreUnavailableError,
} from "./types.ts";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Rows one multi-row INSERT carries (PostgreSQL allows 65535 parameters). */
const BATCH_ROWS = 500;
/** Entries read per query when verifying or exporting the whole chain. */
const PAGE = 10_000;

const TABLES = [
  ...POLICY_AND_WAIVER_TABLES,
  "CREATE TABLE IF NOT EXISTS observations (key TEXT PRIMARY KEY, stored_at BIGINT NOT NULL, data TEXT NOT NULL)",
  `CREATE TABLE IF NOT EXISTS decisions (
     seq BIGINT PRIMARY KEY, time TEXT NOT NULL, door TEXT, verdict TEXT, ecosystem TEXT, name TEXT, purl TEXT, waiver TEXT, entry TEXT NOT NULL)`,
  "CREATE INDEX IF NOT EXISTS decisions_time ON decisions (time)",
  "CREATE INDEX IF NOT EXISTS decisions_name ON decisions (name)",
  "CREATE TABLE IF NOT EXISTS log_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq BIGINT NOT NULL, hash TEXT NOT NULL)",
];

/** Errors that mean "the database cannot be reached now" (as opposed to a bug in a query). */
function isUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e?.code === "string" ? e.code : "";
  // An SQLSTATE: connection exceptions, insufficient resources, operator intervention (shutdown), system errors.
  if (/^[0-9A-Z]{5}$/.test(code)) return /^(08|53|57|58)/.test(code);
  if (/^E(CONN|HOSTUNREACH|NETUNREACH|PIPE|TIMEDOUT|AI_AGAIN|NOTFOUND)/.test(code)) return true;
  const message = typeof e?.message === "string" ? e.message : "";
  return /Connection terminated|timeout|connect|Client has encountered a connection error|not queryable/i.test(message);
}

/** "?" placeholders as PostgreSQL's $1, $2... (no query here has a "?" inside a literal). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export async function openPostgresStore(options: OpenStoreOptions): Promise<Store> {
  const url = options.url!;
  const schema = options.schema ?? "bouncer";
  if (!SCHEMA_NAME.test(schema)) throw new Error(`not a PostgreSQL schema name: ${schema}`);
  // For messages and logs: the URL with its credentials (user:password@, ?password=) hidden.
  const where = redact(url);
  const { default: pg } = await import("pg");
  const pool: Pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    query_timeout: 15_000,
    application_name: "bouncer",
    options: `-c search_path=${schema}`,
  });
  // An idle connection dropped by a restarting server: the next query opens a new one.
  pool.on("error", () => {});
  const now = options.now ?? (() => new Date());
  const unavailable = (error: unknown) =>
    isUnavailable(error) ? new StoreUnavailableError(`the store at ${where} is unavailable: ${(error as Error).message || String(error)}`, { cause: error }) : error;

  // Tables are made on first use (and again after a failure): a replica starts while the database is down.
  let ready: Promise<void> | undefined;
  const prepare = (): Promise<void> => {
    ready ??= (async () => {
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        // Replicas starting together would race on CREATE ... IF NOT EXISTS.
        await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`bouncer-schema:${schema}`]);
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        for (const ddl of TABLES) await client.query(ddl);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    })().catch((error) => {
      ready = undefined;
      throw unavailable(error);
    });
    return ready;
  };
  const query = async (text: string, params: readonly unknown[] = []): Promise<Row[]> => {
    await prepare();
    try {
      return (await pool.query(text, params as unknown[])).rows as Row[];
    } catch (error) {
      throw unavailable(error);
    }
  };
  const sql: Sql = { all: (text, params) => query(numbered(text), params) };
  const transaction = async <T>(work: (client: PoolClient) => Promise<T>): Promise<T> => {
    await prepare();
    let client: PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw unavailable(error);
    }
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw unavailable(error);
    } finally {
      client.release();
    }
  };

  return {
    kind: "postgres",
    location: where,
    observations: postgresObservations(query),
    decisions: postgresDecisionLog(query, transaction, schema, options.logKey, now),
    policies: sqlPolicies(sql),
    waivers: sqlWaivers(sql),
    async ping() {
      await query("SELECT 1");
    },
    async close() {
      await pool.end();
    },
  };
}

type Query = (text: string, params?: readonly unknown[]) => Promise<Row[]>;

function observationKey(source: string, registry: string, ecosystem: string, name: string): string {
  return JSON.stringify([source, registry, ecosystem, name]);
}

/** The observation cache in a table; writes queued and sent in one statement per turn of the event loop. */
function postgresObservations(query: Query): ObservationStore {
  const queued = new Map<string, { storedAt: number; data: string }>();
  let writing: Promise<void> | undefined;
  let timer: NodeJS.Immediate | undefined;
  let closed = false;
  const flush = async (): Promise<void> => {
    if (timer) clearImmediate(timer);
    timer = undefined;
    await writing;
    if (!queued.size) return;
    const rows = [...queued];
    queued.clear();
    writing = (async () => {
      for (let i = 0; i < rows.length; i += BATCH_ROWS) {
        const batch = rows.slice(i, i + BATCH_ROWS);
        const values = batch.map((_, j) => `($${3 * j + 1}, $${3 * j + 2}, $${3 * j + 3})`).join(", ");
        await query(
          `INSERT INTO observations (key, stored_at, data) VALUES ${values} ON CONFLICT (key) DO UPDATE SET stored_at = EXCLUDED.stored_at, data = EXCLUDED.data`,
          batch.flatMap(([key, row]) => [key, row.storedAt, row.data]),
        );
      }
    })().catch(() => undefined); // the cache only holds what can be fetched again
    await writing;
  };
  return {
    async get(source, registry, ecosystem, name) {
      const key = observationKey(source, registry, ecosystem, name);
      try {
        const row = queued.get(key) ?? (await query("SELECT stored_at AS \"storedAt\", data FROM observations WHERE key = $1", [key]))[0];
        if (!row) return undefined;
        const observation: unknown = JSON.parse(String(row.data));
        if (typeof observation !== "object" || observation === null || typeof (observation as { source?: unknown }).source !== "string") return undefined;
        return { observation, storedAt: Number(row.storedAt) } as CachedEntry;
      } catch {
        return undefined;
      }
    },
    put(source, registry, ecosystem, name, observation, storedAt) {
      if (closed) return false;
      queued.set(observationKey(source, registry, ecosystem, name), { storedAt, data: JSON.stringify(observation) });
      timer ??= setImmediate(() => void flush());
      return true;
    },
    async storedNames(source) {
      const out = new Map<string, Set<string>>();
      const from = `[${JSON.stringify(source)},`;
      try {
        const rows = await query("SELECT key FROM observations WHERE key >= $1 AND key < $2 LIMIT 1000000", [from, `${from.slice(0, -1)}-`]);
        for (const { key } of rows) {
          const parts: unknown = JSON.parse(String(key));
          if (!Array.isArray(parts) || parts[0] !== source || typeof parts[2] !== "string") continue;
          out.set(parts[2], (out.get(parts[2]) ?? new Set<string>()).add(String(parts[3])));
        }
      } catch {
        // a miss for every name
      }
      return out;
    },
    flush,
    async close() {
      await flush();
      closed = true;
    },
  };
}

/** WHERE clauses and parameters of a decision query. */
function whereOf(filter: DecisionQuery, params: unknown[]): string {
  const where = ["verdict IS NOT NULL"];
  const add = (clause: string, value: unknown) => {
    params.push(value);
    where.push(clause.replace("?", `$${params.length}`));
  };
  if (filter.door) add("door = ?", filter.door);
  if (filter.verdict) add("verdict = ?", filter.verdict);
  if (filter.ecosystem) add("ecosystem = ?", filter.ecosystem);
  if (filter.package) {
    if (isPurlFilter(filter.package)) add("starts_with(purl, ?)", filter.package);
    else add("name = ?", filter.package);
  }
  if (filter.since) add("time >= ?", filter.since);
  if (filter.until) add("time < ?", filter.until);
  if (filter.waived !== undefined) where.push(filter.waived ? "waiver IS NOT NULL" : "waiver IS NULL");
  if (filter.beforeSeq !== undefined) add("seq < ?", filter.beforeSeq);
  return where.join(" AND ");
}

function postgresDecisionLog(
  query: Query,
  transaction: <T>(work: (client: PoolClient) => Promise<T>) => Promise<T>,
  schema: string,
  key: Uint8Array | undefined,
  now: () => Date,
): DecisionLog {
  // Appends waiting while one is written go together in the next transaction (one lock, one commit).
  let pending: Array<{ decisions: readonly Decision[]; resolve(entries: Entry[]): void; reject(error: unknown): void }> = [];
  let writing = false;
  const write = async (): Promise<void> => {
    while (pending.length) {
      const batch = pending;
      pending = [];
      try {
        const entries = await transaction(async (client) => {
          await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`bouncer-log:${schema}`]);
          const { rows } = await client.query("SELECT seq, hash FROM log_head WHERE id = 1");
          const head: Head = rows[0] ? { seq: Number(rows[0].seq), hash: String(rows[0].hash) } : { seq: 0, hash: GENESIS };
          const chained = chainEntries(
            head,
            batch.flatMap((b) => b.decisions),
            now(),
            key,
          );
          for (let i = 0; i < chained.length; i += BATCH_ROWS) {
            const part = chained.slice(i, i + BATCH_ROWS);
            const values = part.map((_, j) => `(${Array.from({ length: 9 }, (_, k) => `$${9 * j + k + 1}`).join(", ")})`).join(", ");
            await client.query(
              `INSERT INTO decisions (seq, time, door, verdict, ecosystem, name, purl, waiver, entry) VALUES ${values}`,
              part.flatMap((e) => {
                const d = "event" in e ? undefined : e;
                return [e.seq, e.time, d?.door ?? null, d?.verdict ?? null, d?.ecosystem ?? null, d?.name ?? null, d?.purl ?? null, d?.waiver ?? null, JSON.stringify(e)];
              }),
            );
          }
          const tip = chained.at(-1)!;
          await client.query("INSERT INTO log_head (id, seq, hash) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, hash = EXCLUDED.hash", [
            tip.seq,
            tip.hash,
          ]);
          return chained;
        });
        let at = 0;
        for (const b of batch) {
          b.resolve(entries.slice(at, at + b.decisions.length));
          at += b.decisions.length;
        }
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    // In the same turn as the empty check: an append arriving later starts a new writer.
    writing = false;
  };
  const parseRows = (rows: Row[]): Entry[] => rows.map((r) => JSON.parse(String(r.entry)) as Entry);
  /** Counts per bucket and verdict and, when `latest` is given, its newest entries: one statement. */
  const summary = async (series: SeriesFilter, latest?: DecisionQuery): Promise<DecisionSummary> => {
    const { list } = buckets(series.since, series.until, series.bucketMs);
    const params: unknown[] = [];
    const where = whereOf(series, params);
    params.push(Date.parse(series.since), series.bucketMs);
    let text = `SELECT floor((extract(epoch FROM time::timestamptz) * 1000 - $${params.length - 1}) / $${params.length})::int AS bucket, verdict, count(*)::int AS n,
         NULL::bigint AS seq, NULL::text AS entry FROM decisions WHERE ${where} GROUP BY 1, 2`;
    if (latest) {
      const latestWhere = whereOf(latest, params);
      params.push(queryLimit(latest));
      text = `(${text}) UNION ALL (SELECT NULL, NULL, NULL, seq, entry FROM decisions WHERE ${latestWhere} ORDER BY seq DESC LIMIT $${params.length})`;
    }
    const rows = await query(text, params);
    const found: Row[] = [];
    for (const r of rows) {
      if (r.entry !== null && r.entry !== undefined) {
        found.push(r);
        continue;
      }
      const b = list[Number(r.bucket)];
      if (b && (r.verdict === "allow" || r.verdict === "warn" || r.verdict === "block")) b[r.verdict] += Number(r.n);
    }
    // A union keeps no order: newest first again.
    found.sort((a, b) => Number(b.seq) - Number(a.seq));
    return { series: list, latest: parseRows(found) as DecisionEntry[] };
  };
  return {
    append(decisions) {
      if (!decisions.length) return Promise.resolve([]);
      const done = new Promise<Entry[]>((resolve, reject) => pending.push({ decisions, resolve, reject }));
      if (!writing) {
        writing = true;
        void write();
      }
      return done;
    },
    async read(options = {}) {
      return parseRows(await query("SELECT entry FROM decisions WHERE seq > $1 ORDER BY seq LIMIT $2", [options.afterSeq ?? 0, readLimit(options.limit)]));
    },
    async verify(options) {
      const [head] = await query("SELECT seq, hash FROM log_head WHERE id = 1");
      const lines: string[] = [];
      for (let after = 0; ; ) {
        const rows = await query("SELECT seq, entry FROM decisions WHERE seq > $1 ORDER BY seq LIMIT $2", [after, PAGE]);
        for (const r of rows) lines.push(String(r.entry));
        if (rows.length < PAGE) break;
        after = Number(rows.at(-1)!.seq);
      }
      return verifyEntries(lines, head ? { seq: Number(head.seq), hash: String(head.hash) } : undefined, options);
    },
    async head() {
      const [row] = await query("SELECT seq, hash FROM log_head WHERE id = 1");
      return row ? { seq: Number(row.seq), hash: String(row.hash) } : { seq: 0, hash: GENESIS };
    },
    async query(filter = {}) {
      const params: unknown[] = [];
      const where = whereOf(filter, params);
      params.push(queryLimit(filter));
      return parseRows(await query(`SELECT entry FROM decisions WHERE ${where} ORDER BY seq DESC LIMIT $${params.length}`, params)) as DecisionEntry[];
    },
    async verdictSeries(filter) {
      return (await summary(filter)).series;
    },
    summary,
  };
}
