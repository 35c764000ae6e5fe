// The proxy's questions to the engine: may this package be served at all (a logged decision), and
// which of its versions must be hidden (too young for the policy, or reported malicious).
import { redact } from "../../core/excerpt.ts";
import type { Finding } from "../../core/findings.ts";
import { versionProblemMessage } from "../../core/messages.ts";
import type { PackageFacts, PackageResult } from "../../core/model.ts";
import { versionProblem } from "../../core/policy.ts";
import { findWaiver, type WaiverContext, type WaiverRule } from "../../core/waivers.ts";
import type { EcosystemModule } from "../../ecosystems/types.ts";
import type { Gate } from "../../engine/service.ts";
import type { Asking } from "./types.ts";

/** Why something is not served: an HTTP status, a short title and one line for the user. */
export interface Refusal {
  status: number;
  title: string;
  reason: string;
}

export interface Judgement {
  result: PackageResult;
  /** What the sources know, for judging single versions; absent when refused. */
  facts?: PackageFacts;
  refusal?: Refusal;
}

const MAX_REASON = 400;

/** A reason as clients see it: credentials (an upstream's user:pass@, a token in an error) hidden, then shortened. */
function clip(reason: string): string {
  const text = redact(reason);
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

function describe(findings: readonly Finding[]): string {
  const shown = findings.filter((f) => f.severity !== "info");
  return (shown.length ? shown : findings).map((f) => `${f.code}: ${f.message}`).join("; ");
}

/** The refusal for an engine result, or undefined when it may be served: the policy's verdict decides, as for `check`. */
export function refusalFor(result: PackageResult): Refusal | undefined {
  if (result.verdict !== "block") return undefined;
  const hint = result.didYouMean.length ? `; did you mean ${result.didYouMean.join(" or ")}?` : "";
  const reason = clip(`Bouncer blocked ${result.purl}: ${describe(result.findings)}${hint}`);
  const codes = new Set(result.findings.filter((f) => f.severity !== "info").map((f) => f.code));
  if (codes.has("not-found")) return notFoundRefusal(reason);
  // Only "could not verify": an upstream problem, which may pass; anything else is a decision.
  if ([...codes].every((c) => c === "unverifiable")) return { status: 502, title: "Bad Gateway", reason };
  return blockedRefusal(reason);
}

/** A decision not to serve: the policy refuses the package, a version or a file. */
export function blockedRefusal(reason: string): Refusal {
  return { status: 403, title: "Blocked by Bouncer", reason };
}

export function notFoundRefusal(reason: string): Refusal {
  return { status: 404, title: "Not Found", reason };
}

export function upstreamRefusal(what: string, detail: string): Refusal {
  return { status: 502, title: "Bad Gateway", reason: clip(`Bouncer could not verify ${what}, so it is not served: ${detail}`) };
}

export type JudgeFn = (eco: EcosystemModule, name: string, version: string | null, asking: Asking) => Promise<Judgement>;

/** Judges through the gate (every decision logged under "proxy"), for the caller: the verdict and the facts it was made on. */
export function createJudge(gate: Gate): JudgeFn {
  return async (eco, name, version, asking) => {
    const [checked] = await gate.checkWithFacts([gate.request(eco.id, name, version)], "proxy", asking.text, asking.caller);
    if (!checked) throw new Error(`the engine returned no result for ${name}`);
    const { result, facts } = checked;
    const refusal = refusalFor(result);
    return refusal ? { result, refusal } : { result, facts };
  };
}

/** The publish time the sources know for a version (equal versions match too, "1.0" and "1.0.0" on PyPI). */
export function knownPublishTime(eco: EcosystemModule, facts: PackageFacts | undefined, version: string): string | undefined {
  const versions = facts?.versions;
  if (!versions) return undefined;
  const direct = Object.hasOwn(versions, version) ? versions[version]?.publishedAt : undefined;
  if (direct) return direct;
  for (const [v, info] of Object.entries(versions)) {
    if (info?.publishedAt && eco.compareVersions(v, version) === 0) return info.publishedAt;
  }
  return undefined;
}

/** Why a version (or one file of it, with its own publish time) must be hidden, in words; null when it may be served. */
export type VersionCheck = (version: string, publishedAt: string | null | undefined) => string | null;

/** The policy on one version: why it is hidden, or the caller's waiver that lifted the policy's objection. */
export type VersionRuling = { hidden: string; waiver?: undefined } | { hidden?: undefined; waiver?: WaiverRule };

/**
 * The policy's ruling on single versions of a package, at `now`, on the facts its verdict was made
 * on, for `caller`: a waiver in force for it and the version lifts what the engine's rule lets a
 * waiver lift (findWaiver: never a deny-list entry, a malicious report only under waiveKnownMalicious).
 */
export function versionRuling(
  gate: Gate,
  eco: EcosystemModule,
  judgement: Judgement,
  caller: WaiverContext,
  now: Date,
): (version: string, publishedAt: string | null | undefined) => VersionRuling {
  const { facts, result } = judgement;
  const malicious = facts?.malicious ?? [];
  const waivers = gate.engine.waivers?.(result.ecosystem, result.name) ?? [];
  // A deny-list entry is on the package, so on each of its versions.
  const denied = result.findings.filter((f) => f.code === "denied-by-policy");
  return (version, publishedAt) => {
    const { policy } = gate.engine;
    const problem = versionProblem(
      policy,
      eco.id,
      {
        publishedAt: publishedAt ?? knownPublishTime(eco, facts, version),
        malicious: malicious.length ? malicious.filter((r) => eco.affects(r, version)) : malicious,
      },
      now,
    );
    if (!problem) return {};
    const findings = problem.code === "known-malicious" ? [...denied, { code: problem.code }] : denied;
    const request = { ecosystem: result.ecosystem, name: result.name, version };
    const waiver = waivers.length ? findWaiver(waivers, request, findings, policy, caller, now) : undefined;
    return waiver ? { waiver } : { hidden: versionProblemMessage(problem) };
  };
}

/** The ruling as the document filters ask it: why a version is hidden, or null. */
export function versionCheck(ruling: ReturnType<typeof versionRuling>): VersionCheck {
  return (version, publishedAt) => ruling(version, publishedAt).hidden ?? null;
}
