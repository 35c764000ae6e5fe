#!/usr/bin/env node
// Bouncer runs its TypeScript sources directly (Node's type stripping): Node >= 22.18 does it by default,
// 22.13-22.17 need a flag, so we re-run ourselves with it there.
import { spawnSync } from "node:child_process";
import { enableCompileCache } from "node:module";

const [major, minor] = process.versions.node.split(".").map(Number);
const entry = new URL("../src/doors/cli/main.ts", import.meta.url);
if (major > 22 || (major === 22 && minor >= 18)) {
  // Before the first TypeScript file loads: Node then caches the stripped code too, and never loads its stripper.
  enableCompileCache?.();
  await import(entry.href);
} else if (major === 22 && minor >= 13) {
  const run = spawnSync(process.execPath, ["--experimental-strip-types", "--no-warnings", entry.pathname, ...process.argv.slice(2)], {
    stdio: "inherit",
  });
  process.exitCode = run.status ?? 2;
} else {
  process.stderr.write(`bouncer: needs Node.js >= 22.13 (this is ${process.version})\nhint: run it through npm (npx bouncer, npm run bouncer), which uses the project's own Node 24\n`);
  process.exitCode = 2;
}
