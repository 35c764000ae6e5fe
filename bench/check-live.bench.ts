// bouncer check live, end to end as a user runs it: 1,000 npm packages against a local registry with
// 20 ms of latency per request, with an empty cache (cold) and from the cache (warm).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { CACHE_FILE_NAME } from "../src/sources/cache.ts";
import { FIXED_NOW, startRegistryServer } from "../test/support/registry-server.ts";
import { run } from "./cli.ts";
import type { BenchRow } from "./types.ts";

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export default async function bench(): Promise<BenchRow[]> {
  const server = await startRegistryServer({ latencyMs: 20, countOnly: true });
  const home = mkdtempSync(path.join(tmpdir(), "bench-live-"));
  try {
    const live = path.join(home, "live.txt");
    writeFileSync(live, server.addSyntheticPackages("npm", 1000).map((n) => `pkg:npm/${n}`).join("\n"));
    const env = {
      BOUNCER_HOME: path.join(home, "data"),
      BOUNCER_NOW: FIXED_NOW,
      BOUNCER_NPM_REGISTRY: server.npmBase,
      BOUNCER_NPM_DOWNLOADS_API: server.downloadsBase,
      BOUNCER_PYPI_URL: server.pypiBase,
    };
    // The first run of a data directory also builds the similarity tables (once per installation);
    // cold means an empty observation cache, as for a new lockfile.
    const firstEver = await run(["check", "--json", "--from", live], env);
    const emptyCache = () => {
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path.join(env.BOUNCER_HOME, CACHE_FILE_NAME + suffix), { force: true });
    };
    const cold = async (args: string[]) => {
      emptyCache();
      return run(args, env);
    };

    const one = median([await cold(["check", "--json", "pkg:npm/bench-npm-0"]), await cold(["check", "--json", "pkg:npm/bench-npm-1"]), await cold(["check", "--json", "pkg:npm/bench-npm-2"])]);
    const [documents, downloads] = [server.requestCount("npm"), server.requestCount("downloads")];
    const first = await cold(["check", "--json", "--from", live]);
    const requests = { documents: server.requestCount("npm") - documents, downloads: server.requestCount("downloads") - downloads };
    const coldMs = median([first, await cold(["check", "--json", "--from", live]), await cold(["check", "--json", "--from", live])]);
    const warmMs = median([await run(["check", "--json", "--from", live], env), await run(["check", "--json", "--from", live], env), await run(["check", "--json", "--from", live], env)]);
    return [
      { name: "check, 1,000 packages, 20 ms latency, first run of a data directory", value: Math.round(firstEver), unit: "ms" },
      { name: "check, 1 package, 20 ms latency, cold cache (median of 3)", value: Math.round(one), unit: "ms" },
      { name: "check, 1,000 packages, 20 ms latency, cold cache (median of 3)", value: Math.round(coldMs), unit: "ms", target: "< 1,000 ms", ok: coldMs < 1000 },
      { name: "check, 1,000 packages, warm cache (median of 3)", value: Math.round(warmMs), unit: "ms", target: "< 300 ms", ok: warmMs < 300 },
      { name: "registry requests, cold: package documents", value: requests.documents, unit: "requests" },
      { name: "registry requests, cold: downloads API (128 names a request)", value: requests.downloads, unit: "requests" },
    ];
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}
