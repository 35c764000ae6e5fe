// The one load pipeline every route group serves through: a package is judged while its document is
// fetched, the document is filtered by the policy on single versions, kept for a while (concurrent
// askers share one load), rendered once per representation; a file is judged again, by its version,
// before its verified bytes are streamed.
import { errorMessage } from "../../core/guards.ts";
import type { PackageResult } from "../../core/model.ts";
import { appliedWaiver, waiverContextKey } from "../../core/waivers.ts";
import type { EcosystemModule } from "../../ecosystems/types.ts";
import { isGone, singleFlight } from "../../sources/http.ts";
import { UpstreamBudget } from "./budget.ts";
import { MemoryCache } from "./cache.ts";
import { blockedRefusal, createJudge, type Judgement, notFoundRefusal, type Refusal, upstreamRefusal, type VersionCheck, versionCheck, versionRuling } from "./judge.ts";
import { bodyResponse } from "./responses.ts";
import type { Asking, ProxyDeps, ProxyLimits, RequestInfo } from "./types.ts";
import { type Digest, type DocumentResponse, fetchDocument, type FileLimits, markHops, openFile, readWhole, verifiedStream } from "./upstream.ts";

/** Where a package's documents and files come from. */
export interface Target {
  base: string;
  authorization?: string;
  /** Origins its files may come from besides the base's own (public PyPI serves them from another host). */
  fileOrigins?: readonly string[];
}

/** A judged and filtered document as served (or the refusal to serve it), with its rendered bodies. */
export interface Entry<T> {
  refusal?: Refusal;
  doc?: T;
  /** The engine's verdict on the package. */
  result?: PackageResult;
  /** A line for the client to show (npm prints npm-notice). */
  notice?: string;
  bodies: Map<string, Buffer>;
}

/** What the pipeline needs of a route to load one of its documents. */
export interface DocumentLoad<T> {
  eco: EcosystemModule;
  /** Cache key, unique per kind of document and name. */
  key: string;
  name: string;
  context: Asking;
  url: string;
  accept: string;
  contentTypes: readonly string[];
  target: Target;
  /** The served form of the upstream document, with the versions `hide` names hidden; or why it is not served. */
  build(upstream: DocumentResponse, hide: VersionCheck, judgement: Judgement): { doc: T; notice?: string } | { refusal: Refusal };
}

/** One package file to serve: judged again by its version, then streamed, verified against its digests. */
export interface FileToServe {
  eco: EcosystemModule;
  name: string;
  version: string;
  publishedAt: string | undefined;
  context: Asking;
  url: string;
  digests: Digest[];
  target: Target;
  /** How the file is named in refusals. */
  label: string;
}

export interface Pipeline {
  /** The configured public URL without its trailing slash (paths are appended to it). */
  publicRoot(): string;
  load<T>(spec: DocumentLoad<T>): Promise<Entry<T>>;
  /** A body per representation and base URL, rendered once per cache entry. */
  rendered(entry: Entry<unknown>, variant: string, render: () => Buffer): Buffer;
  serveFile(file: FileToServe, refuse: (r: Refusal) => Response, info: RequestInfo | undefined): Promise<Response>;
  /** The budget every request runs under. */
  budget: UpstreamBudget;
}

/** The upstream document as JSON, or the refusal to serve a body that is not. */
export function parseJson(name: string, upstream: DocumentResponse): { json: unknown } | { refusal: Refusal } {
  try {
    return { json: JSON.parse(upstream.text) as unknown };
  } catch {
    return { refusal: upstreamRefusal(name, "the upstream document is not valid JSON") };
  }
}

/** "1.0.0 (why), 2.0.0 (why) and 3 more". */
export function summarizeHidden(hidden: Map<string, string>, limit = 3): string {
  const shown = [...hidden].slice(0, limit).map(([v, why]) => `${v} (${why})`);
  return shown.join(", ") + (hidden.size > limit ? ` and ${hidden.size - limit} more` : "");
}

type Fetched = { refusal: Refusal } | { judgement: Judgement; upstream: DocumentResponse };

export function createPipeline(deps: ProxyDeps, limits: ProxyLimits, instanceId: string): Pipeline {
  const budget = deps.budget ?? new UpstreamBudget();
  const marked = markHops(deps.fetch ?? fetch, instanceId);
  const fetcher = budget.documents(marked);
  const fileFetcher = budget.files(marked);
  const publicBase = typeof deps.publicUrl === "function" ? deps.publicUrl : () => deps.publicUrl as string;
  const { gate } = deps;
  const clock = deps.clock ?? gate.engine.clock;
  const judge = createJudge(gate);
  const cache = new MemoryCache<Entry<unknown>>(limits.cacheEntries, limits.cacheBytes);
  const flight = singleFlight<Entry<unknown>>();
  const fileLimits: FileLimits = {
    headersTimeoutMs: limits.fileHeadersTimeoutMs,
    idleTimeoutMs: limits.fileIdleTimeoutMs,
    maxBytes: limits.maxFileBytes,
  };
  const originOf = (url: string) => new URL(url).origin;
  // A package's files come from its upstream's origin, that upstream's known file host, or a configured artifact origin.
  const artifactOrigins = new Set((deps.artifactOrigins ?? []).map(originOf));
  const fileOriginAllowed = (target: Target) => {
    const own = originOf(target.base);
    return (origin: string) => origin === own || artifactOrigins.has(origin) || (target.fileOrigins?.includes(origin) ?? false);
  };
  const overBudget = (reason: string): Refusal => ({ status: 503, title: "Service Unavailable", reason: `Bouncer served nothing: ${reason}` });

  // Answers judged under another policy or set of waivers, or for a caller of another team or project
  // (whose scoped waivers differ), are not reused: the gate's generation and the caller's scope are in the key.
  const cacheKey = (key: string, asking: Asking) => `${gate.generation ?? 0}\u0000${waiverContextKey(asking.caller)}\u0000${key}`;
  /** The cache key each cached entry is kept under (its rendered bodies grow it). */
  const keptAs = new WeakMap<Entry<unknown>, string>();
  /** Cached entries; failures that may pass (upstream trouble) are never kept. */
  const remember = <T>(key: string, entry: Entry<T>, ttlMs: number, bytes: number): Entry<T> => {
    const keep = !entry.refusal || entry.refusal.status === 403 || entry.refusal.status === 404;
    if (keep && ttlMs > 0) {
      cache.set(key, entry, Date.now() + ttlMs, bytes);
      keptAs.set(entry, key);
    }
    return entry;
  };
  const ttl = (maxAgeMs: number | undefined) => Math.min(limits.cacheTtlMs, maxAgeMs ?? Number.POSITIVE_INFINITY);

  const settle = async (name: string, judged: Promise<Judgement>, fetched: Promise<DocumentResponse | Error>): Promise<Fetched> => {
    const first = await Promise.race([judged, fetched]);
    if (first instanceof Error) return { refusal: upstreamRefusal(name, first.message) };
    if ("result" in first && first.refusal) return { refusal: first.refusal };
    const [judgement, upstream] = await Promise.all([judged, fetched]);
    if (judgement.refusal) return { refusal: judgement.refusal };
    if (upstream instanceof Error) return { refusal: upstreamRefusal(name, upstream.message) };
    if (isGone(upstream.status)) return { refusal: notFoundRefusal(`${name} is not on the upstream registry`) };
    return { judgement, upstream };
  };

  /**
   * Judges the package and fetches its document at the same time. A refusal or an upstream failure
   * answers at once (the other half still finishes, and the decision is still logged). When the
   * budget refused any part of it, the answer is 503, whatever the rest said.
   */
  const judgeAndFetch = async <T>(spec: DocumentLoad<T>): Promise<Fetched> => {
    const judged = judge(spec.eco, spec.name, null, spec.context);
    judged.catch(() => {}); // awaited below unless an upstream failure answers first
    const options = {
      accept: spec.accept,
      contentTypes: spec.contentTypes,
      authorization: spec.target.authorization,
      maxBytes: limits.maxDocumentBytes,
      timeoutMs: limits.documentTimeoutMs,
    };
    const fetched = fetchDocument(fetcher, spec.url, options).catch((error: unknown) => new Error(errorMessage(error)));
    const got = await settle(spec.name, judged, fetched);
    const over = budget.refused();
    return over ? { refusal: overBudget(over) } : got;
  };

  // For the caller's scope, as the cache key is: its waivers may lift a version's hiding.
  const ruling = (eco: EcosystemModule, judgement: Judgement, asking: Asking) => versionRuling(gate, eco, judgement, asking.caller, clock());
  const hideCheck = (eco: EcosystemModule, judgement: Judgement, asking: Asking): VersionCheck => versionCheck(ruling(eco, judgement, asking));

  const loadDocument = async <T>(spec: DocumentLoad<T>, key: string): Promise<Entry<T>> => {
    const got = await judgeAndFetch(spec);
    if ("refusal" in got) return remember(key, { refusal: got.refusal, bodies: new Map() }, limits.cacheTtlMs, 1024);
    const { judgement, upstream } = got;
    const built = spec.build(upstream, hideCheck(spec.eco, judgement, spec.context), judgement);
    const maxAge = ttl(upstream.maxAgeMs);
    if ("refusal" in built) return remember(key, { refusal: built.refusal, bodies: new Map() }, maxAge, 1024);
    const entry: Entry<T> = { doc: built.doc, result: judgement.result, notice: built.notice, bodies: new Map() };
    return remember(key, entry, maxAge, upstream.text.length * 2);
  };

  const load = <T>(spec: DocumentLoad<T>): Promise<Entry<T>> => {
    const key = cacheKey(spec.key, spec.context);
    const hit = cache.get(key, Date.now());
    if (hit) return Promise.resolve(hit as Entry<T>);
    return flight(key, () => loadDocument(spec, key)) as Promise<Entry<T>>;
  };

  const rendered = (entry: Entry<unknown>, variant: string, render: () => Buffer): Buffer => {
    let body = entry.bodies.get(variant);
    if (!body) {
      body = render();
      if (entry.bodies.size < 8) {
        entry.bodies.set(variant, body);
        const key = keptAs.get(entry);
        if (key) cache.grow(key, body.length);
      }
    }
    return body;
  };

  /** Judges one exact version again, now, before its bytes are served. */
  const recheck = async (file: FileToServe): Promise<Refusal | undefined> => {
    const judgement = await judge(file.eco, file.name, file.version, file.context);
    const over = budget.refused();
    if (over) return overBudget(over);
    if (judgement.refusal) return judgement.refusal;
    const { hidden, waiver } = ruling(file.eco, judgement, file.context)(file.version, file.publishedAt);
    if (hidden) return blockedRefusal(`Bouncer blocked ${file.name}@${file.version}: ${hidden}`);
    // Served by a waiver the engine's verdict did not need (only the proxy hides by age): logged with its id, as the engine's are.
    if (waiver && judgement.result.waiver?.id !== waiver.id) {
      await gate.record([{ ...judgement.result, waiver: appliedWaiver(waiver) }], "proxy", file.context.text);
    }
    return undefined;
  };

  const stream = async (file: FileToServe, refuse: (r: Refusal) => Response, info: RequestInfo | undefined): Promise<Response> => {
    const failed = (reason: string) => {
      const over = budget.refused();
      return refuse(over ? overBudget(over) : upstreamRefusal(file.label, reason));
    };
    const { target } = file;
    let opened: Awaited<ReturnType<typeof openFile>>;
    try {
      opened = await openFile(
        fileFetcher,
        file.url,
        { authorization: target.authorization, origin: originOf(target.base), allowed: fileOriginAllowed(target) },
        fileLimits,
      );
    } catch (error) {
      return failed(errorMessage(error));
    }
    if (!opened.response.body) return failed("the upstream sent no body");
    const body = verifiedStream(opened.response.body, file.digests, fileLimits, opened.abort, file.label);
    if (!info?.wholeBodies) return new Response(body, { status: 200, headers: { "content-type": "application/octet-stream" } });
    // Nothing unverified to a client that would take a cut body for a whole one: verify it all first.
    let whole: Buffer;
    try {
      whole = await readWhole(body, (bytes, own) => budget.charge(bytes, own), (own) => budget.release(own));
    } catch (error) {
      return failed(errorMessage(error));
    }
    return bodyResponse(whole, "application/octet-stream");
  };

  return {
    publicRoot: () => publicBase().replace(/\/+$/, ""),
    load,
    rendered,
    async serveFile(file, refuse, info) {
      const refusal = await recheck(file);
      return refusal ? refuse(refusal) : stream(file, refuse, info);
    },
    budget,
  };
}
