import assert from "node:assert/strict";
import { test } from "node:test";
import { parseTree, parseYamlDocuments, YamlSyntaxError } from "../../src/formats/yaml.ts";
import { BLOWUP_MS } from "../support/bounded.ts";

const values = (text: string, engine: "fast" | "full") => parseYamlDocuments(text, { engine }).map((d) => d.value);

test("one fast reader: lockfile values read what the workflow reader reads (block scalars, multi-line flow), as the full parser does", () => {
  const samples = [
    "a: |\n  x\n  y\nb: >-\n  folded\n  text\n",
    "a: [b,\n  c]\nd: {e: f,\n  g: h}\n",
    'a: "true"\nb: true\nc: [\'1\', 1, "~", ~]\nd: {k: "null", l: null}\n',
    "- - x\n  - y\n- z\n",
  ];
  for (const text of samples) assert.deepStrictEqual(values(text, "fast"), values(text, "full"), text);
});

test("valid YAML outside the subset falls back to the full parser instead of failing", () => {
  // A pair inside a flow sequence: the former lockfile reader reported it as a syntax error.
  const text = 'on:\n  schedule: [cron: "40 1 * * *"]\n';
  assert.throws(() => parseYamlDocuments(text, { engine: "fast" }), /outside the lockfile YAML subset/);
  assert.deepStrictEqual(parseYamlDocuments(text).map((d) => d.value), values(text, "full"));
  assert.throws(() => parseYamlDocuments("a: [b\n"), YamlSyntaxError);
});

test("documents: empty ones between markers skipped, one after the last content is null; the tree reads the first", () => {
  assert.deepStrictEqual(values("---\nenv: 1\n---\n---\nlockfileVersion: '9.0'\n", "fast"), [{ env: 1 }, { lockfileVersion: "9.0" }]);
  assert.deepStrictEqual(values("a: 1\n---\n", "fast"), [{ a: 1 }, null]);
  assert.deepStrictEqual(values("# nothing\n", "fast"), []);
  for (const text of ["a: 1\n---\nb: 2\n", "---\n---\na: 1\n", "--- x\n", "a: 1\n...\n"]) {
    assert.equal(parseTree(text, 1, "fast-only"), null, text);
    assert.deepEqual(parseTree(text), parseTree(text, 1, "full"), text);
  }
});

test("key lines of the fast path are the tree's lines", () => {
  const text = "a: 1\nb:\n  c: {d: 2}\n  'e f': 3\n";
  const [doc] = parseYamlDocuments(text, { engine: "fast" });
  const b = (doc!.value as Record<string, Record<string, unknown>>).b!;
  assert.deepEqual([doc!.keyLine(doc!.value as object, "b"), doc!.keyLine(b, "c"), doc!.keyLine(b, "e f")], [2, 3, 4]);
  const tree = parseTree(text);
  assert.ok("root" in tree && tree.root?.kind === "map");
  assert.deepEqual(tree.root.entries.map((e) => [e.key, e.line]), [["a", 1], ["b", 2]]);
});

test("hostile input stays linear: long runs of spaces in a key line, long multi-line flow collections, many lines", () => {
  const inputs = [
    // A key regular expression took minutes on this line.
    `a${" ".repeat(300_000)}b: c\n`,
    `a: [\n${`${"x, ".repeat(300)}\n`.repeat(999)}y]\n`,
    "k: v\n".repeat(300_000),
  ];
  for (const text of inputs) {
    const start = performance.now();
    const tree = parseTree(text);
    parseYamlDocuments(text);
    assert.ok("root" in tree);
    assert.ok(performance.now() - start < BLOWUP_MS, `${(performance.now() - start).toFixed(0)} ms`);
  }
  // Past the old cap of 200,000 lines the fast reader still reads (the full parser took seconds).
  assert.ok(parseTree("k: v\n".repeat(300_000), 1, "fast-only"));
});
