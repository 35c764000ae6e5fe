// bouncer serve [--port N] [--host H] [--token T] [--public-url URL] [--artifact-origin URL]...:
// the npm and PyPI registry proxy.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { parseArgs } from "node:util";
import { DEFAULT_NPM_REGISTRY } from "../../../ecosystems/npm/npmrc.ts";
import { DEFAULT_PYPI_URL } from "../../../ecosystems/pypi/pipconf.ts";
import { openGate } from "../../../engine/service.ts";
import type { EngineOptions } from "../../../engine/setup.ts";
import { nodeListener } from "../../proxy/http.ts";
import { createProxy, markHops, UpstreamBudget, warmUp } from "../../proxy/index.ts";
import { clock, COMMON_OPTIONS, engineOptions } from "../config.ts";
import { UsageError } from "../io.ts";
import type { Command } from "./types.ts";

export const DEFAULT_PORT = 8737;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === "::ffff:127.0.0.1";
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
      },
      allowPositionals: false,
      strict: true,
    });
    if (values.offline) throw new UsageError("the proxy forwards to the registries, so --offline does not apply to serve");
    const port = parsePort(values.port);
    const host = values.host ?? "127.0.0.1";
    const token = values.token ?? io.env.BOUNCER_PROXY_TOKEN ?? undefined;
    if (token !== undefined && token.length < 16) throw new UsageError("the proxy token must be at least 16 characters");
    if (!isLoopback(host) && !token) {
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
    const fallbacks = [
      { key: "npm", explicit: values["npm-registry"] ?? io.env.BOUNCER_NPM_REGISTRY ?? base.policy.registries.npm, public: DEFAULT_NPM_REGISTRY },
      { key: "pypi", explicit: values["pypi-url"] ?? io.env.BOUNCER_PYPI_URL ?? base.policy.registries.pypi, public: DEFAULT_PYPI_URL },
    ] as const;
    for (const f of fallbacks) {
      if (port !== 0 && !f.explicit && pointsAtSelf(registries[f.key], host, port)) {
        io.stderr.write(`bouncer serve: your ${f.key} configuration points at this proxy; forwarding ${f.key} to ${f.public}\n`);
        registries[f.key] = f.public;
      }
    }
    // Credentials only for the upstream they were configured for, from trusted configuration.
    const credentials = { npm: base.credentialsFor?.(registries.npm), pypi: base.credentialsFor?.(registries.pypi) };
    // One budget of upstream requests and buffered document bytes for the proxy and its engine.
    const budget = new UpstreamBudget();
    const options: EngineOptions = {
      ...base,
      registries,
      npmAuthorization: credentials.npm,
      pypiAuthorization: credentials.pypi,
      fetch: budget.documents(markHops(fetch, instanceId)),
      clock: now,
    };

    const gate = await openGate(options);
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
      fetch,
      instanceId,
      token,
      clock: now,
      publicUrl: () => publicUrl,
      artifactOrigins: artifacts,
      budget,
    });
    const server = createServer(nodeListener(handler));
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
      server.close();
      await gate.close();
      throw error;
    }
    warmUp(gate); // before the first request, which would otherwise wait for it
    server.on("error", (error) => io.stderr.write(`bouncer serve: ${error.message}\n`));
    io.stdout.write(`listening http://${shown}:${actualPort}\n`);

    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    server.close();
    server.closeAllConnections();
    await gate.close();
    return 0;
  },
};
