// npm registry documents through the proxy: keep only the versions that may be installed, keep the
// dist-tags pointing at kept versions, point tarballs at the proxy, and derive the abbreviated form.
import semver from "semver";
import { isoTime } from "../../sources/http.ts";
import type { VersionCheck } from "./judge.ts";
import { type Digest, digestsFromIntegrity, hexDigest } from "./upstream.ts";
import { isRecord } from "../../core/guards.ts";

export const ABBREVIATED_TYPE = "application/vnd.npm.install-v1+json";

// The per-version fields of the registry's abbreviated ("corgi") documents.
const ABBREVIATED_FIELDS = [
  "name",
  "version",
  "deprecated",
  "dependencies",
  "optionalDependencies",
  "devDependencies",
  "bundleDependencies",
  "bundledDependencies",
  "peerDependencies",
  "peerDependenciesMeta",
  "acceptDependencies",
  "bin",
  "directories",
  "dist",
  "engines",
  "os",
  "cpu",
  "libc",
  "funding",
  "license",
  "_hasShrinkwrap",
  "hasInstallScript",
];
const INSTALL_SCRIPTS = ["preinstall", "install", "postinstall"];
const LOOSE = { loose: true } as const;

export interface NpmTarball {
  /** The upstream URL from the document. */
  url: string;
  digests: Digest[];
}

export interface FilteredNpmDocument {
  /** The full document with only kept versions (dist objects owned by this document). */
  doc: Record<string, unknown>;
  abbreviated: Record<string, unknown>;
  tarballs: Map<string, NpmTarball>;
  /** Publish time of each kept version, when known. */
  times: Map<string, string | undefined>;
  /** Versions removed, with why. */
  hidden: Map<string, string>;
  /** The upstream listed versions (an empty list is an unpublished package). */
  listed: number;
}

/** "@scope/name" -> "@scope/name" path segments for the proxy's own URLs. */
export function npmPathOf(name: string): string {
  const slash = name.indexOf("/");
  return name.startsWith("@") && slash > 0
    ? `@${encodeURIComponent(name.slice(1, slash))}/${encodeURIComponent(name.slice(slash + 1))}`
    : encodeURIComponent(name);
}

/** Where the proxy serves a version's tarball: `<npmBase><name>/-/<basename>-<version>.tgz`. */
export function proxyTarballUrl(npmBase: string, name: string, version: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  return `${npmBase}${npmPathOf(name)}/-/${encodeURIComponent(base)}-${encodeURIComponent(version)}.tgz`;
}

/** The version a proxy tarball file name carries, or null. */
export function versionFromTarballName(name: string, file: string): string | null {
  const base = name.slice(name.lastIndexOf("/") + 1);
  if (!file.startsWith(`${base}-`) || !file.endsWith(".tgz")) return null;
  const version = file.slice(base.length + 1, -4);
  return semver.valid(version, LOOSE) ? version : null;
}

function tarballOf(manifest: Record<string, unknown>): NpmTarball | string {
  const dist = manifest.dist;
  if (!isRecord(dist)) return "no dist entry";
  let url: URL;
  try {
    url = new URL(String(dist.tarball));
  } catch {
    return "no usable tarball URL";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "no usable tarball URL";
  let digests = digestsFromIntegrity(dist.integrity);
  if (!digests.length) {
    const sha1 = hexDigest("sha1", dist.shasum);
    digests = sha1 ? [sha1] : [];
  }
  if (!digests.length) return "no integrity or shasum to verify its tarball against";
  return { url: url.href, digests };
}

function hasInstallScript(manifest: Record<string, unknown>): boolean {
  const scripts = isRecord(manifest.scripts) ? manifest.scripts : {};
  return INSTALL_SCRIPTS.some((k) => typeof scripts[k] === "string" && scripts[k] !== "");
}

/**
 * Tags pointing at a removed version move to the highest kept non-prerelease version not above it
 * (else the highest kept non-prerelease), or are dropped.
 */
export function fixDistTags(tags: unknown, kept: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(tags)) return out;
  const keptSet = new Set(kept);
  const stable = kept.filter((v) => semver.valid(v, LOOSE) && !semver.prerelease(v, LOOSE)).sort((a, b) => semver.compare(a, b, LOOSE));
  for (const [tag, version] of Object.entries(tags)) {
    if (typeof version !== "string" || tag === "__proto__") continue;
    if (keptSet.has(version)) {
      out[tag] = version;
      continue;
    }
    const valid = semver.valid(version, LOOSE);
    const below = valid ? stable.filter((v) => semver.lte(v, valid, LOOSE)) : [];
    const pick = below.at(-1) ?? stable.at(-1);
    if (pick) out[tag] = pick;
  }
  return out;
}

/** Filters an upstream document for `name`. A string is why the document cannot be used at all. */
export function filterNpmDocument(name: string, doc: unknown, check: VersionCheck): FilteredNpmDocument | string {
  if (!isRecord(doc)) return "the upstream sent something that is not a package document";
  if (doc.name !== name) return `the upstream sent a document that is not for "${name}"`;
  const time = isRecord(doc.time) ? doc.time : {};
  if (doc.versions === undefined && isRecord(time.unpublished)) {
    const out = { ...doc, versions: {}, "dist-tags": {} };
    return { doc: out, abbreviated: abbreviate(out), tarballs: new Map(), times: new Map(), hidden: new Map(), listed: 0 };
  }
  if (!isRecord(doc.versions)) return "the upstream document has no version list";
  const versions: Record<string, unknown> = {};
  const keptTime: Record<string, unknown> = {};
  for (const key of ["created", "modified"]) if (time[key] !== undefined) keptTime[key] = time[key];
  const tarballs = new Map<string, NpmTarball>();
  const times = new Map<string, string | undefined>();
  const hidden = new Map<string, string>();
  let listed = 0;
  for (const [version, manifest] of Object.entries(doc.versions)) {
    listed++;
    if (version === "__proto__") continue;
    if (!semver.valid(version, LOOSE) || !isRecord(manifest)) {
      hidden.set(version, "not a usable version entry");
      continue;
    }
    const tarball = tarballOf(manifest);
    if (typeof tarball === "string") {
      hidden.set(version, tarball);
      continue;
    }
    const publishedAt = isoTime(time[version]);
    const problem = check(version, publishedAt);
    if (problem) {
      hidden.set(version, problem);
      continue;
    }
    versions[version] = { ...manifest, dist: { ...(manifest.dist as Record<string, unknown>) } };
    tarballs.set(version, tarball);
    times.set(version, publishedAt);
    if (time[version] !== undefined) keptTime[version] = time[version];
  }
  const kept = Object.keys(versions);
  const out: Record<string, unknown> = { ...doc, versions, "dist-tags": fixDistTags(doc["dist-tags"], kept) };
  if (isRecord(doc.time)) out.time = keptTime;
  return { doc: out, abbreviated: abbreviate(out), tarballs, times, hidden, listed };
}

/** The install-only form, sharing the dist objects of the full document. */
function abbreviate(doc: Record<string, unknown>): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  for (const [version, manifest] of Object.entries(doc.versions as Record<string, Record<string, unknown>>)) {
    const short: Record<string, unknown> = {};
    for (const key of ABBREVIATED_FIELDS) if (manifest[key] !== undefined) short[key] = manifest[key];
    if (short.hasInstallScript === undefined && hasInstallScript(manifest)) short.hasInstallScript = true;
    versions[version] = short;
  }
  const time = isRecord(doc.time) ? doc.time : {};
  const out: Record<string, unknown> = { name: doc.name, "dist-tags": doc["dist-tags"], versions };
  if (typeof time.modified === "string") out.modified = time.modified;
  return out;
}

/** Serialises the full or abbreviated document with tarball URLs under `npmBase`. */
export function renderNpmDocument(filtered: FilteredNpmDocument, abbreviated: boolean, npmBase: string): Buffer {
  const name = String(filtered.doc.name);
  // The dist objects are this document's own: pointing them at this base and serialising is one synchronous step.
  for (const [version, manifest] of Object.entries(filtered.doc.versions as Record<string, Record<string, unknown>>)) {
    (manifest.dist as Record<string, unknown>).tarball = proxyTarballUrl(npmBase, name, version);
  }
  return Buffer.from(JSON.stringify(abbreviated ? filtered.abbreviated : filtered.doc));
}

/** One version's manifest (for `GET <name>/<version|tag>`), or undefined. */
export function renderNpmVersion(filtered: FilteredNpmDocument, versionOrTag: string, npmBase: string): Buffer | undefined {
  const tags = filtered.doc["dist-tags"] as Record<string, string>;
  const version = Object.hasOwn(tags, versionOrTag) ? tags[versionOrTag]! : versionOrTag;
  const versions = filtered.doc.versions as Record<string, Record<string, unknown>>;
  if (!Object.hasOwn(versions, version)) return undefined;
  const manifest = versions[version]!;
  (manifest.dist as Record<string, unknown>).tarball = proxyTarballUrl(npmBase, String(filtered.doc.name), version);
  return Buffer.from(JSON.stringify(manifest));
}

/** Whether the client prefers the abbreviated document (npm sends it first with q=1). */
export function wantsAbbreviated(accept: string | null): boolean {
  if (!accept) return false;
  return accept.split(",").some((part) => {
    const [type, ...params] = part.trim().split(";");
    if (type!.trim().toLowerCase() !== ABBREVIATED_TYPE) return false;
    const q = params.map((p) => /^\s*q\s*=\s*([\d.]+)/.exec(p)).find(Boolean);
    return !q || Number(q[1]) > 0;
  });
}
