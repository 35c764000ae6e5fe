// The known-malicious feed as a DataSource: no opinion on existence, only the reports that name the package.
import type { EcosystemId, MaliciousRecord } from "../../core/model.ts";
import type { DataSource, Observation } from "../types.ts";
import { silentObservation } from "../silent.ts";
import type { FeedStore } from "./store.ts";

const SOURCE_ID = "malicious-feed";

export function createFeedSource(store: FeedStore): DataSource {
  // Shared, since nearly every name is in no report.
  const unreported: Observation = silentObservation(Object.freeze({ source: SOURCE_ID, malicious: Object.freeze([]) as unknown as MaliciousRecord[] }));
  return {
    id: SOURCE_ID,
    lookupSync(ecosystem: EcosystemId, name: string): Observation {
      const malicious = store.find(ecosystem, name);
      return malicious.length ? { source: SOURCE_ID, malicious } : unreported;
    },
    async lookup(ecosystem: EcosystemId, name: string): Promise<Observation> {
      return this.lookupSync!(ecosystem, name);
    },
    close() {
      store.close();
    },
  };
}
