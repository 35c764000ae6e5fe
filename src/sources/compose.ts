// Composition of sources: ask them all, merge by authority (the first listed wins a field).
import { emptyFacts, type EcosystemId, type PackageFacts } from "../core/model.ts";
import type { DataSource, LookupOptions, Observation } from "./types.ts";

const FACT_KEYS = [
  "createdAt",
  "latestVersion",
  "versions",
  "downloadsLastMonth",
  "popularityRank",
  "repositoryUrl",
  "deprecated",
  "securityHolder",
  "unpublished",
] as const;

/** Merges observations listed from most to least authoritative. */
export function mergeObservations(observations: readonly Observation[]): PackageFacts {
  const facts = emptyFacts();
  let decided = false;
  for (const o of observations) {
    if (o.existence === undefined) {
      // no opinion on existence
    } else if (o.existence === "unknown") {
      if (o.unknownReason) facts.unknownReasons.push(`${o.source}: ${o.unknownReason}`);
    } else {
      if (!decided) {
        facts.existence = o.existence;
        decided = true;
      }
    }
    if (o.existence !== "unknown" || o.malicious?.length) facts.sources.push(o.source);
    for (const key of FACT_KEYS) {
      if (facts[key] === undefined && o[key] !== undefined) (facts as unknown as Record<string, unknown>)[key] = o[key];
    }
    if (o.malicious?.length) facts.malicious.push(...o.malicious);
  }
  return facts;
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
          unknownReason: error instanceof Error ? error.message : String(error),
        }),
      ),
    ),
  );
  return mergeObservations(observations);
}

/** All sources at once without waiting, when every one of them can (local data only); else undefined. */
export function lookupAllSync(sources: readonly DataSource[], ecosystem: EcosystemId, name: string): PackageFacts | undefined {
  if (!sources.every((s) => s.lookupSync)) return undefined;
  return mergeObservations(
    sources.map((s): Observation => {
      try {
        return s.lookupSync!(ecosystem, name);
      } catch (error) {
        return { source: s.id, existence: "unknown", unknownReason: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
