// The verification engine: requests in, verdicts out. Sources, name intelligence and policy come in as objects.
import type { Finding } from "../core/findings.ts";
import { emptyFacts, type PackageFacts, type PackageRequest, type PackageResult } from "../core/model.ts";
import { decide, type Policy, rulesFor } from "../core/policy.ts";
import { evaluateSignals, finding } from "../core/signals.ts";
import type { EcosystemModule } from "../ecosystems/types.ts";
import type { NameIntel } from "../similarity/types.ts";
import { lookupAll } from "../sources/compose.ts";
import type { DataSource } from "../sources/types.ts";

export interface Engine {
  ecosystems: (id: string) => EcosystemModule | undefined;
  /** Sources in order of authority (most authoritative first). */
  sources: readonly DataSource[];
  intel: (ecosystem: string) => NameIntel | undefined;
  policy: Policy;
  now: Date;
  /** Lookups in flight at once (network politeness; default 16). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** Said of a package no source had any opinion about. */
  noSourceHint?: string;
}

/** Runs `task` over `items` with at most `limit` in flight; results in input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const keyOf = (r: { ecosystem: string; name: string }) => `${r.ecosystem}\u0000${r.name}`;

/** Looks every distinct valid name up once. */
async function gatherFacts(requests: readonly PackageRequest[], engine: Engine): Promise<Map<string, PackageFacts>> {
  const unique = new Map<string, PackageRequest>();
  for (const r of requests) {
    const eco = engine.ecosystems(r.ecosystem);
    if (eco?.checkName(r.rawName).ok && !unique.has(keyOf(r))) unique.set(keyOf(r), r);
  }
  const list = [...unique.values()];
  let done = 0;
  const facts = await mapBounded(list, engine.concurrency ?? 16, async (r) => {
    const f = await lookupAll(engine.sources, r.ecosystem, r.name);
    engine.onProgress?.(++done, list.length);
    return f;
  });
  return new Map(list.map((r, i) => [keyOf(r), facts[i]!]));
}

/** Judges one request given the facts about its package. */
export function judge(request: PackageRequest, facts: PackageFacts | undefined, engine: Engine): PackageResult {
  const eco = engine.ecosystems(request.ecosystem);
  const base = { ecosystem: request.ecosystem, name: request.name, version: request.version, locations: [...request.locations] };
  if (!eco) {
    const f = finding("unverifiable", { reason: `ecosystem "${request.ecosystem}" is not supported` });
    return { ...base, purl: `pkg:${request.ecosystem}/${request.name}`, verdict: "block", findings: [f], didYouMean: [] };
  }
  const purl = eco.toPurl(request.name, request.version && eco.isExactVersion(request.version) ? request.version : null);
  const check = eco.checkName(request.rawName);
  const intel = engine.intel(request.ecosystem);
  const known = facts ?? emptyFacts();
  if (known.existence === "unknown" && !known.unknownReasons.length) {
    known.unknownReasons.push(engine.noSourceHint ?? "no data source could tell whether it exists");
  }
  const resolvedVersion = check.ok ? eco.resolveVersion(request.version, known) : null;
  const popular = check.ok && intel?.isPopular(request.name);
  const suspicious = check.ok && !popular && intel ? intel.suspicious(request.name) : null;
  const findings = evaluateSignals({
    request,
    registryLabel: eco.label,
    facts: known,
    resolvedVersion,
    versionFacts: resolvedVersion ? known.versions?.[resolvedVersion] : undefined,
    malicious: known.malicious.filter((record) => eco.affects(record, resolvedVersion)),
    invalidNameReason: check.ok ? null : check.reason,
    typosquat: check.ok && !popular && intel ? intel.typosquat(request.name, known) : null,
    suspicious,
    importNameOf: check.ok && request.via === "install-command" ? (eco.importNameMismatch?.(request.name) ?? null) : null,
    now: engine.now,
    thresholds: rulesFor(engine.policy, request.ecosystem).thresholds,
  });
  // Facts from a lesser source while the authoritative one failed: say so, and fail closed.
  if (known.existence === "exists" && known.unknownReasons.length && !findings.some((f) => f.code === "unverifiable")) {
    findings.push(finding("unverifiable", { reason: known.unknownReasons.join("; ") }));
  }
  const decision = decide(engine.policy, request.ecosystem, request.name, findings);
  return {
    ...base,
    purl,
    verdict: decision.verdict,
    findings: decision.findings,
    didYouMean: decision.verdict === "allow" ? [] : suggestions(request.name, decision.findings, intel, suspicious?.base),
  };
}

/** What was probably meant: the imitated package, the popular base of an invented name, then near names. */
function suggestions(name: string, findings: readonly Finding[], intel: NameIntel | undefined, base: string | undefined): string[] {
  const out = new Set<string>();
  for (const f of findings) if (f.target && f.code !== "suspicious-name") out.add(f.target);
  if (base) out.add(base);
  const lost = findings.some((f) => f.code === "not-found" || f.code === "invalid-name" || f.code === "unverifiable");
  if (intel && lost) for (const s of intel.suggest(name, 3)) if (s !== name) out.add(s);
  return [...out].slice(0, 3);
}

/** Checks requests; one result per package and requested version, with every location that asked for it. */
export async function checkPackages(requests: readonly PackageRequest[], engine: Engine): Promise<PackageResult[]> {
  const facts = await gatherFacts(requests, engine);
  const merged = new Map<string, PackageResult>();
  for (const r of requests) {
    const key = `${keyOf(r)}\u0000${r.version ?? ""}`;
    const seen = merged.get(key);
    if (seen) seen.locations.push(...r.locations);
    else merged.set(key, judge(r, facts.get(keyOf(r)), engine));
  }
  return [...merged.values()];
}
