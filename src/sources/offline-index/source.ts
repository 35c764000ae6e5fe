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

/** What a lookup in one ecosystem needs from the coverage, worked out once: an open index does not change. */
interface SectionFacts {
  coverage: IndexCoverage | undefined;
  /** The answer for a name missing from an incomplete list (shared: most names a bulk check misses); undefined for a complete list. */
  miss: Observation | undefined;
  /** A complete, ranked list: an unranked project is known to be outside the ranked set. */
  unrankedIsNull: boolean;
}

export interface IndexSourceOptions {
  /** Whether a latest version is the registry's placeholder for a removed package (npm's 0.0.1-security). */
  isPlaceholderVersion?: (ecosystem: EcosystemId, version: string) => boolean;
}

export function createIndexSource(index: OfflineIndex, options: IndexSourceOptions = {}): DataSource {
  const sections = new Map<EcosystemId, SectionFacts>();
  // Shared, since most names a bulk check asks about are absent.
  const absent: Observation = Object.freeze({ source: SOURCE_ID, existence: "absent" });
  const absentUnranked: Observation = Object.freeze({ source: SOURCE_ID, existence: "absent", popularityRank: null });
  const sectionFacts = (ecosystem: EcosystemId): SectionFacts => {
    let facts = sections.get(ecosystem);
    if (!facts) {
      const coverage = index.coverage(ecosystem);
      const incomplete = coverage && !coverage.complete;
      facts = {
        coverage,
        miss: incomplete
          ? Object.freeze({ source: SOURCE_ID, existence: "unknown", unknownReason: `not in the offline ${ecosystem} index, which ${describeCoverage(coverage)}` })
          : undefined,
        unrankedIsNull: coverage?.complete === true && coverage.rankedUpTo !== undefined,
      };
      sections.set(ecosystem, facts);
    }
    return facts;
  };
  const lookupSync = (ecosystem: EcosystemId, name: string): Observation => {
    const { coverage, miss, unrankedIsNull } = sectionFacts(ecosystem);
    if (!coverage) {
      return { source: SOURCE_ID, existence: "unknown", unknownReason: `the offline index has no ${ecosystem} list` };
    }
    const entry = index.lookup(ecosystem, name);
    if (!entry) {
      // Missing from a complete ranked list: not among the ranked, even where the registry knows it (registered since).
      if (miss === undefined) return unrankedIsNull ? absentUnranked : absent;
      return miss;
    }
    const o: Observation = { source: SOURCE_ID, existence: "exists" };
    if (entry.latestVersion !== null) {
      o.latestVersion = entry.latestVersion;
      if (options.isPlaceholderVersion?.(ecosystem, entry.latestVersion)) o.securityHolder = true;
    }
    if (entry.downloads !== undefined) o.downloadsLastMonth = entry.downloads;
    if (entry.rank !== undefined) o.popularityRank = entry.rank;
    else if (unrankedIsNull) o.popularityRank = null;
    return o;
  };
  return { id: SOURCE_ID, lookupSync, lookup: async (ecosystem, name) => lookupSync(ecosystem, name) };
}
