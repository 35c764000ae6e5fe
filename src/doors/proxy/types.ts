// The proxy's configuration and its handler's shape, shared by the dispatcher, the pipeline and the route groups.
import type { WaiverContext } from "../../core/waivers.ts";
import type { Gate } from "../../engine/service.ts";
import type { Fetcher } from "../../sources/http.ts";
import type { RequestInfo } from "../service/node-http.ts";
import type { UpstreamBudget } from "./budget.ts";

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

/** PyPI sets none; no real project comes near it. */
export const MAX_PYPI_NAME = 200;
/** A file name (tarball or distribution) no file system would take beyond this. */
export const MAX_FILE_NAME = 255;

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
  /** When set, clients must present it (Bearer, or the password of Basic credentials); its holders are unscoped. */
  token?: string;
  /**
   * Clients with their own tokens (also accepted when `token` is unset): the waivers scoped to a
   * client's team or project apply to its requests only. From trusted configuration.
   */
  clients?: readonly ProxyClient[];
  /** The clock for ages; default: the engine's (fixed) time. */
  clock?: () => Date;
  limits?: Partial<ProxyLimits>;
  /** Marks this proxy's own upstream requests (loop detection); share it with the engine's fetch. */
  instanceId?: string;
}

/** What the node adapter knows of a request beyond the Request itself. */
export type { RequestInfo };

export type ProxyHandler = (request: Request, info?: RequestInfo) => Promise<Response>;

/** A client of the proxy with a token of its own, and the team or project it belongs to. */
export interface ProxyClient {
  /** For the decision log: "as NAME". */
  name: string;
  token: string;
  team?: string;
  project?: string;
}

/** Who asks, for every decision a request causes. */
export interface Asking {
  /** "GET /npm/x from 1.2.3.4 as web-ci": the context logged with each decision. */
  text: string;
  /** The authenticated client's scope: empty for the shared token or an open proxy. */
  caller: WaiverContext;
}

/** One request as a route group sees it: the path below its prefix, and who asks. */
export interface RouteRequest {
  request: Request;
  /** The path below the group's prefix, still percent-encoded. */
  rest: string;
  context: Asking;
  info: RequestInfo | undefined;
}

/** The routes of one ecosystem's registry protocol, mounted at a prefix (as hono's `app.route`). */
export interface RouteGroup {
  /** "/npm/": every path below it is this group's. */
  prefix: string;
  /** Where a client points its tool: shown by the health route and in a not-found answer. */
  home: { key: string; label: string; path: string };
  /** The answer, or undefined when no route of the group matches (the proxy's not-found then). */
  handle(route: RouteRequest): Promise<Response | undefined>;
}
