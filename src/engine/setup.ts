// Wires the engine from plain options: which sources, in which order, with which cache and index.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { noticeMessage } from "../core/messages.ts";
import type { EcosystemId, Notice } from "../core/model.ts";
import type { Policy } from "../core/policy.ts";
import { ECOSYSTEMS, getEcosystem } from "../ecosystems/index.ts";
import type { EcosystemModule, RegistryConfig } from "../ecosystems/types.ts";
import { createNameIntel, type IndexStore } from "../similarity/intel.ts";
import type { NameIntel } from "../similarity/types.ts";
import type { PopularList } from "../core/model.ts";
import { cachedSource, openObservationCache } from "../sources/cache.ts";
import { createFeedSource } from "../sources/feed/source.ts";
import { readRegularFile } from "../sources/files.ts";
import { openFeedStore } from "../sources/feed/store.ts";
import type { Fetcher } from "../sources/http.ts";
import { sharedNodeFetcher } from "../sources/node-fetch.ts";
import { type OfflineIndex, openIndex } from "../sources/offline-index/read.ts";
import { createIndexSource } from "../sources/offline-index/source.ts";
import type { DataSource, Observation, ObservationStore } from "../sources/types.ts";
import type { Engine } from "./check.ts";
import { BouncerError, DATA_DIR_HINT } from "../core/errors.ts";

export const INDEX_FILE = "index.bin";
export const FEED_FILE = "feed.sqlite";

export type RegistryUrls = { npm: string; npmDownloads: string; pypi: string } & Record<string, string | undefined>;

export interface EngineOptions {
  dataDir: string;
  offline: boolean;
  policy: Policy;
  now: Date;
  /** A moving clock for long-running doors (the proxy); `now` otherwise. */
  clock?: () => Date;
  /** Registry base URLs by ecosystem id (an ecosystem's default when absent), and `<id>Downloads` for npm's downloads API. */
  registries: RegistryUrls;
  npmScopes?: Record<string, { baseUrl: string; authorization?: string }>;
  npmAuthorization?: string;
  pypiAuthorization?: string;
  /**
   * Trusted credentials by registry URL. When given, each registry source gets what this returns
   * for its own base URL (so a door that changes `registries` sends no credentials meant for
   * another), and `npmAuthorization` / `pypiAuthorization` are not used by the engine.
   */
  credentialsFor?: (url: string) => string | undefined;
  /**
   * npm scopes that untrusted configuration (the project's .npmrc) routes to a registry the trusted
   * configuration does not name: "@scope" -> why. Their names are asked of no registry and no index
   * (never the public one: they are private), so they come out unverifiable with that reason.
   */
  npmFencedScopes?: Record<string, string>;
  fetch?: Fetcher;
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
  /** A long step is starting (its description), or has ended (undefined): the first build of the name tables. */
  onStatus?: (status: string | undefined) => void;
  /** The decision-log key (held outside the data directory): every logged decision then carries its MAC. */
  logKey?: Uint8Array;
  /** A shared observation cache (the store's); default: the cache file in the data directory. Not closed by the engine. */
  observations?: ObservationStore;
}

export interface OpenEngine extends Engine {
  dataDir: string;
  index: OfflineIndex | undefined;
  close(): Promise<void>;
}

/** A data file that exists but cannot be used: the user must rebuild it (exit 2, not a stack trace). */
export class DataFileError extends BouncerError {
  override name = "DataFileError";
  constructor(message: string) {
    super(message, { hint: DATA_DIR_HINT });
  }
}

/** The shipped popular lists (what the detector is tuned on); an index supplies them for other ecosystems. */
function popularFor(eco: EcosystemModule, index: OfflineIndex | undefined): PopularList {
  return eco.shippedPopular?.() ?? index?.popular(eco.id, 20_000) ?? [];
}

/**
 * One ecosystem's registry settings in the options, by the options' naming: `registries[id]` (else the
 * ecosystem's public registry), `registries[id + "Downloads"]`, `<id>Scopes` and `<id>Authorization`.
 */
function registryOptions(options: EngineOptions, eco: EcosystemModule): Omit<RegistryConfig, "baseUrl" | "fetch"> & { baseUrl: string | undefined } {
  const named = options as unknown as Record<string, unknown>;
  const scopes = named[`${eco.id}Scopes`] as RegistryConfig["scopes"];
  const authorization = named[`${eco.id}Authorization`] as string | undefined;
  return {
    baseUrl: options.registries[eco.id] ?? eco.defaultRegistryUrl,
    downloadsUrl: options.registries[`${eco.id}Downloads`],
    ...(scopes ? { scopes } : {}),
    ...(authorization === undefined ? {} : { authorization }),
  };
}

/** Name-similarity indexes kept in the data directory; a read or write failure only costs time. */
function similarityStore(dataDir: string, ecosystem: string, onStatus: EngineOptions["onStatus"]): IndexStore {
  const dir = path.join(dataDir, "similarity");
  const file = (key: string) => path.join(dir, `${ecosystem}-${key}.bin`);
  // Built now, once (until saved): a second or more that a user should see is not a hang.
  const building = () => void onStatus?.(`building the ${ecosystem} name-similarity tables (first run only)…`);
  return {
    load(key) {
      try {
        const bytes = readRegularFile(file(key));
        if (bytes.byteLength % 4 !== 0) return building();
        const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
        return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
      } catch {
        return building();
      }
    },
    save(key, data) {
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = `${file(key)}.${process.pid}.tmp`;
        writeFileSync(tmp, data);
        renameSync(tmp, file(key));
        removeReplaced(key);
      } catch {
        // a read-only data directory: build again next time
      } finally {
        onStatus?.(undefined);
      }
    },
  };

  /**
   * A block saved under a new key replaces the ones built from an older list or version. Blocks
   * whose keys start alike, up to the first "-", belong together (the list's "<key>", its
   * "<key>-deletions" and the suggester's "<key>-suggest-<hash>").
   */
  function removeReplaced(key: string): void {
    const prefix = `${ecosystem}-`;
    const list = (k: string) => k.split("-", 1)[0];
    for (const name of readdirSync(dir)) {
      if (!name.startsWith(prefix)) continue;
      const other = name.slice(prefix.length).replace(/\.bin(\.json)?$/, "");
      if (other.endsWith(".tmp") || list(other) === list(key)) continue;
      rmSync(path.join(dir, name), { force: true });
    }
  }
}

/**
 * Keeps the names of fenced npm scopes from `source`: the registry of their ecosystem (`registryOf`)
 * answers "unknown" with the reason, other sources (the offline index) have no opinion. Malicious
 * reports still come from the feed.
 */
function fenceScopes(source: DataSource, fenced: Readonly<Record<string, string>>, registryOf: EcosystemId | undefined): DataSource {
  const reasonFor = (ecosystem: EcosystemId, name: string): string | undefined => {
    const slash = name.indexOf("/");
    // Another ecosystem's registry has nothing to say about the name (one reason, not one per registry).
    if (registryOf !== undefined && registryOf !== ecosystem) return undefined;
    // Scopes ("@scope/name") exist only in the ecosystems whose names are scoped.
    if (getEcosystem(ecosystem)?.similarity.scoped !== true || !name.startsWith("@") || slash < 0) return undefined;
    // Case-exact, as npm routes a scope ("@Corp" and "@corp" are different keys): fencing the other
    // case would block the names a trusted route serves.
    const scope = name.slice(0, slash);
    return Object.hasOwn(fenced, scope) ? fenced[scope] : undefined;
  };
  const fencedAnswer = (reason: string): Observation =>
    registryOf !== undefined ? { source: source.id, existence: "unknown", unknownReason: reason, fenced: true } : { source: source.id };
  const lookupSync = source.lookupSync?.bind(source);
  return {
    id: source.id,
    ...(source.registryOf ? { registryOf: source.registryOf.bind(source) } : {}),
    lookup(ecosystem, name, lookupOptions) {
      const reason = reasonFor(ecosystem, name);
      return reason === undefined ? source.lookup(ecosystem, name, lookupOptions) : Promise.resolve(fencedAnswer(reason));
    },
    ...(lookupSync
      ? {
          lookupSync(ecosystem: EcosystemId, name: string) {
            const reason = reasonFor(ecosystem, name);
            return reason === undefined ? lookupSync(ecosystem, name) : fencedAnswer(reason);
          },
        }
      : {}),
    close: source.close ? () => source.close!() : undefined,
  };
}

export async function openEngine(options: EngineOptions): Promise<OpenEngine> {
  const { dataDir } = options;
  const indexPath = path.join(dataDir, INDEX_FILE);
  let index: OfflineIndex | undefined;
  if (existsSync(indexPath)) {
    try {
      index = openIndex(indexPath);
    } catch (error) {
      throw new DataFileError(`the offline index ${indexPath} is unusable (${(error as Error).message}); rebuild it with \`bouncer index build\``);
    }
  }
  const feedPath = path.join(dataDir, FEED_FILE);
  const feed = existsSync(feedPath) ? openFeedStore(feedPath) : undefined;
  const cache = options.observations ?? openObservationCache(dataDir);
  const ownCache = !options.observations;
  const now = options.clock ?? (() => options.now);
  const fetcher = options.fetch ?? sharedNodeFetcher();
  // Every source but the feed is fenced: a private scope's names are judged by no public data.
  const fenced = options.npmFencedScopes ?? {};
  const fence = (s: DataSource, registryOf: EcosystemId | undefined) => (Object.keys(fenced).length ? fenceScopes(s, fenced, registryOf) : s);

  const sources: DataSource[] = [];
  const registryUrls: Record<string, string[]> = {};
  for (const eco of ECOSYSTEMS.values()) {
    const { baseUrl, downloadsUrl, scopes, authorization } = registryOptions(options, eco);
    if (baseUrl === undefined) continue;
    registryUrls[eco.id] = [baseUrl, ...Object.values(scopes ?? {}).map((s) => s.baseUrl)];
    const registry = eco.createRegistrySource({
      baseUrl,
      downloadsUrl,
      scopes,
      authorization: options.credentialsFor ? options.credentialsFor(baseUrl) : authorization,
      fetch: fetcher,
    });
    sources.push(fence(cachedSource(registry, cache, { now, mode: options.offline ? "offline" : "read-write", ecosystems: [eco.id] }), eco.id));
  }
  for (const eco of ECOSYSTEMS.values()) {
    const shipped = eco.shippedSource?.();
    if (shipped) sources.push(shipped);
  }
  if (index) sources.push(fence(createIndexSource(index, { isPlaceholderVersion: (id, v) => getEcosystem(id)?.isPlaceholderVersion?.(v) === true }), undefined));
  if (feed) sources.push(createFeedSource(feed));
  // Without reports, known malware passes as whatever its other facts say: every report says so.
  const notices: Notice[] = feed?.hasRecords() ? [] : [{ code: "no-malicious-feed", message: noticeMessage("no-malicious-feed") }];
  const intels = new Map<string, NameIntel | undefined>();
  const intel = (id: string) => {
    if (!intels.has(id)) {
      const eco = getEcosystem(id);
      intels.set(id, eco ? createNameIntel(popularFor(eco, index), eco.similarity, similarityStore(dataDir, id, options.onStatus)) : undefined);
    }
    return intels.get(id);
  };

  return {
    ecosystems: getEcosystem,
    sources,
    intel,
    policy: options.policy,
    clock: now,
    concurrency: options.concurrency ?? 64,
    onProgress: options.onProgress,
    notices,
    registryUrls,
    noSourceHint: options.offline
      ? index
        ? "offline: not in the cache, the offline index or the feed"
        : "offline, not in the cache, and no offline index is built (run `bouncer index build`)"
      : undefined,
    dataDir,
    index,
    async close() {
      for (const s of sources) await s.close?.();
      feed?.close();
      if (ownCache) await cache.close();
      else await cache.flush();
    },
  };
}
