// Differential test of the one JSON-with-positions parser against JSON.parse: on thousands of seeded
// documents and damaged copies, both accept or both reject, and accepted ones have the same value.
import assert from "node:assert/strict";
import { test } from "node:test";
import { JsonSyntaxError, parseJson } from "../../src/formats/json.ts";
import { seededRandom } from "../support/random.ts";

const rand = seededRandom(0x4a534f4e);
const int = (n: number) => Math.floor(rand() * n);
const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;

const STRINGS = ["", "a", "name", "__proto__", "constructor", "é", "\u2028", "😀", "\ud800", 'q"uote', "back\\slash", "tab\t", "nl\n"];
const NUMBERS = [0, -0, 1, -1, 1.5, 1e21, 1e-7, 123456789012, -0.25, 2 ** 53];

function value(depth: number): unknown {
  const k = int(depth > 4 ? 5 : 7);
  if (k === 0) return pick(STRINGS);
  if (k === 1) return pick(NUMBERS);
  if (k === 2) return pick([true, false]);
  if (k === 3) return null;
  if (k === 4) return pick(STRINGS) + int(100);
  if (k === 5) return Array.from({ length: int(4) }, () => value(depth + 1));
  return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(STRINGS) + (rand() < 0.5 ? "" : int(5)), value(depth + 1)]));
}

const BLANKS = ["", " ", "\n", "\t", "\r\n", "  \n  "];
/** Serialised with random white space between tokens, and escapes written in several ways. */
function write(v: unknown): string {
  const b = () => pick(BLANKS);
  if (Array.isArray(v)) return `[${b()}${v.map((x) => b() + write(x) + b()).join(",")}${b()}]`;
  if (v !== null && typeof v === "object")
    return `{${b()}${Object.entries(v).map(([k, x]) => `${b()}${write(k)}${b()}:${b()}${write(x)}`).join(",")}${b()}}`;
  if (typeof v === "string" && rand() < 0.3) return `"${[...v].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("")}"`;
  if (typeof v === "number" && rand() < 0.2) return v.toExponential();
  return JSON.stringify(v);
}

const NOISE = ['"', "\\", "{", "}", "[", "]", ",", ":", "-", "0", "1", ".", "e", "+", "x", "t", "n", "/", "*", "\u0001", " ", "\n", "\\u12", "tru", "nul"];
function damage(text: string): string {
  let out = text;
  for (let i = 1 + int(3); i > 0; i--) {
    const at = int(out.length + 1);
    const op = int(3);
    if (op === 0) out = out.slice(0, at) + out.slice(at + 1);
    else if (op === 1) out = out.slice(0, at) + pick(NOISE) + out.slice(at);
    else out = out.slice(0, at) + pick(NOISE) + out.slice(at + 1);
  }
  return out;
}

function outcome(parse: () => unknown, errorType: new (...args: never[]) => Error): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: parse() };
  } catch (error) {
    assert.ok(error instanceof errorType, `threw ${String(error)}`);
    return { ok: false };
  }
}

test("parseJson accepts exactly what JSON.parse accepts, with the same values", () => {
  let accepted = 0;
  let rejected = 0;
  for (let i = 0; i < 4000; i++) {
    const good = write(value(0));
    for (const text of [good, damage(good)]) {
      const reference = outcome(() => JSON.parse(text), SyntaxError);
      const ours = outcome(() => parseJson(text).value, JsonSyntaxError);
      assert.equal(ours.ok, reference.ok, `${JSON.stringify(text)}: JSON.parse ${reference.ok ? "accepts" : "rejects"}`);
      if (ours.ok && reference.ok) assert.deepStrictEqual(ours.value, reference.value, JSON.stringify(text));
      if (reference.ok) accepted++;
      else rejected++;
    }
  }
  // Both sides of the comparison were exercised.
  assert.ok(accepted > 4000 && rejected > 1000, `${accepted} accepted, ${rejected} rejected`);
});

test("parseJson records each key's line where JSON.parse gives none", () => {
  const text = '{\n  "a": 1,\n  "b": {\n    "c": [\n      {"d": 2}\n    ]\n  }\n}';
  const doc = parseJson(text);
  const value = doc.value as { b: { c: Array<Record<string, number>> } };
  assert.deepEqual([doc.keyLine(value, "a"), doc.keyLine(value, "b"), doc.keyLine(value.b, "c"), doc.keyLine(value.b.c[0]!, "d")], [2, 3, 4, 5]);
});
