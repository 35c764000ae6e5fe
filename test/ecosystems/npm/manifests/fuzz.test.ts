// Seeded random damage to every fixture, fed to every npm extractor: nothing may throw, every
// result must be well-formed, and no input may take long.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { npmExtractors } from "../../../../src/ecosystems/npm/manifests/index.ts";
import type { ExtractResult } from "../../../../src/core/dependency.ts";
import { FORMATS, inputs, rel } from "./fixtures.ts";
import { BLOWUP_MS } from "../../../support/bounded.ts";
import { seededRandom as rng } from "../../../support/random.ts";

const SEED = 0x5eed;
// Large fixtures contribute their first lines: enough to reach every parser state, cheap to repeat.
const MAX_BYTES = 8192;
const PER_CALL_MS = BLOWUP_MS;


type Mutation = (bytes: Buffer, rand: () => number) => Buffer;
const int = (rand: () => number, n: number) => Math.floor(rand() * n);
const utf8 = (b: Buffer) => new TextDecoder("utf-8", { fatal: false }).decode(b);

const MUTATIONS: Record<string, Mutation> = {
  truncate: (b, r) => b.subarray(0, int(r, b.length + 1)),
  flipBytes: (b, r) => {
    const out = Buffer.from(b);
    for (let i = 0; i < 1 + b.length / 64; i++) out[int(r, out.length)] ^= 1 << int(r, 8);
    return out;
  },
  deleteLines: (b, r) => {
    const lines = utf8(b).split("\n");
    return Buffer.from(lines.filter(() => r() > 0.15).join("\n"));
  },
  shuffleLines: (b, r) => {
    const lines = utf8(b).split("\n");
    for (let i = 0; i < lines.length / 8; i++) {
      const x = int(r, lines.length);
      const y = int(r, lines.length);
      [lines[x], lines[y]] = [lines[y], lines[x]];
    }
    return Buffer.from(lines.join("\n"));
  },
  invalidUtf8: (b, r) => {
    const at = int(r, b.length + 1);
    return Buffer.concat([b.subarray(0, at), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf0, 0x28]), b.subarray(at)]);
  },
  hugeString: (b, r) => {
    const text = utf8(b);
    const at = text.indexOf('"', int(r, text.length)) + 1;
    return Buffer.from(`${text.slice(0, at)}${"x".repeat(100_000)}${text.slice(at)}`);
  },
  deepNesting: (b, r) => {
    const text = utf8(b);
    const styles = [
      () => `${"[".repeat(50_000)}${"]".repeat(50_000)}`,
      () => `${'{"a":'.repeat(20_000)}1${"}".repeat(20_000)}`,
      () => Array.from({ length: 400 }, (_, i) => `${" ".repeat(i * 2)}k${i}:`).join("\n"),
      () => `a: ${"[".repeat(20_000)}${"]".repeat(20_000)}`,
      () => `x@1:\n${Array.from({ length: 400 }, (_, i) => `${" ".repeat(i * 2 + 2)}k${i}:`).join("\n")}`,
    ];
    const nest = styles[int(r, styles.length)]();
    const at = int(r, text.length + 1);
    return Buffer.from(`${text.slice(0, at)}\n${nest}\n${text.slice(at)}`);
  },
};

function checkResult(r: ExtractResult, label: string): void {
  assert.ok(Array.isArray(r.dependencies) && Array.isArray(r.problems), label);
  for (const d of r.dependencies) {
    assert.equal(typeof d.name, "string", label);
    assert.ok(d.version === null || typeof d.version === "string", label);
    assert.ok(["registry", "git", "url", "path", "workspace"].includes(d.source), label);
    assert.equal(d.location.file, "input", label);
  }
  for (const p of r.problems) assert.equal(typeof p.reason, "string", label);
}

function prefix(bytes: Buffer): Buffer {
  if (bytes.length <= MAX_BYTES) return bytes;
  const cut = bytes.lastIndexOf(10, MAX_BYTES);
  return bytes.subarray(0, cut > 0 ? cut + 1 : MAX_BYTES);
}

test("mutated fixtures never make an extractor throw, and stay fast", () => {
  const rand = rng(SEED);
  const names = Object.keys(MUTATIONS);
  let calls = 0;
  let slowest = 0;
  const files = FORMATS.flatMap((f) => inputs(f));
  assert.ok(files.length > 450, `${files.length} fixtures`);
  for (const file of files) {
    const original = prefix(readFileSync(file));
    // Every fixture gets two mutations; across the corpus every kind is used many times.
    for (let round = 0; round < 2; round++) {
      const kind = names[int(rand, names.length)];
      const text = utf8(MUTATIONS[kind](original, rand));
      for (const extractor of npmExtractors) {
        const label = `${extractor.id} on ${rel(file)} after ${kind} (seed ${SEED})`;
        const start = performance.now();
        let result: ExtractResult;
        try {
          result = extractor.extract(text, "input", { readFile: () => undefined });
        } catch (e) {
          assert.fail(`${label} threw ${e instanceof Error ? e.stack : String(e)}`);
        }
        const ms = performance.now() - start;
        slowest = Math.max(slowest, ms);
        assert.ok(ms < PER_CALL_MS, `${label} took ${ms.toFixed(0)} ms`);
        checkResult(result, label);
        calls++;
      }
    }
  }
  assert.ok(calls > 4500, `${calls} calls`);
});

test("every mutation kind, on every format's own extractor, with a package.json beside it", () => {
  const rand = rng(SEED + 1);
  const sample = FORMATS.map((f) => inputs(f).find((p) => /two-packages|package-with-deps|goof/.test(p)) ?? inputs(f)[0]);
  for (const file of sample) {
    const original = prefix(readFileSync(file));
    for (const [kind, mutate] of Object.entries(MUTATIONS)) {
      const text = utf8(mutate(original, rand));
      for (const extractor of npmExtractors) {
        const label = `${extractor.id} on ${rel(file)} after ${kind}`;
        // a broken package.json beside the lockfile must not matter either
        const r = extractor.extract(text, "input", { readFile: () => text });
        checkResult(r, label);
      }
    }
  }
});

test("pathological inputs are bounded", () => {
  const inputsByName: Record<string, string> = {
    empty: "",
    nul: "\u0000".repeat(1000),
    bom: "\uFEFF",
    onlyNewlines: "\n".repeat(100_000),
    longLine: "a".repeat(2_000_000),
    manyKeys: `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}": ${i}`).join(",")}}`,
    yamlLike: `lockfileVersion: '9.0'\npackages:\n${Array.from({ length: 20_000 }, (_, i) => `  p${i}@1.0.0: {}`).join("\n")}\n`,
    yarnLike: Array.from({ length: 20_000 }, (_, i) => `p${i}@^1:\n  version "1.0.${i}"\n`).join("\n"),
    surrogates: "\uD800\uDFFF\uDBFF".repeat(10_000),
  };
  for (const [name, text] of Object.entries(inputsByName)) {
    for (const extractor of npmExtractors) {
      const start = performance.now();
      const r = extractor.extract(text, "input");
      checkResult(r, `${extractor.id} on ${name}`);
      assert.ok(performance.now() - start < 2000, `${extractor.id} on ${name}`);
    }
  }
});
