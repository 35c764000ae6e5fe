// The verification engine: requests in, verdicts out. Sources, name intelligence and policy come in as objects.
import type { Finding, Verdict } from "../core/findings.ts";
import { memoPerKey } from "../core/memo.ts";
import { emptyFacts, type Notice, type PackageFacts, type PackageRequest, type PackageResult } from "../core/model.ts";
import { decide, type Policy, rulesFor } from "../core/policy.ts";
import { appliedWaiver, findWaiver, type WaiverContext, type WaiverRule } from "../core/waivers.ts";
import { allowedHosts, DEFAULT_LOCKFILE_HOSTS, evaluateSignals, finding, lockfileFindings, type SuspiciousNameMatch } from "../core/signals.ts";
import type { EcosystemModule } from "../ecosystems/types.ts";
import type { NameIntel } from "../similarity/types.ts";
import { lookupAll, prefetchAll, syncLookup } from "../sources/compose.ts";
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
  /** The waivers in force for a package (the store's, refreshed by long-running doors). */
  waivers?: (ecosystem: string, name: string) => readonly WaiverRule[];
  /** Who is asking, for a door that serves one user; a shared door gives each caller's to the check instead. */
  waiverContext?: WaiverContext;
}

/** Hosts a lockfile of `ecosystem` may fetch from: the public registries', the configured ones', the trusted policy's. */
export const allowedLockfileHosts: (engine: Engine, ecosystem: string) => ReadonlySet<string> = memoPerKey((engine: Engine, ecosystem: string) =>
  allowedHosts(DEFAULT_LOCKFILE_HOSTS[ecosystem], engine.policy.lockfileHosts, engine.registryUrls?.[ecosystem]),
);

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

/**
 * Judges one request given the facts about its package: facts and policy in, result out (nothing
 * is changed). The result names no alternative yet: that is `didYouMean`'s step. `caller`: whose
 * scoped waivers apply (default: the engine's `waiverContext`).
 */
export function judge(request: PackageRequest, facts: PackageFacts | undefined, engine: Engine, caller?: WaiverContext): PackageResult {
  const eco = engine.ecosystems(request.ecosystem);
  if (!eco) {
    const f = finding("unverifiable", { reason: `ecosystem "${request.ecosystem}" is not supported` });
    return resultOf(request, `pkg:${request.ecosystem}/${request.name}`, "block", [f]);
  }
  const purl = eco.toPurl(request.name, request.version && eco.isExactVersion(request.version) ? request.version : null);
  const valid = request.nameProblem === null;
  const intel = engine.intel(request.ecosystem);
  const known = factsOrHint(facts, engine);
  const resolvedVersion = valid ? eco.resolveVersion(request.version, known) : null;
  const popular = valid && intel?.isPopular(request.name);
  const suspicious = valid && !popular && intel ? suspiciousOf(intel, request.name) : null;
  const rules = rulesFor(engine.policy, request.ecosystem);
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
    thresholds: rules.thresholds,
  });
  const own = valid ? eco.referenceFindings?.(request, known, { now: engine.clock(), codes: rules.codes }) : undefined;
  if (own) for (const f of own) findings.push(f);
  if (request.lock?.length) {
    for (const f of lockfileFindings(request.name, request.lock, allowedLockfileHosts(engine, request.ecosystem))) findings.push(f);
  }
  const decision = decide(engine.policy, request.ecosystem, request.name, findings);
  const waiver =
    decision.verdict !== "allow" && engine.waivers
      ? findWaiver(
          engine.waivers(request.ecosystem, request.name),
          { ecosystem: request.ecosystem, name: request.name, version: resolvedVersion },
          decision.findings,
          engine.policy,
          caller ?? engine.waiverContext ?? {},
          engine.clock(),
        )
      : undefined;
  if (!waiver) return resultOf(request, purl, decision.verdict, decision.findings);
  // Allowed by a team's exception: the findings stay, and the result says which waiver.
  const result = resultOf(request, purl, "allow", decision.findings);
  result.waiver = appliedWaiver(waiver);
  return result;
}

// judge, then didYouMean, ask the same package's pattern of the same tables: the last answer is kept.
let askedIntel: NameIntel | undefined;
let askedName = "";
let askedMatch: SuspiciousNameMatch | null = null;

function suspiciousOf(intel: NameIntel, name: string): SuspiciousNameMatch | null {
  if (intel !== askedIntel || name !== askedName) {
    askedMatch = intel.suspicious(name);
    askedIntel = intel;
    askedName = name;
  }
  return askedMatch;
}

/** The facts to judge on: with the engine's hint when no source had any opinion (a copy; the given facts stay as they are). */
function factsOrHint(facts: PackageFacts | undefined, engine: Engine): PackageFacts {
  const known = facts ?? emptyFacts();
  if (known.existence !== "unknown" || known.unknownReasons.length) return known;
  return { ...known, unknownReasons: [engine.noSourceHint ?? "no data source could tell whether it exists"] };
}

function resultOf(request: PackageRequest, purl: string, verdict: Verdict, findings: Finding[]): PackageResult {
  // Object literal in SPEC key order: the JSON report writes it as it is.
  return {
    purl,
    ecosystem: request.ecosystem,
    name: request.name,
    version: request.version,
    verdict,
    findings,
    didYouMean: [],
    locations: request.locations.slice(),
  };
}

/**
 * What was probably meant instead of a judged package (nothing for an allowed one). A real name (the
 * registry or the index says it exists, or it is a popular one that no source denies) that is only
 * unverifiable is answered with itself: a look-alike of it ("panda" for pandas) would lead into a
 * slopsquat. For a name that does not exist the suggester ranks every near name (it weighs
 * popularity, so "reakt" gives react before reakit); for one that exists, the package it imitates
 * comes first. The popular base of an invented name ("fastapi" of "fastapi-secure-auth-extension")
 * leads either way. Only here are the suggestion tables read.
 */
export function didYouMean(request: PackageRequest, result: PackageResult, facts: PackageFacts | undefined, engine: Engine): string[] {
  if (result.verdict === "allow") return [];
  const { name } = result;
  const lost = isLost(result.findings);
  const targets: string[] = [];
  for (const f of result.findings) {
    if (f.target && f.code !== "suspicious-name" && !targets.includes(f.target)) targets.push(f.target);
  }
  const intel = engine.ecosystems(result.ecosystem) ? engine.intel(result.ecosystem) : undefined;
  // A name the registry would not take is neither popular nor an invented one, but may still be a typo.
  const valid = request.nameProblem === null;
  const popular = valid && intel?.isPopular(name) === true;
  const real = facts?.existence === "exists" || (facts?.existence !== "absent" && popular);
  if (lost && real) return [name, ...targets].slice(0, 3);
  // A private scope's name is right by the user's configuration: public look-alikes would lead astray.
  if (facts?.fenced) return targets.slice(0, 3);
  const base = valid && intel && !popular ? suspiciousOf(intel, name)?.base : undefined;
  const search = intel !== undefined && lost;
  if (!search && !base) return targets.slice(0, 3);
  // Lists of a few names: kept distinct with includes, without a Set per package.
  const out: string[] = [];
  if (search) for (const s of intel.suggest(name, 3)) if (s !== name && !out.includes(s)) out.push(s);
  const ordered = lost ? [...out, ...targets] : [...targets, ...out];
  if (base) ordered.splice(lost ? 0 : targets.length, 0, base);
  const meant: string[] = [];
  for (const s of ordered) {
    if (meant.includes(s)) continue;
    meant.push(s);
    if (meant.length === 3) break;
  }
  return meant;
}

/** A verdict with the facts it was made on: a door that judges single versions reads them, and asks no source again. */
export interface Checked {
  result: PackageResult;
  /** Undefined for a name the registry would not accept (no source is asked about it). */
  facts: PackageFacts | undefined;
}

export interface CheckOptions {
  /**
   * Receives each verdict, in first-asked order, once it is final; the results are then not kept
   * (checkPackages returns none): a bulk check written as it goes holds no report in memory.
   */
  onResult?: (result: PackageResult, facts: PackageFacts | undefined) => void;
  /** Whose scoped waivers apply: an authenticated caller of a shared door (default: the engine's `waiverContext`). */
  caller?: WaiverContext;
}

/** Checks requests; one result per package and requested version, with every location that asked for it. */
export async function checkPackages(requests: readonly PackageRequest[], engine: Engine, options: CheckOptions = {}): Promise<PackageResult[]> {
  const out: PackageResult[] = [];
  await checkEach(requests, engine, options.onResult ?? ((result) => void out.push(result)), options.caller);
  return out;
}

/** Checks requests, each verdict with its facts (the proxy's question); `caller` as in CheckOptions. */
export async function checkWithFacts(requests: readonly PackageRequest[], engine: Engine, caller?: WaiverContext): Promise<Checked[]> {
  const out: Checked[] = [];
  await checkEach(requests, engine, (result, facts) => void out.push({ result, facts }), caller);
  return out;
}

/** The pipeline: facts gathered, each request judged, then given its did-you-mean, then released. */
async function checkEach(
  requests: readonly PackageRequest[],
  engine: Engine,
  release: (result: PackageResult, facts: PackageFacts | undefined) => void,
  caller: WaiverContext | undefined,
): Promise<void> {
  // Local data only (offline) needs no waiting: each name is looked up as it is judged, so its facts
  // die young instead of piling up for the whole run.
  const lookup = syncLookup(engine.sources);
  const local = lookup !== undefined;
  const facts = local ? undefined : await gatherFacts(requests, engine);
  const factsOf = (r: PackageRequest): PackageFacts | undefined =>
    r.nameProblem !== null ? undefined : facts ? facts.get(factsKey(engine, r)) : lookup!(r.ecosystem, lookupName(engine, r));
  // Every location that asks for the same package and version, first: a result is final once judged.
  const unique = new RequestTable();
  for (const r of requests) unique.add(r);
  const { list } = unique;
  for (let i = 0; i < list.length; i++) {
    const request = list[i]!;
    const known = factsOf(request);
    const result = judge(request, known, engine, caller);
    const meant = didYouMean(request, result, known, engine);
    // The result was made just now by judge: it takes its did-you-mean in place (no copy per package).
    if (meant.length) result.didYouMean = meant;
    release(result, known);
    if (local && (i % 1000 === 999 || i === list.length - 1)) engine.onProgress?.(i + 1, list.length);
  }
}

/**
 * Requests by ecosystem, name and requested version, in first-asked order: each merged one a new
 * request with every location (and lockfile entry) that asked; the given requests stay as they are.
 * A request asked once (nearly all of a bulk list) is listed as given: only a merge makes a copy.
 */
class RequestTable {
  readonly list: PackageRequest[] = [];
  /** Whether list[i] is this table's own copy (made when a second request merged into it). */
  private readonly copied: boolean[] = [];
  // Positions in the list. Most requests carry no version: those need no composite key.
  private readonly bare = new Map<string, Map<string, number>>();
  private readonly versioned = new Map<string, number>();

  add(r: PackageRequest): void {
    let names: Map<string, number> | undefined;
    if (r.version === null) {
      names = this.bare.get(r.ecosystem);
      if (!names) {
        names = new Map();
        this.bare.set(r.ecosystem, names);
      }
    }
    const key = names ? r.name : `${keyOf(r)}\u0000${r.version}`;
    const at = names ? names.get(key) : this.versioned.get(key);
    if (at === undefined) {
      if (names) names.set(key, this.list.length);
      else this.versioned.set(key, this.list.length);
      this.list.push(r);
      this.copied.push(false);
      return;
    }
    let seen = this.list[at]!;
    if (!this.copied[at]) {
      seen = { ...seen, locations: seen.locations.slice() };
      if (seen.lock) seen.lock = seen.lock.slice();
      if (seen.usages) seen.usages = seen.usages.slice();
      this.list[at] = seen;
      this.copied[at] = true;
    }
    for (const l of r.locations) seen.locations.push(l);
    if (r.lock?.length) {
      seen.lock ??= [];
      for (const e of r.lock) seen.lock.push(e);
    }
    if (r.usages?.length) {
      seen.usages ??= [];
      for (const u of r.usages) seen.usages.push(u);
    }
  }
}
