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

export interface CachedEntry {
  observation: Observation;
  /** Milliseconds since the epoch. */
  storedAt: number;
}

/**
 * The observation cache behind cachedSource: facts keyed by source, the registry that answered (a
 * `registryIdentity`), ecosystem and name. A failure only costs the cache: reads miss, writes drop.
 * Embedded stores answer at once (and offer the Sync forms); shared ones over the network do not.
 */
export interface ObservationStore {
  get(source: string, registry: string, ecosystem: EcosystemId, name: string): CachedEntry | undefined | Promise<CachedEntry | undefined>;
  getSync?(source: string, registry: string, ecosystem: EcosystemId, name: string): CachedEntry | undefined;
  /** Queues an entry (readable at once by this process), written in batches. False when it cannot be kept. */
  put(source: string, registry: string, ecosystem: EcosystemId, name: string, observation: Observation, storedAt: number): boolean;
  /** The names stored for a source (from any registry), by ecosystem. */
  storedNames(source: string): Map<EcosystemId, Set<string>> | Promise<Map<EcosystemId, Set<string>>>;
  storedNamesSync?(source: string): Map<EcosystemId, Set<string>>;
  /** Writes what is queued. */
  flush(): void | Promise<void>;
  close(): void | Promise<void>;
}
