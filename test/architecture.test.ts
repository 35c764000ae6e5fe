// The layering rules of SPEC ("A layout that shows this architecture"), checked on every import.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const SRC = path.resolve(import.meta.dirname, "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

interface Edge {
  from: string;
  to: string;
}

const files = sourceFiles(SRC);
const edges: Edge[] = [];
const texts = new Map<string, string>();
for (const file of files) {
  const text = readFileSync(file, "utf8");
  texts.set(file, text);
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    const to = spec.startsWith(".") ? path.relative(SRC, path.resolve(path.dirname(file), spec)) : spec;
    edges.push({ from: path.relative(SRC, file), to });
  }
}

const area = (p: string) => p.split(path.sep)[0]!;

test("the source tree was read", () => {
  assert.ok(files.length > 10);
  assert.ok(edges.length > 10);
});

test("core imports nothing else of the project and no IO module", () => {
  const IO = /^(node:)?(fs|fs\/promises|http|https|http2|net|tls|dgram|child_process|process|os|worker_threads|cluster|readline|sqlite)$/;
  const bad = edges.filter((e) => area(e.from) === "core" && ((!e.to.startsWith("core") && !/^(node:|[a-z@])/.test(e.to)) || IO.test(e.to)));
  assert.deepEqual(bad, []);
  const usesProcess = files.filter((f) => area(path.relative(SRC, f)) === "core" && /\bprocess\./.test(texts.get(f)!));
  assert.deepEqual(usesProcess, []);
});

test("nothing outside doors imports doors", () => {
  assert.deepEqual(edges.filter((e) => area(e.from) !== "doors" && area(e.to) === "doors"), []);
});

test("an ecosystem never imports another", () => {
  const eco = (p: string) => (p.startsWith(`ecosystems${path.sep}`) ? p.split(path.sep)[1] : undefined);
  const bad = edges.filter((e) => {
    const a = eco(e.from);
    const b = eco(e.to);
    return a && b && a !== b && !a.endsWith(".ts") && !b.endsWith(".ts");
  });
  assert.deepEqual(bad, []);
});

test("only doors read arguments or environment, or exit", () => {
  const bad = files
    .filter((f) => area(path.relative(SRC, f)) !== "doors")
    .filter((f) => /\bprocess\.(argv|env|exit|stdin|stdout|stderr)\b/.test(texts.get(f)!))
    .map((f) => path.relative(SRC, f));
  assert.deepEqual(bad, []);
});

test("nobody calls process.exit (it cuts piped output short)", () => {
  assert.deepEqual(files.filter((f) => /\bprocess\.exit\(/.test(texts.get(f)!)), []);
});
