// The offline index as a DataSource: existence and popularity without network, stated as far as the snapshot covers.
import type { EcosystemId } from "../../core/model.ts";
import type { DataSource, Observation } from "../types.ts";
import type { IndexCoverage } from "./format.ts";
import type { OfflineIndex } from "./read.ts";

const SOURCE_ID = "offline-index";

function describeCoverage(c: IndexCoverage): string {
  const what =
    c.minDownloads !== undefined
      ? `lists only packages with at least ${c.minDownloads} downloads a month`
      : "is not a complete list of the registry";
  return `${what}${c.snapshotDate ? ` (snapshot ${c.snapshotDate})` : ""}`;
}

export function createIndexSource(index: OfflineIndex): DataSource {
  const lookupSync = (ecosystem: EcosystemId, name: string): Observation => {
      const coverage = index.coverage(ecosystem);
      if (!coverage) {
        return { source: SOURCE_ID, existence: "unknown", unknownReason: `the offline index has no ${ecosystem} list` };
      }
      const entry = index.lookup(ecosystem, name);
      if (!entry) {
        if (coverage.complete) return { source: SOURCE_ID, existence: "absent" };
        return {
          source: SOURCE_ID,
          existence: "unknown",
          unknownReason: `not in the offline ${ecosystem} index, which ${describeCoverage(coverage)}`,
        };
      }
      const o: Observation = { source: SOURCE_ID, existence: "exists" };
      if (entry.latestVersion !== null) o.latestVersion = entry.latestVersion;
      if (entry.downloads !== undefined) o.downloadsLastMonth = entry.downloads;
      // In a complete, ranked list an unranked project is known to be outside the ranked set.
      if (entry.rank !== undefined) o.popularityRank = entry.rank;
      else if (coverage.complete && coverage.rankedUpTo !== undefined) o.popularityRank = null;
      return o;
  };
  return { id: SOURCE_ID, lookupSync, lookup: async (ecosystem, name) => lookupSync(ecosystem, name) };
}
