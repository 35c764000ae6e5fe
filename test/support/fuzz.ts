// Deterministic random inputs for fuzz-style tests of the registry clients.
import type { Fetcher } from "../../src/sources/http.ts";
import { seededRandom } from "./random.ts";

/** A small seeded PRNG: the same seed gives the same run. */
export const random = seededRandom;


export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)]!;
}

// Keys registry documents use, so random shapes hit the code paths that read them.
const KEYS = [
  "name", "versions", "dist-tags", "time", "created", "latest", "repository", "url", "scripts", "postinstall",
  "deprecated", "hasInstallScript", "unpublished", "description", "downloads", "info", "releases", "version",
  "project_urls", "home_page", "filename", "packagetype", "upload_time_iso_8601", "yanked", "yanked_reason",
  "meta", "api-version", "files", "upload-time", "project-status", "status", "1.0.0", "__proto__", "constructor",
];
const STRINGS = ["", "1.0.0", "0.0.1-security", "2020-01-01T00:00:00Z", "not a date", "sdist", "https://github.com/a/b", "x".repeat(300), "\u0000", "🙂"];

/** A random JSON value whose keys and strings look like registry data (no real package name among them). */
export function randomJson(rand: () => number, depth = 0): unknown {
  const r = rand();
  if (depth > 4 || r < 0.25) {
    return pick(rand, [null, true, false, 0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER, ...STRINGS]);
  }
  if (r < 0.45) return Array.from({ length: Math.floor(rand() * 4) }, () => randomJson(rand, depth + 1));
  const out: Record<string, unknown> = {};
  for (let i = Math.floor(rand() * 6); i > 0; i--) out[pick(rand, KEYS)] = randomJson(rand, depth + 1);
  return out;
}

/** Replaces one value, somewhere in a copy of `doc`, by a random JSON value (type confusion). */
export function mutate(rand: () => number, doc: unknown): unknown {
  const copy: unknown = structuredClone(doc);
  let node: unknown = copy;
  for (let depth = 0; depth < 6; depth++) {
    if (typeof node !== "object" || node === null) break;
    const keys = Object.keys(node);
    if (!keys.length) break;
    const key = pick(rand, keys);
    const child = (node as Record<string, unknown>)[key];
    if (rand() < 0.35 || typeof child !== "object" || child === null) {
      (node as Record<string, unknown>)[key] = randomJson(rand);
      break;
    }
    node = child;
  }
  return copy;
}

const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/vnd.npm.install-v1+json",
  "application/vnd.pypi.simple.v1+json",
  "text/html",
  "text/plain",
  "application/octet-stream",
  "",
];

/** A body: random bytes, truncated JSON, or random JSON. */
export function randomBody(rand: () => number): Uint8Array | string {
  const r = rand();
  if (r < 0.3) return Uint8Array.from({ length: Math.floor(rand() * 512) }, () => Math.floor(rand() * 256));
  const text = JSON.stringify(randomJson(rand)) ?? "null";
  if (r < 0.45) return text.slice(0, Math.floor(rand() * text.length));
  if (r < 0.55) return `<html><a href="x">${text}</a></html>`;
  return text;
}

/** A fetcher answering every request with `body()` and a random status and content type. */
export function randomFetcher(rand: () => number, body: () => Uint8Array | string): Fetcher {
  return async () => {
    const status = pick(rand, [200, 200, 200, 200, 203, 404, 410, 429, 500, 302]);
    const headers: Record<string, string> = { "content-type": pick(rand, CONTENT_TYPES) };
    if (status === 302) headers.location = pick(rand, ["/elsewhere", "http://other.example/x", "::bad::", ""]);
    return new Response(body() as ConstructorParameters<typeof Response>[0], { status, headers });
  };
}
