// npm run build (and prepack): compiles src/ to JavaScript + .d.ts in dist/, for the published package.
// Node refuses to strip types under node_modules, so an installed Bouncer must run JavaScript; the repo
// itself keeps running the .ts sources. dist/ has src/'s folder depth, so paths like ../../data still
// resolve, and gets every non-TypeScript file of src/ (the dashboard's assets) at the same place.
// `--out DIR` builds elsewhere (the package tests build into a temp dir, never into the repo's dist/).
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({ options: { out: { type: "string", default: path.join(root, "dist") } } });
const out = path.resolve(values.out);
const started = performance.now();

// No stale output: a file deleted from src/ must not linger in the package.
rmSync(out, { recursive: true, force: true });
const tsc = spawnSync(path.join(root, "node_modules", ".bin", "tsc"), ["-p", path.join(root, "tsconfig.build.json"), "--outDir", out], {
  cwd: root,
  stdio: "inherit",
});
if (tsc.status !== 0) {
  console.error(`build: tsc failed (${tsc.status ?? tsc.signal})`);
  process.exitCode = 1;
} else {
  const src = path.join(root, "src");
  const assets = readdirSync(src, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.endsWith(".ts"));
  for (const e of assets) {
    const from = path.join(e.parentPath, e.name);
    cpSync(from, path.join(out, path.relative(src, from)));
  }
  const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  console.error(`build: ${files} files (${assets.length} assets) in ${path.relative(root, out) || "."}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
