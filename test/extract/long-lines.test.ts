// Issue 8 items 9 and 18: long prose lines and large Markdown are read, not dropped, and every line
// is read in linear time (ceilings from test/support/bounded.ts, not timings).
import assert from "node:assert/strict";
import { test } from "node:test";
import { requirementsTxtExtractor } from "../../src/ecosystems/pypi/manifests/requirements.ts";
import { junkReason } from "../../src/extract/install-text.ts";
import { extractFromText, makefileExtractor, markdownExtractor, shellScriptExtractor } from "../../src/extract/text.ts";
import { BLOWUP_MS } from "../support/bounded.ts";

const names = (deps: ReadonlyArray<{ name: string }>) => deps.map((d) => d.name);

test("a prose line over 10,000 characters is still read", () => {
  const line = `${"word ".repeat(4000)}then run: \`pip install reqeusts\` and see`;
  const found = extractFromText(`intro\n${line}\n`, "notes.md");
  assert.deepEqual(names(found.dependencies), ["reqeusts"]);
  assert.deepEqual(found.dependencies[0]!.location, { file: "notes.md", line: 2 });
});

test("Markdown over 4 MiB is read to its end, not dropped", () => {
  const text = `${"some text on a line\n".repeat(250_000)}\`\`\`sh\npip install reqeusts\n\`\`\`\n`;
  assert.ok(text.length > 4 * 1024 * 1024);
  const found = markdownExtractor.extract(text, "README.md");
  assert.deepEqual(found.problems, []);
  assert.deepEqual(names(found.dependencies), ["reqeusts"]);
});

test("1 MB lines of repeated characters are read in linear time", () => {
  const units = ["``a", "`a` ", ": ", "a=b: ", "|", "a.", ".", "\\", "`", "pip install a ", "x: pip install a, ", "> ", "$(", " "];
  for (const unit of units) {
    const line = unit.repeat(Math.ceil(1_000_000 / unit.length));
    const started = performance.now();
    extractFromText(`${line}\n`, "x.md");
    const elapsed = performance.now() - started;
    assert.ok(elapsed < BLOWUP_MS, `${JSON.stringify(unit)}: ${elapsed.toFixed(0)} ms`);
  }
});

test("requirements and Makefile lines with long inner runs are linear", () => {
  const gap = " ".repeat(1_000_000);
  const cases: Array<[string, () => unknown]> = [
    ["requirements: spaces inside a line", () => requirementsTxtExtractor.extract(`a${gap}b\n`, "requirements.txt")],
    ["requirements: backslashes then a continuation", () => requirementsTxtExtractor.extract(`${"\\".repeat(500_000)}x\\\nflask\n`, "requirements.txt")],
    ["Makefile: a variable with an inner run of spaces", () => makefileExtractor.extract(`A=x${gap}y\n`, "Makefile")],
    ["Dockerfile-style trailing check", () => extractFromText(`\`\`\`dockerfile\nRUN x${gap}y\n\`\`\`\n`, "x.md")],
  ];
  for (const [what, run] of cases) {
    const started = performance.now();
    run();
    const elapsed = performance.now() - started;
    assert.ok(elapsed < BLOWUP_MS, `${what}: ${elapsed.toFixed(0)} ms`);
  }
});

test("a version-looking operand is judged without exponential backtracking", () => {
  const started = performance.now();
  assert.equal(junkReason(`1.1${"a".repeat(40)}_`, "npm"), null);
  assert.equal(junkReason("1.2.3-rc1", "npm"), "a version, not a package name");
  assert.equal(junkReason("v2.0.0.beta.2", "npm"), "a version, not a package name");
  assert.ok(performance.now() - started < BLOWUP_MS);
});

test("a command or script cut short by the tokenizer's limits is reported, not silently shortened", () => {
  const operands = Array.from({ length: 6000 }, (_, i) => `pkg${i}`).join(" ");
  const found = shellScriptExtractor.extract(`echo hi\npip install ${operands}\n`, "install.sh");
  assert.equal(found.dependencies.length, 4998);
  assert.deepEqual(found.problems, [{ file: "install.sh", line: 2, reason: "a command of more than 5000 words; the rest was not read" }]);
  const many = shellScriptExtractor.extract("true\n".repeat(50_001), "many.sh");
  assert.deepEqual(many.problems, [{ file: "many.sh", line: 50_001, reason: "more than 50000 commands; the rest was not read" }]);
});
