// The verification engine: requests in, verdicts out. Sources, name intelligence and policy come in as objects.
import type { Finding, SourceLocation, Verdict } from "../core/findings.ts";
import { memoPerKey } from "../core/memo.ts";
import { emptyFacts, type LockEvidence, type Notice, type PackageFacts, type PackageRequest, type PackageResult } from "../core/model.ts";
import { decide, type Policy, rulesFor } from "../core/policy.ts";
import { DEFAULT_LOCKFILE_HOSTS, evaluateSignals, finding, lockfileFindings, urlHost } from "../core/signals.ts";
import type { EcosystemModule } from "../ecosystems/types.ts";
import type { NameIntel } from "../similarity/types.ts";
import { lookupAll, lookupAllSync, prefetchAll } from "../sources/compose.ts";
import type { DataSource } from "../sources/types.ts";

export interface Engine {
  ecosystems: (id: string) => EcosystemModule | undefined;
  /** Sources in order of authority (most authoritative first). */
  sources: readonly DataSource[];
  intel: (ecosystem: string) => NameIntel | undefined;
  policy: Policy;
  /** The time judgements are made at (fixed for a CLI run, moving for a server). */
  clock: () => Date;
  /** Lookups in flight at once (network politeness; default 16). */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** What every report of this engine must say about the run (e.g. no malicious feed is loaded). */
  notices?: readonly Notice[];
  /** Said of a package no source had any opinion about. */
  noSourceHint?: string;
  /** The registries this engine asks, per ecosystem (URLs): lockfiles may fetch from their hosts. */
  registryUrls?: Readonly<Record<string, readonly string[]>>;
}

/** Hosts a lockfile of `ecosystem` may fetch from: the public registries', the configured ones', the trusted policy's. */
export const allowedLockfileHosts: (engine: Engine, ecosystem: string) => ReadonlySet<string> = memoPerKey((engine: Engine, ecosystem: string) => {
  const hosts = new Set([...(DEFAULT_LOCKFILE_HOSTS[ecosystem] ?? []), ...(engine.policy.lockfileHosts ?? [])]);
  for (const url of engine.registryUrls?.[ecosystem] ?? []) {
    const parsed = urlHost(url);
    if (parsed) hosts.add(parsed.hostPort);
    if (parsed?.scheme === "http") hosts.add(`http://${parsed.hostPort}`);
  }
  return hosts;
});

const isLost = (findings: readonly Finding[]): boolean =>
  findings.some((f) => f.code === "not-found" || f.code === "invalid-name" || f.code === "unverifiable");

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

/** The name sources are asked for: the package's, or what its ecosystem keys facts by (a GitHub ref has its own). */
const lookupName = (engine: Engine, r: PackageRequest): string => engine.ecosystems(r.ecosystem)?.lookupKey?.(r.name, r.version) ?? r.name;
const factsKey = (engine: Engine, r: PackageRequest) => `${r.ecosystem}\u0000${lookupName(engine, r)}`;

/** Looks every distinct valid name up once, with at most `engine.concurrency` lookups in flight. */
async function gatherFacts(requests: readonly PackageRequest[], engine: Engine): Promise<Map<string, PackageFacts>> {
  const unique = new Map<string, PackageRequest>();
  for (const r of requests) {
    if (r.nameProblem === null && !unique.has(factsKey(engine, r))) unique.set(factsKey(engine, r), r);
  }
  const list = [...unique.values()];
  const byEcosystem = Map.groupBy(list, (r) => r.ecosystem);
  for (const [ecosystem, group] of byEcosystem) prefetchAll(engine.sources, ecosystem, group.map((r) => lookupName(engine, r)));
  let done = 0;
  const facts = await mapBounded(list, engine.concurrency ?? 16, async (r) => {
    const f = await lookupAll(engine.sources, r.ecosystem, lookupName(engine, r));
    engine.onProgress?.(++done, list.length);
    return f;
  });
  return new Map(list.map((r, i) => [factsKey(engine, r), facts[i]!]));
}

/** Judges one request given the facts about its package. */
export function judge(
  request: PackageRequest,
  facts: PackageFacts | undefined,
  engine: Engine,
): PackageResult {
  const eco = engine.ecosystems(request.ecosystem);
  // Object literals in SPEC key order: the JSON report writes them as they are.
  if (!eco) {
    const f = finding("unverifiable", { reason: `ecosystem "${request.ecosystem}" is not supported` });
    return resultOf(request, `pkg:${request.ecosystem}/${request.name}`, "block", [f], []);
  }
  const purl = eco.toPurl(request.name, request.version && eco.isExactVersion(request.version) ? request.version : null);
  const valid = request.nameProblem === null;
  const intel = engine.intel(request.ecosystem);
  const known = facts ?? emptyFacts();
  if (known.existence === "unknown" && !known.unknownReasons.length) {
    known.unknownReasons.push(engine.noSourceHint ?? "no data source could tell whether it exists");
  }
  const resolvedVersion = valid ? eco.resolveVersion(request.version, known) : null;
  const popular = valid && intel?.isPopular(request.name);
  const suspicious = valid && !popular && intel ? intel.suspicious(request.name) : null;
  const findings = evaluateSignals({
    request,
    registryLabel: eco.label,
    facts: known,
    resolvedVersion,
    versionFacts: resolvedVersion ? known.versions?.[resolvedVersion] : undefined,
    malicious: known.malicious.length ? known.malicious.filter((record) => eco.affects(record, resolvedVersion)) : known.malicious,
    invalidNameReason: request.nameProblem,
    typosquat: valid && !popular && intel ? intel.typosquat(request.name, known) : null,
    suspicious,
    importNameOf: valid && request.via === "install-command" ? (eco.importNameMismatch?.(request.name) ?? null) : null,
    now: engine.clock(),
    thresholds: rulesFor(engine.policy, request.ecosystem).thresholds,
  });
  const own = valid ? eco.referenceFindings?.(request, known, { now: engine.clock(), codes: rulesFor(engine.policy, request.ecosystem).codes }) : undefined;
  if (own) for (const f of own) findings.push(f);
  if (request.lock?.length) {
    for (const f of lockfileFindings(request.name, request.lock, allowedLockfileHosts(engine, request.ecosystem))) findings.push(f);
  }
  const decision = decide(engine.policy, request.ecosystem, request.name, findings);
  // A real name (the registry or the index says it exists, or it is a popular one that no source
  // denies) is never answered with another package.
  const real = known.existence === "exists" || (known.existence !== "absent" && popular === true);
  const didYouMean = decision.verdict === "allow" ? [] : suggestions(request.name, decision.findings, intel, suspicious?.base, real);
  return resultOf(request, purl, decision.verdict, decision.findings, didYouMean);
}

function resultOf(request: PackageRequest, purl: string, verdict: Verdict, findings: Finding[], didYouMean: string[]): PackageResult {
  return {
    purl,
    ecosystem: request.ecosystem,
    name: request.name,
    version: request.version,
    verdict,
    findings,
    didYouMean,
    locations: request.locations.slice(),
  };
}

/**
 * What was probably meant. A real name that is only unverifiable is answered with itself: a
 * look-alike of it ("panda" for pandas) would lead into a slopsquat. For a name that does not exist
 * the suggester ranks every near name (it weighs popularity, so "reakt" gives react before reakit);
 * for one that exists, the package it imitates comes first. The popular base of an invented name
 * ("fastapi" of "fastapi-secure-auth-extension") leads either way.
 */
function suggestions(name: string, findings: readonly Finding[], intel: NameIntel | undefined, base: string | undefined, real: boolean): string[] {
  const lost = isLost(findings);
  const targets: string[] = [];
  for (const f of findings) {
    if (f.target && f.code !== "suspicious-name" && !targets.includes(f.target)) targets.push(f.target);
  }
  if (lost && real) return [name, ...targets].slice(0, 3);
  const search = intel !== undefined && lost;
  if (!search && !base) return targets.slice(0, 3);
  const out = new Set<string>();
  if (search) for (const s of intel.suggest(name, 3)) if (s !== name) out.add(s);
  const ordered = lost ? [...out, ...targets] : [...targets, ...out];
  if (base) ordered.splice(lost ? 0 : targets.length, 0, base);
  return [...new Set(ordered)].slice(0, 3);
}

export interface CheckOptions {
  /**
   * Receives each result, in first-asked order, once it is final; the results are then not kept
   * (checkPackages returns none): a bulk check written as it goes holds no report in memory.
   */
  onResult?: (result: PackageResult) => void;
}

/** Checks requests; one result per package and requested version, with every location that asked for it. */
export async function checkPackages(requests: readonly PackageRequest[], engine: Engine, options: CheckOptions = {}): Promise<PackageResult[]> {
  // Local data only (offline) needs no waiting: each name is looked up as it is judged, so its facts
  // die young instead of piling up for the whole run.
  const local = engine.sources.every((s) => s.lookupSync);
  const facts = local ? undefined : await gatherFacts(requests, engine);
  const factsOf = (r: PackageRequest): PackageFacts | undefined =>
    r.nameProblem !== null ? undefined : facts ? facts.get(factsKey(engine, r)) : lookupAllSync(engine.sources, r.ecosystem, lookupName(engine, r));
  // Every location that asks for the same package and version, first: a result is final once judged.
  const unique = new RequestTable();
  for (const r of requests) unique.add(r);
  const out: PackageResult[] = [];
  const release = options.onResult ?? ((result: PackageResult) => void out.push(result));
  const { list } = unique;
  for (let i = 0; i < list.length; i++) {
    const { request, locations, lock } = list[i]!;
    if (lock.length) request.lock = lock;
    const result = judge(request, factsOf(request), engine);
    result.locations = locations;
    release(result);
    if (local && (i % 1000 === 999 || i === list.length - 1)) engine.onProgress?.(i + 1, list.length);
  }
  return out;
}

/** Requests by ecosystem, name and requested version, in first-asked order, each with every location that asked. */
class RequestTable {
  readonly list: Array<{ request: PackageRequest; locations: SourceLocation[]; lock: LockEvidence[] }> = [];
  // Most requests carry no version: those need no composite key.
  private readonly bare = new Map<string, Map<string, RequestTable["list"][number]>>();
  private readonly versioned = new Map<string, RequestTable["list"][number]>();

  add(r: PackageRequest): void {
    const names = r.version === null ? (this.bare.get(r.ecosystem) ?? new Map<string, RequestTable["list"][number]>()) : undefined;
    const key = r.version === null ? r.name : `${keyOf(r)}\u0000${r.version}`;
    const seen = names ? names.get(key) : this.versioned.get(key);
    if (seen) {
      for (const l of r.locations) seen.locations.push(l);
      for (const e of r.lock ?? []) seen.lock.push(e);
      if (r.usages) {
        seen.request.usages ??= [];
        seen.request.usages.push(...r.usages);
      }
      return;
    }
    const entry = { request: r.usages ? { ...r, usages: r.usages.slice() } : r, locations: r.locations.slice(), lock: (r.lock ?? []).slice() };
    this.list.push(entry);
    if (names) this.bare.set(r.ecosystem, names.set(key, entry));
    else this.versioned.set(key, entry);
  }
}
