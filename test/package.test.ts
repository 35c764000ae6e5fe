// What `npm pack` would ship: the CLI, the built JavaScript of the library API and the CLI (dist/, made by
// prepack), the shipped data, and no sources, tests, benches or scripts; every export the package
// declares is in it. test/package-install.slow.test.ts packs, installs and runs the real thing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
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
  const exported = Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.entries(e)));
  const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin), ...exported.map((e) => (typeof e === "string" ? e : e[1]))];
  assert.deepEqual(
    targets.map((t) => t.replace(/^\.\//, "")).filter((t) => !files.has(t)),
    [],
  );
  // Node refuses .ts under node_modules: an installed package must point at JavaScript, its types at .d.ts.
  assert.match(pkg.main, /^\.\/dist\/.*\.js$/);
  assert.match(pkg.types, /^\.\/dist\/.*\.d\.ts$/);
  for (const e of exported) if (typeof e !== "string" && e[0] !== "types") assert.doesNotMatch(e[1], /\.ts$/, e[0]);
  for (const e of exported) if (typeof e !== "string" && e[0] === "types") assert.match(e[1], /\.d\.ts$/);
});

test("the library API exports the engine's check and scan", async () => {
  const api = await import("../src/index.ts");
  for (const name of ["openEngine", "checkPackages", "scan", "scanText", "makeRequest", "defaultPolicy", "BouncerError"]) {
    assert.equal(typeof (api as Record<string, unknown>)[name], "function", name);
  }
});
