// Fuzz-style robustness: seeded random mutations of the fixtures, and random bytes, fed to the
// import and SBOM extractors. Nothing may throw, results must stay well-formed, time stays bounded.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { jsImportsExtractor } from "../../src/extract/js-imports.ts";
import { decodePythonSource, pythonImportsExtractor } from "../../src/extract/python-imports.ts";
import { cycloneDxExtractor, extractSbomByContent, spdxExtractor } from "../../src/extract/sbom.ts";
import type { Extractor, ExtractResult } from "../../src/core/dependency.ts";
import { BLOWUP_MS } from "../support/bounded.ts";
import { seededRandom as mulberry32 } from "../support/random.ts";

const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url).pathname;


// Fragments that open, close or confuse the constructs the scanners track.
const SNIPPETS = [
  "import ",
  "from ",
  "require(",
  "import(",
  "${",
  "}",
  "`",
  "'''",
  '"""',
  'f"{',
  "/*",
  "*/",
  "//",
  "/",
  "#",
  "\\\n",
  "\n",
  "\r\n",
  "\u2028",
  "\ufeff",
  "\0",
  "if TYPE_CHECKING:\n    ",
  "<script>",
  "</script>",
  '{"bomFormat":"CycloneDX","components":[',
  '"purl":"pkg:npm/%40',
  '"purl":"pkg:pypi/x@1"',
  "]",
  "[",
  "{",
  ",",
  ":",
  '"',
  "'",
  "(",
  ")",
];

function mutate(text: string, r: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(r() * 8);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * (out.length + 1));
    const kind = Math.floor(r() * 5);
    if (kind === 0) out = out.slice(0, at) + SNIPPETS[Math.floor(r() * SNIPPETS.length)] + out.slice(at);
    else if (kind === 1) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(r() * 40));
    else if (kind === 2) out = out.slice(0, at) + String.fromCharCode(Math.floor(r() * 0x3000)) + out.slice(at + 1);
    else if (kind === 3) {
      const len = Math.floor(r() * 200);
      out = out.slice(0, at) + out.slice(at, at + len) + out.slice(at);
    } else out = out.slice(0, at);
  }
  return out;
}

function randomText(r: () => number, length: number): string {
  const bytes = new Uint8Array(length);
  for (let k = 0; k < length; k++) bytes[k] = Math.floor(r() * 256);
  return r() < 0.5 ? new TextDecoder("latin1").decode(bytes) : new TextDecoder().decode(bytes);
}

function files(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p, keep) : keep(p) ? [p] : [];
  });
}

function checkResult(result: ExtractResult, text: string, path: string, ecosystems: string[]): void {
  assert.ok(Array.isArray(result.dependencies) && Array.isArray(result.problems));
  const lines = text.split(/\r\n|\r|\n|\u2028|\u2029/).length;
  for (const dep of result.dependencies) {
    assert.ok(ecosystems.includes(dep.ecosystem), dep.ecosystem);
    assert.ok(typeof dep.name === "string" && dep.name.length > 0);
    assert.equal(dep.location.file, path);
    const line = dep.location.line;
    assert.ok(line !== undefined && Number.isInteger(line) && line >= 1 && line <= lines, `line ${line} of ${lines}`);
  }
  for (const problem of result.problems) {
    assert.equal(problem.file, path);
    assert.ok(problem.reason.length > 0);
  }
}

const notebook = JSON.stringify(
  {
    cells: [
      { cell_type: "code", source: ["import numpy as np\n", "%matplotlib inline\n", "from pandas import DataFrame\n"] },
      { cell_type: "markdown", source: ["# title"] },
      { cell_type: "code", source: "import requests\nif TYPE_CHECKING:\n    import typing_only" },
    ],
    metadata: { kernelspec: { language: "python" } },
    nbformat: 4,
  },
  null,
  1,
);

interface Target {
  extractor: Extractor;
  path: string;
  seeds: string[];
  ecosystems: string[];
}

function targets(): Target[] {
  const read = (p: string) => readFileSync(p, "utf8");
  const js = files(join(FIXTURES, "js-ts-imports"), (p) => jsImportsExtractor.matches(p)).map(read);
  const py = files(join(FIXTURES, "python-imports"), (p) => p.endsWith(".py"))
    .map((p) => decodePythonSource(readFileSync(p)))
    .flatMap((d) => ("text" in d ? [d.text] : []));
  const cdx = files(join(FIXTURES, "cyclonedx-json"), (p) => !p.endsWith(".expected.json")).map(read);
  const spdx = files(join(FIXTURES, "spdx-json"), (p) => !p.endsWith(".expected.json")).map(read);
  return [
    { extractor: jsImportsExtractor, path: "src/index.ts", seeds: js, ecosystems: ["npm"] },
    { extractor: jsImportsExtractor, path: "src/App.vue", seeds: js.map((c) => `<template/>\n<script setup>\n${c}\n</script>`), ecosystems: ["npm"] },
    { extractor: pythonImportsExtractor, path: "pkg/mod.py", seeds: py, ecosystems: ["pypi"] },
    { extractor: pythonImportsExtractor, path: "nb/analysis.ipynb", seeds: [notebook], ecosystems: ["pypi"] },
    { extractor: cycloneDxExtractor, path: "bom.json", seeds: cdx, ecosystems: ["npm", "pypi"] },
    { extractor: spdxExtractor, path: "sbom.spdx.json", seeds: spdx, ecosystems: ["npm", "pypi"] },
  ];
}

describe("fuzz: import and SBOM extractors", () => {
  for (const target of targets()) {
    it(`${target.extractor.id} on ${target.path}: mutated fixtures and random bytes never throw`, () => {
      const r = mulberry32(0x5eed ^ target.path.length);
      const inputs: string[] = [];
      for (const seed of target.seeds) for (let k = 0; k < 25; k++) inputs.push(mutate(seed, r));
      for (let k = 0; k < 40; k++) inputs.push(randomText(r, 1 + Math.floor(r() * 4096)));
      inputs.push("", "\n", "\ufeff", "[".repeat(20_000), "{".repeat(20_000), '"'.repeat(10_001));
      let slowest = 0;
      for (const text of inputs) {
        const started = performance.now();
        const result = target.extractor.extract(text, target.path);
        slowest = Math.max(slowest, performance.now() - started);
        checkResult(result, text, target.path, target.ecosystems);
      }
      assert.ok(slowest < BLOWUP_MS, `slowest input took ${slowest.toFixed(0)} ms`);
    });
  }

  it("decodePythonSource and extractSbomByContent accept any bytes", () => {
    const r = mulberry32(7);
    for (let k = 0; k < 200; k++) {
      const bytes = new Uint8Array(Math.floor(r() * 600));
      for (let b = 0; b < bytes.length; b++) bytes[b] = Math.floor(r() * 256);
      if (k % 3 === 0) bytes.set(new TextEncoder().encode("# -*- coding: latin-1 -*-\n").subarray(0, bytes.length));
      const decoded = decodePythonSource(bytes);
      assert.ok("text" in decoded || decoded.error.length > 0);
      const text = new TextDecoder().decode(bytes);
      const result = extractSbomByContent(`{"bomFormat":"CycloneDX",${text}`, "x.json");
      assert.ok(result !== null && result.problems.length + result.dependencies.length > 0);
    }
  });

  it("hostile inputs of 1 MB stay linear", () => {
    const inputs: Array<[Extractor, string, string]> = [
      [jsImportsExtractor, "x.js", "/[".repeat(500_000)],
      [jsImportsExtractor, "x.js", "`${".repeat(330_000)],
      [jsImportsExtractor, "x.js", "a/[/".repeat(250_000)],
      [jsImportsExtractor, "x.vue", "<script>".repeat(120_000)],
      [pythonImportsExtractor, "x.py", 'f"{'.repeat(330_000)],
      [pythonImportsExtractor, "x.py", "(".repeat(1_000_000)],
      [pythonImportsExtractor, "x.py", "import a,".repeat(110_000)],
      [pythonImportsExtractor, "x.py", "if TYPE_CHECKING:\n ".repeat(50_000)],
      [cycloneDxExtractor, "bom.json", `{"bomFormat":"CycloneDX","components":[${'{"purl":"pkg:npm/a@1"},'.repeat(40_000)}{}]}`],
    ];
    for (const [extractor, path, text] of inputs) {
      const started = performance.now();
      const result = extractor.extract(text, path);
      const elapsed = performance.now() - started;
      assert.ok(elapsed < BLOWUP_MS, `${path} ${JSON.stringify(text.slice(0, 12))}: ${elapsed.toFixed(0)} ms`);
      assert.ok(Array.isArray(result.dependencies));
    }
  });
});
