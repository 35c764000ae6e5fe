// What `npm pack` would ship: the CLI, the built JavaScript of the library API and the CLI (dist/, made by
// prepack), the shipped data, and no sources, tests, benches or scripts; every export the package
// declares is in it. test/package-install.slow.test.ts packs, installs and runs the real thing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { expectedDist, expectedUnbuilt, ROOT, unwanted } from "./support/package-files.ts";

type PackageJson = {
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
  files: string[];
  scripts: Record<string, string>;
};
const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as PackageJson;

let packed: string[] | undefined;
/** The repo's pack list without running prepack; dist/ is left out, as it is there only after a build. */
function packedFiles(): string[] {
  if (packed) return packed;
  const run = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "silent" } });
  assert.equal(run.status, 0, run.stderr);
  const [pack] = JSON.parse(run.stdout) as Array<{ files: Array<{ path: string }> }>;
  packed = pack!.files
    .map((f) => f.path)
    .filter((f) => !f.startsWith("dist/"))
    .sort();
  return packed;
}

test("npm pack ships the CLI, the data and dist/, and no source, test, bench or script", () => {
  const files = packedFiles();
  assert.deepEqual(files, expectedUnbuilt().sort());
  assert.deepEqual(files.filter(unwanted), []);
  assert.deepEqual(pkg.files.sort(), ["bin/", "data/", "dist/"]);
});

test("packing builds dist/ first, so a pack or publish never ships a stale or missing build", () => {
  assert.equal(pkg.scripts.prepack, "npm run build");
  assert.equal(pkg.scripts.build, "node scripts/build.ts");
});

test("every entry point the package declares is shipped, as JavaScript or declarations", () => {
  const files = new Set([...packedFiles(), ...expectedDist()]);
  // [condition, target] for every export: a bare string is the default.
  const exported: Array<[string, string]> = Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [["default", e] as [string, string]] : Object.entries(e)));
  const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin), ...exported.map(([, t]) => t)];
  assert.deepEqual(
    targets.map((t) => t.replace(/^\.\//, "")).filter((t) => !files.has(t)),
    [],
  );
  // Node refuses .ts under node_modules: an installed package must point at JavaScript, its types at .d.ts.
  assert.match(pkg.main, /^\.\/dist\/.*\.js$/);
  assert.match(pkg.types, /^\.\/dist\/.*\.d\.ts$/);
  for (const [condition, target] of exported) {
    if (target.endsWith(".json")) continue;
    assert.match(target, condition === "types" ? /\.d\.ts$/ : /\.js$/, condition);
  }
});

test("the library API exports the engine's check and scan", async () => {
  const api = await import("../src/index.ts");
  for (const name of ["openEngine", "checkPackages", "scan", "scanText", "makeRequest", "defaultPolicy", "BouncerError"]) {
    assert.equal(typeof (api as Record<string, unknown>)[name], "function", name);
  }
});

test("bin/bouncer.js runs src/ in a checkout even beside a stale dist/, and dist/ when installed or without src/", (t) => {
  const tmp = mkdtempSync(path.join(tmpdir(), "bouncer-bin-"));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  /** A package at `dir` whose entry points only say which one ran. */
  const layout = (dir: string, withSource: boolean, args: string[] = []) => {
    mkdirSync(path.join(dir, "bin"), { recursive: true });
    copyFileSync(path.join(ROOT, "bin", "bouncer.js"), path.join(dir, "bin", "bouncer.js"));
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const files: Array<[string, string]> = [
      ["dist/doors/cli/main.js", 'console.log("dist");'],
      ["dist/doors/cli/hook-main.js", 'console.log("dist hook, unbundled");'],
      ["dist/doors/cli/hook-main.bundle.js", 'console.log("dist hook");'],
    ];
    if (withSource) {
      files.push(["src/doors/cli/main.ts", 'const ran: string = "src";\nconsole.log(ran);']);
      files.push(["src/doors/cli/hook-main.ts", 'const ran: string = "src hook";\nconsole.log(ran);']);
    }
    for (const [file, text] of files) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    return spawnSync(process.execPath, [path.join(dir, "bin", "bouncer.js"), ...args], { encoding: "utf8" }).stdout;
  };
  assert.equal(layout(path.join(tmp, "checkout"), true), "src\n");
  assert.equal(layout(path.join(tmp, "unpacked"), false), "dist\n");
  assert.equal(layout(path.join(tmp, "project", "node_modules", "bouncer"), true), "dist\n");
  // The agent hook's own entry, by the same rule; installed, its bundle.
  assert.equal(layout(path.join(tmp, "checkout"), true, ["hook", "claude"]), "src hook\n");
  assert.equal(layout(path.join(tmp, "unpacked"), false, ["hook", "claude"]), "dist hook\n");
});
