#!/usr/bin/env node
// Bouncer runs its TypeScript sources directly (Node's type stripping): Node >= 22.18 does it by default,
// 22.13-22.17 need a flag, so we re-run ourselves with it there.
// This file must run on any Node far enough to print the version message: no static imports (a missing
// export fails before any code runs) and no syntax newer than ES2017 (no ?., ??, top-level await).
const [major, minor] = process.versions.node.split(".").map(Number);
const entry = new URL("../src/doors/cli/main.ts", import.meta.url);
if (major > 22 || (major === 22 && minor >= 18)) {
  import("node:module").then((module) => {
    // Before the first TypeScript file loads: Node then caches the stripped code too, and never loads its stripper.
    if (module.enableCompileCache) module.enableCompileCache();
    return import(entry.href);
  });
} else if (major === 22 && minor >= 13) {
  import("node:child_process").then((child) => {
    const run = child.spawnSync(process.execPath, ["--experimental-strip-types", "--no-warnings", entry.pathname].concat(process.argv.slice(2)), {
      stdio: "inherit",
    });
    process.exitCode = run.status === null ? 2 : run.status;
  });
} else {
  process.stderr.write(
    `bouncer: needs Node.js >= 22.13 (this is ${process.version})\nhint: run it through npm (npx bouncer, npm run bouncer), which uses the project's own Node 24\n`,
  );
  process.exitCode = 2;
}
