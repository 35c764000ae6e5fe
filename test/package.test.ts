// What `npm pack` would ship: the CLI, the sources the library API and the CLI load, the shipped
// data, and no tests, benches or scripts; every export the package declares is in it.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "..");

let packed: string[] | undefined;
function packedFiles(): string[] {
  if (packed) return packed;
  const run = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, npm_config_loglevel: "silent" } });
  assert.equal(run.status, 0, run.stderr);
  const [pack] = JSON.parse(run.stdout) as Array<{ files: Array<{ path: string }> }>;
  packed = pack!.files.map((f) => f.path).sort();
  return packed;
}

const tracked = (dir: string) =>
  readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"));

test("npm pack ships the CLI, every source and data file, and nothing else", () => {
  const files = packedFiles();
  const expected = ["LICENSE", "README.md", "package.json", "bin/bouncer.js", ...tracked("src"), ...tracked("data")].sort();
  assert.deepEqual(files, expected);
  assert.deepEqual(files.filter((f) => /(^|\/)(test|bench|scripts)\//.test(f) || /\.test\.ts$/.test(f)), []);
});

test("every entry point the package declares is shipped", () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
    main: string;
    types: string;
    bin: Record<string, string>;
    exports: Record<string, string | Record<string, string>>;
  };
  const files = new Set(packedFiles());
  const targets = [pkg.main, pkg.types, ...Object.values(pkg.bin), ...Object.values(pkg.exports).flatMap((e) => (typeof e === "string" ? [e] : Object.values(e)))];
  assert.deepEqual(
    targets.map((t) => t.replace(/^\.\//, "")).filter((t) => !files.has(t)),
    [],
  );
});

test("the library API exports the engine's check and scan", async () => {
  const api = await import("../src/index.ts");
  for (const name of ["openEngine", "checkPackages", "scan", "scanText", "makeRequest", "defaultPolicy", "BouncerError"]) {
    assert.equal(typeof (api as Record<string, unknown>)[name], "function", name);
  }
});
