// The similarity layer's shape (issue 10): it reads only the core's types, and its files form no
// import cycle (the name table, then the searches that read it, then the NameIntel facade).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const DIR = path.resolve(import.meta.dirname, "../../src/similarity");
const SRC = path.dirname(DIR);
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']/g;

/** Each file of src/similarity -> the project files it imports (relative to src). */
const imports = new Map<string, string[]>();
for (const file of readdirSync(DIR).filter((f) => f.endsWith(".ts"))) {
  const text = readFileSync(path.join(DIR, file), "utf8");
  const targets = [...text.matchAll(IMPORT)].map((m) => m[1]!).filter((s) => s.startsWith("."));
  imports.set(`similarity/${file}`, targets.map((s) => path.relative(SRC, path.resolve(DIR, s)).split(path.sep).join("/")));
}

test("similarity imports nothing of the project but its own files and the core", () => {
  const outside = [...imports].flatMap(([from, to]) => to.filter((t) => !t.startsWith("similarity/") && !t.startsWith("core/")).map((t) => `${from} -> ${t}`));
  assert.deepEqual(outside, []);
});

test("no import cycle between the files of similarity", () => {
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, trail: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...trail.slice(trail.indexOf(file)), file].join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const next of imports.get(file) ?? []) if (imports.has(next)) visit(next, [...trail, file]);
    state.set(file, "done");
  };
  for (const file of imports.keys()) visit(file, []);
  assert.ok(imports.size >= 8, `${imports.size}`);
  assert.deepEqual(cycles, []);
});
