// What a Python lockfile entry fetches (index and file URLs, hashes, the package its files name),
// for the lockfile-integrity checks the engine makes against the trusted hosts.
import type { LockEvidence } from "../../../core/model.ts";
import type { DependencySource } from "../../../core/dependency.ts";
import { normalizePypiName } from "../names.ts";
import { nameFromLocation } from "./common.ts";
import { isRecord } from "../../../core/guards.ts";

/** One file of a locked release: a URL (uv, pdm) or a file name (poetry), and its hash. */
export interface LockedFile {
  location: string;
  hash: boolean;
}

/** `[{url|file, hash}]` lists (uv wheels, poetry and pdm files) as LockedFiles; other entries are skipped. */
export function lockedFiles(list: unknown): LockedFile[] {
  const items = Array.isArray(list) ? list : list === undefined ? [] : [list];
  const out: LockedFile[] = [];
  for (const item of items) {
    if (!isRecord(item)) continue;
    const location = typeof item.url === "string" ? item.url : typeof item.file === "string" ? item.file : typeof item.path === "string" ? item.path : undefined;
    if (location === undefined) continue;
    out.push({ location, hash: typeof item.hash === "string" && item.hash !== "" });
  }
  return out;
}

const URL = /^[a-z][a-z0-9+.-]*:\/\//i;

/** A URL without credentials or query (tokens), for reports. */
export function cleanUrl(url: string): string {
  if (!url.includes("@") && !url.includes("?")) return url;
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/?#]*@/i, "$1").replace(/\?[^#]*/, "");
}

/**
 * The evidence of one entry. `integrity`: whether the format records a hash for every file (given
 * for registry and URL packages only). A file that names another distribution makes that one the
 * package reported, with the entry's name as the claimed one.
 */
export function pythonLockEvidence(
  name: string,
  source: DependencySource,
  files: readonly LockedFile[],
  indexUrls: readonly string[],
  integrity?: boolean,
): { name: string; lock?: LockEvidence } {
  if (source === "path" || source === "workspace") return { name };
  const urls = new Set<string>();
  for (const u of indexUrls) if (URL.test(u)) urls.add(cleanUrl(u));
  for (const f of files) if (URL.test(f.location)) urls.add(cleanUrl(f.location));
  const lock: LockEvidence = { urls: [...urls] };
  if (source === "registry" || source === "url") lock.integrity = integrity ?? (files.length > 0 && files.every((f) => f.hash));
  if (source === "registry" || source === "url") {
    const own = normalizePypiName(name);
    for (const f of files) {
      // Fast path: a file named after the package (`name-1.0.tar.gz`, `name_x-1.0-py3-none-any.whl`).
      const base = f.location.slice(f.location.lastIndexOf("/") + 1).toLowerCase();
      if (base.length > own.length && base.charCodeAt(own.length) === 45 && base.slice(0, own.length).replace(/[_.]/g, "-") === own) continue;
      const named = nameFromLocation(f.location);
      if (named && normalizePypiName(named.name) !== own) {
        lock.claimedName = name;
        return { name: named.name, lock };
      }
    }
  }
  return { name, lock };
}

/** Pipfile.lock `_meta.sources`: index name -> URL, in order (an entry without `index` uses the first). */
export function pipfileLockSources(meta: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const sources = isRecord(meta) && Array.isArray(meta.sources) ? meta.sources : [];
  for (const s of sources) {
    if (isRecord(s) && typeof s.name === "string" && typeof s.url === "string" && !out.has(s.name)) out.set(s.name, s.url);
  }
  return out;
}

/** Evidence of one Pipfile.lock entry: its index's URL, its `file` URL, its `hashes`. */
export function pipfileLockEvidence(name: string, source: DependencySource, entry: unknown, sources: ReadonlyMap<string, string>): LockEvidence | undefined {
  if (!isRecord(entry)) return undefined;
  const index = typeof entry.index === "string" ? sources.get(entry.index) : sources.values().next().value;
  const file = typeof entry.file === "string" ? [{ location: entry.file, hash: false }] : [];
  const hashes = Array.isArray(entry.hashes) && entry.hashes.some((h) => typeof h === "string" && h !== "");
  return pythonLockEvidence(name, source, file, source === "registry" && index !== undefined ? [index] : [], hashes).lock;
}
