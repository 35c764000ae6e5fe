// Every report format from one sample report; SARIF and CycloneDX validated against their published schemas.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { test } from "node:test";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { noticeMessage } from "../../src/core/messages.ts";
import type { PackageResult } from "../../src/core/model.ts";
import { finding } from "../../src/core/signals.ts";
import { renderCycloneDx } from "../../src/report/cyclonedx.ts";
import { buildReport, JsonReportWriter, renderJson } from "../../src/report/json.ts";
import { renderMarkdown } from "../../src/report/markdown.ts";
import { renderSarif } from "../../src/report/sarif.ts";
import { COLOR } from "../../src/report/style.ts";
import { renderText } from "../../src/report/text.ts";
import { sarifValidator } from "../support/sarif-schema.ts";

const require = createRequire(import.meta.url);
const readJson = (file: string) => JSON.parse(readFileSync(file, "utf8"));

const results: PackageResult[] = [
  {
    purl: "pkg:pypi/numpay",
    ecosystem: "pypi",
    name: "numpay",
    version: null,
    verdict: "block",
    findings: [
      finding("not-found", { name: "numpay", registry: "PyPI" }),
      finding("typosquat", { edit: "substitution", target: "numpy", targetPopularity: "rank 20" }, { target: "numpy" }),
    ],
    didYouMean: ["numpy"],
    locations: [{ file: "requirements.txt", line: 3 }, { file: "src/app.py", line: 1, column: 8 }],
  },
  {
    purl: "pkg:npm/%40acme/left-pad@1.0.0",
    ecosystem: "npm",
    name: "@acme/left-pad",
    version: "1.0.0",
    verdict: "warn",
    findings: [finding("deprecated", { version: "1.0.0", reason: "use | pad-start" })],
    didYouMean: [],
    locations: [{ file: "package.json", line: 12 }],
  },
  { purl: "pkg:npm/react", ecosystem: "npm", name: "react", version: null, verdict: "allow", findings: [], didYouMean: [], locations: [] },
];
const report = buildReport(results, [{ file: "weird.lock", reason: "unsupported format" }]);

test("JSON is the SPEC document", () => {
  const doc = JSON.parse(renderJson(report));
  assert.equal(doc.schemaVersion, 1);
  assert.deepEqual(doc.summary, { allow: 1, warn: 1, block: 1 });
  assert.deepEqual(Object.keys(doc.results[0]).sort(), ["didYouMean", "ecosystem", "findings", "locations", "name", "purl", "verdict", "version"]);
  assert.deepEqual(doc.results[0].findings[1], { code: "typosquat", severity: "high", message: "one letter from numpy (rank 20)", target: "numpy" });
  assert.deepEqual(doc.notEvaluated, [{ file: "weird.lock", reason: "unsupported format" }]);
});

test("JSON: one result per line, in pieces for large reports that join to the same document", () => {
  const text = renderJson(report);
  assert.equal(text.split("\n").filter((line) => line.startsWith('    {"purl":')).length, 3);
  const many = buildReport(Array.from({ length: 4_500 }, (_, i) => ({ ...results[2]!, name: `p${i}`, purl: `pkg:npm/p${i}` })));
  const chunks: string[] = [];
  const writer = new JsonReportWriter((chunk) => chunks.push(chunk));
  for (const r of many.results) writer.add(r);
  assert.deepEqual(writer.counts(), many.summary);
  writer.end(many.notEvaluated);
  assert.ok(chunks.length > 2, "written in several pieces");
  assert.equal(chunks.join(""), renderJson(many));
  const doc = JSON.parse(renderJson(many));
  assert.deepEqual(doc.results.map((r: { name: string }) => r.name), many.results.map((r) => r.name));
  assert.deepEqual(JSON.parse(renderJson(buildReport([]))), { schemaVersion: 1, results: [], notEvaluated: [], summary: { allow: 0, warn: 0, block: 0 } });
});

test("SARIF 2.1.0 is valid against the OASIS schema", () => {
  const validate = sarifValidator();
  const log = JSON.parse(renderSarif(report));
  const isValid = (doc: unknown): boolean => validate(doc) === true;
  assert.ok(isValid(log), JSON.stringify(validate.errors, null, 2));
  assert.ok(!isValid({ ...log, runs: [{ ...log.runs[0], results: [{ ...log.runs[0].results[0], level: "fatal" }] }] }), "the schema check can fail");
  const res = log.runs[0].results;
  assert.equal(res.length, 3, "one result per flagged package and location; allowed ones are left out");
  assert.equal(res[0].ruleId, "not-found");
  assert.equal(res[0].level, "error");
  assert.deepEqual(res[1].locations[0].physicalLocation.region, { startLine: 1, startColumn: 8 });
  assert.equal(res[2].level, "warning");
  assert.notEqual(res[0].partialFingerprints["bouncerPackage/v1"], res[1].partialFingerprints["bouncerPackage/v1"]);
  assert.equal(log.runs[0].invocations[0].toolExecutionNotifications[0].locations[0].physicalLocation.artifactLocation.uri, "weird.lock");
});

test("CycloneDX 1.6 is valid against the CycloneDX schema, with verdicts as properties", () => {
  const dir = path.join(path.dirname(require.resolve("@cyclonedx/cyclonedx-library/package.json")), "res/schema");
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  for (const name of ["spdx", "jsf-0.82", "cryptography-defs"]) {
    const { $id: _id, ...schema } = readJson(path.join(dir, `${name}.SNAPSHOT.schema.json`));
    ajv.addSchema(schema, `http://cyclonedx.org/schema/${name}.SNAPSHOT.schema.json`);
  }
  const validate = ajv.compile(readJson(path.join(dir, "bom-1.6.SNAPSHOT.schema.json")));
  const text = renderCycloneDx(report, { now: new Date("2026-11-23T12:00:00Z") });
  const bom = JSON.parse(text);
  const isValid = (doc: unknown): boolean => validate(doc) === true;
  assert.ok(isValid(bom), JSON.stringify(validate.errors, null, 2));
  assert.ok(!isValid({ ...bom, components: [{ ...bom.components[0], type: "gadget" }] }), "the schema check can fail");
  assert.equal(bom.components.length, 3);
  assert.equal(bom.components[1].group, "@acme");
  assert.deepEqual(bom.components[0].properties.slice(0, 2), [
    { name: "bouncer:verdict", value: "block" },
    { name: "bouncer:finding:not-found", value: 'high: the PyPI registry has no package named "numpay"' },
  ]);
  assert.equal(renderCycloneDx(report, { now: new Date("2026-11-23T12:00:00Z") }), text, "deterministic");
});

test("Markdown names what is blocked, where and what was meant, with table cells escaped", () => {
  const md = renderMarkdown(report);
  assert.match(md, /### Bouncer: 1 blocked, 1 warned, 1 allowed/);
  assert.match(md, /\| ⛔ block \| `pkg:pypi\/numpay` \| `requirements.txt:3`, `src\/app.py:1` \|.*\| `numpy` \|/);
  assert.match(md, /use \\\| pad-start/);
  assert.match(md, /weird.lock/);
  assert.ok(!md.includes("pkg:npm/react"));
});

test("text output: blocks first, colour only when asked", () => {
  const plain = renderText(report);
  assert.ok(plain.indexOf("numpay") < plain.indexOf("left-pad"));
  assert.match(plain, /did you mean\s+numpy/);
  assert.match(plain, /3 packages: 1 blocked, 1 warned, 1 allowed, 1 not evaluated/);
  assert.ok(!plain.includes("\u001b["));
  assert.ok(renderText(report, { style: COLOR }).includes("\u001b[31m"));
});

test("text output for scans: grouped by file, in line order, with what was probably meant", () => {
  const text = renderText(report, { byFile: true });
  const lines = text.split("\n");
  const at = (needle: string) => lines.findIndex((l) => l.includes(needle));
  assert.ok(at("package.json") < at("requirements.txt") && at("requirements.txt") < at("src/app.py"));
  assert.match(lines[at("requirements.txt") + 1]!, /^\s+3 {2}✗ block {2}pkg:pypi\/numpay {2}did you mean numpy\?$/);
  assert.match(lines[at("src/app.py") + 1]!, /^\s+1 {2}✗ block {2}pkg:pypi\/numpay/);
  assert.ok(!text.includes("pkg:npm/react"), "allowed packages are only counted");
});

test("a run without a malicious feed says so in every format; without notices the SPEC shape is unchanged", () => {
  const notice = { code: "no-malicious-feed" as const, message: noticeMessage("no-malicious-feed") };
  const noted = buildReport(results, [], [notice]);
  const doc = JSON.parse(renderJson(noted));
  assert.deepEqual(Object.keys(doc), ["schemaVersion", "results", "notEvaluated", "summary", "notices"]);
  assert.deepEqual(doc.notices, [notice]);
  assert.ok(!("notices" in JSON.parse(renderJson(report))));
  const text = renderText(noted).split("\n");
  assert.equal(text.filter((l) => l.includes("no known-malicious feed is loaded")).length, 1);
  assert.match(renderMarkdown(noted), /> \*\*Note:\*\* no known-malicious feed is loaded/);
  const log = JSON.parse(renderSarif(noted)) as { runs: Array<{ invocations: Array<{ toolConfigurationNotifications: Array<{ descriptor: unknown }> }> }> };
  assert.ok(sarifValidator()(log) === true, JSON.stringify(sarifValidator().errors));
  assert.deepEqual(log.runs[0].invocations[0].toolConfigurationNotifications[0].descriptor, { id: "no-malicious-feed" });
});
