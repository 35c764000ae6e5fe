// Bounded HTTP for registry clients: every response is limited in time and size, redirects stay on
// the origin that was asked, and anything unexpected becomes an UnverifiableError (never a pass).
import { errorMessage } from "../core/guards.ts";

/** The fetch the sources use; tests and doors may wrap it. Same shape as globalThis.fetch. */
export type Fetcher = (url: string, init?: RequestInit) => Promise<Response>;

export type UnverifiableKind =
  | "timeout"
  | "aborted"
  | "too-large"
  | "redirect"
  | "status"
  | "content-type"
  | "invalid-json"
  | "network"
  | "bad-url";

/** The data could not be obtained; `message` says why in words a user can act on. */
export const isRedirect = (status: number): boolean => status >= 300 && status < 400 && status !== 304;

/** Where a redirect points, resolved against the request URL (its body is discarded); no usable Location is unverifiable. */
export async function redirectTarget(response: Response, current: URL, host: string): Promise<URL> {
  await response.body?.cancel().catch(() => {});
  const location = response.headers.get("location");
  try {
    if (location) return new URL(location, current);
  } catch {
    // falls through: an unparsable Location
  }
  throw new UnverifiableError("redirect", `${host} redirected without a usable location`, response.status);
}

export class UnverifiableError extends Error {
  override name = "UnverifiableError";
  readonly kind: UnverifiableKind;
  readonly status: number | undefined;
  constructor(kind: UnverifiableKind, message: string, status?: number) {
    super(message);
    this.kind = kind;
    this.status = status;
  }
}

export interface GetOptions {
  /** Sent as the Accept header. */
  accept?: string;
  /** Largest body read, in bytes (decoded); more aborts the request. */
  maxBytes?: number;
  /** Budget for the whole exchange: connect, redirects and the last byte of the body. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Extra headers; `authorization` goes only to the origin of `url` (the one it was configured for). */
  headers?: Record<string, string>;
  maxRedirects?: number;
  /** Content types accepted with a 2xx status; default: JSON (application/json or any +json). */
  contentTypes?: readonly string[];
}

export interface BodyResponse {
  status: number;
  /** The URL finally answered (after same-origin redirects). */
  url: string;
  contentType: string;
  /** Empty for 404/410. */
  text: string;
}

export interface JsonResponse {
  /** 200-299, or 404/410 (the resource does not exist; json is undefined). */
  status: number;
  url: string;
  json: unknown;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
const JSON_TYPES = ["application/json", "+json"];

/** 404 and 410: the caller turns these into "absent". */
export function isGone(status: number): boolean {
  return status === 404 || status === 410;
}

function describeBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : n >= 1024 ? `${Math.round(n / 1024)} kB` : `${n} bytes`;
}

function contentTypeMatches(contentType: string, accepted: readonly string[]): boolean {
  const mime = contentType.split(";")[0]!.trim().toLowerCase();
  if (!mime) return false;
  return accepted.some((a) => (a.startsWith("+") ? mime.endsWith(a) : mime === a));
}

function statusMessage(status: number, host: string): string {
  if (status === 429) return `${host} is rate limiting (HTTP 429)`;
  if (status === 401 || status === 403) return `${host} refused access (HTTP ${status}); check the credentials`;
  if (status >= 500) return `${host} failed (HTTP ${status})`;
  return `${host} answered HTTP ${status}`;
}

function networkMessage(error: unknown, host: string): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const detail = cause?.code ?? cause?.message ?? (errorMessage(error));
  return `cannot reach ${host} (${detail})`;
}

/** Reads at most maxBytes of a body, cancelling the stream beyond that. */
async function readCapped(response: Response, maxBytes: number, host: string): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw new UnverifiableError("too-large", `${host} sent more than ${describeBytes(maxBytes)}`);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new UnverifiableError("too-large", `${host} sent more than ${describeBytes(maxBytes)}`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total).toString("utf8");
}

/**
 * GET with a total time budget, a byte cap enforced while streaming and same-origin redirects only.
 * Resolves for 2xx (body read) and 404/410 (body discarded); everything else throws UnverifiableError.
 */
export async function getBody(fetcher: Fetcher, url: string, options: GetOptions = {}): Promise<BodyResponse> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = options.maxRedirects ?? 5;
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new UnverifiableError("bad-url", `not a valid URL: ${url}`);
  }
  if (current.protocol !== "https:" && current.protocol !== "http:") {
    throw new UnverifiableError("bad-url", `not an http(s) URL: ${url}`);
  }
  const origin = current.origin;
  const host = current.host;
  // A timer cleared once the body is read (AbortSignal.timeout's would outlive every request of a bulk check).
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), timeoutMs);
  const signal = options.signal ? AbortSignal.any([timeout.signal, options.signal]) : timeout.signal;
  const headers: Record<string, string> = { ...options.headers };
  if (options.accept) headers.accept = options.accept;

  const failure = (error: unknown): UnverifiableError => {
    if (error instanceof UnverifiableError) return error;
    if (timeout.signal.aborted) return new UnverifiableError("timeout", `${host} gave no complete answer within ${timeoutMs} ms`);
    if (options.signal?.aborted) return new UnverifiableError("aborted", `request to ${host} was cancelled`);
    return new UnverifiableError("network", networkMessage(error, host));
  };

  try {
    for (let hop = 0; ; hop++) {
      const response = await fetcher(current.href, { method: "GET", headers, redirect: "manual", signal });
      const status = response.status;
      if (isRedirect(status)) {
        const next = await redirectTarget(response, current, host);
        if (next.origin !== origin) {
          throw new UnverifiableError("redirect", `${host} redirected to another origin (${next.origin}); refused`, status);
        }
        if (hop >= maxRedirects) throw new UnverifiableError("redirect", `${host} redirected too many times`, status);
        current = next;
        continue;
      }
      if (isGone(status)) {
        await response.body?.cancel().catch(() => {});
        return { status, url: current.href, contentType: "", text: "" };
      }
      if (status < 200 || status >= 300) {
        await response.body?.cancel().catch(() => {});
        throw new UnverifiableError("status", statusMessage(status, host), status);
      }
      const contentType = response.headers.get("content-type") ?? "";
      const accepted = options.contentTypes ?? JSON_TYPES;
      if (!contentTypeMatches(contentType, accepted)) {
        await response.body?.cancel().catch(() => {});
        throw new UnverifiableError(
          "content-type",
          `${host} answered with ${contentType.split(";")[0] || "no content type"}, not the expected ${accepted.join(" or ")}`,
          status,
        );
      }
      const text = await readCapped(response, maxBytes, host);
      return { status, url: current.href, contentType, text };
    }
  } catch (error) {
    throw failure(error);
  } finally {
    clearTimeout(timer);
  }
}

/** getBody for JSON: a 2xx body that does not parse is an UnverifiableError. */
export async function getJson(fetcher: Fetcher, url: string, options: GetOptions = {}): Promise<JsonResponse> {
  const response = await getBody(fetcher, url, options);
  if (isGone(response.status)) return { status: response.status, url: response.url, json: undefined };
  try {
    return { status: response.status, url: response.url, json: JSON.parse(response.text) };
  } catch {
    throw new UnverifiableError("invalid-json", `${new URL(response.url).host} sent a response that is not valid JSON`);
  }
}

/** The authorization header for `url`, only when it is on the origin the credential was configured for. */
export function authorizationFor(url: string, configuredFor: string, authorization: string | undefined): Record<string, string> {
  if (!authorization) return {};
  try {
    return new URL(url).origin === new URL(configuredFor).origin ? { authorization } : {};
  } catch {
    return {};
  }
}

/** Makes a base URL end with exactly one "/". */
export function withTrailingSlash(base: string): string {
  return base.endsWith("/") ? base : `${base}/`;
}

// Small type guards the callers use on untrusted JSON.
export function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

/** An ISO-8601 time normalised by Date, or undefined when the value is not a time. */
export function isoTime(value: unknown): string | undefined {
  if (typeof value !== "string" || value.length < 10 || value.length > 40) return undefined;
  // A date-time without a zone (PyPI's upload_time) is UTC, not local time.
  const zoned = /T\d\d:\d\d(:\d\d(\.\d+)?)?$/.test(value) ? `${value}Z` : value;
  const t = Date.parse(zoned);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * Runs one piece of work per key at a time: callers asking for a key already in flight share its
 * promise. A caller's own signal only stops that caller's wait, not the shared request.
 */
export function singleFlight<T>(): (key: string, work: () => Promise<T>, signal?: AbortSignal) => Promise<T> {
  const running = new Map<string, Promise<T>>();
  return (key, work, signal) => {
    let shared = running.get(key);
    if (!shared) {
      shared = work().finally(() => running.delete(key));
      running.set(key, shared);
    }
    if (!signal) return shared;
    if (signal.aborted) return Promise.reject(new UnverifiableError("aborted", "the lookup was cancelled"));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new UnverifiableError("aborted", "the lookup was cancelled"));
      signal.addEventListener("abort", onAbort, { once: true });
      shared.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
    });
  };
}
