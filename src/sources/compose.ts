// Composition of sources: ask them all, merge by authority (the first listed wins a field).
import { emptyFacts, type EcosystemId, type PackageFacts } from "../core/model.ts";
import type { DataSource, LookupOptions, Observation } from "./types.ts";
import { isSilent } from "./silent.ts";
import { errorMessage } from "../core/guards.ts";

/** Fills the facts still unset from `o`, in this order (their key order in the facts); spelled out for speed. */
function copyUnsetFacts(facts: PackageFacts, o: Observation): void {
  if (o.createdAt !== undefined && facts.createdAt === undefined) facts.createdAt = o.createdAt;
  if (o.latestVersion !== undefined && facts.latestVersion === undefined) facts.latestVersion = o.latestVersion;
  if (o.versions !== undefined && facts.versions === undefined) facts.versions = o.versions;
  if (o.downloadsLastMonth !== undefined && facts.downloadsLastMonth === undefined) facts.downloadsLastMonth = o.downloadsLastMonth;
  if (o.popularityRank !== undefined && facts.popularityRank === undefined) facts.popularityRank = o.popularityRank;
  if (o.repositoryUrl !== undefined && facts.repositoryUrl === undefined) facts.repositoryUrl = o.repositoryUrl;
  if (o.deprecated !== undefined && facts.deprecated === undefined) facts.deprecated = o.deprecated;
  if (o.securityHolder !== undefined && facts.securityHolder === undefined) facts.securityHolder = o.securityHolder;
  if (o.unpublished !== undefined && facts.unpublished === undefined) facts.unpublished = o.unpublished;
  if (o.projectStatus !== undefined && facts.projectStatus === undefined) facts.projectStatus = o.projectStatus;
  if (o.detail !== undefined && facts.detail === undefined) facts.detail = o.detail;
  if (o.fenced) facts.fenced = true;
}

// Scratch lists for mergeObservations, copied out at their exact size: an array filled by push
// reserves room for 16 entries, and a bulk check keeps 100,000 facts.
const reasons: string[] = [];
const answered: string[] = [];

// A shared answer (the index's miss) is met again and again: its reason is written once.
let lastUnknown: Observation | undefined;
let lastUnknownReason: string | undefined;
let lastReason = "";

function reasonOf(o: Observation): string {
  if (o !== lastUnknown || o.unknownReason !== lastUnknownReason) {
    lastReason = `${o.source}: ${o.unknownReason}`;
    lastUnknown = o;
    lastUnknownReason = o.unknownReason;
  }
  return lastReason;
}

/** Merges observations listed from most to least authoritative. */
export function mergeObservations(observations: readonly Observation[]): PackageFacts {
  const facts = emptyFacts();
  reasons.length = 0;
  answered.length = 0;
  let decided = false;
  for (const o of observations) {
    // Says nothing, so neither decides nor adds: only its source is listed, as for any answer not "unknown".
    if (isSilent(o)) {
      answered.push(o.source);
      continue;
    }
    const existence = o.existence;
    const malicious = o.malicious;
    if (existence === "unknown") {
      // A lesser source's failure says nothing once a more authoritative one has answered: the
      // registry's answer stands, and the incomplete offline index is no veto over it.
      if (o.unknownReason && !decided) reasons.push(reasonOf(o));
    } else if (existence !== undefined && !decided) {
      facts.existence = existence;
      decided = true;
    }
    if (existence !== "unknown" || malicious?.length) answered.push(o.source);
    copyUnsetFacts(facts, o);
    if (malicious?.length) facts.malicious = facts.malicious.concat(malicious);
    if (o.unknownFacts?.length) facts.unknownFacts = (facts.unknownFacts ?? []).concat(o.unknownFacts);
  }
  if (reasons.length) facts.unknownReasons = reasons.slice();
  if (answered.length) facts.sources = answered.slice();
  return facts;
}

/** Tells every source which names are coming (see DataSource.prefetch); a failing hint costs only speed. */
export function prefetchAll(sources: readonly DataSource[], ecosystem: EcosystemId, names: readonly string[]): void {
  for (const s of sources) {
    try {
      s.prefetch?.(ecosystem, names);
    } catch {
      // the lookups still ask one by one
    }
  }
}

/** Asks every source at once; one source's failure becomes an "unknown" observation, never a pass. */
export async function lookupAll(
  sources: readonly DataSource[],
  ecosystem: EcosystemId,
  name: string,
  options?: LookupOptions,
): Promise<PackageFacts> {
  const observations = await Promise.all(
    sources.map((s) =>
      s.lookup(ecosystem, name, options).catch(
        (error: unknown): Observation => ({
          source: s.id,
          existence: "unknown",
          unknownReason: errorMessage(error),
        }),
      ),
    ),
  );
  return mergeObservations(observations);
}

const scratchObservations: Observation[] = [];

/**
 * All sources at once without waiting, their lookups read once (a bulk check asks 100,000 names of
 * the same list); undefined unless every source can answer without waiting (local data only).
 */
export function syncLookup(sources: readonly DataSource[]): ((ecosystem: EcosystemId, name: string) => PackageFacts) | undefined {
  const lookups: Array<(ecosystem: EcosystemId, name: string) => Observation> = [];
  for (const s of sources) {
    if (!s.lookupSync) return undefined;
    lookups.push(s.lookupSync.bind(s));
  }
  return (ecosystem, name) => {
    // One list for every call (lookups are synchronous; the merge copies what it keeps).
    const observations = scratchObservations;
    observations.length = 0;
    for (let i = 0; i < lookups.length; i++) {
      let o: Observation;
      try {
        o = lookups[i]!(ecosystem, name);
      } catch (error) {
        o = { source: sources[i]!.id, existence: "unknown", unknownReason: errorMessage(error) };
      }
      observations.push(o);
    }
    return mergeObservations(observations);
  };
}
