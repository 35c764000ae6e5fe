// The one interface every data source implements: registries, cache, offline index, malicious feed.
import type { EcosystemId, Existence, PackageFacts } from "../core/model.ts";

/**
 * What one source says about a package. `existence` undefined means the source has no
 * opinion (a malicious feed); "unknown" means it tried and could not tell (reason given).
 */
export interface Observation extends Partial<Omit<PackageFacts, "existence" | "unknownReasons" | "sources">> {
  source: string;
  existence?: Existence;
  unknownReason?: string;
}

export interface LookupOptions {
  signal?: AbortSignal;
}

export interface DataSource {
  readonly id: string;
  lookup(ecosystem: EcosystemId, name: string, options?: LookupOptions): Promise<Observation>;
  /** The same answer without waiting, for sources whose data is local (offline bulk checks skip the promises). */
  lookupSync?(ecosystem: EcosystemId, name: string): Observation;
  /** The registry (base URL) that answers for this name, for sources that ask one: caches key facts by it. */
  registryOf?(ecosystem: EcosystemId, name: string): string;
  /** Names about to be looked up, so a source can ask for several at once (npm's bulk downloads API). A hint only. */
  prefetch?(ecosystem: EcosystemId, names: readonly string[]): void;
  close?(): void | Promise<void>;
}
