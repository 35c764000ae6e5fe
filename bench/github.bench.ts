// bouncer scan of 1,000 GitHub Actions workflows offline (the maintainers' workflows of the dataset,
// topped up with invented variants), end to end as a process: the shipped index answers every uses:.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run } from "./cli.ts";
import type { BenchRow } from "./types.ts";

const CORPUS = path.resolve(import.meta.dirname, "../../shared/datasets/github-actions/workflows");

export default async function bench(): Promise<BenchRow[]> {
  const repo = mkdtempSync(path.join(tmpdir(), "bench-workflows-"));
  const dir = path.join(repo, ".github", "workflows");
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f));
  for (const f of files) copyFileSync(path.join(CORPUS, f), path.join(dir, f));
  for (let i = files.length; i < 1000; i++) {
    const text = readFileSync(path.join(CORPUS, files[i % files.length]!), "utf8").replace(/@v(\d+)/g, (_, m) => `@v${Number(m) + (i % 3)}`);
    writeFileSync(path.join(dir, `variant-${i}.yml`), text);
  }
  const env = { BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "bench-gh-home-")), BOUNCER_NOW: "2026-12-07T00:00:00Z" };
  await run(["scan", "--offline", "--json", "."], env, { cwd: repo });
  const best = Math.min(await run(["scan", "--offline", "--json", "."], env, { cwd: repo }), await run(["scan", "--offline", "--json", "."], env, { cwd: repo }));
  return [{ name: "scan --offline, 1,000 GitHub Actions workflows", value: Math.round(best), unit: "ms", target: "< 2,000 ms", ok: best < 2000 }];
}
