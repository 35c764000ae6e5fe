// The proxy's side facing the upstream registries: bounded document fetches (sources/http does the
// bounding), file downloads that never carry credentials to another origin, and byte streams that
// are handed on only as far as they are verified.
import { createHash, type Hash } from "node:crypto";
import type { ReadableStreamReadResult } from "node:stream/web";
import { type Fetcher, getBody, isRedirect, redirectTarget, UnverifiableError } from "../../sources/http.ts";

/** Set on every request this proxy sends; a request that comes back with its own id is a loop. */
export const HOP_HEADER = "x-bouncer-hop";

export function markHops(inner: Fetcher, id: string): Fetcher {
  return (url, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set(HOP_HEADER, id);
    return inner(url, { ...init, headers });
  };
}

export interface DocumentResponse {
  /** 2xx, or 404/410 (text empty). */
  status: number;
  /** The URL that answered (after same-origin redirects): relative links resolve against it. */
  url: string;
  contentType: string;
  text: string;
  /** How long the upstream lets the answer be reused (ms); undefined when it does not say. */
  maxAgeMs: number | undefined;
}

/** Cache-Control as a reuse budget: no-store/no-cache/private -> 0, max-age -> its value. */
export function freshnessMs(cacheControl: string | null): number | undefined {
  if (!cacheControl) return undefined;
  const cc = cacheControl.toLowerCase();
  if (/(^|[\s,])(no-store|no-cache)\b/.test(cc)) return 0;
  const m = /(?:^|[\s,])(?:s-maxage|max-age)\s*=\s*"?(\d+)/.exec(cc);
  return m ? Number(m[1]) * 1000 : undefined;
}

/** GET of a registry document: bounded in time and size, same-origin redirects only (getBody). */
export async function fetchDocument(
  fetcher: Fetcher,
  url: string,
  options: { accept: string; contentTypes: readonly string[]; maxBytes: number; timeoutMs: number; authorization?: string },
): Promise<DocumentResponse> {
  let cacheControl: string | null = null;
  const recording: Fetcher = async (u, init) => {
    const res = await fetcher(u, init);
    cacheControl = res.headers.get("cache-control");
    return res;
  };
  const res = await getBody(recording, url, {
    accept: options.accept,
    contentTypes: options.contentTypes,
    maxBytes: options.maxBytes,
    timeoutMs: options.timeoutMs,
    headers: options.authorization ? { authorization: options.authorization } : {},
  });
  return { ...res, maxAgeMs: freshnessMs(cacheControl) };
}

export interface FileLimits {
  /** Until the response headers arrive. */
  headersTimeoutMs: number;
  /** Longest silence while the body streams. */
  idleTimeoutMs: number;
  maxBytes: number;
}

export interface OpenedFile {
  response: Response;
  /** Aborts the upstream exchange (the client left, or the stream failed). */
  abort: (reason?: unknown) => void;
}

/**
 * GET of a package file. Redirects are followed (CDNs), but only to origins `allowed` accepts (a
 * document or a redirect names any URL it likes), and credentials go only to the origin they were
 * configured for: a hop to another origin drops them. Throws UnverifiableError.
 */
export async function openFile(
  fetcher: Fetcher,
  url: string,
  credentials: { authorization?: string; origin?: string; allowed: (origin: string) => boolean },
  limits: FileLimits,
): Promise<OpenedFile> {
  const controller = new AbortController();
  const abort = (reason?: unknown) => controller.abort(reason);
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new UnverifiableError("bad-url", `not a valid file URL: ${url}`);
  }
  const timer = setTimeout(() => abort(new UnverifiableError("timeout", `${current.host} sent no answer within ${limits.headersTimeoutMs} ms`)), limits.headersTimeoutMs);
  try {
    for (let hop = 0; ; hop++) {
      if (current.protocol !== "https:" && current.protocol !== "http:") {
        throw new UnverifiableError("bad-url", `not an http(s) file URL: ${current.href}`);
      }
      if (!credentials.allowed(current.origin)) {
        throw new UnverifiableError(
          "bad-url",
          `the file is at ${current.origin}, which is neither the upstream's origin nor an allowed artifact origin (--artifact-origin); refused`,
        );
      }
      const headers: Record<string, string> = { accept: "*/*" };
      if (credentials.authorization && current.origin === credentials.origin) headers.authorization = credentials.authorization;
      let response: Response;
      try {
        response = await fetcher(current.href, { method: "GET", headers, redirect: "manual", signal: controller.signal });
      } catch (error) {
        if (controller.signal.reason instanceof UnverifiableError) throw controller.signal.reason;
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        throw new UnverifiableError("network", `cannot reach ${current.host} (${cause})`);
      }
      const status = response.status;
      if (isRedirect(status)) {
        const next = await redirectTarget(response, current, current.host);
        if (hop >= 5) throw new UnverifiableError("redirect", `${current.host} redirected too many times`, status);
        current = next;
        continue;
      }
      if (status < 200 || status >= 300) {
        await response.body?.cancel().catch(() => {});
        throw new UnverifiableError("status", `${current.host} answered HTTP ${status} for the file`, status);
      }
      const declared = Number(response.headers.get("content-length"));
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw new UnverifiableError("too-large", `${current.host} announced a file over ${limits.maxBytes} bytes`);
      }
      return { response, abort };
    }
  } finally {
    clearTimeout(timer);
  }
}

export type DigestAlgorithm = "sha512" | "sha384" | "sha256" | "sha1";

export interface Digest {
  algorithm: DigestAlgorithm;
  expected: Buffer;
}

const STRENGTH: Record<DigestAlgorithm, number> = { sha512: 4, sha384: 3, sha256: 2, sha1: 1 };

/** The strongest digests of a Subresource Integrity string ("sha512-... sha1-..."); empty when none is usable. */
export function digestsFromIntegrity(integrity: unknown): Digest[] {
  if (typeof integrity !== "string") return [];
  const all: Digest[] = [];
  for (const token of integrity.trim().split(/\s+/)) {
    const m = /^(sha512|sha384|sha256|sha1)-([A-Za-z0-9+/]+={0,2})(\?.*)?$/.exec(token);
    if (!m) continue;
    const expected = Buffer.from(m[2]!, "base64");
    const algorithm = m[1] as DigestAlgorithm;
    if (expected.length === createHash(algorithm).digest().length) all.push({ algorithm, expected });
  }
  const best = Math.max(0, ...all.map((d) => STRENGTH[d.algorithm]));
  return all.filter((d) => STRENGTH[d.algorithm] === best);
}

/** A hex digest of a known algorithm, or undefined. */
export function hexDigest(algorithm: DigestAlgorithm, hex: unknown): Digest | undefined {
  if (typeof hex !== "string" || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const expected = Buffer.from(hex, "hex");
  return expected.length === createHash(algorithm).digest().length ? { algorithm, expected } : undefined;
}

export class VerificationError extends Error {
  override name = "VerificationError";
}

/**
 * Passes `body` on while hashing it, always holding back the last chunk: the client sees the end of
 * the body only after every digest matched. A mismatch, an oversize body, a stall or an upstream
 * error errors the stream instead, so the client's download fails rather than completing.
 * The body matches when, for each algorithm given, one of its digests matches.
 */
export function verifiedStream(
  body: ReadableStream<Uint8Array>,
  digests: readonly Digest[],
  limits: FileLimits,
  abort: (reason?: unknown) => void,
  label: string,
): ReadableStream<Uint8Array> {
  if (!digests.length) throw new VerificationError(`no digest to verify ${label} against`);
  const reader = body.getReader();
  const hashes = new Map<DigestAlgorithm, Hash>();
  for (const d of digests) if (!hashes.has(d.algorithm)) hashes.set(d.algorithm, createHash(d.algorithm));
  let held: Uint8Array | undefined;
  let total = 0;

  const readWithin = async (): Promise<ReadableStreamReadResult<Uint8Array>> => {
    let timer: NodeJS.Timeout | undefined;
    const stall = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new VerificationError(`${label}: the upstream stalled for ${limits.idleTimeoutMs} ms`)), limits.idleTimeoutMs);
    });
    try {
      return await Promise.race([reader.read(), stall]);
    } finally {
      clearTimeout(timer);
    }
  };

  const fail = (controller: ReadableStreamDefaultController<Uint8Array>, error: Error) => {
    abort(error);
    reader.cancel(error).catch(() => {});
    controller.error(error);
  };

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          let step: ReadableStreamReadResult<Uint8Array>;
          try {
            step = await readWithin();
          } catch (error) {
            fail(controller, error instanceof VerificationError ? error : new VerificationError(`${label}: the upstream transfer broke`));
            return;
          }
          if (step.done) {
            for (const [algorithm, hash] of hashes) {
              const actual = hash.digest();
              if (!digests.some((d) => d.algorithm === algorithm && d.expected.equals(actual))) {
                fail(controller, new VerificationError(`${label}: ${algorithm} digest does not match the registry's`));
                return;
              }
            }
            if (held) controller.enqueue(held);
            controller.close();
            return;
          }
          const chunk = step.value;
          total += chunk.byteLength;
          if (total > limits.maxBytes) {
            fail(controller, new VerificationError(`${label}: larger than ${limits.maxBytes} bytes`));
            return;
          }
          for (const hash of hashes.values()) hash.update(chunk);
          const previous = held;
          held = chunk;
          if (previous) {
            controller.enqueue(previous);
            return;
          }
        }
      },
      cancel(reason) {
        abort(reason);
        return reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 },
  );
}

/**
 * Reads a (verified) stream to its end into one buffer, each chunk charged through `charge` first;
 * a chunk it refuses fails the read. `release` gives back what was charged to `own` (outside a request).
 */
export async function readWhole(
  body: ReadableStream<Uint8Array>,
  charge: (bytes: number, own: { held: number }) => boolean,
  release: (own: { held: number }) => void,
): Promise<Buffer> {
  const reader = body.getReader();
  const own = { held: 0 };
  const chunks: Uint8Array[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return Buffer.concat(chunks);
      if (!charge(value.byteLength, own)) throw new VerificationError("the file does not fit in Bouncer's memory budget");
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel(error).catch(() => {});
    throw error;
  } finally {
    release(own); // what is charged to the request stays charged until it is answered
  }
}
