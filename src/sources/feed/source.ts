// The known-malicious feed as a DataSource: no opinion on existence, only the reports that name the package.
import type { EcosystemId } from "../../core/model.ts";
import type { DataSource, Observation } from "../types.ts";
import type { FeedStore } from "./store.ts";

const SOURCE_ID = "malicious-feed";

export function createFeedSource(store: FeedStore): DataSource {
  return {
    id: SOURCE_ID,
    lookupSync(ecosystem: EcosystemId, name: string): Observation {
      return { source: SOURCE_ID, malicious: store.find(ecosystem, name) };
    },
    async lookup(ecosystem: EcosystemId, name: string): Promise<Observation> {
      return this.lookupSync!(ecosystem, name);
    },
    close() {
      store.close();
    },
  };
}
