// npm run build (and prepack): compiles src/ to JavaScript + .d.ts in dist/, for the published package.
// Node refuses to strip types under node_modules, so an installed Bouncer must run JavaScript; the repo
// itself keeps running the .ts sources. dist/ has src/'s folder depth, so paths like ../../data still
// resolve, and gets every non-TypeScript file of src/ (the dashboard's assets) at the same place.
// `--out DIR` builds elsewhere (the package tests build into a temp dir, never into the repo's dist/).
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { BundleError, bundle } from "./bundle.ts";

/** The agent hook's bundle, relative to dist/ (beside hook-main.js, so its dynamic imports resolve as the entry's). */
const HOOK_BUNDLE = "doors/cli/hook-main.bundle.js";
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
  // The agent hook's entry, and what it loads for its common answer, as one file (bin/bouncer.js runs
  // it in the installed package): each module loaded costs time on every tool call. The protocols are
  // all in it, as one module loaded costs more than five more parsed.
  try {
    const hook = bundle({ dist: out, entry: "doors/cli/hook-main.js", out: HOOK_BUNDLE, inlineDynamicFrom: ["doors/hooks/protocols.js"] });
    writeFileSync(path.join(out, HOOK_BUNDLE), hook.code);
    // Parsed as a module, as Node will: a bundle that does not parse fails the build, not a user's hook.
    const check = spawnSync(process.execPath, ["--input-type=module", "--check"], { input: hook.code, encoding: "utf8" });
    if (check.status !== 0) throw new BundleError(`${HOOK_BUNDLE} does not parse:\n${check.stderr}`);
  } catch (error) {
    if (!(error instanceof BundleError)) throw error;
    console.error(`build: bundling the hook failed: ${error.message}`);
    process.exitCode = 1;
  }
  const files = readdirSync(out, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  console.error(`build: ${files} files (${assets.length} assets) in ${path.relative(root, out) || "."}, ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
