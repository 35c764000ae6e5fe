// A proxy over the local registry server, with its own data dir, policy, feed and clock.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPolicy, type Policy } from "../../../src/core/policy.ts";
import { createProxy, type ProxyDeps, type ProxyHandler, warmUp } from "../../../src/doors/proxy/index.ts";
import { nodeListener } from "../../../src/doors/proxy/http.ts";
import { normalizePypiName } from "../../../src/ecosystems/pypi/names.ts";
import { type Gate, openGate } from "../../../src/engine/service.ts";
import { FEED_FILE } from "../../../src/engine/setup.ts";
import { importFeeds } from "../../../src/sources/feed/import.ts";
import { openFeedStore } from "../../../src/sources/feed/store.ts";
import type { Fetcher } from "../../../src/sources/http.ts";
import { npmTarball, wheel } from "../../support/artifacts.ts";
import { FIXED_NOW, npmDocument, type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";

export { FIXED_NOW };

export interface ProxyFixture {
  up: RegistryServer;
  gate: Gate;
  handler: ProxyHandler;
  dataDir: string;
  /** GET through the handler in process (no socket on the proxy side). */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Listens on 127.0.0.1:0; resolves to the base URL, e.g. http://127.0.0.1:PORT */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface FixtureOptions {
  minimumVersionAgeHours?: number;
  policy?: Policy;
  /** OSV records imported into the feed before the engine opens. */
  osv?: object[];
  upstream?: RegistryServer;
  token?: string;
  clients?: ProxyDeps["clients"];
  /** The proxy's own upstream fetch (the engine keeps the real one). */
  proxyFetch?: Fetcher;
  limits?: ProxyDeps["limits"];
  upstreams?: Partial<ProxyDeps["upstreams"]>;
  npmAuthorization?: string;
  /** npm scope registries, given to the engine and the proxy alike (as `bouncer serve` does). */
  npmScopes?: ProxyDeps["upstreams"]["npmScopes"];
  instanceId?: string;
  artifactOrigins?: ProxyDeps["artifactOrigins"];
  budget?: ProxyDeps["budget"];
  /** The engine's fetch (default: the global one), e.g. to make its registry lookups fail. */
  engineFetch?: Fetcher;
  /** Build the engine's name data before the first request (for tight upstream timeouts). */
  warm?: boolean;
}

export const ORIGIN = "http://proxy.test";

export function osvRecord(id: string, ecosystem: "npm" | "PyPI", name: string, versions: string[]): object {
  return {
    schema_version: "1.6.0",
    id,
    modified: "2026-01-01T00:00:00Z",
    summary: `Malicious code in ${name}`,
    affected: [{ package: { ecosystem, name }, versions }],
  };
}

export async function startProxy(options: FixtureOptions = {}): Promise<ProxyFixture> {
  const up = options.upstream ?? (await startRegistryServer());
  const dataDir = mkdtempSync(join(tmpdir(), "bouncer-proxy-"));
  if (options.osv?.length) {
    const dir = join(dataDir, "osv");
    mkdirSync(dir);
    for (const [i, record] of options.osv.entries()) writeFileSync(join(dir, `r${i}.json`), JSON.stringify(record));
    const store = openFeedStore(join(dataDir, FEED_FILE));
    await importFeeds([dir], store, { npm: (n: string) => n, pypi: normalizePypiName });
    store.close();
  }
  const policy = options.policy ?? defaultPolicy();
  if (options.minimumVersionAgeHours !== undefined) policy.thresholds.minimumVersionAgeHours = options.minimumVersionAgeHours;
  const gate = await openGate({
    dataDir,
    offline: false,
    policy,
    now: new Date(FIXED_NOW),
    registries: { npm: up.npmBase, npmDownloads: up.downloadsBase, pypi: up.pypiBase },
    npmAuthorization: options.npmAuthorization,
    npmScopes: options.npmScopes,
    fetch: options.engineFetch,
  });
  if (options.warm) warmUp(gate);
  // Documents name ORIGIN for in-process requests, the socket's address once listening.
  let publicUrl = ORIGIN;
  const handler = createProxy({
    gate,
    upstreams: { npm: up.npmBase, pypi: up.pypiBase, npmAuthorization: options.npmAuthorization, npmScopes: options.npmScopes, ...options.upstreams },
    fetch: options.proxyFetch,
    token: options.token,
    clients: options.clients,
    limits: options.limits,
    instanceId: options.instanceId,
    publicUrl: () => publicUrl,
    artifactOrigins: options.artifactOrigins,
    budget: options.budget,
  });
  let server: Server | undefined;
  return {
    up,
    gate,
    handler,
    dataDir,
    get: (path, headers = {}) => handler(new Request(`${ORIGIN}${path}`, { headers })),
    async listen() {
      server = createServer(nodeListener(handler));
      await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
      publicUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      return publicUrl;
    },
    async close() {
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      await gate.close();
      if (!options.upstream) await up.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface NpmRelease {
  version: string;
  time: string;
  dependencies?: Record<string, string>;
}

/** Publishes an npm package with real tarballs on the upstream; returns the tarball bytes by version. */
export function publishNpm(
  up: RegistryServer,
  name: string,
  releases: NpmRelease[],
  options: { distTags?: Record<string, string>; downloads?: number; created?: string; edit?: (doc: Record<string, unknown>) => void } = {},
): Map<string, Buffer> {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const bytes = new Map<string, Buffer>();
  for (const r of releases) {
    const tgz = npmTarball(name, r.version, r.dependencies ? { dependencies: r.dependencies } : {});
    bytes.set(r.version, tgz);
    up.addFile(`npm/${name}/-/${base}-${r.version}.tgz`, tgz, "application/octet-stream");
  }
  const doc = npmDocument({
    name,
    created: options.created ?? releases[0]?.time,
    description: `${name} for tests`,
    repository: { type: "git", url: `git+https://github.com/example/${base}.git` },
    versions: releases,
    distTags: options.distTags,
  });
  options.edit?.(doc);
  up.addNpmPackage(doc, { downloads: options.downloads ?? 250_000 });
  return bytes;
}

/** Publishes a PyPI project with one real wheel per release; returns the wheels by version. */
export function publishPypi(
  up: RegistryServer,
  name: string,
  releases: Array<{ version: string; time: string }>,
  options: { api?: "both" | "simple-only" | "simple-html-only" } = {},
): Map<string, { filename: string; bytes: Buffer }> {
  const wheels = new Map<string, { filename: string; bytes: Buffer }>();
  const spec: Record<string, Array<{ filename: string; uploadTime: string }>> = {};
  for (const r of releases) {
    const w = wheel(name, r.version);
    wheels.set(r.version, w);
    up.addFile(`packages/${w.filename}`, w.bytes, "application/octet-stream");
    spec[r.version] = [{ filename: w.filename, uploadTime: r.time }];
  }
  up.addPypiProject({ name, api: options.api, info: { summary: `${name} for tests`, project_urls: { Source: `https://github.com/example/${name}` } }, releases: spec });
  return wheels;
}
