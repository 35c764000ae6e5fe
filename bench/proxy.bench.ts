// The registry proxy on loopback: added latency of cached documents against the upstream directly,
// requests per second, a run where 5% of upstream requests fail or hang (nothing blocked or
// unverified may be served, and the proxy must stay up), and the proxy's peak memory while 40
// clients ask at once for documents larger than it accepts. Every loop is bounded in count and time.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPolicy } from "../src/core/policy.ts";
import { nodeListener } from "../src/doors/proxy/http.ts";
import { createProxy, warmUp } from "../src/doors/proxy/index.ts";
import { normalizePypiName } from "../src/ecosystems/pypi/names.ts";
import { openGate } from "../src/engine/service.ts";
import { FEED_FILE } from "../src/engine/setup.ts";
import { importFeeds } from "../src/sources/feed/import.ts";
import { openFeedStore } from "../src/sources/feed/store.ts";
import type { Fetcher } from "../src/sources/http.ts";
import { FIXED_NOW, npmDocument, type RegistryServer, startRegistryServer } from "../test/support/registry-server.ts";
import type { BenchRow } from "./types.ts";
import { seededRandom as seeded } from "../test/support/random.ts";
import { cliEnvFor } from "../test/support/cli-env.ts";
import { type Served, serve as spawnServe } from "../test/support/serve.ts";

const OLD = "2016-01-01T00:00:00.000Z";
const YOUNG = "2026-11-23T08:00:00.000Z"; // 4 h before the fixed clock
const LATENCY_REQUESTS = 3_000;
const THROUGHPUT_MS = 3_000;
const THROUGHPUT_CONCURRENCY = 16;
const FAULT_PACKAGES = 400;
const FAULT_RATE = 0.05;
const OVERSIZED_CLIENTS = 40;
const OVERSIZED_BYTES = 100 * 1024 * 1024; // over every document cap (engine 20/40 MB, proxy 64 MB)

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function latencies(urls: string[], headers: Record<string, string>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < LATENCY_REQUESTS; i++) {
    const t = performance.now();
    const res = await get(urls[i % urls.length]!, headers);
    out.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${urls[i % urls.length]} answered ${res.status}`);
  }
  return out.sort((a, b) => a - b);
}

async function throughput(urls: string[], headers: Record<string, string>): Promise<number> {
  const end = performance.now() + THROUGHPUT_MS;
  let done = 0;
  let failed = 0;
  const worker = async (w: number) => {
    for (let i = w; performance.now() < end; i += THROUGHPUT_CONCURRENCY) {
      const res = await get(urls[i % urls.length]!, headers);
      if (res.status === 200) done++;
      else failed++;
    }
  };
  const t = performance.now();
  await Promise.all(Array.from({ length: THROUGHPUT_CONCURRENCY }, (_, w) => worker(w)));
  if (failed) throw new Error(`${failed} requests failed during the throughput run`);
  return done / ((performance.now() - t) / 1000);
}

/** `bouncer serve --port 0` as a separate process (the proxy gets its own core, as deployed). */
async function startServe(
  up: Pick<RegistryServer, "npmBase" | "downloadsBase" | "pypiBase">,
  home: string,
  dataDir = join(home, "data"),
): Promise<Served> {
  return spawnServe(["--port", "0"], cliEnvFor(up, home, { data: dataDir }), "inherit");
}

/** A deterministic stream of numbers in [0, 1). */
/** In front of the registry server: FAULT_RATE of requests answer 500 or never answer. */
async function faultyUpstream(up: RegistryServer): Promise<{ url: string; failedDocs: Set<string>; close: () => Promise<void> }> {
  const random = seeded(20261123);
  const failedDocs = new Set<string>();
  const server: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    const r = random();
    const doc = /^\/npm\/([^/]+)$/.exec(path);
    if (r < FAULT_RATE) {
      if (doc) failedDocs.add(decodeURIComponent(doc[1]!));
      if (r < FAULT_RATE / 2) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("injected failure");
      }
      return; // the other half hangs until the proxy gives up
    }
    fetch(new URL(path.slice(1), up.url), { headers: { accept: req.headers.accept ?? "*/*" } }).then(
      async (answer) => {
        const body = Buffer.from(await answer.arrayBuffer());
        res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/octet-stream" });
        res.end(body);
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    failedDocs,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Bounds every engine request, as a deployment with short upstream timeouts would. */
function withTimeout(ms: number): Fetcher {
  return (url, init = {}) => fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(ms)]) : AbortSignal.timeout(ms) });
}

async function faultRun(up: RegistryServer, home: string): Promise<{ served: number; refused: number; violations: string[]; upAfter: boolean }> {
  const names = { good: [] as string[], missing: [] as string[], malicious: [] as string[] };
  for (let i = 0; i < FAULT_PACKAGES; i++) {
    const kind = i % 8 === 0 ? "missing" : i % 8 === 1 ? "malicious" : "good";
    const name = `fault-${kind}-${i}`;
    names[kind].push(name);
    if (kind === "missing") continue;
    up.addNpmPackage(
      npmDocument({
        name,
        created: OLD,
        repository: `https://github.com/bench/${name}`,
        versions: [
          { version: "1.0.0", time: OLD },
          { version: "1.1.0", time: YOUNG },
        ],
      }),
      { downloads: 50_000 },
    );
  }
  const dataDir = join(home, "fault-data");
  const osvDir = join(home, "osv");
  mkdirSync(osvDir, { recursive: true });
  for (const name of names.malicious) {
    const record = { schema_version: "1.6.0", id: `MAL-BENCH-${name}`, modified: "2026-01-01T00:00:00Z", affected: [{ package: { ecosystem: "npm", name } }] };
    writeFileSync(join(osvDir, `${name}.json`), JSON.stringify(record));
  }
  const store = openFeedStore(join(dataDir, FEED_FILE));
  await importFeeds([osvDir], store, { npm: (n: string) => n, pypi: normalizePypiName });
  store.close();

  const faulty = await faultyUpstream(up);
  const policy = defaultPolicy();
  policy.thresholds.minimumVersionAgeHours = 48;
  const gate = await openGate({
    dataDir,
    offline: false,
    policy,
    now: new Date(FIXED_NOW),
    registries: { npm: `${faulty.url}npm/`, npmDownloads: `${faulty.url}downloads/`, pypi: `${faulty.url}pypi/` },
    fetch: withTimeout(400),
  });
  warmUp(gate);
  let base = "";
  const handler = createProxy({
    gate,
    upstreams: { npm: `${faulty.url}npm/`, pypi: `${faulty.url}pypi/` },
    limits: { documentTimeoutMs: 400 },
    publicUrl: () => base,
  });
  const server = createServer(nodeListener(handler));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const all = [...names.good, ...names.missing, ...names.malicious].sort((a, b) => Number(a.split("-").at(-1)) - Number(b.split("-").at(-1)));
  const outcomes = new Map<string, { status: number; body: Buffer }>();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < all.length) {
        const name = all[next++]!;
        outcomes.set(name, await get(`${base}/npm/${name}`, { accept: "application/vnd.npm.install-v1+json" }));
      }
    }),
  );
  const violations: string[] = [];
  let served = 0;
  for (const [name, { status, body }] of outcomes) {
    if (status !== 200) continue;
    served++;
    if (!name.startsWith("fault-good-")) violations.push(`${name}: a blocked package was served`);
    else if (faulty.failedDocs.has(name)) violations.push(`${name}: served although its document could not be fetched every time`);
    else if (Object.keys((JSON.parse(body.toString()) as { versions: object }).versions).join() !== "1.0.0") violations.push(`${name}: a too-young version was served`);
  }
  const upAfter = (await get(`${base}/health`)).status === 200;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await gate.close();
  await faulty.close();
  return { served, refused: outcomes.size - served, violations, upAfter };
}

/** Peak and current resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { peakMb: number; nowMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { peakMb: kb("VmHWM") / 1024, nowMb: kb("VmRSS") / 1024 };
}

/** An upstream whose every npm document is OVERSIZED_BYTES of JSON, streamed from one reused chunk. */
async function oversizedUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const server: Server = createServer((req, res) => {
    if (!req.url?.startsWith("/npm/")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end("{}");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"name":"x","versions":{},"padding":"');
    let sent = 0;
    const pump = () => {
      while (sent < OVERSIZED_BYTES) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      res.end('"}');
    };
    res.on("close", () => {
      sent = OVERSIZED_BYTES + 1; // the client left: stop generating
    });
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** 40 clients at once, each asking for a different oversized document: the proxy's peak RSS, and what they got. */
async function oversizedRun(home: string): Promise<{ beforeMb: number; peakMb: number; statuses: Map<number, number>; seconds: number }> {
  const upstream = await oversizedUpstream();
  const urls = { npmBase: `${upstream.url}npm/`, downloadsBase: `${upstream.url}downloads/`, pypiBase: `${upstream.url}pypi/` };
  const serve = await startServe(urls, home, join(home, "oversized-data"));
  try {
    await get(`${serve.base}/health`);
    const beforeMb = memoryOf(serve.child.pid!).nowMb;
    const t = performance.now();
    const answers = await Promise.all(
      Array.from({ length: OVERSIZED_CLIENTS }, (_, i) => get(`${serve.base}/npm/oversized-${i}`).catch(() => ({ status: 0, body: Buffer.alloc(0) }))),
    );
    const seconds = (performance.now() - t) / 1000;
    const statuses = new Map<number, number>();
    for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
    return { beforeMb, peakMb: memoryOf(serve.child.pid!).peakMb, statuses, seconds };
  } finally {
    serve.child.kill("SIGTERM");
    await upstream.close();
  }
}

export default async function (): Promise<BenchRow[]> {
  const home = mkdtempSync(join(tmpdir(), "bouncer-bench-proxy-"));
  const up = await startRegistryServer();
  let serve: Served | undefined;
  try {
    const names = up.addSyntheticPackages("npm", 45, "bench-doc-");
    for (let b = 0; b < 5; b++) {
      const name = `bench-big-${b}`;
      const versions = Array.from({ length: 300 }, (_, i) => ({ version: `1.${i}.0`, time: new Date(Date.parse(OLD) + i * 86_400_000).toISOString() }));
      up.addNpmPackage(npmDocument({ name, created: OLD, repository: `https://github.com/bench/${name}`, versions }), { downloads: 90_000 });
      names.push(name);
    }
    serve = await startServe(up, home);
    const accept = { accept: "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*" };
    const viaProxy = names.map((n) => `${serve!.base}/npm/${n}`);
    const direct = names.map((n) => `${up.npmBase}${n}`);
    for (const url of viaProxy) {
      const res = await get(url, accept);
      if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${res.body.toString().slice(0, 200)}`);
    }
    await latencies(direct.slice(0, 10), accept); // warm both paths
    const proxied = await latencies(viaProxy, accept);
    const upstream = await latencies(direct, accept);
    const rps = await throughput(viaProxy, accept);
    serve.child.kill("SIGTERM");
    serve = undefined;

    const fault = await faultRun(up, home);
    const oversized = await oversizedRun(home);
    const answered = [...oversized.statuses].map(([status, n]) => `${n}x ${status}`).join(", ");
    const added = (q: number) => Math.max(0, quantile(proxied, q) - quantile(upstream, q));
    return [
      { name: "proxy, cached document: p50", value: quantile(proxied, 0.5), unit: "ms" },
      { name: "proxy, cached document: p99", value: quantile(proxied, 0.99), unit: "ms" },
      { name: "upstream directly: p50 / p99", value: quantile(upstream, 0.5), unit: `ms / ${quantile(upstream, 0.99).toFixed(2)} ms` },
      { name: "added latency, cached document: p50", value: added(0.5), unit: "ms", target: "< 2 ms", ok: added(0.5) < 2 },
      { name: "added latency, cached document: p99", value: added(0.99), unit: "ms", target: "< 10 ms", ok: added(0.99) < 10 },
      { name: `proxy throughput, cached documents (${THROUGHPUT_CONCURRENCY} clients)`, value: Math.round(rps), unit: "req/s", target: ">= 1000 req/s", ok: rps >= 1000 },
      { name: `5% upstream faults: blocked or unverified served (of ${FAULT_PACKAGES})`, value: fault.violations.length, unit: "packages", target: "0", ok: fault.violations.length === 0 },
      { name: "5% upstream faults: served / refused", value: fault.served, unit: `served / ${fault.refused} refused`, ok: fault.served > 0 },
      { name: "5% upstream faults: proxy up afterwards", value: fault.upAfter ? 1 : 0, unit: "(1 = yes)", target: "1", ok: fault.upAfter },
      { name: `${OVERSIZED_CLIENTS} concurrent oversized documents: RSS before`, value: Math.round(oversized.beforeMb), unit: "MB" },
      {
        name: `${OVERSIZED_CLIENTS} concurrent oversized documents: peak RSS`,
        value: Math.round(oversized.peakMb),
        unit: "MB",
        target: "< 1024 MB",
        ok: oversized.peakMb < 1024,
      },
      {
        name: `${OVERSIZED_CLIENTS} concurrent oversized documents: served (answers: ${answered})`,
        value: oversized.statuses.get(200) ?? 0,
        unit: `in ${oversized.seconds.toFixed(1)} s`,
        target: "0",
        ok: !oversized.statuses.has(200),
      },
    ];
  } finally {
    serve?.child.kill("SIGTERM");
    agent.destroy();
    await up.close();
    rmSync(home, { recursive: true, force: true });
  }
}
