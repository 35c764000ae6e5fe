// The registry proxy as a fetch-style handler: npm at /npm/, the PyPI simple API at /pypi/simple/,
// the PyPI JSON API at /pypi/pypi/, package files at /pypi/files/. Every package is judged (and the
// decision logged) before anything of it is served; what cannot be verified is not served.
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { npm as npmEco } from "../../ecosystems/npm/index.ts";
import { npmDocumentPath } from "../../ecosystems/npm/registry.ts";
import { pypi as pypiEco } from "../../ecosystems/pypi/index.ts";
import { normalizePypiName } from "../../ecosystems/pypi/names.ts";
import type { EcosystemModule } from "../../ecosystems/types.ts";
import type { Gate } from "../../engine/service.ts";
import { type Fetcher, isGone, reasonOf, singleFlight, withTrailingSlash } from "../../sources/http.ts";
import { UpstreamBudget } from "./budget.ts";
import { MemoryCache } from "./cache.ts";
import {
  createJudge,
  type Judgement,
  knownPublishTime,
  type Refusal,
  upstreamRefusal,
  versionProblem,
  versionRules,
} from "./judge.ts";
import {
  ABBREVIATED_TYPE,
  type FilteredNpmDocument,
  filterNpmDocument,
  renderNpmDocument,
  renderNpmVersion,
  versionFromTarballName,
  wantsAbbreviated,
} from "./npm.ts";
import {
  type FilteredJsonApi,
  type FilteredProject,
  fileDigests,
  filesFromSimpleHtml,
  filesFromSimpleJson,
  filterFiles,
  filterJsonApi,
  negotiateSimple,
  renderJsonApi,
  renderSimpleHtml,
  renderSimpleJson,
  SIMPLE_JSON,
} from "./pypi.ts";
import { indexRefusal, jsonResponse, npmRefusal, statusText, textRefusal } from "./responses.ts";
import {
  type Digest,
  type DocumentResponse,
  fetchDocument,
  type FileLimits,
  HOP_HEADER,
  markHops,
  openFile,
  readWhole,
  verifiedStream,
} from "./upstream.ts";

export interface ProxyLimits {
  /** Whole exchange for one upstream document. */
  documentTimeoutMs: number;
  maxDocumentBytes: number;
  fileHeadersTimeoutMs: number;
  fileIdleTimeoutMs: number;
  maxFileBytes: number;
  /** How long a judged and filtered document is reused (shortened by the upstream's max-age). */
  cacheTtlMs: number;
  cacheEntries: number;
  cacheBytes: number;
}

export const DEFAULT_PROXY_LIMITS: ProxyLimits = {
  documentTimeoutMs: 30_000,
  maxDocumentBytes: 64 * 1024 * 1024,
  fileHeadersTimeoutMs: 30_000,
  fileIdleTimeoutMs: 30_000,
  maxFileBytes: 1024 * 1024 * 1024,
  cacheTtlMs: 60_000,
  cacheEntries: 5_000,
  cacheBytes: 256 * 1024 * 1024,
};

export interface Upstreams {
  /** npm registry base: documents at <npm><name>. */
  npm: string;
  npmScopes?: Record<string, { baseUrl: string; authorization?: string }>;
  /** Credentials for `npm` only. */
  npmAuthorization?: string;
  /** PyPI base: <pypi>simple/<name>/ and <pypi>pypi/<name>/json. */
  pypi: string;
  /** Credentials for `pypi` only. */
  pypiAuthorization?: string;
}

/** npm's own limit on package names. */
export const MAX_NPM_NAME = 214;
/** PyPI sets none; no real project comes near it. */
export const MAX_PYPI_NAME = 200;
/** A file name (tarball or distribution) no file system would take beyond this. */
export const MAX_FILE_NAME = 255;

/** Public PyPI serves its files from another origin. */
const KNOWN_FILE_ORIGINS: Record<string, string[]> = { "https://pypi.org": ["https://files.pythonhosted.org"] };

export interface ProxyDeps {
  gate: Gate;
  upstreams: Upstreams;
  /**
   * Where clients reach this proxy (e.g. https://bouncer.example/): the base of every URL it
   * writes into documents. Configuration, never the request's Host header.
   */
  publicUrl: string | (() => string);
  /** Origins package files may come from besides each upstream's own (e.g. a CDN), from trusted configuration. */
  artifactOrigins?: readonly string[];
  /** Upstream concurrency and memory shared with the engine (give the engine `budget.documents(fetch)`). */
  budget?: UpstreamBudget;
  /** Default: global fetch. Every request gets this proxy's hop marker. */
  fetch?: Fetcher;
  /** When set, clients must present it (Bearer, or the password of Basic credentials). */
  token?: string;
  /** The clock for ages; default: the engine's (fixed) time. */
  clock?: () => Date;
  limits?: Partial<ProxyLimits>;
  /** Marks this proxy's own upstream requests (loop detection); share it with the engine's fetch. */
  instanceId?: string;
}

export interface RequestInfo {
  clientAddress?: string;
  /**
   * The client cannot tell a cut body from a complete one (HTTP/1.0: no chunked encoding), so a
   * file is verified whole before any of it is sent.
   */
  wholeBodies?: boolean;
}

export type ProxyHandler = (request: Request, info?: RequestInfo) => Promise<Response>;

interface Target {
  base: string;
  authorization?: string;
}

interface NpmEntry {
  refusal?: Refusal;
  filtered?: FilteredNpmDocument;
  judgement?: Judgement;
  notice?: string;
  bodies: Map<string, Buffer>;
}

interface SimpleEntry {
  refusal?: Refusal;
  project?: FilteredProject;
  verdict?: string;
  bodies: Map<string, Buffer>;
}

interface JsonApiEntry {
  refusal?: Refusal;
  filtered?: FilteredJsonApi;
  verdict?: string;
  bodies: Map<string, Buffer>;
}

type Entry = NpmEntry | SimpleEntry | JsonApiEntry;

const NPM_DOC_TYPES = ["application/json", "+json"];
const SIMPLE_TYPES = [SIMPLE_JSON, "application/json", "text/html", "application/vnd.pypi.simple.v1+html"];

function digestOf(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

/** The token a client presented: Bearer, or the password of Basic credentials (pip's user:TOKEN@host). */
export function presentedToken(authorization: string | null): string | undefined {
  if (!authorization) return undefined;
  const m = /^(\w+)\s+(.+)$/.exec(authorization.trim());
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme === "bearer") return m[2]!.trim();
  if (scheme !== "basic") return undefined;
  const decoded = Buffer.from(m[2]!.trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? decoded : decoded.slice(colon + 1);
}

function badRequest(message: string): Response {
  return jsonResponse(400, { error: message }, { "cache-control": "no-store" }, "Bad Request");
}

/** A name longer than its cap is refused before anything (the engine included) sees it. */
function tooLong(what: string, text: string, max: number): string | undefined {
  return text.length > max ? `${what} is ${text.length} characters long; the limit is ${max}` : undefined;
}

function notFound(message: string): Response {
  return jsonResponse(404, { error: message }, { "cache-control": "no-store" }, "Not Found");
}

function bodyResponse(body: Buffer, contentType: string, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status: 200,
    headers: { "content-type": contentType, "content-length": String(body.length), "cache-control": "no-cache", ...extra },
  });
}

function decodeSegments(path: string): string[] | null {
  try {
    return path.split("/").map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}

function summarizeHidden(hidden: Map<string, string>, limit = 3): string {
  const shown = [...hidden].slice(0, limit).map(([v, why]) => `${v} (${why})`);
  return shown.join(", ") + (hidden.size > limit ? ` and ${hidden.size - limit} more` : "");
}

/**
 * Builds the engine's name data now (about a second of CPU), so the first requests do not stall
 * the event loop, and with it every upstream exchange in flight.
 */
export function warmUp(gate: Gate): void {
  for (const eco of [npmEco, pypiEco]) gate.engine.intel(eco.id)?.suggest("bouncer-warm-up", 1);
}

export function createProxy(deps: ProxyDeps): ProxyHandler {
  const limits: ProxyLimits = { ...DEFAULT_PROXY_LIMITS, ...deps.limits };
  const instanceId = deps.instanceId ?? randomUUID();
  const budget = deps.budget ?? new UpstreamBudget();
  const marked = markHops(deps.fetch ?? fetch, instanceId);
  const fetcher = budget.documents(marked);
  const fileFetcher = budget.files(marked);
  const publicBase = typeof deps.publicUrl === "function" ? deps.publicUrl : () => deps.publicUrl as string;
  /** The configured public URL without its trailing slash (paths are appended to it). */
  const publicRoot = () => publicBase().replace(/\/+$/, "");
  const { gate } = deps;
  const clock = deps.clock ?? gate.engine.clock;
  const judge = createJudge(gate);
  const tokenDigest = deps.token ? digestOf(deps.token) : undefined;
  const cache = new MemoryCache<Entry>(limits.cacheEntries, limits.cacheBytes);
  const flight = singleFlight<Entry>();
  const fileLimits: FileLimits = {
    headersTimeoutMs: limits.fileHeadersTimeoutMs,
    idleTimeoutMs: limits.fileIdleTimeoutMs,
    maxBytes: limits.maxFileBytes,
  };
  const npmBaseUpstream = withTrailingSlash(deps.upstreams.npm);
  const pypiBaseUpstream = withTrailingSlash(deps.upstreams.pypi);

  const npmTarget = (name: string): Target => {
    const scopes = deps.upstreams.npmScopes;
    if (name.startsWith("@") && scopes) {
      const scope = name.slice(0, name.indexOf("/"));
      const key = [scope, scope.toLowerCase(), scope.slice(1)].find((k) => Object.hasOwn(scopes, k));
      const entry = key === undefined ? undefined : scopes[key];
      if (entry) return { base: withTrailingSlash(entry.baseUrl), authorization: entry.authorization };
    }
    return { base: npmBaseUpstream, authorization: deps.upstreams.npmAuthorization };
  };
  const pypiTarget: Target = { base: pypiBaseUpstream, authorization: deps.upstreams.pypiAuthorization };
  const originOf = (url: string) => new URL(url).origin;
  // A package's files come from its upstream's origin, that upstream's known file host, or a configured artifact origin.
  const artifactOrigins = new Set((deps.artifactOrigins ?? []).map(originOf));
  const fileOriginAllowed = (target: Target) => {
    const own = originOf(target.base);
    return (origin: string) => origin === own || artifactOrigins.has(origin) || (KNOWN_FILE_ORIGINS[own]?.includes(origin) ?? false);
  };
  const overBudget = (reason: string): Refusal => ({ status: 503, title: "Service Unavailable", reason: `Bouncer served nothing: ${reason}` });

  /** Cached entries; failures that may pass (upstream trouble) are never kept. */
  const remember = <E extends Entry>(key: string, entry: E, ttlMs: number, bytes: number): E => {
    const keep = !entry.refusal || entry.refusal.status === 403 || entry.refusal.status === 404;
    if (keep && ttlMs > 0) cache.set(key, entry, Date.now() + ttlMs, bytes);
    return entry;
  };
  const ttl = (maxAgeMs: number | undefined) => Math.min(limits.cacheTtlMs, maxAgeMs ?? Number.POSITIVE_INFINITY);

  const cached = <E extends Entry>(key: string, load: () => Promise<E>): Promise<E> => {
    const hit = cache.get(key, Date.now());
    if (hit) return Promise.resolve(hit as E);
    return flight(key, load) as Promise<E>;
  };

  /** A body per representation and base URL, rendered once per cache entry. */
  const rendered = (key: string, entry: { bodies: Map<string, Buffer> }, variant: string, render: () => Buffer): Buffer => {
    let body = entry.bodies.get(variant);
    if (!body) {
      body = render();
      if (entry.bodies.size < 8) {
        entry.bodies.set(variant, body);
        cache.grow(key, body.length);
      }
    }
    return body;
  };

  type Fetched = { refusal: Refusal } | { judgement: Judgement; upstream: DocumentResponse };

  /**
   * Judges the package and fetches its document at the same time. A refusal or an upstream failure
   * answers at once (the other half still finishes, and the decision is still logged). When the
   * budget refused any part of it, the answer is 503, whatever the rest said.
   */
  const judgeAndFetch = async (
    eco: EcosystemModule,
    name: string,
    context: string,
    url: string,
    options: { accept: string; contentTypes: readonly string[]; authorization?: string },
  ): Promise<Fetched> => {
    const judged = judge(eco, name, null, context);
    judged.catch(() => {}); // awaited below unless an upstream failure answers first
    const fetched = fetchDocument(fetcher, url, { ...options, maxBytes: limits.maxDocumentBytes, timeoutMs: limits.documentTimeoutMs }).catch(
      (error: unknown) => new Error(reasonOf(error)),
    );
    const got = await settle(name, judged, fetched);
    const over = budget.refused();
    return over ? { refusal: overBudget(over) } : got;
  };

  const settle = async (name: string, judged: Promise<Judgement>, fetched: Promise<DocumentResponse | Error>): Promise<Fetched> => {
    const first = await Promise.race([judged, fetched]);
    if (first instanceof Error) return { refusal: upstreamRefusal(name, first.message) };
    if ("result" in first && first.refusal) return { refusal: first.refusal };
    const [judgement, upstream] = await Promise.all([judged, fetched]);
    if (judgement.refusal) return { refusal: judgement.refusal };
    if (upstream instanceof Error) return { refusal: upstreamRefusal(name, upstream.message) };
    if (isGone(upstream.status)) return { refusal: { status: 404, title: "Not Found", reason: `${name} is not on the upstream registry` } };
    return { judgement, upstream };
  };

  /** The upstream document as JSON, or the refusal to serve a body that is not. */
  const parseUpstream = (name: string, upstream: DocumentResponse): { json: unknown } | { refusal: Refusal } => {
    try {
      return { json: JSON.parse(upstream.text) as unknown };
    } catch {
      return { refusal: upstreamRefusal(name, "the upstream document is not valid JSON") };
    }
  };

  // ---- npm ----

  const loadNpm = async (name: string, context: string): Promise<NpmEntry> => {
    const key = `npm\u0000${name}`;
    const target = npmTarget(name);
    const url = target.base + npmDocumentPath(name);
    const got = await judgeAndFetch(npmEco, name, context, url, { accept: "application/json", contentTypes: NPM_DOC_TYPES, authorization: target.authorization });
    if ("refusal" in got) return remember(key, { refusal: got.refusal, bodies: new Map() }, limits.cacheTtlMs, 1024);
    const { judgement, upstream } = got;
    const parsed = parseUpstream(name, upstream);
    if ("refusal" in parsed) return { refusal: parsed.refusal, bodies: new Map() };
    const { json } = parsed;
    const facts = judgement.facts;
    const rules = versionRules(gate, "npm", clock());
    const filtered = filterNpmDocument(name, json, (v, t) => versionProblem(npmEco, v, t ?? knownPublishTime(npmEco, facts, v), facts, rules));
    if (typeof filtered === "string") return { refusal: upstreamRefusal(name, filtered), bodies: new Map() };
    if (filtered.listed > 0 && filtered.tarballs.size === 0) {
      const reason = `Bouncer hid every version of ${name}: ${summarizeHidden(filtered.hidden)}`;
      return remember(key, { refusal: { status: 403, title: "Blocked by Bouncer", reason }, bodies: new Map() }, ttl(upstream.maxAgeMs), 1024);
    }
    const notices: string[] = [];
    // Version age is the proxy's to enforce (hidden versions below), so new-version is no news here.
    const warnings = judgement.result.findings.filter((f) => f.severity !== "info" && f.code !== "new-version");
    if (judgement.result.verdict === "warn" && warnings.length) {
      notices.push(`Bouncer warns about ${name}: ${warnings.map((f) => `${f.code} (${f.message})`).join("; ")}`);
    }
    if (filtered.hidden.size) notices.push(`Bouncer hid ${name}@${summarizeHidden(filtered.hidden)}`);
    const entry: NpmEntry = { filtered, judgement, bodies: new Map(), notice: notices.length ? statusText(notices.join(" | ")) : undefined };
    return remember(key, entry, ttl(upstream.maxAgeMs), upstream.text.length * 2);
  };

  const npmEntry = (name: string, context: string) => cached(`npm\u0000${name}`, () => loadNpm(name, context));

  const serveNpmDocument = async (request: Request, name: string, npmBase: string, context: string): Promise<Response> => {
    const entry = await npmEntry(name, context);
    if (entry.refusal || !entry.filtered) return npmRefusal(entry.refusal!);
    const abbreviated = wantsAbbreviated(request.headers.get("accept"));
    const body = rendered(`npm\u0000${name}`, entry, `${abbreviated}|${npmBase}`, () => renderNpmDocument(entry.filtered!, abbreviated, npmBase));
    const headers: Record<string, string> = { vary: "Accept", "x-bouncer-verdict": entry.judgement!.result.verdict };
    // npm prints npm-notice only for answers it does not store in its cache.
    if (entry.notice) Object.assign(headers, { "npm-notice": entry.notice, "cache-control": "no-store" });
    return bodyResponse(body, abbreviated ? ABBREVIATED_TYPE : "application/json", headers);
  };

  const serveNpmVersion = async (name: string, versionOrTag: string, npmBase: string, context: string): Promise<Response> => {
    const entry = await npmEntry(name, context);
    if (entry.refusal || !entry.filtered) return npmRefusal(entry.refusal!);
    const hidden = entry.filtered.hidden.get(versionOrTag);
    if (hidden) return npmRefusal({ status: 403, title: "Blocked by Bouncer", reason: `Bouncer hid ${name}@${versionOrTag}: ${hidden}` });
    const body = renderNpmVersion(entry.filtered, versionOrTag, npmBase);
    return body ? bodyResponse(body, "application/json") : notFound(`${name}@${versionOrTag} is not in this registry`);
  };

  /** Judges one exact version again, now, before its bytes are served. */
  const recheck = async (
    eco: EcosystemModule,
    name: string,
    version: string,
    publishedAt: string | undefined,
    context: string,
  ): Promise<Refusal | undefined> => {
    const judgement = await judge(eco, name, version, context);
    const over = budget.refused();
    if (over) return overBudget(over);
    if (judgement.refusal) return judgement.refusal;
    const time = publishedAt ?? knownPublishTime(eco, judgement.facts, version);
    const problem = versionProblem(eco, version, time, judgement.facts, versionRules(gate, eco.id, clock()));
    return problem ? { status: 403, title: "Blocked by Bouncer", reason: `Bouncer blocked ${name}@${version}: ${problem}` } : undefined;
  };

  const stream = async (
    url: string,
    digests: Digest[],
    target: Target,
    label: string,
    refuse: (r: Refusal) => Response,
    info: RequestInfo | undefined,
  ): Promise<Response> => {
    const failed = (reason: string) => {
      const over = budget.refused();
      return refuse(over ? overBudget(over) : upstreamRefusal(label, reason));
    };
    let opened: Awaited<ReturnType<typeof openFile>>;
    try {
      opened = await openFile(
        fileFetcher,
        url,
        { authorization: target.authorization, origin: originOf(target.base), allowed: fileOriginAllowed(target) },
        fileLimits,
      );
    } catch (error) {
      return failed(reasonOf(error));
    }
    if (!opened.response.body) return failed("the upstream sent no body");
    const body = verifiedStream(opened.response.body, digests, fileLimits, opened.abort, label);
    if (!info?.wholeBodies) return new Response(body, { status: 200, headers: { "content-type": "application/octet-stream" } });
    // Nothing unverified to a client that would take a cut body for a whole one: verify it all first.
    let whole: Buffer;
    try {
      whole = await readWhole(body, (bytes, own) => budget.charge(bytes, own), (own) => budget.release(own));
    } catch (error) {
      return failed(reasonOf(error));
    }
    return bodyResponse(whole, "application/octet-stream");
  };

  const serveNpmTarball = async (name: string, file: string, context: string, info: RequestInfo | undefined): Promise<Response> => {
    const version = versionFromTarballName(name, file);
    if (!version) return notFound(`${file} is not a tarball of ${name}`);
    const entry = await npmEntry(name, context);
    if (entry.refusal || !entry.filtered) return npmRefusal(entry.refusal!);
    const hidden = entry.filtered.hidden.get(version);
    if (hidden) return npmRefusal({ status: 403, title: "Blocked by Bouncer", reason: `Bouncer hid ${name}@${version}: ${hidden}` });
    const tarball = entry.filtered.tarballs.get(version);
    if (!tarball) return notFound(`${name}@${version} is not in this registry`);
    const refusal = await recheck(npmEco, name, version, entry.filtered.times.get(version), context);
    if (refusal) return npmRefusal(refusal);
    return stream(tarball.url, tarball.digests, npmTarget(name), `${name}@${version}`, npmRefusal, info);
  };

  const routeNpm = async (request: Request, rest: string, context: string, info: RequestInfo | undefined): Promise<Response> => {
    const npmBase = `${publicRoot()}/npm/`;
    const segments = decodeSegments(rest);
    if (!segments?.[0]) return notFound("no package named");
    if (segments[0] === "-") {
      if (segments[1] === "ping") return jsonResponse(200, {});
      return notFound(`/npm/${rest} is not served through Bouncer`);
    }
    let name: string;
    let more: string[];
    if (segments[0].includes("/")) {
      name = segments[0];
      more = segments.slice(1);
    } else if (segments[0].startsWith("@") && segments.length >= 2) {
      name = `${segments[0]}/${segments[1]}`;
      more = segments.slice(2);
    } else {
      name = segments[0];
      more = segments.slice(1);
    }
    const long = tooLong("the package name", name, MAX_NPM_NAME) ?? tooLong("the path segment", more.at(-1) ?? "", MAX_FILE_NAME);
    if (long) return badRequest(long);
    if (npmDocumentPath(name) === null) return notFound(`"${name}" cannot be an npm package name`);
    if (more.length === 0) return serveNpmDocument(request, name, npmBase, context);
    if (more.length === 2 && more[0] === "-") return serveNpmTarball(name, more[1]!, context, info);
    if (more.length === 1 && more[0]) return serveNpmVersion(name, more[0], npmBase, context);
    return notFound(`/npm/${rest} is not served through Bouncer`);
  };

  // ---- PyPI ----

  const pypiCheck = (facts: Judgement["facts"]) => {
    const rules = versionRules(gate, "pypi", clock());
    return (version: string, uploadTime: string | undefined) =>
      versionProblem(pypiEco, version, uploadTime ?? knownPublishTime(pypiEco, facts, version), facts, rules);
  };

  const loadSimple = async (name: string, context: string): Promise<SimpleEntry> => {
    const key = `simple\u0000${name}`;
    const url = `${pypiTarget.base}simple/${encodeURIComponent(name)}/`;
    const got = await judgeAndFetch(pypiEco, name, context, url, {
      accept: `${SIMPLE_JSON}, text/html;q=0.1`,
      contentTypes: SIMPLE_TYPES,
      authorization: pypiTarget.authorization,
    });
    if ("refusal" in got) return remember(key, { refusal: got.refusal, bodies: new Map() }, limits.cacheTtlMs, 1024);
    const { judgement, upstream } = got;
    const verdict = judgement.result.verdict;
    let raw: ReturnType<typeof filesFromSimpleHtml> | string;
    if (/^text\/html|^application\/vnd\.pypi\.simple\.v1\+html/i.test(upstream.contentType)) {
      raw = filesFromSimpleHtml(upstream.text);
    } else {
      try {
        raw = filesFromSimpleJson(name, JSON.parse(upstream.text));
      } catch {
        raw = "the upstream page is not valid JSON";
      }
    }
    if (typeof raw === "string") return { refusal: upstreamRefusal(name, raw), bodies: new Map() };
    const project = filterFiles(name, raw, upstream.url, pypiCheck(judgement.facts));
    if (project.listed > 0 && project.files.length === 0) {
      const reason = `Bouncer hid every file of ${name}: ${summarizeHidden(project.hidden)}`;
      return remember(key, { refusal: { status: 403, title: "Blocked by Bouncer", reason }, bodies: new Map() }, ttl(upstream.maxAgeMs), 1024);
    }
    return remember(key, { project, verdict, bodies: new Map() }, ttl(upstream.maxAgeMs), upstream.text.length * 2);
  };

  const simpleEntry = (name: string, context: string) => cached(`simple\u0000${name}`, () => loadSimple(name, context));

  const serveSimple = async (request: Request, raw: string, context: string): Promise<Response> => {
    const origin = publicRoot();
    const name = normalizePypiName(raw);
    if (!pypiEco.checkName(raw).ok) return indexRefusal(request, { status: 404, title: "Not Found", reason: `"${raw}" is not a valid project name` });
    if (name !== raw) return new Response(null, { status: 301, headers: { location: `${origin}/pypi/simple/${encodeURIComponent(name)}/` } });
    const format = negotiateSimple(request.headers.get("accept"));
    if (!format) return textRefusal({ status: 406, title: "Not Acceptable", reason: "this index serves PEP 691 JSON or PEP 503 HTML" });
    const entry = await simpleEntry(name, context);
    if (entry.refusal || !entry.project) return indexRefusal(request, entry.refusal!);
    const pypiBase = `${origin}/pypi/`;
    const body = rendered(`simple\u0000${name}`, entry, `${format}|${pypiBase}`, () =>
      format === "json" ? renderSimpleJson(entry.project!, pypiBase, pypiEco.compareVersions) : renderSimpleHtml(entry.project!, pypiBase),
    );
    return bodyResponse(body, format === "json" ? SIMPLE_JSON : "text/html; charset=utf-8", { vary: "Accept", ...verdictHeader(entry.verdict) });
  };

  const loadJsonApi = async (name: string, context: string): Promise<JsonApiEntry> => {
    const key = `pypi-json\u0000${name}`;
    const url = `${pypiTarget.base}pypi/${encodeURIComponent(name)}/json`;
    const got = await judgeAndFetch(pypiEco, name, context, url, {
      accept: "application/json",
      contentTypes: ["application/json"],
      authorization: pypiTarget.authorization,
    });
    if ("refusal" in got) return remember(key, { refusal: got.refusal, bodies: new Map() }, limits.cacheTtlMs, 1024);
    const { judgement, upstream } = got;
    const parsed = parseUpstream(name, upstream);
    if ("refusal" in parsed) return { refusal: parsed.refusal, bodies: new Map() };
    const { json } = parsed;
    const filtered = filterJsonApi(name, json, pypiCheck(judgement.facts), pypiEco.compareVersions);
    if (typeof filtered === "string") return { refusal: upstreamRefusal(name, filtered), bodies: new Map() };
    return remember(key, { filtered, verdict: judgement.result.verdict, bodies: new Map() }, ttl(upstream.maxAgeMs), upstream.text.length * 2);
  };

  const serveJsonApi = async (raw: string, context: string): Promise<Response> => {
    const name = normalizePypiName(raw);
    const refuse = (r: Refusal) => jsonResponse(r.status, { message: r.reason }, { "cache-control": "no-store" }, r.title);
    if (!pypiEco.checkName(raw).ok) return refuse({ status: 404, title: "Not Found", reason: `"${raw}" is not a valid project name` });
    const key = `pypi-json\u0000${name}`;
    const entry = await cached(key, () => loadJsonApi(name, context));
    if (entry.refusal || !entry.filtered) return refuse(entry.refusal!);
    const pypiBase = `${publicRoot()}/pypi/`;
    const body = rendered(key, entry, pypiBase, () => renderJsonApi(entry.filtered!, name, pypiBase));
    return bodyResponse(body, "application/json", verdictHeader(entry.verdict));
  };

  const serveFile = async (rawName: string, filename: string, context: string, info: RequestInfo | undefined): Promise<Response> => {
    const name = normalizePypiName(rawName);
    if (!pypiEco.checkName(rawName).ok) return textRefusal({ status: 404, title: "Not Found", reason: `"${rawName}" is not a valid project name` });
    const entry = await simpleEntry(name, context);
    if (entry.refusal || !entry.project) return textRefusal(entry.refusal!);
    const hidden = entry.project.hidden.get(filename);
    if (hidden) return textRefusal({ status: 403, title: "Blocked by Bouncer", reason: `Bouncer hid ${filename}: ${hidden}` });
    const file = entry.project.files.find((f) => f.filename === filename);
    if (!file) return textRefusal({ status: 404, title: "Not Found", reason: `${filename} is not a file of ${name}` });
    const refusal = await recheck(pypiEco, name, file.version, file.uploadTime, context);
    if (refusal) return textRefusal(refusal);
    return stream(file.url, fileDigests(file.hashes), pypiTarget, filename, textRefusal, info);
  };

  // ---- dispatch ----

  const authorized = (request: Request): boolean => {
    if (!tokenDigest) return true;
    const presented = presentedToken(request.headers.get("authorization"));
    return presented !== undefined && timingSafeEqual(digestOf(presented), tokenDigest);
  };

  const handle = async (request: Request, info: RequestInfo | undefined): Promise<Response> => {
    try {
      if (request.headers.get(HOP_HEADER) === instanceId) {
        return jsonResponse(508, { error: "the proxy's upstream is the proxy itself; configure another upstream registry" }, {}, "Loop Detected");
      }
      if (!authorized(request)) {
        return jsonResponse(401, { error: "this Bouncer proxy needs its token (npm: _authToken for the proxy URL; pip: https://user:TOKEN@host/...)" }, { "www-authenticate": 'Basic realm="bouncer"' }, "Unauthorized");
      }
      if (request.method !== "GET" && request.method !== "HEAD") {
        return jsonResponse(405, { error: "the Bouncer proxy only reads from registries" }, { allow: "GET, HEAD" }, "Method Not Allowed");
      }
      const url = new URL(request.url);
      const path = url.pathname;
      const context = `${request.method} ${path}${info?.clientAddress ? ` from ${info.clientAddress}` : ""}`;
      if (path.startsWith("/npm/")) return await routeNpm(request, path.slice(5), context, info);
      const simple = /^\/pypi\/simple\/([^/]+)(\/?)$/.exec(path);
      const pypiName = (raw: string | undefined) => (raw === undefined ? undefined : tooLong("the project name", raw, MAX_PYPI_NAME));
      if (simple) {
        const raw = decodeSegments(simple[1]!)?.[0];
        if (raw === undefined) return textRefusal({ status: 400, title: "Bad Request", reason: "bad project name" });
        const long = pypiName(raw);
        if (long) return textRefusal({ status: 400, title: "Bad Request", reason: long });
        if (!simple[2]) return new Response(null, { status: 301, headers: { location: `${publicRoot()}${path}/` } });
        return await serveSimple(request, raw, context);
      }
      if (path === "/pypi/simple/" || path === "/pypi/simple") {
        return textRefusal({ status: 404, title: "Not Found", reason: "the list of every project is not served through Bouncer; ask for a project page" });
      }
      const jsonApi = /^\/pypi\/pypi\/([^/]+)\/json\/?$/.exec(path);
      if (jsonApi) {
        const raw = decodeSegments(jsonApi[1]!)?.[0];
        if (raw === undefined) return notFound("bad project name");
        const long = pypiName(raw);
        if (long) return badRequest(long);
        return await serveJsonApi(raw, context);
      }
      const file = /^\/pypi\/files\/([^/]+)\/([^/]+)$/.exec(path);
      if (file) {
        const parts = decodeSegments(`${file[1]}/${file[2]}`);
        if (!parts) return notFound("bad file path");
        const long = pypiName(parts[0]) ?? tooLong("the file name", parts[1]!, MAX_FILE_NAME);
        if (long) return textRefusal({ status: 400, title: "Bad Request", reason: long });
        return await serveFile(parts[0]!, parts[1]!, context, info);
      }
      if (path === "/" || path === "/health") return jsonResponse(200, { bouncer: "proxy", npm: "/npm/", pypi: "/pypi/simple/" });
      return notFound(`${path} is not served by the Bouncer proxy (npm: /npm/, PyPI: /pypi/simple/)`);
    } catch (error) {
      // A failure of Bouncer itself: say so, serve nothing.
      return jsonResponse(500, { error: `Bouncer failed and served nothing: ${reasonOf(error)}` }, { "cache-control": "no-store" }, "Internal Server Error");
    }
  };
  // Each request in its own budget scope: the document bytes it caused are released once it is answered.
  return (request, info) => budget.run(() => handle(request, info));
}

/** The engine's verdict on a served document, for clients and tests to compare with `check`. */
function verdictHeader(verdict: string | undefined): Record<string, string> {
  return verdict ? { "x-bouncer-verdict": verdict } : {};
}

export { UpstreamBudget } from "./budget.ts";
export { HOP_HEADER, markHops } from "./upstream.ts";
