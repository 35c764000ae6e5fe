// A store that reports the time and outcome of every operation (a replica's metrics and health).
import type { Store } from "./types.ts";

export interface StoreObserver {
  /** `operation` is e.g. "decisions.append"; `error` is what it failed with. */
  operation(operation: string, seconds: number, error?: unknown): void;
  /** An observation cache lookup found an entry (fresh or not) or not. */
  cacheLookup?(hit: boolean): void;
}

function timed<T extends object>(part: T, prefix: string, observer: StoreObserver): T {
  const out = { ...part } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(part)) {
    if (typeof fn !== "function" || name.endsWith("Sync") || name === "put") continue;
    out[name] = async (...args: unknown[]) => {
      const start = performance.now();
      try {
        const value = await (fn as (...a: unknown[]) => unknown).apply(part, args);
        observer.operation(`${prefix}.${name}`, (performance.now() - start) / 1000);
        return value;
      } catch (error) {
        observer.operation(`${prefix}.${name}`, (performance.now() - start) / 1000, error);
        throw error;
      }
    };
  }
  return out as T;
}

export function instrumentStore(store: Store, observer: StoreObserver): Store {
  const observations = timed(store.observations, "observations", observer);
  const get = observations.get;
  observations.get = async (...args) => {
    const hit = await get(...args);
    observer.cacheLookup?.(hit !== undefined);
    return hit;
  };
  // The embedded cache answers without waiting: its hits are counted too.
  const getSync = store.observations.getSync;
  if (getSync) {
    observations.getSync = (...args) => {
      const hit = getSync.apply(store.observations, args);
      observer.cacheLookup?.(hit !== undefined);
      return hit;
    };
  }
  const ping = store.ping.bind(store);
  return {
    kind: store.kind,
    location: store.location,
    observations,
    decisions: timed(store.decisions, "decisions", observer),
    policies: timed(store.policies, "policies", observer),
    waivers: timed(store.waivers, "waivers", observer),
    ...timed({ ping }, "store", observer),
    close: () => store.close(),
  };
}
