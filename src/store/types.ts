// The store: what replicas of Bouncer share. One interface, two implementations: embedded SQLite
// in the data directory (the default, nothing to install) and PostgreSQL (`--store postgres://...`
// or BOUNCER_STORE_URL). The same contract tests run against both.
import type { Verdict } from "../core/findings.ts";
import type { EcosystemId } from "../core/model.ts";
import type { WaiverContext, WaiverScope } from "../core/waivers.ts";
import type { Decision, DecisionEntry, Door, Entry, Verification, VerifyOptions } from "../ledger/ledger.ts";
import type { CachedEntry, ObservationStore } from "../sources/types.ts";

export type { WaiverContext, WaiverScope };
export type { CachedEntry, Decision, DecisionEntry, Door, Entry, ObservationStore, Verification, VerifyOptions };

/** The store could not be reached or answered with an error: doors fail closed (the proxy: 503 with `reason`). */
export class StoreUnavailableError extends Error {
  override name = "StoreUnavailableError";
}

/** Filters of the decision log; every one optional, all given must hold. */
export interface DecisionQuery {
  door?: Door;
  verdict?: Verdict;
  /** Exact package name (as the ecosystem normalises it), or a purl prefix "pkg:npm/left-pad". */
  package?: string;
  ecosystem?: EcosystemId;
  /** ISO times, inclusive `since`, exclusive `until`. */
  since?: string;
  until?: string;
  /** Only entries a waiver let through. */
  waived?: boolean;
  /** Paging: entries with a smaller seq than this (newest first). */
  beforeSeq?: number;
  /** Default 100, at most 1000. */
  limit?: number;
}

/** Verdict counts per time bucket (for the dashboard's chart and "blocked today"). */
export interface VerdictBucket {
  /** ISO time the bucket starts at. */
  start: string;
  allow: number;
  warn: number;
  block: number;
}

/** A verdict series: buckets of `bucketMs` from `since` to `until`, of the entries the other filters take. */
export type SeriesFilter = DecisionQuery & { since: string; until: string; bucketMs: number };

/** A verdict series and the newest entries of one query, from one read of the log. */
export interface DecisionSummary {
  series: VerdictBucket[];
  latest: DecisionEntry[];
}

/**
 * The decision log: one hash chain, whichever replica appends (embedded: the JSON-lines ledger of the
 * data directory; PostgreSQL: appends serialized by a transaction-scoped advisory lock). The key,
 * MACs and checkpoints of src/ledger apply to both.
 */
export interface DecisionLog {
  /** Appends in order, chained after the current head; returns the decision entries written. */
  append(decisions: readonly Decision[]): Promise<Entry[]>;
  /** Entries in chain order with seq > `afterSeq` (default 0), at most `limit` (default 1000, at most 10000). */
  read(options?: { afterSeq?: number; limit?: number }): Promise<Entry[]>;
  /** Checks the whole chain (as `bouncer audit verify`). */
  verify(options?: VerifyOptions): Promise<Verification>;
  /** The last entry's position and hash (seq 0 and the genesis hash when empty). */
  head(): Promise<{ seq: number; hash: string }>;
  /** Decision entries (not the log's own events), newest first. */
  query(filter?: DecisionQuery): Promise<DecisionEntry[]>;
  /** Verdict counts per bucket of `bucketMs` between `since` and `until` (other filters as in query). */
  verdictSeries(filter: SeriesFilter): Promise<VerdictBucket[]>;
  /** verdictSeries(`series`) and query(`latest`) together, from one read of the log (the dashboard's overview). */
  summary(series: SeriesFilter, latest: DecisionQuery): Promise<DecisionSummary>;
}

/** A policy document as pushed: validated by the caller (parsePolicy) before it is stored. */
export interface StoredPolicy {
  /** 1, 2, ... in push order. */
  version: number;
  /** policyDigest(canonicalPolicy(parsed)): what every decision made under it records. */
  digest: string;
  /** The document as pushed (JSON text). */
  document: string;
  pushedAt: string;
  pushedBy: string;
}

export interface PolicyStore {
  /** The newest version, or undefined when none was pushed. */
  active(): Promise<StoredPolicy | undefined>;
  /** Stores a new version (previous version + 1) and makes it active. */
  push(document: string, digest: string, by: string, at: Date): Promise<StoredPolicy>;
  /** Every version, newest first, at most `limit` (default 50). */
  history(limit?: number): Promise<StoredPolicy[]>;
}

/**
 * requested: asked for (dashboard inbox), not in force; active: in force until `expiresAt`;
 * denied: a request refused; revoked: withdrawn before expiry. "expired" is not stored: an active
 * waiver whose `expiresAt` has passed (by the caller's clock, BOUNCER_NOW) simply stops applying.
 */
export type WaiverStatus = "requested" | "active" | "denied" | "revoked";

/** A waiver's status as shown to people: an active one past its expiry (by `now`) is "expired". */
export function shownStatus(w: Pick<Waiver, "status" | "expiresAt">, now: Date): WaiverStatus | "expired" {
  return w.status === "active" && Date.parse(w.expiresAt) <= now.getTime() ? "expired" : w.status;
}

export interface Waiver {
  /** Random, e.g. "w_3f9a...". */
  id: string;
  ecosystem: EcosystemId;
  /** Normalised as the ecosystem does (PEP 503 for PyPI). */
  name: string;
  /** One exact version, or null for every version. */
  version: string | null;
  scope: WaiverScope;
  status: WaiverStatus;
  /** Who asked for it (requests) or granted it (added directly). */
  requestedBy: string;
  reason: string;
  createdAt: string;
  expiresAt: string;
  /** Who approved, denied or revoked it, and when. */
  decidedBy: string | null;
  decidedAt: string | null;
  /** How many decisions it let through, and the last time. */
  uses: number;
  lastUsedAt: string | null;
}

export interface NewWaiver {
  ecosystem: EcosystemId;
  name: string;
  version: string | null;
  scope: WaiverScope;
  by: string;
  reason: string;
  expiresAt: Date;
  /** "active" (default: `bouncer waiver add`, an admin) or "requested" (the dashboard's inbox). */
  status?: "active" | "requested";
}

export interface WaiverStore {
  add(waiver: NewWaiver, at: Date): Promise<Waiver>;
  get(id: string): Promise<Waiver | undefined>;
  /** Newest first. Without `all`, only requested and unexpired active ones (by `now`). */
  list(options: { now: Date; all?: boolean; status?: WaiverStatus }): Promise<Waiver[]>;
  /** requested -> active (approve) or denied (deny); active -> revoked (revoke). Undefined when no such waiver or not in that state. */
  approve(id: string, by: string, at: Date): Promise<Waiver | undefined>;
  deny(id: string, by: string, at: Date): Promise<Waiver | undefined>;
  revoke(id: string, by: string, at: Date): Promise<Waiver | undefined>;
  /**
   * The active, unexpired waivers (by `now`) for one package: those for its exact version and those
   * for every version, whatever their scope (core's policy step matches scope and findings).
   */
  match(ecosystem: EcosystemId, name: string, version: string | null, now: Date): Promise<Waiver[]>;
  /** All active, unexpired waivers, for replicas that hold them in memory (refreshed by polling). */
  activeAt(now: Date): Promise<Waiver[]>;
  /** Counts one use (the decision itself is in the decision log, with the waiver's id). */
  recordUse(id: string, at: Date): Promise<void>;
}

export interface Store {
  readonly kind: "sqlite" | "postgres";
  /** Where it is, credentials removed (for logs and `bouncer doctor`). */
  readonly location: string;
  readonly observations: ObservationStore;
  readonly decisions: DecisionLog;
  readonly policies: PolicyStore;
  readonly waivers: WaiverStore;
  /** Resolves when the store answers; rejects with StoreUnavailableError (readiness checks). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** The data directory (embedded store; also the cache and ledger files of today). */
  dataDir: string;
  /** "postgres://..." / "postgresql://..." for PostgreSQL; undefined or "sqlite" for the embedded store. */
  url?: string;
  /** PostgreSQL schema (default "bouncer"); tests use a random one. */
  schema?: string;
  /** The decision-log key: entries carry its MAC. */
  logKey?: Uint8Array;
  now?: () => Date;
}
