#!/usr/bin/env node
// Which code runs:
// - in a checkout (src/ beside bin/, not under node_modules): the TypeScript sources, through Node's type
//   stripping, so development never runs a stale dist/ left by an earlier build. Node >= 22.18 strips
//   types by default, 22.13-22.17 need a flag, so we re-run ourselves with it there;
// - in an installed package (under node_modules, where Node refuses to strip types, or with no src/, which
//   the package does not ship): the JavaScript that `npm run build` (run by prepack) put in dist/; for
//   the agent hook, the one file the build bundles its entry into (scripts/bundle.ts), as each module
//   loaded costs time on every tool call. A checkout never runs that bundle: it could be older than src/.
// This file must run on any Node far enough to print the version message: no static imports (a missing
// export fails before any code runs) and no syntax newer than ES2017 (no ?., ??, top-level await).
const [major, minor] = process.versions.node.split(".").map(Number);
const source = new URL("../src/doors/cli/main.ts", import.meta.url);
// The agent hook has its own entry: it runs before every tool call and answers most without the CLI.
const entry = process.argv[2] === "hook" ? "hook-main" : "main";
if (major > 22 || (major === 22 && minor >= 13)) {
  // process.getBuiltinModule skips the ES module facade of node:fs, which costs milliseconds to build
  // on every start (the agent hook runs before every tool call).
  const builtin = (id) => (typeof process.getBuiltinModule === "function" ? Promise.resolve(process.getBuiltinModule(id)) : import(id));
  Promise.all([builtin("node:fs"), builtin("node:module")]).then(([fs, module]) => {
    const installed = import.meta.url.indexOf("/node_modules/") >= 0 || !fs.existsSync(source);
    if (installed || major > 22 || minor >= 18) {
      // Before the first module of Bouncer loads: Node then caches its compiled (and stripped) code too.
      if (module.enableCompileCache) module.enableCompileCache();
      const built = entry === "hook-main" ? "hook-main.bundle" : entry;
      return import(new URL(installed ? `../dist/doors/cli/${built}.js` : `../src/doors/cli/${entry}.ts`, import.meta.url).href);
    }
    return import("node:child_process").then((child) => {
      const run = child.spawnSync(process.execPath, ["--experimental-strip-types", "--no-warnings", source.pathname].concat(process.argv.slice(2)), {
        stdio: "inherit",
      });
      process.exitCode = run.status === null ? 2 : run.status;
    });
  });
} else {
  process.stderr.write(
    `bouncer: needs Node.js >= 22.13 (this is ${process.version})\nhint: run it through npm (npx bouncer, npm run bouncer), which uses the project's own Node 24\n`,
  );
  process.exitCode = 2;
}
