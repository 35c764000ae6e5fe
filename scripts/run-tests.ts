// npm test: type check, lint, then the fast tier (every test/**/*.test.ts but *.slow.test.ts).
// npm run test:all (CI): the same with the slow tier too (dataset sweeps, real clients, big builds).
// Named files run instead of the tier: `npm test -- test/core/purl.test.ts`.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");
const bin = (tool: string) => path.join(root, "node_modules", ".bin", tool);

/** The test files of a tier, sorted so every run starts them in the same order. */
function testFiles(all: boolean): string[] {
  return readdirSync(path.join(root, "test"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".test.ts") && (all || !f.endsWith(".slow.test.ts")))
    .map((f) => path.join("test", f))
    .sort();
}

function step(label: string, command: string, args: string[]): boolean {
  const started = performance.now();
  const run = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const ok = run.status === 0;
  console.error(`run-tests: ${label} ${ok ? "passed" : "FAILED"} in ${seconds} s`);
  return ok;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { all: { type: "boolean", default: false }, concurrency: { type: "string", default: "2" } },
});
const files = positionals.length ? positionals : testFiles(values.all);
const started = performance.now();
const ok =
  step("tsc", bin("tsc"), ["-p", "."]) &&
  step("biome lint", bin("biome"), ["lint"]) &&
  step(`${files.length} test files (${positionals.length ? "named" : values.all ? "all tiers" : "fast tier"})`, process.execPath, [
    "--test",
    `--test-concurrency=${values.concurrency}`,
    ...files,
  ]);
console.error(`run-tests: ${ok ? "all passed" : "failed"}, ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
process.exitCode = ok ? 0 : 1;
