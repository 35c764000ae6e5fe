// bouncer check, end to end as a user runs it: offline over 100,000 names (live checks: check-live.bench.ts).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { FIXED_NOW } from "../test/support/registry-server.ts";
import { buildSharedData, SHARED } from "../test/support/shared-data.ts";
import { run } from "./cli.ts";
import type { BenchRow } from "./types.ts";
import { seededRandom } from "../test/support/random.ts";

/** A seeded mix of 100,000 distinct purls: real names (70%), one-letter typos (20%) and invented names (10%). */
export function names(count: number): string[] {
  const rand = seededRandom(42);
  const column = (file: string) =>
    gunzipSync(readFileSync(path.join(SHARED, "registry-snapshot", file))).toString("utf8").split("\n").slice(1, 120_001).map((l) => l.split("\t")[0]!).filter(Boolean);
  const pools = { npm: column("npm.tsv.gz"), pypi: column("pypi.tsv.gz") };
  const out = new Set<string>();
  while (out.size < count) {
    const eco = rand() < 0.5 ? "npm" : "pypi";
    const pool = pools[eco];
    let name = pool[Math.floor(rand() * pool.length)]!;
    const kind = rand();
    if (kind < 0.2) {
      const at = Math.floor(rand() * name.length);
      name = name.slice(0, at) + "abcdefghijklmnopqrstuvwxyz"[Math.floor(rand() * 26)] + name.slice(at + 1);
    } else if (kind < 0.3) name = `${name.replace(/^@[^/]+\//, "")}-${["utils", "helper", "sdk", "pro", "secure"][Math.floor(rand() * 5)]}`;
    out.add(`pkg:${eco}/${eco === "npm" ? name.replace(/^@/, "%40") : name}`);
  }
  return [...out];
}

export default async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const home = mkdtempSync(path.join(tmpdir(), "bench-check-"));
  await buildSharedData(home);

  const list = path.join(home, "names.txt");
  writeFileSync(list, names(100_000).join("\n"));
  const env = { BOUNCER_HOME: home, BOUNCER_NOW: FIXED_NOW };
  await run(["check", "--offline", "--json", "--from", list], env); // warm the file and compile caches
  const ms = Math.min(await run(["check", "--offline", "--json", "--from", list], env), await run(["check", "--offline", "--json", "--from", list], env));
  const rate = Math.round(100_000 / (ms / 1000));
  rows.push({ name: "check --offline, 100,000 names (process, JSON out)", value: rate, unit: "names/s", target: ">= 50,000 names/s", ok: rate >= 50_000 });
  // The same with the whole process on one CPU: V8's collector and compiler threads then share it.
  if (spawnSync("taskset", ["-c", "0", "true"]).status === 0) {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) runs.push(await run(["check", "--offline", "--json", "--from", list], env, { pinned: true }));
    const median = runs.sort((a, b) => a - b)[2]!;
    const pinnedRate = Math.round(100_000 / (median / 1000));
    rows.push({ name: "the same, whole process pinned to one CPU (taskset, median of 5)", value: pinnedRate, unit: "names/s" });
  }

  return rows;
}
