// A real HTTP server on 127.0.0.1 that speaks enough of the npm registry (full and abbreviated
// documents, downloads API) and of PyPI (JSON API, simple API in HTML and PEP 691 JSON) for tests,
// with built-in fixtures and hostile routes selected by package name.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The fixed clock the fixtures are dated against. */
export const FIXED_NOW = "2026-11-23T12:00:00Z";

/** Package names that make every API (npm, downloads, PyPI JSON and simple) misbehave. */
export const HOSTILE = {
  status500: "hostile-500",
  rateLimited: "hostile-429",
  hang: "hostile-hang",
  huge: "hostile-huge",
  drip: "hostile-drip",
  invalidJson: "hostile-invalid-json",
  redirectElsewhere: "hostile-redirect",
  html: "hostile-html",
  wrongTypes: "hostile-wrong-types",
} as const;

/** Size the huge route streams (generated chunk by chunk, never held in memory). */
export const HUGE_BODY_BYTES = 512 * 1024 * 1024;

export interface NpmVersionSpec {
  version: string;
  time: string;
  deprecated?: string;
  scripts?: Record<string, string>;
  hasInstallScript?: boolean;
  repository?: unknown;
  dependencies?: Record<string, string>;
}

export interface NpmPackageSpec {
  name: string;
  /** Omitted: the document has no time.created (as some mirrors serve it). */
  created?: string;
  versions: NpmVersionSpec[];
  distTags?: Record<string, string>;
  description?: string;
  /** Omitted or null: no repository field at all. */
  repository?: unknown;
}

/** A realistic full npm document from a compact spec; dist.tarball is filled in when served. */
export function npmDocument(spec: NpmPackageSpec): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = {};
  for (const v of spec.versions) {
    const manifest: Record<string, unknown> = { name: spec.name, version: v.version, dependencies: v.dependencies ?? {} };
    if (spec.description !== undefined) manifest.description = spec.description;
    if (v.deprecated) manifest.deprecated = v.deprecated;
    if (v.scripts) manifest.scripts = v.scripts;
    if (v.hasInstallScript) manifest.hasInstallScript = true;
    const repository = v.repository ?? spec.repository;
    if (repository != null) manifest.repository = repository;
    versions[v.version] = manifest;
    time[v.version] = v.time;
  }
  const times = spec.versions.map((v) => v.time).sort();
  const doc: Record<string, unknown> = {
    _id: spec.name,
    name: spec.name,
    "dist-tags": spec.distTags ?? (spec.versions.length ? { latest: spec.versions[spec.versions.length - 1]!.version } : {}),
    versions,
    time: { ...(spec.created ? { created: spec.created } : {}), modified: times[times.length - 1] ?? spec.created, ...time },
  };
  if (spec.description !== undefined) doc.description = spec.description;
  if (spec.repository != null) doc.repository = spec.repository;
  return doc;
}

export interface PypiFileSpec {
  filename: string;
  uploadTime: string;
  /** Default: from the file name (sdist for archives, bdist_wheel for .whl). */
  packagetype?: string;
  /** true, or the yank reason. */
  yanked?: boolean | string;
}

export interface PypiProjectSpec {
  /** The name as registered (not normalised). */
  name: string;
  /** Merged into the JSON API "info" object (project_urls, home_page, summary...). */
  info?: Record<string, unknown>;
  releases: Record<string, PypiFileSpec[]>;
  /** "both" (default); "simple-only": no JSON API; "simple-html-only": no JSON API and no PEP 691. */
  api?: "both" | "simple-only" | "simple-html-only";
  /** PEP 792 status: `project-status` of the PEP 691 page, meta tags of the HTML page, `info.project_status` of the JSON API. */
  projectStatus?: { status: string; reason?: string };
}

export interface NpmPackageOptions {
  /** Monthly downloads for the downloads API; omitted: the API answers 404. */
  downloads?: number;
  /** Pads the full document (not the abbreviated one) with this many bytes, streamed. */
  padBytes?: number;
  /** Left out of bulk downloads answers (the key missing, as from a faulty API). */
  omitFromBulk?: boolean;
}

export interface RecordedRequest {
  server: "main" | "foreign";
  method: string;
  path: string;
  accept?: string;
  authorization?: string;
}

/** The API a request went to: npm documents, the downloads API (bulk or one name), PyPI. */
export type RequestKind = "npm" | "downloads" | "pypi" | "other";

function requestKind(path: string): RequestKind {
  if (/^\/(moved\/)?npm\//.test(path)) return "npm";
  if (path.startsWith("/downloads/")) return "downloads";
  return path.startsWith("/pypi/") ? "pypi" : "other";
}

export interface RegistryServerOptions {
  /** Delay before every answer of the main server. */
  latencyMs?: number;
  /** Keep only counts of requests (by kind), not the request log: for benchmarks of many requests. */
  countOnly?: boolean;
  /** When set, the main server answers 401 to requests without exactly this authorization header. */
  requireAuthorization?: string;
}

export interface RegistryServer {
  /** Origin with a trailing slash, e.g. http://127.0.0.1:PORT/ */
  url: string;
  /** npm registry base: documents at <npmBase><name>. */
  npmBase: string;
  /** PyPI base: <pypiBase>pypi/<name>/json and <pypiBase>simple/<name>/. */
  pypiBase: string;
  /** npm downloads API base: <downloadsBase>point/last-month/<name>. */
  downloadsBase: string;
  /** Another origin (other port) that hostile redirects point to; it records what reaches it. */
  foreignUrl: string;
  /** Requests to the main server: all, or those to one API. */
  requestCount(api?: RequestKind): number;
  /** Connections the main server accepted (keep-alive reuses them). */
  connectionCount(): number;
  requests(): RecordedRequest[];
  addNpmPackage(doc: Record<string, unknown>, options?: NpmPackageOptions): void;
  addPypiProject(project: PypiProjectSpec): void;
  /** Serves bytes at a path (e.g. a tarball a document points to); returns the absolute URL. */
  addFile(path: string, bytes: Uint8Array | string, contentType: string): string;
  /** Registers `count` generated packages (`${prefix}0`...) answered without storing documents. */
  addSyntheticPackages(ecosystem: "npm" | "pypi", count: number, prefix?: string): string[];
  close(): Promise<void>;
}

function normalizePypi(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

const DAY = 86_400_000;
function daysBefore(days: number): string {
  return new Date(Date.parse(FIXED_NOW) - days * DAY).toISOString();
}

function builtinNpm(): Array<[Record<string, unknown>, NpmPackageOptions]> {
  return [
    [
      npmDocument({
        name: "left-pad",
        created: "2014-03-24T05:31:33.530Z",
        description: "String left pad",
        repository: { type: "git", url: "git+https://github.com/stevemao/left-pad.git" },
        versions: [
          { version: "0.0.3", time: "2014-03-24T05:31:33.530Z", deprecated: "use String.prototype.padStart()" },
          { version: "1.0.0", time: "2015-12-15T10:00:00.000Z", deprecated: "use String.prototype.padStart()" },
          { version: "1.3.0", time: "2018-04-09T01:21:33.000Z", deprecated: "use String.prototype.padStart()" },
        ],
      }),
      { downloads: 2_500_000 },
    ],
    [
      npmDocument({
        name: "react",
        created: "2011-10-26T17:46:21.942Z",
        description: "React is a JavaScript library for building user interfaces.",
        repository: { type: "git", url: "git+https://github.com/facebook/react.git", directory: "packages/react" },
        versions: [
          { version: "0.0.1", time: "2011-10-26T17:46:22.000Z", deprecated: "not the React you are looking for" },
          { version: "18.2.0", time: "2022-06-14T19:46:38.369Z", dependencies: { "loose-envify": "^1.1.0" } },
          { version: "19.2.0", time: "2025-10-01T16:00:00.000Z" },
          { version: "19.3.0-canary-1", time: daysBefore(3) },
        ],
        distTags: { latest: "19.2.0", canary: "19.3.0-canary-1" },
      }),
      { downloads: 120_000_000 },
    ],
    [
      npmDocument({
        name: "@babel/core",
        created: "2017-01-06T10:00:00.000Z",
        description: "Babel compiler core.",
        repository: { type: "git", url: "https://github.com/babel/babel.git", directory: "packages/babel-core" },
        versions: [{ version: "7.26.0", time: "2024-10-25T13:30:00.000Z" }],
      }),
      { downloads: 80_000_000 },
    ],
    [
      npmDocument({
        name: "react-hooks-toolkit-pro",
        created: "2026-11-20T09:15:00.000Z",
        description: "",
        versions: [
          { version: "1.0.0", time: "2026-11-20T09:15:00.000Z", scripts: { postinstall: "node setup.js" } },
          { version: "1.0.1", time: "2026-11-23T06:00:00.000Z", scripts: { postinstall: "node setup.js", test: "x" } },
        ],
      }),
      { downloads: 37 },
    ],
    [
      npmDocument({
        name: "flatmap-stream",
        created: "2018-09-05T04:00:00.000Z",
        description: "security holding package",
        repository: "npm/security-holder",
        versions: [{ version: "0.0.1-security", time: "2018-11-26T18:00:00.000Z" }],
      }),
      { downloads: 800 },
    ],
    [
      npmDocument({
        name: "esbuild",
        created: "2020-01-07T06:00:00.000Z",
        description: "An extremely fast JavaScript and CSS bundler and minifier.",
        repository: { type: "git", url: "git+https://github.com/evanw/esbuild.git" },
        versions: [
          { version: "0.24.0", time: "2024-09-22T02:00:00.000Z", scripts: { postinstall: "node install.js" }, hasInstallScript: true },
        ],
      }),
      { downloads: 90_000_000 },
    ],
    [
      // Mirror-like: no time.created; the registry would have said.
      npmDocument({
        name: "mirror-lib",
        repository: "github:example/mirror-lib",
        versions: [{ version: "2.1.0", time: "2021-03-01T00:00:00.000Z" }],
      }),
      { downloads: 5_000 },
    ],
    [
      {
        _id: "gone-pkg",
        name: "gone-pkg",
        time: {
          created: "2019-02-01T00:00:00.000Z",
          modified: "2025-01-01T00:00:00.000Z",
          unpublished: { time: "2025-01-01T00:00:00.000Z", versions: ["1.0.0"] },
        },
      },
      {},
    ],
    [
      npmDocument({
        name: "same-origin-redirect",
        created: "2016-05-05T00:00:00.000Z",
        repository: "https://github.com/example/same-origin-redirect",
        versions: [{ version: "1.0.0", time: "2016-05-05T00:00:00.000Z" }],
      }),
      { downloads: 10_000 },
    ],
    [
      // Full document over a small cap; the abbreviated one fits.
      npmDocument({
        name: "huge-history",
        created: "2013-01-01T00:00:00.000Z",
        repository: "https://github.com/example/huge-history",
        versions: [
          { version: "1.0.0", time: "2013-01-01T00:00:00.000Z" },
          { version: "2.0.0", time: "2020-01-01T00:00:00.000Z", scripts: { install: "node-gyp rebuild" }, hasInstallScript: true },
        ],
      }),
      { downloads: 3_000_000, padBytes: 3 * 1024 * 1024 },
    ],
  ];
}

function wheel(name: string, version: string, uploadTime: string, yanked?: boolean | string): PypiFileSpec {
  return { filename: `${name.replace(/-/g, "_")}-${version}-py3-none-any.whl`, uploadTime, yanked };
}
function sdist(name: string, version: string, uploadTime: string, yanked?: boolean | string): PypiFileSpec {
  return { filename: `${name}-${version}.tar.gz`, uploadTime, yanked };
}

function builtinPypi(): PypiProjectSpec[] {
  return [
    {
      name: "requests",
      info: {
        summary: "Python HTTP for Humans.",
        home_page: "https://requests.readthedocs.io",
        project_urls: { Documentation: "https://requests.readthedocs.io", Source: "https://github.com/psf/requests" },
      },
      releases: {
        "0.2.0": [sdist("requests", "0.2.0", "2011-02-14T18:20:00")],
        "2.31.0": [sdist("requests", "2.31.0", "2023-05-22T15:12:40"), wheel("requests", "2.31.0", "2023-05-22T15:12:42")],
        "2.32.3": [sdist("requests", "2.32.3", "2024-05-29T15:37:49"), wheel("requests", "2.32.3", "2024-05-29T15:37:47")],
      },
    },
    {
      name: "PyYAML",
      info: { home_page: "https://pyyaml.org/", project_urls: { Homepage: "https://pyyaml.org/", "Source Code": "https://github.com/yaml/pyyaml" } },
      releases: {
        "6.0.2": [
          { filename: "PyYAML-6.0.2.tar.gz", uploadTime: "2024-08-06T20:33:50" },
          { filename: "PyYAML-6.0.2-cp312-cp312-manylinux_2_17_x86_64.whl", uploadTime: "2024-08-06T20:32:00" },
        ],
      },
    },
    {
      name: "fastapi-secure-auth-extension",
      info: { summary: "Secure auth for FastAPI", home_page: null, project_urls: null },
      releases: { "0.1.0": [sdist("fastapi-secure-auth-extension", "0.1.0", "2026-11-19T10:00:00")] },
    },
    {
      name: "legacy-sdist-lib",
      info: { home_page: "https://example.org/legacy", project_urls: { Homepage: "https://example.org/legacy" } },
      releases: {
        "0.9": [{ filename: "legacy-sdist-lib-0.9.zip", uploadTime: "2012-06-01T08:00:00" }],
        "1.0": [sdist("legacy-sdist-lib", "1.0", "2013-01-01T08:00:00")],
      },
    },
    {
      name: "yanked-everything",
      info: { project_urls: { Source: "https://github.com/example/yanked-everything" } },
      releases: {
        "1.0.0": [
          sdist("yanked-everything", "1.0.0", "2024-01-01T00:00:00", "security issue"),
          wheel("yanked-everything", "1.0.0", "2024-01-01T00:00:01", "security issue"),
        ],
      },
    },
    {
      name: "partly-yanked",
      info: { project_urls: { Repository: "https://gitlab.com/example/partly-yanked" } },
      releases: {
        "1.0.0": [wheel("partly-yanked", "1.0.0", "2022-01-01T00:00:00")],
        "1.1.0": [wheel("partly-yanked", "1.1.0", "2022-02-01T00:00:00", "broken build")],
      },
    },
    {
      name: "private-only-simple",
      api: "simple-only",
      releases: { "3.0.0": [wheel("private-only-simple", "3.0.0", "2023-03-03T00:00:00")] },
    },
    {
      name: "html-only-index",
      api: "simple-html-only",
      releases: {
        "1.0": [sdist("html-only-index", "1.0", "2020-01-01T00:00:00")],
        "1.1": [sdist("html-only-index", "1.1", "2020-02-01T00:00:00", "do not use")],
      },
    },
    { name: "empty-project", info: { project_urls: null, home_page: null }, releases: {} },
  ];
}

function sha(algorithm: string, data: Uint8Array | string, encoding: "hex" | "base64" = "hex"): string {
  return createHash(algorithm).update(data).digest(encoding);
}

function isoNoZone(iso: string): string {
  return new Date(Date.parse(iso.endsWith("Z") ? iso : `${iso}Z`)).toISOString().slice(0, 19);
}

function isoZ(iso: string): string {
  return new Date(Date.parse(iso.endsWith("Z") ? iso : `${iso}Z`)).toISOString().replace(".000Z", "Z");
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

interface ServedFile {
  bytes: Buffer;
  contentType: string;
}

function send(res: ServerResponse, status: number, body: string | Buffer, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": contentType, "content-length": String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, contentType = "application/json"): void {
  send(res, status, JSON.stringify(value), contentType);
}

/** Streams `prefix`, then `padBytes` of filler, then `suffix`, with back-pressure; stops when the client leaves. */
function streamPadded(res: ServerResponse, contentType: string, prefix: string, padBytes: number, suffix: string): void {
  res.writeHead(200, { "content-type": contentType });
  const chunk = Buffer.alloc(64 * 1024, "x");
  let sent = 0;
  let closed = false;
  res.on("close", () => {
    closed = true;
  });
  res.write(prefix);
  const pump = (): void => {
    while (!closed && sent < padBytes) {
      const piece = padBytes - sent >= chunk.length ? chunk : chunk.subarray(0, padBytes - sent);
      sent += piece.length;
      if (!res.write(piece)) {
        res.once("drain", pump);
        return;
      }
    }
    if (!closed) res.end(suffix);
  };
  pump();
}

/** The hostile behaviours; returns true when the name is hostile and the answer is under way. */
function hostile(name: string, res: ServerResponse, foreignUrl: string, path: string, jsonType: string): boolean {
  switch (name) {
    case HOSTILE.status500:
      send(res, 500, "Internal Server Error", "text/plain");
      return true;
    case HOSTILE.rateLimited:
      send(res, 429, "Too Many Requests", "text/plain", { "retry-after": "3600" });
      return true;
    case HOSTILE.hang:
      return true; // never answers
    case HOSTILE.huge:
      streamPadded(res, jsonType, `{"name":"${name}","padding":"`, HUGE_BODY_BYTES, '"}');
      return true;
    case HOSTILE.drip: {
      res.writeHead(200, { "content-type": jsonType });
      res.write("{");
      // JSON whitespace, one byte at a time, forever: only a total timeout stops it.
      const timer = setInterval(() => res.write(" "), 20);
      res.on("close", () => clearInterval(timer));
      return true;
    }
    case HOSTILE.invalidJson:
      send(res, 200, `{"name": "${name}", "versions": {"1.0.0": {`, jsonType);
      return true;
    case HOSTILE.redirectElsewhere:
      send(res, 302, "", "text/plain", { location: `${foreignUrl}${path.slice(1)}` });
      return true;
    case HOSTILE.html:
      send(res, 200, '<html><body><h1>Sign in</h1><a href="/login">Login</a></body></html>', "text/html; charset=utf-8");
      return true;
    case HOSTILE.wrongTypes:
      sendJson(
        res,
        200,
        {
          name,
          versions: "1.0.0",
          "dist-tags": ["latest"],
          time: 42,
          repository: 7,
          downloads: "many",
          info: { name, version: 3, project_urls: "none" },
          releases: ["1.0"],
          meta: { "api-version": 1 },
          files: "none",
        },
        jsonType,
      );
      return true;
  }
  return false;
}

function safeDecode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export async function startRegistryServer(options: RegistryServerOptions = {}): Promise<RegistryServer> {
  const log: RecordedRequest[] = [];
  const npm = new Map<string, { doc: Record<string, unknown>; options: NpmPackageOptions }>();
  const pypi = new Map<string, PypiProjectSpec>();
  const files = new Map<string, ServedFile>();
  const synthetic: Array<{ ecosystem: "npm" | "pypi"; prefix: string; count: number }> = [];
  const delayed = new Set<NodeJS.Timeout>();
  let url = "";
  let foreignUrl = "";

  const listen = async (server: Server): Promise<string> => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  };

  const counts = new Map<RequestKind, number>();
  let connections = 0;
  const record = (server: RecordedRequest["server"], req: IncomingMessage): void => {
    if (server === "main") {
      const kind = requestKind(req.url ?? "/");
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
    if (options.countOnly) return;
    const entry: RecordedRequest = { server, method: req.method ?? "GET", path: req.url ?? "/" };
    if (req.headers.accept) entry.accept = req.headers.accept;
    if (req.headers.authorization) entry.authorization = req.headers.authorization;
    log.push(entry);
  };

  const syntheticIndex = (ecosystem: "npm" | "pypi", name: string): number | null => {
    for (const rule of synthetic) {
      if (rule.ecosystem !== ecosystem || !name.startsWith(rule.prefix)) continue;
      const rest = name.slice(rule.prefix.length);
      if (/^\d+$/.test(rest) && Number(rest) < rule.count) return Number(rest);
    }
    return null;
  };

  const npmEntry = (name: string): { doc: Record<string, unknown>; options: NpmPackageOptions } | undefined => {
    const stored = npm.get(name);
    if (stored) return stored;
    const i = syntheticIndex("npm", name);
    if (i === null) return undefined;
    const created = new Date(Date.UTC(2015, 0, 1) + i * DAY).toISOString();
    return {
      doc: npmDocument({
        name,
        created,
        repository: `https://github.com/bench/${name}`,
        versions: [{ version: "1.0.0", time: created }],
      }),
      options: { downloads: 1_000 + i },
    };
  };

  const pypiEntry = (name: string): PypiProjectSpec | undefined => {
    const stored = pypi.get(normalizePypi(name));
    if (stored) return stored;
    const i = syntheticIndex("pypi", name);
    if (i === null) return undefined;
    const time = new Date(Date.UTC(2015, 0, 1) + i * DAY).toISOString().slice(0, 19);
    return {
      name,
      info: { project_urls: { Source: `https://github.com/bench/${name}` } },
      releases: { "1.0.0": [wheel(name, "1.0.0", time)] },
    };
  };

  /** The full document as served: tarball URLs and integrity filled in from the file store. */
  const servedNpmDoc = (doc: Record<string, unknown>): Record<string, unknown> => {
    const name = String(doc.name);
    const versions = doc.versions;
    if (typeof versions !== "object" || versions === null || Array.isArray(versions)) return doc;
    const filled: Record<string, unknown> = {};
    for (const [version, manifest] of Object.entries(versions as Record<string, Record<string, unknown>>)) {
      const base = name.slice(name.lastIndexOf("/") + 1);
      const tarballPath = `npm/${name}/-/${base}-${version}.tgz`;
      const file = files.get(`/${tarballPath}`);
      const bytes = file?.bytes ?? `${name}@${version}`;
      const dist = {
        tarball: `${url}${tarballPath}`,
        shasum: sha("sha1", bytes),
        integrity: `sha512-${sha("sha512", bytes, "base64")}`,
        ...(typeof manifest?.dist === "object" ? (manifest.dist as object) : {}),
      };
      filled[version] = typeof manifest === "object" && manifest !== null ? { ...manifest, dist } : manifest;
    }
    return { ...doc, versions: filled };
  };

  const abbreviatedNpmDoc = (doc: Record<string, unknown>): Record<string, unknown> => {
    const keep = ["name", "version", "dependencies", "optionalDependencies", "peerDependencies", "bin", "engines", "dist", "deprecated", "os", "cpu"];
    const versions: Record<string, unknown> = {};
    const full = doc.versions as Record<string, Record<string, unknown>> | undefined;
    for (const [version, manifest] of Object.entries(full ?? {})) {
      const short: Record<string, unknown> = {};
      for (const k of keep) if (manifest[k] !== undefined) short[k] = manifest[k];
      const scripts = (manifest.scripts ?? {}) as Record<string, unknown>;
      if (manifest.hasInstallScript || scripts.preinstall || scripts.install || scripts.postinstall) short.hasInstallScript = true;
      versions[version] = short;
    }
    const time = (doc.time ?? {}) as Record<string, unknown>;
    return { name: doc.name, modified: time.modified, "dist-tags": doc["dist-tags"], versions };
  };

  const handleNpm = (req: IncomingMessage, res: ServerResponse, name: string): void => {
    if (hostile(name, res, foreignUrl, req.url ?? "/", "application/json")) return;
    if (name === "same-origin-redirect" && !req.url?.startsWith("/moved/")) {
      send(res, 301, "", "text/plain", { location: `/moved/npm/${encodeURIComponent(name)}` });
      return;
    }
    const entry = npmEntry(name);
    if (!entry) {
      sendJson(res, 404, { error: "Not found" });
      return;
    }
    const doc = servedNpmDoc(entry.doc);
    if ((req.headers.accept ?? "").includes("application/vnd.npm.install-v1+json")) {
      sendJson(res, 200, abbreviatedNpmDoc(doc), "application/vnd.npm.install-v1+json");
    } else if (entry.options.padBytes) {
      const text = JSON.stringify(doc);
      streamPadded(res, "application/json", `${text.slice(0, -1)},"readme":"`, entry.options.padBytes, '"}');
    } else {
      sendJson(res, 200, doc);
    }
  };

  const point = (name: string, downloads: number) => ({ downloads, start: "2026-10-23", end: "2026-11-21", package: name });

  const handleDownloads = (req: IncomingMessage, res: ServerResponse, name: string): void => {
    if (name.includes(",")) {
      handleBulkDownloads(req, res, name.split(","));
      return;
    }
    if (hostile(name, res, foreignUrl, req.url ?? "/", "application/json")) return;
    const downloads = npmEntry(name)?.options.downloads;
    if (downloads === undefined) {
      sendJson(res, 404, { error: `package ${name} not found` });
      return;
    }
    sendJson(res, 200, point(name, downloads));
  };

  /** As api.npmjs.org: up to 128 unscoped names, an object keyed by name (null: no figure). */
  const handleBulkDownloads = (req: IncomingMessage, res: ServerResponse, names: string[]): void => {
    if (names.length > 128 || names.some((n) => n.startsWith("@"))) {
      sendJson(res, 400, { error: "bulk queries take up to 128 unscoped package names" });
      return;
    }
    // One hostile name spoils the whole answer: a failed batch.
    for (const name of names) if (hostile(name, res, foreignUrl, req.url ?? "/", "application/json")) return;
    const body: Record<string, unknown> = {};
    for (const name of names) {
      const entry = npmEntry(name);
      if (entry?.options.omitFromBulk) continue;
      body[name] = entry?.options.downloads === undefined ? null : point(name, entry.options.downloads);
    }
    sendJson(res, 200, body);
  };

  const pypiFileUrl = (filename: string): { url: string; sha256: string } => {
    const path = `packages/${filename}`;
    return { url: `${url}${path}`, sha256: sha("sha256", files.get(`/${path}`)?.bytes ?? filename) };
  };

  const packagetype = (f: PypiFileSpec): string => f.packagetype ?? (f.filename.endsWith(".whl") ? "bdist_wheel" : "sdist");

  const pypiJsonDoc = (p: PypiProjectSpec): Record<string, unknown> => {
    const versions = Object.keys(p.releases);
    const latest = versions[versions.length - 1] ?? null;
    const toJson = (f: PypiFileSpec) => {
      const { url: fileUrl, sha256 } = pypiFileUrl(f.filename);
      return {
        filename: f.filename,
        packagetype: packagetype(f),
        upload_time: isoNoZone(f.uploadTime),
        upload_time_iso_8601: isoZ(f.uploadTime),
        url: fileUrl,
        digests: { sha256 },
        yanked: Boolean(f.yanked),
        yanked_reason: typeof f.yanked === "string" ? f.yanked : null,
        requires_python: null,
        size: 1234,
      };
    };
    const releases: Record<string, unknown> = {};
    for (const [v, list] of Object.entries(p.releases)) releases[v] = list.map(toJson);
    return {
      info: {
        name: p.name,
        version: latest,
        summary: "",
        home_page: null,
        project_urls: null,
        yanked: false,
        ...(p.projectStatus ? { project_status: { status: p.projectStatus.status, reason: p.projectStatus.reason ?? null } } : {}),
        ...p.info,
      },
      releases,
      urls: latest ? (p.releases[latest] ?? []).map(toJson) : [],
      last_serial: 1,
    };
  };

  const allFiles = (p: PypiProjectSpec): PypiFileSpec[] => Object.values(p.releases).flat();

  const simpleJson = (p: PypiProjectSpec): Record<string, unknown> => {
    const doc: Record<string, unknown> = {
      meta: { "api-version": "1.1" },
      name: normalizePypi(p.name),
      versions: Object.keys(p.releases),
      files: allFiles(p).map((f) => {
        const { url: fileUrl, sha256 } = pypiFileUrl(f.filename);
        return { filename: f.filename, url: fileUrl, hashes: { sha256 }, "requires-python": null, yanked: f.yanked ?? false, "upload-time": isoZ(f.uploadTime), size: 1234 };
      }),
    };
    if (p.projectStatus) doc["project-status"] = p.projectStatus;
    return doc;
  };

  const simpleHtml = (p: PypiProjectSpec): string => {
    const links = allFiles(p).map((f) => {
      const { url: fileUrl, sha256 } = pypiFileUrl(f.filename);
      const yank = f.yanked ? ` data-yanked="${typeof f.yanked === "string" ? escapeHtml(f.yanked) : ""}"` : "";
      return `    <a href="${escapeHtml(fileUrl)}#sha256=${sha256}"${yank}>${escapeHtml(f.filename)}</a><br />`;
    });
    const title = escapeHtml(normalizePypi(p.name));
    const status = p.projectStatus
      ? `    <meta name="pypi:project-status" content="${escapeHtml(p.projectStatus.status)}">\n${
          p.projectStatus.reason === undefined ? "" : `    <meta name="pypi:project-status-reason" content="${escapeHtml(p.projectStatus.reason)}">\n`
        }`
      : "";
    return `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.1">\n${status}    <title>Links for ${title}</title>\n  </head>\n  <body>\n    <h1>Links for ${title}</h1>\n${links.join("\n")}\n  </body>\n</html>\n`;
  };

  const handlePypiJson = (req: IncomingMessage, res: ServerResponse, name: string): void => {
    if (hostile(name, res, foreignUrl, req.url ?? "/", "application/json")) return;
    const project = pypiEntry(name);
    if (!project || (project.api && project.api !== "both")) {
      sendJson(res, 404, { message: "Not Found" });
      return;
    }
    if (project.name !== name) {
      send(res, 301, "", "text/plain", { location: `/pypi/pypi/${encodeURIComponent(project.name)}/json` });
      return;
    }
    sendJson(res, 200, pypiJsonDoc(project));
  };

  const handleSimple = (req: IncomingMessage, res: ServerResponse, name: string): void => {
    if (hostile(name, res, foreignUrl, req.url ?? "/", "application/vnd.pypi.simple.v1+json")) return;
    const normalized = normalizePypi(name);
    if (normalized !== name) {
      send(res, 301, "", "text/plain", { location: `/pypi/simple/${encodeURIComponent(normalized)}/` });
      return;
    }
    const project = pypiEntry(name);
    if (!project) {
      send(res, 404, "Not Found", "text/plain");
      return;
    }
    const wantsJson = (req.headers.accept ?? "").includes("application/vnd.pypi.simple.v1+json");
    if (wantsJson && project.api !== "simple-html-only") {
      sendJson(res, 200, simpleJson(project), "application/vnd.pypi.simple.v1+json");
    } else {
      send(res, 200, simpleHtml(project), "text/html; charset=utf-8");
    }
  };

  const routes: Array<[RegExp, (req: IncomingMessage, res: ServerResponse, name: string) => void]> = [
    [/^\/(?:moved\/)?npm\/([^/]+(?:\/[^/]+)?)$/, handleNpm],
    [/^\/downloads\/point\/last-month\/([^/]+(?:\/[^/]+)?)$/, handleDownloads],
    [/^\/pypi\/pypi\/([^/]+)\/json$/, handlePypiJson],
    [/^\/pypi\/simple\/([^/]+)\/?$/, handleSimple],
  ];

  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? "/").split("?")[0]!;
    const file = files.get(path);
    if (file) {
      send(res, 200, file.bytes, file.contentType);
      return;
    }
    for (const [pattern, handler] of routes) {
      const m = pattern.exec(path);
      const name = m ? safeDecode(m[1]!) : null;
      if (name !== null) {
        handler(req, res, name);
        return;
      }
    }
    send(res, 404, "Not Found", "text/plain");
  };

  const main = createServer((req, res) => {
    record("main", req);
    if (options.requireAuthorization && req.headers.authorization !== options.requireAuthorization) {
      sendJson(res, 401, { error: "authentication required" });
      return;
    }
    if (!options.latencyMs) return route(req, res);
    const timer = setTimeout(() => {
      delayed.delete(timer);
      route(req, res);
    }, options.latencyMs);
    delayed.add(timer);
  });

  // The "elsewhere" a hostile redirect points to: it answers plausible documents, so a client that
  // wrongly followed the redirect would be caught reporting "exists".
  const foreign = createServer((req, res) => {
    record("foreign", req);
    const segments = (req.url ?? "/").split("?")[0]!.split("/").filter(Boolean);
    const name = safeDecode((segments.at(-1) === "json" ? segments.at(-2) : segments.at(-1)) ?? "x") ?? "x";
    sendJson(res, 200, {
      ...npmDocument({ name, created: "2010-01-01T00:00:00.000Z", versions: [{ version: "1.0.0", time: "2010-01-01T00:00:00.000Z" }] }),
      info: { name, version: "1.0.0" },
      releases: { "1.0.0": [] },
      meta: { "api-version": "1.1" },
      files: [],
      downloads: 1_000_000,
    });
  });

  main.on("connection", () => connections++);
  url = await listen(main);
  foreignUrl = await listen(foreign);

  for (const [doc, opts] of builtinNpm()) npm.set(String(doc.name), { doc, options: opts });
  for (const p of builtinPypi()) pypi.set(normalizePypi(p.name), p);

  return {
    url,
    npmBase: `${url}npm/`,
    pypiBase: `${url}pypi/`,
    downloadsBase: `${url}downloads/`,
    foreignUrl,
    requestCount: (api) => (api ? (counts.get(api) ?? 0) : [...counts.values()].reduce((a, b) => a + b, 0)),
    connectionCount: () => connections,
    requests: () => [...log],
    addNpmPackage(doc, opts = {}) {
      if (typeof doc.name !== "string") throw new Error("an npm document needs a name");
      npm.set(doc.name, { doc, options: opts });
    },
    addPypiProject(project) {
      pypi.set(normalizePypi(project.name), project);
    },
    addFile(path, bytes, contentType) {
      const clean = path.startsWith("/") ? path : `/${path}`;
      files.set(clean, { bytes: Buffer.from(bytes), contentType });
      return `${url}${clean.slice(1)}`;
    },
    addSyntheticPackages(ecosystem, count, prefix = `bench-${ecosystem}-`) {
      synthetic.push({ ecosystem, prefix, count });
      return Array.from({ length: count }, (_, i) => `${prefix}${i}`);
    },
    async close() {
      for (const timer of delayed) clearTimeout(timer);
      for (const server of [main, foreign]) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
  };
}
