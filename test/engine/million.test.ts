// Issue 8 item 18: hundreds of thousands of dependencies in one file are gathered without a stack overflow (no
// push(...spread) of input-sized arrays anywhere on the way).
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { gather, toRequests } from "../../src/engine/scan.ts";

test("a requirements file of 300,000 lines (more than a call takes arguments) is gathered and turned into requests", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "million-"));
  writeFileSync(path.join(dir, "requirements.txt"), "flask\n".repeat(300_000));
  const found = gather({ cwd: dir, paths: ["requirements.txt"] });
  assert.equal(found.dependencies.length, 300_000);
  const { requests } = toRequests(found.dependencies, found.local);
  assert.equal(requests.length, 1);
  assert.equal(requests[0]!.locations.length, 300_000);
});

test("a package-lock.json entry with 150,000 dependencies is read without a stack overflow", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "million-"));
  const dependencies: Record<string, string> = {};
  for (let i = 0; i < 150_000; i++) dependencies[`p${i}`] = "1.0.0";
  const packages = { "": { name: "app", dependencies: { p0: "1.0.0" } }, "node_modules/p0": { version: "1.0.0", dependencies } };
  writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify({ name: "app", lockfileVersion: 3, packages }));
  const found = gather({ cwd: dir, paths: ["package-lock.json"] });
  assert.deepEqual(found.notEvaluated, []);
  assert.deepEqual(found.dependencies.map((d) => d.name), ["p0"]);
});
