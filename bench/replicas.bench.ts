// Replicas of `bouncer serve` on loopback: one on the embedded SQLite store against three sharing
// one PostgreSQL schema. Requests per second per replica and the p99 latency added to package files
// (every file is judged again and its decision logged: the store's path), real npm and pip clients
// through a PostgreSQL replica, then a run with 5% upstream faults and one replica killed mid-run:
// nothing blocked or unverified may be served, and the shared decision log must verify afterwards.
// Skipped (one row saying so) where no PostgreSQL answers. Every loop is bounded in count and time.
import { type ChildProcess, execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { normalizePypiName } from "../src/ecosystems/pypi/names.ts";
import { FEED_FILE } from "../src/engine/setup.ts";
import { importFeeds } from "../src/sources/feed/import.ts";
import { openFeedStore } from "../src/sources/feed/store.ts";
import { publishNpm, publishPypi } from "../test/doors/proxy/setup.ts";
import { postgresForTests } from "../test/support/postgres.ts";
import { cliEnvFor } from "../test/support/cli-env.ts";
import { seededRandom } from "../test/support/random.ts";
import { type RegistryServer, startRegistryServer } from "../test/support/registry-server.ts";
import { serve } from "../test/support/serve.ts";
import type { BenchRow } from "./types.ts";

const MAIN = new URL("../bin/bouncer.js", import.meta.url).pathname;
const OLD = "2016-01-01T00:00:00.000Z";
const GOOD = 120;
const EVIL = 20;
const MISSING = 20;
const PY_GOOD = 10;
const LATENCY_REQUESTS = 300;
const THROUGHPUT_MS = 3_000;
const CLIENTS_PER_REPLICA = 6;
const FAULT_RATE = 0.05;
const FAULT_REQUESTS = 600;
const FAULT_WORKERS = 9;

const agent = new Agent({ keepAlive: true, maxSockets: 128 });

interface Answer {
  status: number;
  body: Buffer;
  verdict?: string;
}

function get(url: string, timeoutMs = 20_000): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), verdict: res.headers["x-bouncer-verdict"] as string | undefined }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

interface Replica {
  base: string;
  child: ChildProcess;
}

interface Upstream {
  npmBase: string;
  downloadsBase: string;
  pypiBase: string;
}

/** A data directory with the malicious feed imported (each replica has its own: the feed is local data). */
async function dataDirWithFeed(home: string, name: string, evil: readonly string[]): Promise<string> {
  const dir = join(home, name);
  const osv = join(home, `${name}-osv`);
  mkdirSync(osv, { recursive: true });
  for (const n of evil) {
    writeFileSync(join(osv, `${n}.json`), JSON.stringify({ schema_version: "1.6.0", id: `MAL-BENCH-${n}`, modified: "2026-01-01T00:00:00Z", affected: [{ package: { ecosystem: "npm", name: n } }] }));
  }
  mkdirSync(dir, { recursive: true });
  const feed = openFeedStore(join(dir, FEED_FILE));
  await importFeeds([osv], feed, { npm: (n: string) => n, pypi: normalizePypiName });
  feed.close();
  return dir;
}

async function startReplica(up: Upstream, home: string, dataDir: string, store?: { url: string; schema: string }): Promise<Replica> {
  const env = {
    ...cliEnvFor(up, home, { data: dataDir }),
    BOUNCER_POLL_MS: "1000",
    ...(store ? { BOUNCER_STORE_URL: store.url, BOUNCER_STORE_SCHEMA: store.schema } : {}),
  };
  const { base, child } = await serve(["--port", "0"], env, "ignore");
  for (let i = 0; i < 100; i++) {
    if ((await get(`${base}/readyz`)).status === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { base, child };
}

function stop(replicas: readonly Replica[]): void {
  for (const r of replicas) if (r.child.exitCode === null) r.child.kill("SIGTERM");
}

/** p50/p99 of file requests through the replicas (round robin) and of the same files directly. */
async function fileLatency(replicas: readonly Replica[], up: RegistryServer, names: readonly string[]): Promise<{ proxied: number[]; direct: number[] }> {
  const proxied: number[] = [];
  const direct: number[] = [];
  for (let i = 0; i < LATENCY_REQUESTS; i++) {
    const name = names[i % names.length]!;
    const path = `${name}/-/${name}-1.0.0.tgz`;
    let t = performance.now();
    const a = await get(`${replicas[i % replicas.length]!.base}/npm/${path}`);
    proxied.push(performance.now() - t);
    if (a.status !== 200) throw new Error(`${path} answered ${a.status}: ${a.body.toString().slice(0, 200)}`);
    t = performance.now();
    await get(`${up.url}npm/${path}`);
    direct.push(performance.now() - t);
  }
  return { proxied: proxied.sort((a, b) => a - b), direct: direct.sort((a, b) => a - b) };
}

/** Every replica under CLIENTS_PER_REPLICA concurrent clients at once, for THROUGHPUT_MS: files served per second, per replica. */
async function throughput(replicas: readonly Replica[], names: readonly string[]): Promise<number[]> {
  const end = performance.now() + THROUGHPUT_MS;
  const done = replicas.map(() => 0);
  let failed = 0;
  const t = performance.now();
  await Promise.all(
    replicas.flatMap((r, ri) =>
      Array.from({ length: CLIENTS_PER_REPLICA }, async (_, w) => {
        for (let i = w; performance.now() < end; i += CLIENTS_PER_REPLICA) {
          const name = names[i % names.length]!;
          const a = await get(`${r.base}/npm/${name}/-/${name}-1.0.0.tgz`);
          if (a.status === 200) done[ri]!++;
          else failed++;
        }
      }),
    ),
  );
  if (failed) throw new Error(`${failed} requests failed during the throughput run`);
  const seconds = (performance.now() - t) / 1000;
  return done.map((n) => n / seconds);
}

function run(command: string, args: string[], env: Record<string, string>, cwd: string): Promise<number> {
  return new Promise((resolve) => {
    execFile(command, args, { env, cwd, timeout: 120_000 }, (error) => resolve(error ? (typeof error.code === "number" ? error.code : 1) : 0));
  });
}

/** npm and pip themselves through one replica: installs that must pass and one that must not. */
async function realClients(base: string, home: string): Promise<{ passed: number; total: number }> {
  const results: boolean[] = [];
  const npmHome = mkdtempSync(join(home, "npm-"));
  writeFileSync(join(npmHome, "empty-npmrc"), "");
  writeFileSync(join(npmHome, "empty-global-npmrc"), "");
  writeFileSync(join(npmHome, "package.json"), JSON.stringify({ name: "bench-project", version: "1.0.0", private: true }));
  const npmEnv = {
    PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}`,
    HOME: npmHome,
    npm_config_cache: join(npmHome, ".cache"),
    npm_config_userconfig: join(npmHome, "empty-npmrc"),
    npm_config_globalconfig: join(npmHome, "empty-global-npmrc"),
    npm_config_update_notifier: "false",
  };
  const npmArgs = (spec: string) => ["install", spec, "--registry", `${base}/npm/`, "--no-audit", "--no-fund", "--ignore-scripts", "--fetch-retries=0", "--no-progress"];
  results.push((await run("npm", npmArgs("rb-good-1"), npmEnv, npmHome)) === 0);
  results.push((await run("npm", npmArgs("rb-evil-1"), npmEnv, npmHome)) !== 0);
  const pipEnv = { PATH: process.env.PATH ?? "", HOME: npmHome, PIP_CONFIG_FILE: "/dev/null", PIP_NO_INPUT: "1", PYTHONDONTWRITEBYTECODE: "1" };
  const pip = (spec: string) => [
    "-m",
    "pip",
    "install",
    "--isolated",
    "--no-cache-dir",
    "--disable-pip-version-check",
    "--retries",
    "0",
    "--index-url",
    `${base}/pypi/simple/`,
    "--target",
    mkdtempSync(join(home, "pip-")),
    spec,
  ];
  results.push((await run("python3", pip("rb-py-1"), pipEnv, npmHome)) === 0);
  results.push((await run("python3", pip("rb-py-missing"), pipEnv, npmHome)) !== 0);
  return { passed: results.filter(Boolean).length, total: results.length };
}

/** In front of the registry: FAULT_RATE of requests answer 500 or have their connection reset. */
async function faultyUpstream(up: RegistryServer): Promise<{ url: string; close(): Promise<void> }> {
  const random = seededRandom(20261207);
  let own = "";
  const server: Server = createServer((req, res) => {
    const r = random();
    if (r < FAULT_RATE) {
      if (r < FAULT_RATE / 2) {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end("injected failure");
      } else req.socket.destroy();
      return;
    }
    fetch(new URL((req.url ?? "/").slice(1), up.url), { headers: { accept: req.headers.accept ?? "*/*" } }).then(
      async (answer) => {
        const type = answer.headers.get("content-type") ?? "application/octet-stream";
        let body = Buffer.from(await answer.arrayBuffer());
        // Documents name the files at this front too, so that file downloads meet the faults as well.
        if (/json|html/.test(type)) body = Buffer.from(body.toString("utf8").replaceAll(up.url, own));
        res.writeHead(answer.status, { "content-type": type });
        res.end(body);
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  own = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url: own,
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface FaultOutcome {
  requests: number;
  served: number;
  refused: number;
  retried: number;
  /** Refusals by status ("none": every replica tried was gone). */
  statuses: Map<string, number>;
  violations: string[];
}

/**
 * Workers ask the replicas in turn for documents and files of good, malicious and missing packages;
 * a client whose replica is gone (connection refused, reset) retries on the next one, as an
 * installer behind a load balancer does. Halfway, one replica is killed (SIGKILL).
 */
async function faultRun(replicas: readonly Replica[], tarballs: ReadonlyMap<string, string>): Promise<FaultOutcome> {
  const random = seededRandom(7);
  const out: FaultOutcome = { requests: 0, served: 0, refused: 0, retried: 0, statuses: new Map(), violations: [] };
  const refuse = (status: string) => {
    out.refused++;
    out.statuses.set(status, (out.statuses.get(status) ?? 0) + 1);
  };
  let next = 0;
  let killed = false;
  const worker = async (w: number) => {
    while (next < FAULT_REQUESTS) {
      const i = next++;
      if (!killed && i >= FAULT_REQUESTS / 2) {
        killed = true;
        replicas[2]!.child.kill("SIGKILL");
      }
      const kind = random();
      const n = Math.floor(random() * 1000);
      const name = kind < 0.7 ? `rb-good-${n % GOOD}` : kind < 0.85 ? `rb-evil-${n % EVIL}` : `rb-missing-${n % MISSING}`;
      const path = random() < 0.5 ? `/npm/${name}` : `/npm/${name}/-/${name}-1.0.0.tgz`;
      let answer: Answer | undefined;
      for (let attempt = 0; attempt < replicas.length && !answer; attempt++) {
        try {
          answer = await get(`${replicas[(w + i + attempt) % replicas.length]!.base}${path}`);
        } catch {
          out.retried++;
        }
      }
      out.requests++;
      if (!answer) {
        refuse("none");
        continue;
      }
      if (answer.status !== 200) {
        refuse(String(answer.status));
        continue;
      }
      out.served++;
      if (!name.startsWith("rb-good-")) out.violations.push(`${path}: a blocked package was served`);
      else if (path.endsWith(".tgz") && sha(answer.body) !== tarballs.get(name)) out.violations.push(`${path}: bytes that are not the published file were served`);
      else if (!path.endsWith(".tgz") && answer.verdict !== "allow" && answer.verdict !== "warn") out.violations.push(`${path}: served with verdict ${answer.verdict}`);
    }
  };
  await Promise.all(Array.from({ length: FAULT_WORKERS }, (_, w) => worker(w)));
  return out;
}

function auditVerify(store: { url: string; schema: string }, home: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MAIN, "audit", "verify", "--store", store.url, "--store-schema", store.schema],
      { env: { PATH: process.env.PATH, HOME: home, BOUNCER_HOME: join(home, "audit") }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}${stderr}`.trim() }),
    );
  });
}

export default async function (): Promise<BenchRow[]> {
  const pg = await postgresForTests();
  if (!pg) return [{ name: "replicas on PostgreSQL: SKIPPED, no PostgreSQL at 127.0.0.1:5432", value: 0, unit: "" }];
  const home = mkdtempSync(join(tmpdir(), "bouncer-bench-replicas-"));
  const up = await startRegistryServer({ countOnly: true });
  const store = { url: pg.url, schema: `bouncer_bench_${randomBytes(4).toString("hex")}` };
  const running: Replica[] = [];
  try {
    const tarballs = new Map<string, string>();
    const good = Array.from({ length: GOOD }, (_, i) => `rb-good-${i}`);
    const evil = Array.from({ length: EVIL }, (_, i) => `rb-evil-${i}`);
    for (const name of [...good, ...evil]) {
      const bytes = publishNpm(up, name, [{ version: "1.0.0", time: OLD }], { created: OLD });
      tarballs.set(name, sha(bytes.get("1.0.0")!));
    }
    for (let i = 0; i < PY_GOOD; i++) publishPypi(up, `rb-py-${i}`, [{ version: "1.0.0", time: OLD }]);
    const clean: Upstream = up;

    // The embedded store: one replica (SQLite is one machine's).
    const sqlite = await startReplica(clean, home, await dataDirWithFeed(home, "sqlite", evil));
    running.push(sqlite);
    for (const name of good) await get(`${sqlite.base}/npm/${name}`);
    const sqliteLatency = await fileLatency([sqlite], up, good);
    const [sqliteRps] = await throughput([sqlite], good);
    stop([sqlite]);

    // Three replicas on one PostgreSQL schema.
    const pgReplicas: Replica[] = [];
    for (let i = 0; i < 3; i++) pgReplicas.push(await startReplica(clean, home, await dataDirWithFeed(home, `pg-${i}`, evil), store));
    running.push(...pgReplicas);
    for (const r of pgReplicas) for (const name of good) await get(`${r.base}/npm/${name}`);
    const pgLatency = await fileLatency(pgReplicas, up, good);
    const pgRps = await throughput(pgReplicas, good);
    const singleRps = (await throughput([pgReplicas[0]!], good))[0]!;
    const clients = await realClients(pgReplicas[1]!.base, home);
    stop(pgReplicas);

    // 5% upstream faults, one replica killed mid-run.
    const faulty = await faultyUpstream(up);
    const faultUp: Upstream = { npmBase: `${faulty.url}npm/`, downloadsBase: `${faulty.url}downloads/`, pypiBase: `${faulty.url}pypi/` };
    const faultReplicas: Replica[] = [];
    for (let i = 0; i < 3; i++) faultReplicas.push(await startReplica(faultUp, home, await dataDirWithFeed(home, `fault-${i}`, evil), store));
    running.push(...faultReplicas);
    const fault = await faultRun(faultReplicas, tarballs);
    stop(faultReplicas);
    await faulty.close();
    const audit = await auditVerify(store, home);

    const added = (l: { proxied: number[]; direct: number[] }, q: number) => Math.max(0, quantile(l.proxied, q) - quantile(l.direct, q));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return [
      { name: "file through the proxy (judged + logged), SQLite: p50 / p99", value: quantile(sqliteLatency.proxied, 0.5), unit: `ms / ${quantile(sqliteLatency.proxied, 0.99).toFixed(2)} ms` },
      { name: "file through the proxy (judged + logged), PostgreSQL x3: p50 / p99", value: quantile(pgLatency.proxied, 0.5), unit: `ms / ${quantile(pgLatency.proxied, 0.99).toFixed(2)} ms` },
      { name: "added latency p99, SQLite store", value: added(sqliteLatency, 0.99), unit: "ms" },
      { name: "added latency p99, PostgreSQL store", value: added(pgLatency, 0.99), unit: "ms" },
      { name: `throughput, SQLite, 1 replica (${CLIENTS_PER_REPLICA} clients)`, value: Math.round(sqliteRps!), unit: "files/s" },
      { name: `throughput, PostgreSQL, 1 replica alone (${CLIENTS_PER_REPLICA} clients)`, value: Math.round(singleRps), unit: "files/s" },
      {
        name: `throughput, PostgreSQL, 3 replicas at once: per replica (${CLIENTS_PER_REPLICA} clients each)`,
        value: Math.round(mean(pgRps)),
        unit: `files/s (${pgRps.map((r) => Math.round(r)).join(" / ")}; ${Math.round(pgRps.reduce((a, b) => a + b, 0))} total)`,
      },
      { name: "real npm and pip clients through a PostgreSQL replica: as expected", value: clients.passed, unit: `of ${clients.total}`, target: `${clients.total}`, ok: clients.passed === clients.total },
      { name: `5% faults + 1 of 3 replicas killed: blocked or unverified served (of ${fault.requests})`, value: fault.violations.length, unit: "requests", target: "0", ok: fault.violations.length === 0 },
      {
        name: "5% faults + 1 replica killed: served / refused / client retries",
        value: fault.served,
        unit: `served / ${fault.refused} refused (${[...fault.statuses].map(([s, n]) => `${n}x ${s}`).join(", ")}) / ${fault.retried} retries`,
        ok: fault.served > 0,
      },
      { name: `decision log after the run: ${audit.output.split("\n").at(-1)}`, value: audit.code, unit: "(exit code)", target: "0", ok: audit.code === 0 },
    ];
  } finally {
    stop(running);
    agent.destroy();
    await up.close();
    await pg.query(`DROP SCHEMA IF EXISTS "${store.schema}" CASCADE`).catch(() => undefined);
    await pg.dropAll();
    rmSync(home, { recursive: true, force: true });
  }
}
