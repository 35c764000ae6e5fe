// bouncer scan end to end: a 50,000-file repository offline, and a project with 2,000 locked
// packages against a local registry (20 ms latency) once the cache is warm.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FIXED_NOW, startRegistryServer } from "../test/support/registry-server.ts";
import { buildSharedData } from "../test/support/shared-data.ts";
import { run } from "./cli.ts";
import type { BenchRow } from "./types.ts";

const POPULAR_NPM = ["react", "lodash", "express", "axios", "chalk", "zod", "vue", "commander", "debug", "uuid"];
const POPULAR_PYPI = ["requests", "numpy", "pandas", "flask", "django", "boto3", "pyyaml", "click"];

/** A repository: source files importing real packages, docs, data and assets, node_modules to skip. */
function makeRepository(root: string, files: number): void {
  const write = (rel: string, text: string) => {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  write("package.json", JSON.stringify({ name: "big", dependencies: Object.fromEntries(POPULAR_NPM.map((n) => [n, "*"])) }));
  write("requirements.txt", POPULAR_PYPI.join("\n"));
  write(".gitignore", "dist/\n");
  for (let i = 0; i < files - 3; i++) {
    const dir = `pkg${i % 200}/sub${i % 7}`;
    const kind = i % 10;
    if (kind < 4) {
      write(`${dir}/m${i}.ts`, `import { a } from "${POPULAR_NPM[i % 10]}";\nimport b from "./local${i}";\nexport const x${i} = a(b);\n`);
    } else if (kind < 6) {
      write(`${dir}/m${i}.py`, `import os\nimport ${POPULAR_PYPI[i % 8] === "pyyaml" ? "yaml" : POPULAR_PYPI[i % 8]}\nfrom .local import thing\n`);
    } else if (kind === 6) {
      write(`${dir}/README${i}.md`, `# Part ${i}\n\nRun \`npm install ${POPULAR_NPM[i % 10]}\`.\n`);
    } else {
      write(`${dir}/data${i}.${["csv", "png", "c"][i % 3]}`, `${i},${i * 2}\n`);
    }
  }
  write("node_modules/ignored/package.json", "{}");
}

export default async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const home = mkdtempSync(path.join(tmpdir(), "bench-scan-"));
  await buildSharedData(home);
  const repo = mkdtempSync(path.join(tmpdir(), "bench-repo-"));
  makeRepository(repo, 50_000);
  const env = { BOUNCER_HOME: home, BOUNCER_NOW: FIXED_NOW };
  await run(["scan", "--offline", "--json", "."], env, { cwd: repo });
  const big = Math.min(await run(["scan", "--offline", "--json", "."], env, { cwd: repo }), await run(["scan", "--offline", "--json", "."], env, { cwd: repo }));
  rows.push({ name: "scan --offline, repository of 50,000 files", value: Math.round(big), unit: "ms", target: "< 5,000 ms", ok: big < 5000 });

  const server = await startRegistryServer({ latencyMs: 20 });
  try {
    const names = server.addSyntheticPackages("npm", 2000);
    const project = mkdtempSync(path.join(tmpdir(), "bench-locked-"));
    const packages: Record<string, unknown> = { "": { name: "locked", dependencies: Object.fromEntries(names.map((n) => [n, "1.0.0"])) } };
    for (const n of names) packages[`node_modules/${n}`] = { version: "1.0.0", resolved: `${server.npmBase}${n}/-/${n}-1.0.0.tgz` };
    writeFileSync(path.join(project, "package-lock.json"), JSON.stringify({ name: "locked", lockfileVersion: 3, requires: true, packages }, null, 2));
    const liveEnv = {
      BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "bench-scan-live-")),
      BOUNCER_NOW: FIXED_NOW,
      BOUNCER_NPM_REGISTRY: server.npmBase,
      BOUNCER_NPM_DOWNLOADS_API: server.downloadsBase,
      BOUNCER_PYPI_URL: server.pypiBase,
    };
    const cold = await run(["scan", "--json", "package-lock.json"], liveEnv, { cwd: project });
    rows.push({ name: "scan, 2,000 locked packages, cold (20 ms latency)", value: Math.round(cold), unit: "ms" });
    const warm = Math.min(await run(["scan", "--json", "package-lock.json"], liveEnv, { cwd: project }), await run(["scan", "--json", "package-lock.json"], liveEnv, { cwd: project }));
    rows.push({ name: "scan, 2,000 locked packages, warm cache", value: Math.round(warm), unit: "ms", target: "< 500 ms", ok: warm < 500 });
  } finally {
    await server.close();
  }
  return rows;
}
