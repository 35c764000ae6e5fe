// The two readers under the extractors: JSON with key lines, and the lockfile YAML subset.
// Both are checked differentially against the reference parsers on every fixture.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parse as yamlParse } from "yaml";
import { JsonSyntaxError, parseJson } from "../../../../src/formats/json.ts";
import { parseYamlDocuments, YamlSyntaxError } from "../../../../src/formats/yaml.ts";
import { parseYarnV1, YarnSyntaxError } from "../../../../src/ecosystems/npm/manifests/yarn-v1-syntax.ts";
import { inputs } from "./fixtures.ts";

test("parseJson equals JSON.parse on every JSON fixture", () => {
  let compared = 0;
  for (const file of [...inputs("npm-package-json"), ...inputs("npm-package-lock")]) {
    const text = readFileSync(file, "utf8");
    let reference: unknown;
    try {
      reference = JSON.parse(text);
    } catch {
      assert.throws(() => parseJson(text), JsonSyntaxError, file);
      continue;
    }
    assert.deepStrictEqual(parseJson(text).value, reference, file);
    compared++;
  }
  assert.ok(compared >= 140, `${compared} files compared`);
});

test("parseJson records the line of every key", () => {
  const text = '{\n  "a": 1,\n  "b": {\n    "c": [\n      {"d": true}\n    ]\n  },\n\n  "e": "x"\n}';
  const doc = parseJson(text);
  const root = doc.value as Record<string, unknown>;
  assert.equal(doc.keyLine(root, "a"), 2);
  assert.equal(doc.keyLine(root, "b"), 3);
  assert.equal(doc.keyLine(root, "e"), 9);
  const b = root.b as Record<string, unknown[]>;
  assert.equal(doc.keyLine(b, "c"), 4);
  assert.equal(doc.keyLine(b.c[0] as object, "d"), 5);
  assert.equal(doc.keyLine({}, "a"), undefined);
});

test("parseJson: JSONC comments and trailing commas only when asked", () => {
  const text = '{\n  // comment\n  "a": [1, 2,],\n  /* multi\n line */ "b": {"c": 1,},\n}';
  assert.throws(() => parseJson(text), JsonSyntaxError);
  const doc = parseJson(text, { jsonc: true });
  assert.deepEqual(doc.value, { a: [1, 2], b: { c: 1 } });
  assert.equal(doc.keyLine(doc.value as object, "b"), 5);
});

test("parseJson: errors carry a line; no prototype pollution; bounded depth", () => {
  try {
    parseJson('{\n  "a": 1,\n  "b": \n}');
    assert.fail("should throw");
  } catch (e) {
    assert.ok(e instanceof JsonSyntaxError);
    assert.equal(e.line, 4);
  }
  for (const bad of ["", "{", "[1 2]", '{"a" 1}', '"\\x"', '"a\nb"', "01", "tru", '{"a":1}x', "\uFEFF"]) {
    assert.throws(() => parseJson(bad), JsonSyntaxError, JSON.stringify(bad));
  }
  const polluted = parseJson('{"__proto__": {"polluted": true}}').value as Record<string, unknown>;
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.deepEqual(Object.keys(polluted), ["__proto__"]);
  assert.deepEqual(parseJson('"\\u00e9\\n\\"\\/"').value, 'é\n"/');
  assert.deepEqual(parseJson("\uFEFF[-1.5e3, 0, null]").value, [-1500, 0, null]);
  assert.throws(() => parseJson(`${"[".repeat(100_000)}${"]".repeat(100_000)}`), /nesting too deep/);
});

test("parseYamlDocuments equals the yaml package on every YAML fixture, on the fast path", () => {
  let compared = 0;
  for (const file of [...inputs("pnpm-lock"), ...inputs("yarn-lock-berry")]) {
    if (file.endsWith(".json") || file.endsWith(".md")) continue;
    const text = readFileSync(file, "utf8");
    if (!/^(?:lockfileVersion|__metadata):/m.test(text)) continue;
    const fast = parseYamlDocuments(text, { engine: "fast" }).map((d) => d.value);
    // The reference parser needs seconds for the one 870 kB lockfile: the fast path alone is checked there.
    if (text.length > 250_000) continue;
    assert.deepStrictEqual(fast.at(-1), yamlParse(text, { uniqueKeys: false }), file);
    compared++;
  }
  assert.ok(compared > 120, `${compared} files compared`);
});

test("parseYamlDocuments: both engines agree on the subset's corner cases", () => {
  const samples = [
    "a: 1\nb: '2'\nc: \"3\\t\"\nd: ~\ne: true\nf: 1.5\ng: 0x1F\nh: 1.2.3\ni: -7\nj: .inf\n",
    "k:\n  - x\n  - 'y'\nl: []\nm: {}\n",
    "n:\n- a\n- b\no: [a, 'b, c', {d: e}]\np: {q: r, s: [1, 2], t: 'u''v'}\n",
    "'quoted key': 1\n\"dq: key\": 2\nfile:..: 3\n/a/1.0.0_b@2.0.0: x\nurl: https://x.y/z#a\n",
    "# comment\na: b # trailing\n\nc: 'd # not a comment'\n---\nsecond: doc\n",
    "resolution: {integrity: sha512-ab+c/d==, tarball: file:x.tgz}\nengines: {node: ^12 || >=14}\n",
    "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3\n",
  ];
  for (const text of samples) {
    const fast = parseYamlDocuments(text, { engine: "fast" }).map((d) => d.value);
    const full = parseYamlDocuments(text, { engine: "full" }).map((d) => d.value);
    assert.deepStrictEqual(fast, full, text);
  }
});

test("parseYamlDocuments falls back to the full parser outside the subset, with lines", () => {
  const text = "base: &b\n  x: 1\nuse: *b\nblock: |\n  line one\n  line two\nflow: {a: 1,\n  b: 2}\nlast: z\n";
  assert.throws(() => parseYamlDocuments(text, { engine: "fast" }), YamlSyntaxError);
  const [doc] = parseYamlDocuments(text);
  const root = doc.value as Record<string, object>;
  assert.equal(doc.keyLine(root, "last"), 9);
  assert.equal(doc.keyLine(root.base, "x"), 2);
  assert.deepEqual(root, { base: { x: 1 }, use: { x: 1 }, block: "line one\nline two\n", flow: { a: 1, b: 2 }, last: "z" });
});

test("parseYamlDocuments: key lines on the fast path", () => {
  const [doc] = parseYamlDocuments("a: 1\n\n# c\nb:\n  c: 2\n  'd e': 3\n");
  const root = doc.value as Record<string, Record<string, unknown>>;
  assert.equal(doc.keyLine(root, "a"), 1);
  assert.equal(doc.keyLine(root, "b"), 4);
  assert.equal(doc.keyLine(root.b, "d e"), 6);
});

test("parseYamlDocuments: invalid YAML throws YamlSyntaxError only; expansion is bounded", () => {
  for (const bad of ["a: [1, 2\nb: c", "a: b: c", "a:\n  b: 1\n c: 2", "\tx: 1", "a: 'open", "- a\nb: c", "{a: 1} extra: 2"]) {
    assert.throws(() => parseYamlDocuments(bad), YamlSyntaxError, JSON.stringify(bad));
  }
  let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (let i = 0; i < 8; i++) laughs += `${"bcdefghi"[i]}: &${"bcdefghi"[i]} [${`*${i === 0 ? "a" : "bcdefghi"[i - 1]}, `.repeat(10).slice(0, -2)}]\n`;
  const start = performance.now();
  const [doc] = parseYamlDocuments(laughs);
  assert.equal(((doc.value as Record<string, unknown[][]>).i[0] as unknown[]).length, 10);
  assert.ok(performance.now() - start < 500, "aliases are shared, not expanded");
  assert.deepEqual(parseYamlDocuments(""), []);
  assert.deepEqual(parseYamlDocuments("# only a comment\n"), []);
});

test("parseYarnV1: entries, quoted descriptors, nested blocks, lines", () => {
  const entries = parseYarnV1(
    '# yarn lockfile v1\n\n"@s/a@^1", "@s/a@~1.2":\n  version "1.2.3"\n  dependencies:\n    b "^2"\n    "@s/c" "3"\n\nb@^2:\n  version "2.0.0"\n  optional true\n',
  );
  assert.deepEqual(entries, [
    { descriptors: ["@s/a@^1", "@s/a@~1.2"], line: 3, fields: { version: "1.2.3", dependencies: { b: "^2", "@s/c": "3" } } },
    { descriptors: ["b@^2"], line: 9, fields: { version: "2.0.0", optional: true } },
  ]);
  assert.throws(() => parseYarnV1('a@1:\n  version "1'), YarnSyntaxError);
  assert.throws(() => parseYarnV1("  orphan 1\n"), YarnSyntaxError);
});

test("parseYamlDocuments: a hex escape without digits or past U+10FFFF is a YamlSyntaxError, not a crash", () => {
  for (const bad of ['a: "\\xZZ"\n', 'a: "\\u12"\n', 'a: "\\UFFFFFFFF"\n']) {
    assert.throws(() => parseYamlDocuments(bad), YamlSyntaxError, JSON.stringify(bad));
  }
});
