// bouncer serve [--port N] [--host H] [--token T] [--public-url URL] [--artifact-origin URL]... [--store URL]:
// the npm and PyPI registry proxy, as a service: a stateless replica over the store (SQLite in the
// data directory, or PostgreSQL shared by replicas), with /healthz, /readyz, /metrics, JSON logs on
// stderr and a draining shutdown. Every setting also comes from the environment (containers).
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { parseArgs } from "node:util";
import { REGISTRY_OPTIONS } from "../../../ecosystems/registries.ts";
import { openGate } from "../../../engine/service.ts";
import { instrumentStore } from "../../../store/instrument.ts";
import { StoreUnavailableError } from "../../../store/types.ts";
import type { EngineOptions } from "../../../engine/setup.ts";
import { sharedNodeFetcher } from "../../../sources/node-fetch.ts";
import { withDashboard } from "../../dashboard/http.ts";
import { serveDashboard } from "../../dashboard/wire.ts";
import { nodeListener } from "../../proxy/http.ts";
import { createProxy, markHops, UpstreamBudget, warmUp } from "../../proxy/index.ts";
import { type AuthConfig, authenticator, MIN_TOKEN_LENGTH, parseProxyClients } from "../../service/auth.ts";
import { ServiceMetrics } from "../../service/metrics.ts";
import { createService, type LogRecord, recordMetrics, type ServiceRoute, timedFetch } from "../../service/service.ts";
import { clock, COMMON_OPTIONS, engineOptions, explicitRegistry } from "../config.ts";
import { UsageError } from "../io.ts";
import { openCliStore, STORE_OPTIONS } from "../store.ts";
import type { Command } from "./types.ts";

export const DEFAULT_PORT = 8737;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
}

/** A duration in milliseconds from the environment, within bounds. */
function parseMs(name: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined || text === "") return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${name} must be a number of milliseconds from ${min} to ${max}, not "${text}"`);
  return n;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, not "${text}"`, "--port 0 picks a free port");
  return Number(text);
}

/** An http(s) URL with nothing but scheme, host, port and path (the proxy appends its own paths). */
function parseBaseUrl(option: string, text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`${option} must be an http(s) URL, not "${text}"`);
  }
  if ((url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password || url.search || url.hash) {
    throw new UsageError(`${option} must be an http(s) URL without credentials, query or fragment, not "${text}"`);
  }
  return url;
}

/** Trusted configuration only: flags, then the environment (space- or comma-separated). */
function artifactOrigins(flags: string[] | undefined, env: string | undefined): string[] {
  const given = flags?.length ? flags : (env ?? "").split(/[\s,]+/).filter(Boolean);
  return given.map((u) => parseBaseUrl("--artifact-origin", u).origin);
}

/** An upstream on this very address would make every request call itself. */
function pointsAtSelf(upstream: string, host: string, port: number): boolean {
  try {
    const url = new URL(upstream);
    const upstreamPort = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const hostname = url.hostname.replace(/^\[|\]$/g, "");
    return upstreamPort === port && (isLoopback(hostname) || hostname === host || host === "0.0.0.0" || host === "::");
  } catch {
    return false;
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      if (error.code === "EADDRINUSE") reject(new UsageError(`port ${port} on ${host} is in use`, "pick another with --port, or --port 0 for a free one"));
      else if (error.code === "EADDRNOTAVAIL" || error.code === "ENOTFOUND") reject(new UsageError(`cannot listen on ${host}: ${error.code}`));
      else reject(error);
    };
    const onListening = () => {
      server.off("error", onError);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
}

export const serve: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        port: { type: "string", short: "p" },
        host: { type: "string" },
        token: { type: "string" },
        "public-url": { type: "string" },
        "artifact-origin": { type: "string", multiple: true },
        ...STORE_OPTIONS,
      },
      allowPositionals: false,
      strict: true,
    });
    if (values.offline) throw new UsageError("the proxy forwards to the registries, so --offline does not apply to serve");
    const port = parsePort(values.port ?? io.env.BOUNCER_PORT);
    const host = values.host ?? io.env.BOUNCER_HOST ?? "127.0.0.1";
    const token = values.token ?? io.env.BOUNCER_PROXY_TOKEN ?? undefined;
    if (token !== undefined && token.length < MIN_TOKEN_LENGTH) throw new UsageError(`the proxy token must be at least ${MIN_TOKEN_LENGTH} characters`);
    // The service's own pages (dashboard, metrics): viewer and admin tokens, or a trusted reverse proxy's identity header.
    const viewerToken = io.env.BOUNCER_VIEWER_TOKEN || undefined;
    const adminToken = io.env.BOUNCER_ADMIN_TOKEN || undefined;
    for (const [name, t] of [["BOUNCER_VIEWER_TOKEN", viewerToken], ["BOUNCER_ADMIN_TOKEN", adminToken]] as const) {
      if (t !== undefined && t.length < MIN_TOKEN_LENGTH) throw new UsageError(`${name} must be at least ${MIN_TOKEN_LENGTH} characters`);
    }
    const identityHeader = io.env.BOUNCER_IDENTITY_HEADER || undefined;
    if (identityHeader !== undefined && !/^[A-Za-z0-9-]{1,100}$/.test(identityHeader)) throw new UsageError(`BOUNCER_IDENTITY_HEADER must be a header name, not "${identityHeader}"`);
    const admins = (io.env.BOUNCER_ADMINS ?? "").split(/[\s,]+/).filter(Boolean);
    const pollMs = parseMs("BOUNCER_POLL_MS", io.env.BOUNCER_POLL_MS, 2_000, 100, 600_000);
    const drainMs = parseMs("BOUNCER_DRAIN_MS", io.env.BOUNCER_DRAIN_MS, 25_000, 0, 600_000);
    // A replica serves many callers: a waiver scoped to a team or project applies to the requests of
    // that team's or project's own client token, never to every caller of the replica.
    for (const name of ["BOUNCER_TEAM", "BOUNCER_PROJECT"] as const) {
      if (io.env[name]) {
        throw new UsageError(
          `${name} does not apply to serve: a proxy's callers are told apart by their tokens, not by the replica`,
          'give each team its own token in BOUNCER_CLIENT_TOKENS, e.g. [{"name":"web-ci","token":"...","team":"web"}]',
        );
      }
    }
    let clients: ReturnType<typeof parseProxyClients> = [];
    if (io.env.BOUNCER_CLIENT_TOKENS) {
      try {
        clients = parseProxyClients(io.env.BOUNCER_CLIENT_TOKENS);
      } catch (error) {
        throw new UsageError(`BOUNCER_CLIENT_TOKENS ${(error as Error).message}`, '[{"name":"web-ci","token":"16+ characters","team":"web","project":"shop"}]');
      }
    }
    if (!isLoopback(host) && !token && !clients.length) {
      throw new UsageError(
        `refusing to listen on ${host} without a token: anyone who reaches it could use your registry credentials`,
        "set BOUNCER_PROXY_TOKEN (clients send it as npm's _authToken for the proxy URL, or pip's https://user:TOKEN@host/...)",
      );
    }
    // The URLs written into documents name this proxy: from configuration, never from a request's Host header.
    const publicText = values["public-url"] ?? io.env.BOUNCER_PUBLIC_URL;
    const configuredPublic = publicText ? parseBaseUrl("--public-url", publicText).href : undefined;
    if (!configuredPublic && (host === "0.0.0.0" || host === "::")) {
      throw new UsageError(`listening on every address (${host}), Bouncer cannot know the URL clients reach it at`, "set --public-url (or BOUNCER_PUBLIC_URL), e.g. https://bouncer.example.com/");
    }
    const artifacts = artifactOrigins(values["artifact-origin"], io.env.BOUNCER_ARTIFACT_ORIGINS);

    // A running server's clock moves, unless BOUNCER_NOW pins it.
    const pinned = io.env.BOUNCER_NOW ? clock(io) : undefined;
    const now = () => pinned ?? new Date();
    const instanceId = randomUUID();
    const base = engineOptions(values, io);
    // Clients are usually configured to use this proxy; that configuration is then no upstream.
    const registries = { ...base.registries };
    for (const option of REGISTRY_OPTIONS) {
      const upstream = registries[option.key];
      if (port !== 0 && upstream && !explicitRegistry(option, values, io, base.policy) && pointsAtSelf(upstream, host, port)) {
        io.stderr.write(`bouncer serve: your ${option.key} configuration points at this proxy; forwarding ${option.key} to ${option.defaultUrl}\n`);
        registries[option.key] = option.defaultUrl;
      }
    }
    // Credentials only for the upstream they were configured for, from trusted configuration.
    const credentials = { npm: base.credentialsFor?.(registries.npm), pypi: base.credentialsFor?.(registries.pypi) };
    // One budget of upstream requests and buffered document bytes for the proxy and its engine.
    const budget = new UpstreamBudget();
    const metrics = new ServiceMetrics();
    const log = (record: LogRecord) => void io.stderr.write(`${JSON.stringify(record)}\n`);
    const options: EngineOptions = {
      ...base,
      registries,
      npmAuthorization: credentials.npm,
      pypiAuthorization: credentials.pypi,
      // The engine's lookups over kept-alive connections (and the DNS cache), marked as this proxy's hops.
      fetch: budget.documents(markHops(timedFetch(sharedNodeFetcher(), metrics), instanceId)),
      clock: now,
    };

    let failClosed: (error: unknown) => void = () => {};
    const store = instrumentStore(await openCliStore(values, io, options.dataDir, options.logKey, now), {
      operation(operation, seconds, error) {
        metrics.storeSeconds.observe(seconds, { operation, outcome: error ? "error" : "ok" });
        if (error instanceof StoreUnavailableError) failClosed(error);
      },
      cacheLookup: (hit) => metrics.cacheLookups.inc({ result: hit ? "hit" : "miss" }),
    });
    let gate: Awaited<ReturnType<typeof openGate>>;
    try {
      gate = await openGate(options, { store, livePolicy: true, onRecord: recordMetrics(metrics) });
    } catch (error) {
      await store.close();
      throw error;
    }
    const shown = host.includes(":") ? `[${host}]` : host;
    let publicUrl = configuredPublic ?? "";
    const handler = createProxy({
      gate,
      upstreams: {
        npm: options.registries.npm,
        npmScopes: options.npmScopes,
        npmAuthorization: credentials.npm,
        pypi: options.registries.pypi,
        pypiAuthorization: credentials.pypi,
      },
      fetch: timedFetch(fetch, metrics),
      instanceId,
      token,
      clients,
      clock: now,
      publicUrl: () => publicUrl,
      artifactOrigins: artifacts,
      budget,
    });
    const routes: ServiceRoute[] = [];
    const auth: AuthConfig = { viewerToken, adminToken, identityHeader, admins, local: isLoopback(host) && !viewerToken && !adminToken && !identityHeader };
    const service = createService({ proxy: handler, gate, metrics, routes, log, auth });
    // The dashboard at /ui/, with the same identities (it reads its own small request bodies).
    const dashboard = serveDashboard({ gate, verify: { key: options.logKey }, authenticate: authenticator(auth), signIn: !auth.local, clock: now });
    failClosed = service.storeDown;
    metrics.gauge("bouncer_ready", "1 when the store answers and the replica takes requests", () => (service.state().ready ? 1 : 0));
    metrics.gauge("bouncer_policy_version", "The store's policy version in force (0: the configured policy)", () => gate.policyVersion ?? 0);
    await service.poll();
    const poller = setInterval(() => void service.poll(), pollMs);
    poller.unref();
    const server = createServer(withDashboard(dashboard, nodeListener(service.handler)));
    let actualPort: number;
    try {
      actualPort = await listen(server, port, host);
      publicUrl ||= `http://${shown}:${actualPort}/`;
      const upstreams = [options.registries.npm, options.registries.pypi, ...Object.values(options.npmScopes ?? {}).map((s) => s.baseUrl)];
      const loop = upstreams.find((u) => pointsAtSelf(u, host, actualPort));
      if (loop) {
        throw new UsageError(
          `the upstream ${loop} is this proxy itself`,
          "point Bouncer at the real registry with --npm-registry/--pypi-url (or BOUNCER_NPM_REGISTRY/BOUNCER_PYPI_URL)",
        );
      }
    } catch (error) {
      clearInterval(poller);
      server.close();
      await gate.close();
      await store.close();
      throw error;
    }
    warmUp(gate); // before the first request, which would otherwise wait for it
    server.on("error", (error) => io.stderr.write(`bouncer serve: ${error.message}\n`));
    io.stdout.write(`listening http://${shown}:${actualPort}\n`);
    log({ time: new Date().toISOString(), level: "info", msg: "listening", url: publicUrl, store: store.location, storeKind: store.kind, ready: service.state().ready });

    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    // Drain: no new requests (readyz says so), those in flight finish, then the connections close.
    log({ time: new Date().toISOString(), level: "info", msg: "draining", inFlight: service.state().inFlight });
    clearInterval(poller);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, drainMs);
    });
    await Promise.race([Promise.all([service.drain(), closed]), deadline]);
    clearTimeout(timer);
    server.closeAllConnections();
    await gate.close();
    await store.close();
    log({ time: new Date().toISOString(), level: "info", msg: "stopped" });
    return 0;
  },
};
