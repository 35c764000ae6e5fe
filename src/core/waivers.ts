// Waivers: a team's time-limited exception for one package (optionally one version), applied in
// the policy step. Pure: the rules in force come in as data, with the clock.
import type { Finding } from "./findings.ts";
import type { AppliedWaiver } from "./model.ts";
import type { Policy } from "./policy.ts";

/** Who a waiver applies to: everyone, one team, or one project. */
export type WaiverScope = { kind: "all" } | { kind: "team"; team: string } | { kind: "project"; project: string };

/**
 * Who is asking, from trusted configuration (a door that serves one user) or an authenticated
 * caller (a shared door): which scoped waivers apply. Empty: only waivers for everyone.
 */
export interface WaiverContext {
  project?: string;
  team?: string;
}

/** One string per distinct context: answers judged for one caller's scope are not reused for another's. */
export function waiverContextKey(context: WaiverContext): string {
  return `${context.team ?? ""}\u0000${context.project ?? ""}`;
}

/** A waiver in force, as the engine needs it. */
export interface WaiverRule {
  id: string;
  ecosystem: string;
  /** The ecosystem's canonical name. */
  name: string;
  /** One exact version, or null for every version. */
  version: string | null;
  scope: WaiverScope;
  /** ISO time; the waiver stops applying at it. */
  expiresAt: string;
  requestedBy: string;
  reason: string;
}

function inScope(scope: WaiverScope, context: WaiverContext): boolean {
  if (scope.kind === "all") return true;
  return scope.kind === "team" ? context.team === scope.team : context.project === scope.project;
}

/**
 * The waiver that lets a warned or blocked package through, if any. Never one over a deny-list
 * entry of the trusted policy (an explicit "no"), nor over a known-malicious report unless the
 * trusted policy says `waiveKnownMalicious`. A version waiver needs the version that would be
 * installed to be that one. Expired waivers (by `now`) do not apply.
 */
export function findWaiver(
  rules: readonly WaiverRule[],
  request: { ecosystem: string; name: string; version: string | null },
  findings: readonly Pick<Finding, "code">[],
  policy: Policy,
  context: WaiverContext,
  now: Date,
): WaiverRule | undefined {
  if (!rules.length) return undefined;
  if (findings.some((f) => f.code === "denied-by-policy")) return undefined;
  if (!policy.waiveKnownMalicious && findings.some((f) => f.code === "known-malicious")) return undefined;
  const at = now.toISOString();
  return rules.find(
    (w) =>
      w.ecosystem === request.ecosystem &&
      w.name === request.name &&
      (w.version === null || w.version === request.version) &&
      w.expiresAt > at &&
      inScope(w.scope, context),
  );
}

export function appliedWaiver(rule: WaiverRule): AppliedWaiver {
  return { id: rule.id, by: rule.requestedBy, reason: rule.reason, expiresAt: rule.expiresAt };
}
