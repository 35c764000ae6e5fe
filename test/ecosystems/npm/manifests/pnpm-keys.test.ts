// pnpm-lock.yaml, every key style and document (test/fixtures/pnpm-lock: one folder per lockfile
// version or scenario, written from pnpm's documentation, each with its expected.json): v5
// `/name/version`, v6-v8 `/name@version(peers)`, v9 `name@version`, the environment document
// first, and importer dependencies the packages section lacks (issue 9).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { parsePnpmLock } from "../../../../src/ecosystems/npm/manifests/pnpm-lock.ts";

const ROOT = fileURLToPath(new URL("../../../fixtures/pnpm-lock/", import.meta.url));

interface Expected {
  semantics: string;
  packages: string[];
  dev?: string[];
}

const scenarios = readdirSync(ROOT).sort();
test("the pnpm scenarios are there", () => assert.ok(scenarios.length >= 7, `${scenarios.length}`));

for (const scenario of scenarios) {
  test(`pnpm-lock.yaml: ${scenario}`, () => {
    const dir = join(ROOT, scenario);
    const expected = JSON.parse(readFileSync(join(dir, "expected.json"), "utf8")) as Expected;
    const parsed = parsePnpmLock(readFileSync(join(dir, "pnpm-lock.yaml"), "utf8"), "pnpm-lock.yaml");
    assert.deepEqual(parsed.problems, []);
    const key = (d: { name: string; version: string | null }) => `${d.name}@${d.version ?? ""}`;
    assert.deepEqual(parsed.dependencies.map(key).sort(), [...expected.packages].sort(), expected.semantics);
    assert.deepEqual(parsed.dependencies.filter((d) => d.dev === true).map(key).sort(), [...(expected.dev ?? [])].sort(), `${expected.semantics}: dev`);
    for (const d of parsed.dependencies) assert.ok((d.location.line ?? 0) >= 1, `${key(d)} has a line`);
  });
}
