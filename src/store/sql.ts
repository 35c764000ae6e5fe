// Policies and waivers over plain SQL that SQLite and PostgreSQL both speak: written once, run by
// either store. Placeholders are "?" (the PostgreSQL runner numbers them); times are ISO text.
import { randomBytes } from "node:crypto";
import type { PolicyStore, StoredPolicy, Waiver, WaiverScope, WaiverStatus, WaiverStore } from "./types.ts";

export type Row = Record<string, unknown>;

export interface Sql {
  all(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export const POLICY_AND_WAIVER_TABLES = [
  `CREATE TABLE IF NOT EXISTS policies (
     version INTEGER PRIMARY KEY, digest TEXT NOT NULL, document TEXT NOT NULL, pushed_at TEXT NOT NULL, pushed_by TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS waivers (
     id TEXT PRIMARY KEY, ecosystem TEXT NOT NULL, name TEXT NOT NULL, version TEXT, scope TEXT NOT NULL,
     status TEXT NOT NULL, requested_by TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL,
     expires_at TEXT NOT NULL, decided_by TEXT, decided_at TEXT, uses INTEGER NOT NULL DEFAULT 0, last_used_at TEXT)`,
  "CREATE INDEX IF NOT EXISTS waivers_package ON waivers (ecosystem, name)",
];

/** Most rows a listing returns: waivers are few, but every read is bounded. */
const MAX_LIST = 1000;

function asPolicy(row: Row): StoredPolicy {
  return {
    version: Number(row.version),
    digest: String(row.digest),
    document: String(row.document),
    pushedAt: String(row.pushed_at),
    pushedBy: String(row.pushed_by),
  };
}

export function sqlPolicies(sql: Sql): PolicyStore {
  return {
    async active() {
      const [row] = await sql.all("SELECT * FROM policies ORDER BY version DESC LIMIT 1");
      return row ? asPolicy(row) : undefined;
    },
    async push(document, digest, by, at) {
      // One statement: the next version is taken where it is written.
      const [row] = await sql.all(
        "INSERT INTO policies (version, digest, document, pushed_at, pushed_by) SELECT COALESCE(MAX(version), 0) + 1, ?, ?, ?, ? FROM policies RETURNING *",
        [digest, document, at.toISOString(), by],
      );
      return asPolicy(row!);
    },
    async history(limit = 50) {
      const rows = await sql.all("SELECT * FROM policies ORDER BY version DESC LIMIT ?", [Math.min(Math.max(1, limit), MAX_LIST)]);
      return rows.map(asPolicy);
    },
  };
}

export function scopeText(scope: WaiverScope): string {
  return scope.kind === "all" ? "all" : scope.kind === "team" ? `team:${scope.team}` : `project:${scope.project}`;
}

export function parseScope(text: string): WaiverScope | undefined {
  if (text === "all") return { kind: "all" };
  const colon = text.indexOf(":");
  const kind = text.slice(0, colon);
  const value = text.slice(colon + 1);
  if (colon < 0 || !value) return undefined;
  if (kind === "team") return { kind: "team", team: value };
  if (kind === "project") return { kind: "project", project: value };
  return undefined;
}

const nullable = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function asWaiver(row: Row): Waiver {
  return {
    id: String(row.id),
    ecosystem: String(row.ecosystem),
    name: String(row.name),
    version: nullable(row.version),
    scope: parseScope(String(row.scope)) ?? { kind: "project", project: String(row.scope) },
    status: String(row.status) as WaiverStatus,
    requestedBy: String(row.requested_by),
    reason: String(row.reason),
    createdAt: String(row.created_at),
    expiresAt: String(row.expires_at),
    decidedBy: nullable(row.decided_by),
    decidedAt: nullable(row.decided_at),
    uses: Number(row.uses),
    lastUsedAt: nullable(row.last_used_at),
  };
}

export function newWaiverId(): string {
  return `w_${randomBytes(8).toString("hex")}`;
}

export function sqlWaivers(sql: Sql): WaiverStore {
  const one = async (query: string, params: unknown[]) => {
    const [row] = await sql.all(query, params);
    return row ? asWaiver(row) : undefined;
  };
  const transition = (from: WaiverStatus, to: WaiverStatus) => (id: string, by: string, at: Date) =>
    one("UPDATE waivers SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = ? RETURNING *", [to, by, at.toISOString(), id, from]);
  return {
    async add(w, at) {
      const row = await one(
        `INSERT INTO waivers (id, ecosystem, name, version, scope, status, requested_by, reason, created_at, expires_at, decided_by, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        [
          newWaiverId(),
          w.ecosystem,
          w.name,
          w.version,
          scopeText(w.scope),
          w.status ?? "active",
          w.by,
          w.reason,
          at.toISOString(),
          w.expiresAt.toISOString(),
          w.status === "requested" ? null : w.by,
          w.status === "requested" ? null : at.toISOString(),
        ],
      );
      return row!;
    },
    get: (id) => one("SELECT * FROM waivers WHERE id = ?", [id]),
    async list({ now, all, status }) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (status) {
        where.push("status = ?");
        params.push(status);
      }
      if (!all) {
        where.push("(status = 'requested' OR (status = 'active' AND expires_at > ?))");
        params.push(now.toISOString());
      }
      const rows = await sql.all(
        `SELECT * FROM waivers${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at DESC, id LIMIT ${MAX_LIST}`,
        params,
      );
      return rows.map(asWaiver);
    },
    approve: transition("requested", "active"),
    deny: transition("requested", "denied"),
    revoke: transition("active", "revoked"),
    async match(ecosystem, name, version, now) {
      const rows = await sql.all(
        `SELECT * FROM waivers WHERE ecosystem = ? AND name = ? AND status = 'active' AND expires_at > ?
         AND (version IS NULL OR version = ?) ORDER BY created_at DESC LIMIT ${MAX_LIST}`,
        [ecosystem, name, now.toISOString(), version],
      );
      return rows.map(asWaiver);
    },
    async activeAt(now) {
      const rows = await sql.all(`SELECT * FROM waivers WHERE status = 'active' AND expires_at > ? ORDER BY created_at DESC LIMIT ${MAX_LIST * 10}`, [
        now.toISOString(),
      ]);
      return rows.map(asWaiver);
    },
    async recordUse(id, at) {
      await sql.all("UPDATE waivers SET uses = uses + 1, last_used_at = ? WHERE id = ?", [at.toISOString(), id]);
    },
  };
}
