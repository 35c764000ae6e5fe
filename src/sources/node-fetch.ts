// The engine's default Fetcher: node:http(s) with keep-alive connections and a DNS cache that
// coalesces concurrent lookups. Global fetch cannot take a custom lookup without undici, and some
// resolvers drop concurrent lookups (a 5-10 s stall per request); npm caches DNS for the same reason.
import type { LookupAddress } from "node:dns";
import type { Agent, IncomingMessage } from "node:http";
import type { LookupFunction } from "node:net";
import type { Readable } from "node:stream";
import type { Fetcher } from "./http.ts";

// Built-ins are loaded on first use, and not as ES modules: importing node:http that way loads
// undici too, and every command that opens the engine (the guard's included) would pay for it.
const builtin = process.getBuiltinModule;

/** All addresses of a host name; the default is the system resolver (getaddrinfo, as npm uses). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface DnsCacheOptions {
  resolve?: Resolver;
  /** How long an answer is reused. Default 5 minutes (npm's too). */
  ttlMs?: number;
  /** Host names kept; the oldest goes first. */
  maxEntries?: number;
  now?: () => number;
}

const systemResolver: Resolver = (hostname) => builtin("node:dns").promises.lookup(hostname, { all: true });

/**
 * A `lookup` for net/http: one resolution per host name at a time (callers asking meanwhile share
 * it), answers reused for `ttlMs`, failures not kept (the next request asks again).
 */
export function createDnsCache(options: DnsCacheOptions = {}): LookupFunction {
  const resolve = options.resolve ?? systemResolver;
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const maxEntries = options.maxEntries ?? 256;
  const now = options.now ?? Date.now;
  const entries = new Map<string, { answer: Promise<LookupAddress[]>; expires: number }>();

  const addresses = (hostname: string): Promise<LookupAddress[]> => {
    const key = hostname.toLowerCase();
    const hit = entries.get(key);
    if (hit && hit.expires > now()) return hit.answer;
    entries.delete(key);
    if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    const entry = { answer: resolve(hostname), expires: Number.POSITIVE_INFINITY };
    entries.set(key, entry);
    entry.answer.then(
      () => (entry.expires = now() + ttlMs),
      () => entries.get(key) === entry && entries.delete(key),
    );
    return entry.answer;
  };

  return ((hostname: string, options: unknown, done?: (...args: unknown[]) => void) => {
    // dns.lookup's shape: the options may be left out.
    const callback = typeof options === "function" ? (options as (...args: unknown[]) => void) : done!;
    const opts = typeof options === "object" && options !== null ? (options as { family?: unknown; all?: boolean }) : {};
    const family = opts.family === 4 || opts.family === "IPv4" ? 4 : opts.family === 6 || opts.family === "IPv6" ? 6 : 0;
    addresses(hostname).then(
      (all) => {
        const list = family ? all.filter((a) => a.family === family) : all;
        if (!list.length) {
          callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND", hostname }));
        } else if (opts.all) callback(null, list);
        else callback(null, list[0]!.address, list[0]!.family);
      },
      (error: unknown) => callback(error),
    );
  }) as LookupFunction;
}

export interface NodeFetcherOptions {
  /** Connections per origin at once (requests beyond wait for one). Default 64. */
  maxSockets?: number;
  lookup?: LookupFunction;
}

// Idle connections are closed before Node servers' default 5 s keep-alive ends, so a reused socket is rarely a closed one.
const IDLE_MS = 4_000;

function decoded(response: IncomingMessage): Readable {
  const encoding = String(response.headers["content-encoding"] ?? "").trim().toLowerCase();
  const zlib = builtin("node:zlib");
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? zlib.createGunzip()
      : encoding === "deflate"
        ? zlib.createInflate()
        : encoding === "br"
          ? zlib.createBrotliDecompress()
          : undefined;
  if (!decoder) return response;
  builtin("node:stream").pipeline(response, decoder, () => {}); // an error ends the decoder's stream with it
  return decoder;
}

/** Bodies read whole before the Response is made (cheaper than a stream): declared, unencoded and at most this long. */
const SMALL_BODY = 256 * 1024;

/** Why fetch would refuse a response, if it would. */
function refusal(status: number, init: RequestInit): string | undefined {
  if (status < 200 || status > 599) return `invalid HTTP status ${status}`;
  if (init.redirect === "error" && status >= 300 && status < 400) return "redirect refused";
  return undefined;
}

function headersOf(response: IncomingMessage): Headers {
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    try {
      headers.append(raw[i]!, raw[i + 1]!);
    } catch {
      // a header Headers will not hold: not one the callers read
    }
  }
  return headers;
}

function isSmall(response: IncomingMessage): boolean {
  const length = Number(response.headers["content-length"]);
  return response.headers["content-encoding"] === undefined && Number.isInteger(length) && length <= SMALL_BODY;
}

/**
 * A Fetcher over node:http(s). Redirects are never followed (the callers check where they point).
 * Bodies are streamed and decoded (gzip, deflate, br), so byte caps count decoded bytes; a small
 * unencoded one with a declared length (the parser holds it to that length) is read whole first.
 */
export function createNodeFetcher(options: NodeFetcherOptions = {}): Fetcher {
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets ?? 64,
    timeout: IDLE_MS,
    lookup: options.lookup ?? createDnsCache(),
  };
  const agents = new Map<string, Agent>();

  const once = (url: URL, init: RequestInit, method: string, headers: Record<string, string>): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      const client = builtin(url.protocol === "https:" ? "node:https" : "node:http");
      const agent = agents.get(url.protocol) ?? new client.Agent(agentOptions);
      agents.set(url.protocol, agent);
      const request = client.request(url, { method, headers, agent, signal: init.signal ?? undefined });
      request.on("error", (error) => {
        // A kept connection the server had just closed: the request never reached it, so ask again once.
        const retry = request.reusedSocket && (error as { code?: string }).code === "ECONNRESET";
        reject(Object.assign(new TypeError("fetch failed", { cause: error }), { retry }));
      });
      request.on("response", (response) => {
        response.on("error", () => {}); // the body's reader (or the close below) gets it
        const fail = (error: unknown) => {
          response.destroy();
          reject(new TypeError("fetch failed", { cause: error }));
        };
        const status = response.statusCode ?? 0;
        const refused = refusal(status, init);
        if (refused) return fail(new Error(refused));
        const respond = (body: Buffer | ReadableStream<Uint8Array> | null) => {
          try {
            resolve(new Response(body, { status, headers: headersOf(response) }));
          } catch (error) {
            fail(error);
          }
        };
        if (method === "HEAD" || status === 204 || status === 205 || status === 304) {
          response.resume();
          return respond(null);
        }
        if (!isSmall(response)) return respond(builtin("node:stream").Readable.toWeb(decoded(response)) as ReadableStream<Uint8Array>);
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => respond(Buffer.concat(chunks)));
        response.on("close", () => {
          if (!response.complete) fail(new Error("the connection closed before the body ended"));
        });
      });
      const payload = init.body;
      if (typeof payload === "string" || payload instanceof Uint8Array) request.end(payload);
      else request.end();
    });

  return async (input, init = {}) => {
    const url = new URL(input);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new TypeError(`fetch failed: not an http(s) URL`);
    if (init.body != null && typeof init.body !== "string" && !(init.body instanceof Uint8Array)) {
      throw new TypeError("this fetcher sends string or byte bodies only");
    }
    const method = (init.method ?? "GET").toUpperCase();
    const headers: Record<string, string> = { "accept-encoding": "gzip, deflate, br" };
    new Headers(init.headers).forEach((value, name) => {
      headers[name] = value;
    });
    try {
      return await once(url, init, method, headers);
    } catch (error) {
      if (!(error as { retry?: boolean }).retry || init.signal?.aborted) throw error;
      return once(url, init, method, headers);
    }
  };
}

let shared: Fetcher | undefined;

/** One fetcher per process, so every source shares its connections and DNS answers. */
export function sharedNodeFetcher(): Fetcher {
  shared ??= createNodeFetcher();
  return shared;
}
