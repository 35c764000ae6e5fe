// Installs that merge several indexes (pip --extra-index-url, uv --index, Pipfile sources): each name
// is asked of every index, judged on the facts of the index that has it, and a name that more than
// one index has is dependency confusion (whoever publishes the higher version wins).
import type { Finding } from "../../core/findings.ts";
import type { EcosystemId, PackageRequest, PackageResult } from "../../core/model.ts";
import { decide, type Policy } from "../../core/policy.ts";
import { finding } from "../../core/signals.ts";
import { getEcosystem } from "../../ecosystems/index.ts";
import { checkPackages, type Engine, mapBounded } from "../../engine/check.ts";
import type { Fetcher } from "../../sources/http.ts";
import type { DataSource, Observation } from "../../sources/types.ts";
import { type PackageIndex, shown } from "./registries.ts";

/** Adds findings to a result and decides its verdict again under the policy. */
export function withFindings(result: PackageResult, extra: readonly Finding[], policy: Policy): PackageResult {
  if (!extra.length) return result;
  const own = result.findings.filter((f) => f.code !== "denied-by-policy");
  const decision = decide(policy, result.ecosystem, result.name, [...own, ...extra]);
  return { ...result, verdict: decision.verdict, findings: decision.findings };
}

const host = (index: PackageIndex) => shown(index.url);

/** Offline, only the local data is asked: what the other indexes of a merge may serve is not judged. */
export function unaskedIndexes(ecosystem: EcosystemId, indexes: readonly PackageIndex[]): { ecosystem: EcosystemId; reason: string } | undefined {
  return indexes.length > 1 ? { ecosystem, reason: "offline: the other indexes this install merges were not asked" } : undefined;
}

/**
 * Checks the requests of `ecosystem` against every index in `indexes` (the default one first); other
 * requests are checked by `engine` as they are. No cache sits in front of these lookups: one index's answer never
 * stands for another's.
 */
export async function checkAcrossIndexes(
  ecosystem: EcosystemId,
  requests: readonly PackageRequest[],
  indexes: readonly PackageIndex[],
  engine: Engine,
  fetcher: Fetcher,
): Promise<PackageResult[]> {
  const eco = getEcosystem(ecosystem);
  if (!eco) return checkPackages(requests, engine);
  const mine = requests.filter((r) => r.ecosystem === eco.id);
  const others = requests.filter((r) => r.ecosystem !== eco.id);
  const sources = indexes.map((ix) => eco.createRegistrySource({ baseUrl: ix.base, authorization: ix.authorization, fetch: fetcher }));
  const names = [...new Set(mine.filter((r) => r.nameProblem === null).map((r) => r.name))];
  const answers = new Map<string, Observation[]>();
  await mapBounded(names, engine.concurrency ?? 16, async (name) => {
    answers.set(name, await Promise.all(sources.map((s) => s.lookup(eco.id, name))));
  });
  const id = sources[0]!.id;
  // The answer of the first index that has the name (else the first that could not tell, else "absent").
  const chosen: DataSource = {
    id,
    async lookup(ecosystem, name) {
      const list = ecosystem === eco.id ? answers.get(name) : undefined;
      if (!list) return { source: id };
      return list.find((o) => o.existence === "exists") ?? list.find((o) => o.existence === "unknown") ?? list[0]!;
    },
  };
  const across: Engine = { ...engine, sources: engine.sources.map((s) => (s.id === id ? chosen : s)) };
  const results = await checkPackages(mine, across);
  const judged = results.map((result) => {
    const list = answers.get(eco.canonicalName(result.name)) ?? [];
    const holders = indexes.filter((_, i) => list[i]?.existence === "exists");
    const silent = indexes.filter((_, i) => list[i]?.existence === "unknown");
    const extra: Finding[] = [];
    if (holders.length > 1) extra.push(finding("dependency-confusion", { indexes: holders.map(host).join(", ") }, { details: { indexes: holders.map(host) } }));
    else if (holders.length === 1 && silent.length) {
      extra.push(finding("unverifiable", { reason: `${silent.map(host).join(", ")} could not say whether it also has "${result.name}" (dependency confusion not ruled out)` }));
    }
    return withFindings(result, extra, engine.policy);
  });
  return [...judged, ...(others.length ? await checkPackages(others, engine) : [])];
}
