// What the dashboard reads and changes, as one narrow port: the serve command adapts the team
// store (decision log, waivers) and the engine to it; the API tests give it fakes.
import type { Verdict } from "../../core/findings.ts";
import type { PackageResult } from "../../core/model.ts";

export type Role = "viewer" | "admin";

/** Who is asking: viewers read and request waivers, admins also decide them. */
export interface Principal {
  role: Role;
  /** A name for the record (an identity header's user, or which token was presented). */
  who: string;
}

/** One decision of the log, as the dashboard shows it. */
export interface DecisionRow {
  seq: number;
  time: string;
  door: string;
  purl: string;
  ecosystem: string;
  name: string;
  version: string | null;
  verdict: Verdict;
  findings: Array<{ code: string; severity: string }>;
  policyDigest: string;
  context?: string;
  /** The waiver that let it through, when one did. */
  waiver?: string;
}

export interface DecisionFilter {
  door?: string;
  verdict?: Verdict;
  ecosystem?: string;
  /** Exactly this name (the package page). */
  name?: string;
  /** Names containing this, case-insensitive (the search box). */
  nameContains?: string;
  /** ISO times, inclusive since, exclusive until. */
  since?: string;
  until?: string;
  /** Only entries before this position (paging back). */
  beforeSeq?: number;
  limit: number;
}

export interface DayCount {
  /** YYYY-MM-DD (UTC). */
  day: string;
  allow: number;
  warn: number;
  block: number;
}

export type WaiverStatus = "requested" | "active" | "denied" | "revoked" | "expired";

export interface WaiverRow {
  id: string;
  ecosystem: string;
  name: string;
  version: string | null;
  scope: string;
  scopeValue: string | null;
  reason: string;
  status: WaiverStatus;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  expiresAt: string | null;
}

export interface WaiverInput {
  ecosystem: string;
  name: string;
  version: string | null;
  scope: string;
  scopeValue: string | null;
  reason: string;
  expiresAt: string;
}

export interface IntegrityReport {
  entries: number;
  head: { seq: number; hash: string };
  anchored: boolean;
  problems: Array<{ kind: string; message: string }>;
  notes: string[];
}

export interface DashboardBackend {
  /** Newest first, at most `filter.limit`. */
  decisions(filter: DecisionFilter): Promise<DecisionRow[]>;
  /** Decisions counted per UTC day in [since, until). */
  verdictsByDay(since: string, until: string): Promise<DayCount[]>;
  verify(): Promise<IntegrityReport>;
  /** The scopes a waiver can have, broadest first (e.g. all, team, project). */
  waiverScopes: readonly string[];
  waivers(filter: { ecosystem?: string; name?: string }): Promise<WaiverRow[]>;
  /** A request (viewer) or, with `grant`, an active waiver (admin). Throws a WaiverRefused for a refused one. */
  addWaiver(input: WaiverInput, by: string, grant: boolean): Promise<WaiverRow>;
  decideWaiver(id: string, decision: "approve" | "deny", by: string, expiresAt: string | null): Promise<WaiverRow>;
  revokeWaiver(id: string, by: string): Promise<WaiverRow>;
  /** The engine's current judgement of a package, not logged (a view, not a gate). */
  check(ecosystem: string, name: string): Promise<PackageResult>;
}

/** The store refused a waiver change (unknown id, wrong state, a package that cannot be waived). */
export class WaiverRefused extends Error {
  override name = "WaiverRefused";
  readonly status: 400 | 403 | 404 | 409;
  constructor(message: string, status: 400 | 403 | 404 | 409 = 409) {
    super(message);
    this.status = status;
  }
}
