// Fuzz-style robustness: every fixture (shared and ours), unchanged and after seeded random
// mutations, goes into every PyPI extractor. None may throw, every result must be well-formed,
// and each call must finish quickly.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { pypiExtractors } from "../../../../src/ecosystems/pypi/manifests/index.ts";
import type { ExtractResult } from "../../../../src/core/dependency.ts";
import { randomString, type Random, seeded } from "../../random.ts";
import { OWN_FIXTURES } from "./support.ts";
import { BLOWUP_MS } from "../../../support/bounded.ts";

const SHARED = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../../shared/fixtures");
const DIRS = ["requirements-txt", "pyproject-pep621", "poetry-lock", "pipfile-lock", "uv-lock", "pdm-lock"];
const MUTATIONS_PER_FIXTURE = 12;
const MAX_MS_PER_CALL = BLOWUP_MS;

function inputs(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (!entry.endsWith(".expected.json")) out.push({ name: path.relative(SHARED, full), text: readFileSync(full, "utf8") });
    }
  };
  for (const d of DIRS) walk(path.join(SHARED, d));
  walk(OWN_FIXTURES);
  return out;
}

const TOKENS = ["[[package]]\n", "[project]\n", "name = ", '"', "'''", '"""', "{", "}", "[", "]", "=", ",", "\\\n", "-r x\n", "-e ", "@ ", ";", "#", "\u0000", "\ud800", "\u2028", "\uFEFF"];

function mutate(r: Random, text: string): string {
  const lines = text.split("\n");
  switch (r.int(6)) {
    case 0: // truncate
      return text.slice(0, r.int(text.length + 1));
    case 1: {
      // duplicate or drop lines
      const at = r.int(lines.length);
      if (r.chance(0.5)) lines.splice(at, 0, ...lines.slice(at, at + 1 + r.int(5)));
      else lines.splice(at, 1 + r.int(3));
      return lines.join("\n");
    }
    case 2: {
      // syntax tokens at random places
      const chars = [...text];
      for (let i = 0, n = 1 + r.int(6); i < n; i++) chars.splice(r.int(chars.length + 1), r.int(2), r.pick(TOKENS));
      return chars.join("");
    }
    case 3: // random noise inserted
      return text.slice(0, r.int(text.length + 1)) + randomString(r, 60) + text.slice(r.int(text.length + 1));
    case 4: // swap value types: strings become tables, numbers, arrays
      return text.replace(/"[^"\n]*"/g, (m) => (r.chance(0.2) ? r.pick(["{}", "[]", "1", "true", "[1, {a = 2}]", '{"x": 1}', "null"]) : m));
    default: // line endings and indentation
      return lines.map((l) => (r.chance(0.3) ? `\t ${l}\r` : l)).join(r.pick(["\n", "\r\n", "\r"]));
  }
}

function wellFormed(out: ExtractResult, label: string): void {
  assert.ok(Array.isArray(out.dependencies) && Array.isArray(out.problems), label);
  for (const d of out.dependencies) {
    assert.equal(d.ecosystem, "pypi", label);
    assert.equal(typeof d.name, "string", label);
    assert.ok(d.version === null || typeof d.version === "string", label);
    assert.ok(["registry", "git", "url", "path", "workspace"].includes(d.source), label);
    assert.equal(typeof d.location.file, "string", label);
    assert.ok(Number.isInteger(d.location.line) && d.location.line! >= 1, `${label}: ${d.name} has no line`);
  }
  for (const p of out.problems) assert.ok(typeof p.reason === "string" && p.reason.length > 0, label);
}

test("every extractor survives every fixture and its mutations, quickly", () => {
  const r = seeded(20261123);
  let calls = 0;
  const files: Record<string, string> = {};
  const context = { readFile: (p: string) => files[p] };
  for (const { name, text } of inputs()) {
    const variants = [text, ...Array.from({ length: MUTATIONS_PER_FIXTURE }, () => mutate(r, text))];
    for (const variant of variants) {
      // Includes resolve to other mutated documents, so -r chains and cycles get exercised too.
      files["x.txt"] = variant;
      files["other-requirements.txt"] = variant;
      for (const extractor of pypiExtractors) {
        const start = performance.now();
        let out: ExtractResult;
        try {
          out = extractor.extract(variant, name, context);
        } catch (error) {
          assert.fail(`${extractor.id} threw on a variant of ${name}: ${String(error)}`);
        }
        const ms = performance.now() - start;
        assert.ok(ms < MAX_MS_PER_CALL, `${extractor.id} took ${ms.toFixed(0)} ms on a variant of ${name}`);
        wellFormed(out, `${extractor.id} on ${name}`);
        calls++;
      }
    }
  }
  assert.ok(calls > 5000, `only ${calls} calls`);
});
