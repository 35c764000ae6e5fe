// Live npm registry client: package documents and the downloads API, mapped to an Observation.
import type { EcosystemId, FactGap, VersionFacts } from "../../core/model.ts";
import { getJson, isGone, isoTime, singleFlight, stringOrUndefined, UnverifiableError, type Fetcher } from "../../sources/http.ts";
import type { DataSource, LookupOptions, Observation } from "../../sources/types.ts";
import type { RegistryConfig } from "../types.ts";
import { createDownloadsClient } from "./downloads.ts";
import { type NpmRoute, npmAuthorizationFor, npmRouteFor } from "./routing.ts";
import { errorMessage, isRecord } from "../../core/guards.ts";

export { downloadsFromResponse } from "./downloads.ts";

export const NPM_REGISTRY_SOURCE_ID = "npm-registry";
const ABBREVIATED = "application/vnd.npm.install-v1+json";
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"] as const;
// npm's placeholders for removed packages: 0.0.1-security, 0.0.2-security, 0.0.1-security.1...
const SECURITY_VERSION = /^\d+\.\d+\.\d+-security(?:\.\d+)?$/;
const HOLDER_REPOSITORY = "https://github.com/npm/security-holder";
const HOLDER_DESCRIPTION = "security holding package";
const ABBREVIATED_GAP = "the registry sent only its abbreviated document";

/** Whether a version is one npm publishes in place of a removed package. */
export function isSecurityPlaceholderVersion(version: string): boolean {
  // Every index entry with a version is asked: the plain test rules out nearly all of them without the pattern.
  return version.includes("-security") && SECURITY_VERSION.test(version);
}

export interface NpmRegistryLimits {
  timeoutMs: number;
  /** Cap for the full document; a larger one falls back to the abbreviated document. */
  maxBytes: number;
  abbreviatedMaxBytes: number;
  downloadsMaxBytes: number;
}

export const DEFAULT_NPM_LIMITS: NpmRegistryLimits = {
  timeoutMs: 15_000,
  maxBytes: 20 * 1024 * 1024,
  abbreviatedMaxBytes: 40 * 1024 * 1024,
  downloadsMaxBytes: 64 * 1024,
};

/** The path segment of a package document: "@scope%2fname" for scoped names. */
export function npmDocumentPath(name: string): string | null {
  if (!name || name === "." || name === ".." || /[\s\u0000-\u001f]/.test(name)) return null;
  if (name.startsWith("@")) {
    const slash = name.indexOf("/");
    if (slash < 2 || slash === name.length - 1 || name.indexOf("/", slash + 1) >= 0) return null;
    return `@${encodeURIComponent(name.slice(1, slash))}%2f${encodeURIComponent(name.slice(slash + 1))}`;
  }
  return name.includes("/") ? null : encodeURIComponent(name);
}

/** "git+https://github.com/a/b.git", "github:a/b", "a/b" -> "https://github.com/a/b"; other URLs as given. */
export function normalizeRepositoryUrl(raw: string): string {
  const value = raw.trim();
  const shorthand = /^(github|gitlab|bitbucket):([\w.-]+\/[\w.-]+)$/.exec(value);
  if (shorthand) {
    const host = shorthand[1] === "bitbucket" ? "bitbucket.org" : `${shorthand[1]}.com`;
    return `https://${host}/${shorthand[2]!.replace(/\.git$/, "")}`;
  }
  if (/^[\w.-]+\/[\w.-]+$/.test(value)) return `https://github.com/${value.replace(/\.git$/, "")}`;
  const scp = /^git@([\w.-]+):(.+?)(\.git)?$/.exec(value);
  if (scp) return `https://${scp[1]}/${scp[2]}`;
  return value.replace(/^git\+/, "").replace(/^git:\/\//, "https://").replace(/^ssh:\/\/git@/, "https://").replace(/\.git$/, "");
}

/** undefined: the field says nothing usable; null: no repository; else the URL. */
function repositoryOf(value: unknown): string | null | undefined {
  if (value === undefined || value === null || value === "") return null;
  const url = typeof value === "string" ? value : isRecord(value) ? value.url : undefined;
  if (url === "") return null;
  return typeof url === "string" ? normalizeRepositoryUrl(url) : undefined;
}

function installScriptsOf(manifest: Record<string, unknown>): string[] {
  const scripts = isRecord(manifest.scripts) ? manifest.scripts : {};
  const found: string[] = INSTALL_SCRIPTS.filter((k) => typeof scripts[k] === "string" && scripts[k] !== "");
  // Abbreviated documents only say that some install script exists.
  if (!found.length && manifest.hasInstallScript === true) found.push("install");
  return found;
}

function unknown(reason: string): Observation {
  return { source: NPM_REGISTRY_SOURCE_ID, existence: "unknown", unknownReason: reason };
}

/**
 * Maps a registry document (full or abbreviated) to an Observation. Pure; anything that does not
 * look like a document for `name` is "unknown", never "exists".
 */
export function observationFromNpmDocument(name: string, doc: unknown, abbreviated = false): Observation {
  if (!isRecord(doc)) return unknown("the registry sent something that is not a package document");
  if (doc.name !== name) return unknown(`the registry sent a document that is not for "${name}"`);
  const time = isRecord(doc.time) ? doc.time : {};
  const createdAt = isoTime(time.created);

  if (isRecord(time.unpublished)) {
    return {
      source: NPM_REGISTRY_SOURCE_ID,
      existence: "exists",
      createdAt,
      latestVersion: null,
      versions: {},
      unpublished: true,
      securityHolder: false,
    };
  }
  if (!isRecord(doc.versions)) return unknown("the registry document has no usable version list");

  const versions: Record<string, VersionFacts> = {};
  const manifests: Record<string, Record<string, unknown>> = {};
  let entries = 0;
  for (const [version, manifest] of Object.entries(doc.versions)) {
    entries++;
    if (!isRecord(manifest) || version === "__proto__") continue;
    manifests[version] = manifest;
    versions[version] = {
      version,
      publishedAt: isoTime(time[version]),
      deprecated: stringOrUndefined(manifest.deprecated) ?? null,
      installScripts: installScriptsOf(manifest),
    };
  }
  const names = Object.keys(versions);
  if (entries > 0 && names.length === 0) return unknown("the registry document has no usable version entries");

  const distTags = isRecord(doc["dist-tags"]) ? doc["dist-tags"] : {};
  const latest = typeof distTags.latest === "string" && Object.hasOwn(versions, distTags.latest) ? distTags.latest : undefined;

  let repositoryUrl: string | null | undefined;
  if (!abbreviated) {
    repositoryUrl = repositoryOf(doc.repository);
    if (repositoryUrl === null && latest) repositoryUrl = repositoryOf(manifests[latest]!.repository);
  }

  const allDeprecated = names.length > 0 && names.every((v) => versions[v]!.deprecated);
  const deprecated = allDeprecated ? versions[latest ?? names[names.length - 1]!]!.deprecated : null;
  const newest = manifests[latest ?? names[names.length - 1]!];
  const securityHolder =
    (names.length > 0 && names.every(isSecurityPlaceholderVersion)) ||
    (latest !== undefined && isSecurityPlaceholderVersion(latest)) ||
    [doc.description, newest?.description].some((d) => typeof d === "string" && d.trim().toLowerCase() === HOLDER_DESCRIPTION) ||
    [doc.repository, newest?.repository].some((r) => repositoryOf(r)?.toLowerCase() === HOLDER_REPOSITORY);

  const observation: Observation = {
    source: NPM_REGISTRY_SOURCE_ID,
    existence: "exists",
    createdAt,
    latestVersion: latest ?? (names.length ? undefined : null),
    versions,
    repositoryUrl,
    deprecated,
    securityHolder,
    unpublished: names.length === 0,
  };
  const gaps: FactGap[] = [];
  if (createdAt === undefined) {
    const why = abbreviated
      ? `${ABBREVIATED_GAP}, which has no dates`
      : isRecord(doc.time)
        ? "the registry document has no creation time"
        : "the registry document has no publication times";
    gaps.push({ fact: "age", reason: why });
  }
  if (abbreviated) gaps.push({ fact: "repository", reason: `${ABBREVIATED_GAP}, which names no repository` });
  if (gaps.length) observation.unknownFacts = gaps;
  return observation;
}

/** Adds the downloads count to an observation of an existing package, or says why popularity is unknown. */
export function addDownloads(observation: Observation, count: number | string): void {
  if (observation.existence !== "exists") return;
  if (typeof count === "number") observation.downloadsLastMonth = count;
  else observation.unknownFacts = [...(observation.unknownFacts ?? []), { fact: "popularity", reason: `downloads API: ${count}` }];
}

function targetFor(config: RegistryConfig, name: string): NpmRoute {
  return npmRouteFor(name, { baseUrl: config.baseUrl, authorization: config.authorization }, config.scopes);
}

async function fetchDocument(
  fetcher: Fetcher,
  target: NpmRoute,
  name: string,
  path: string,
  limits: NpmRegistryLimits,
): Promise<Observation> {
  const url = target.baseUrl + path;
  const headers = npmAuthorizationFor(url, target);
  try {
    const full = await getJson(fetcher, url, {
      accept: "application/json",
      maxBytes: limits.maxBytes,
      timeoutMs: limits.timeoutMs,
      headers,
    });
    if (isGone(full.status)) return { source: NPM_REGISTRY_SOURCE_ID, existence: "absent" };
    return observationFromNpmDocument(name, full.json);
  } catch (error) {
    if (!(error instanceof UnverifiableError) || error.kind !== "too-large") return unknown(errorMessage(error));
  }
  // Very large packages (thousands of versions): the abbreviated document lacks times and repository.
  try {
    const short = await getJson(fetcher, url, {
      accept: ABBREVIATED,
      maxBytes: limits.abbreviatedMaxBytes,
      timeoutMs: limits.timeoutMs,
      headers,
    });
    if (isGone(short.status)) return { source: NPM_REGISTRY_SOURCE_ID, existence: "absent" };
    return observationFromNpmDocument(name, short.json, true);
  } catch (error) {
    return unknown(errorMessage(error));
  }
}

export function createNpmRegistrySource(config: RegistryConfig, limits: Partial<NpmRegistryLimits> = {}): DataSource {
  const bounds: NpmRegistryLimits = { ...DEFAULT_NPM_LIMITS, ...limits };
  const flight = singleFlight<Observation>();
  const downloads = config.downloadsUrl
    ? createDownloadsClient(config.fetch, config.downloadsUrl, { timeoutMs: bounds.timeoutMs, maxBytes: bounds.downloadsMaxBytes })
    : undefined;
  // Scope registries are private: their names never go to the public downloads API.
  const publicName = (name: string) => npmDocumentPath(name) !== null && !targetFor(config, name).scoped;

  const lookupOnce = async (name: string): Promise<Observation> => {
    const path = npmDocumentPath(name);
    if (path === null) return unknown(`"${name}" cannot be a package document name on the npm registry`);
    const target = targetFor(config, name);
    const counting = downloads && !target.scoped ? downloads.get(name) : undefined;
    const observation = await fetchDocument(config.fetch, target, name, path, bounds);
    // "none" and "failed" stay apart from a count of 0; a failure becomes an unknown fact that says why.
    const answer = await counting;
    if (answer) addDownloads(observation, answer.kind === "count" ? answer.downloads : answer.kind === "none" ? "it has no count for this package" : answer.reason);
    return observation;
  };

  return {
    id: NPM_REGISTRY_SOURCE_ID,
    registryOf: (_ecosystem: EcosystemId, name: string) => targetFor(config, name).baseUrl,
    prefetch(ecosystem: EcosystemId, names: readonly string[]) {
      if (ecosystem === "npm") downloads?.expect(names.filter(publicName));
    },
    async lookup(ecosystem: EcosystemId, name: string, options?: LookupOptions): Promise<Observation> {
      if (ecosystem !== "npm") return { source: NPM_REGISTRY_SOURCE_ID };
      try {
        return await flight(name, () => lookupOnce(name), options?.signal);
      } catch (error) {
        return unknown(errorMessage(error));
      }
    },
  };
}
