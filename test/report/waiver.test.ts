import assert from "node:assert/strict";
import { test } from "node:test";
import type { PackageResult } from "../../src/core/model.ts";
import { buildReport, renderJson } from "../../src/report/json.ts";
import { renderMarkdown } from "../../src/report/markdown.ts";
import { renderSarif } from "../../src/report/sarif.ts";
import { renderText } from "../../src/report/text.ts";

const waived: PackageResult = {
  purl: "pkg:npm/young-pkg",
  ecosystem: "npm",
  name: "young-pkg",
  version: null,
  verdict: "allow",
  findings: [{ code: "new-package", severity: "medium", message: "first published 2 days ago" }],
  didYouMean: [],
  locations: [],
  waiver: { id: "w_0123456789abcdef", by: "alice", reason: "vetted, TICKET-1", expiresAt: "2026-12-21T10:00:00.000Z" },
};

test("a waived package is shown with its waiver, also without --verbose; JSON carries it", () => {
  const text = renderText(buildReport([waived]));
  assert.match(text, /✓ allow {2}pkg:npm\/young-pkg\n {4}new-package +first published 2 days ago\n {4}waived +allowed by waiver w_0123456789abcdef of alice until 2026-12-21T10:00:00.000Z: vetted, TICKET-1\n/);
  assert.match(renderText(buildReport([waived]), { byFile: true }), /\(command line\)[\s\S]*waived +allowed by waiver w_0123456789abcdef/);
  assert.deepEqual(JSON.parse(renderJson(buildReport([waived]))).results[0].waiver, waived.waiver);
  const plain = { ...waived, waiver: undefined };
  assert.doesNotMatch(renderText(buildReport([plain])), /young-pkg/, "an allowed package without a waiver is only counted");
});

test("CI formats show a waived package as waived, with whose waiver until when: SARIF as a suppressed result, Markdown as a row", () => {
  const blocked: PackageResult = { ...waived, purl: "pkg:npm/other", name: "other", verdict: "block", waiver: undefined };
  const sarif = JSON.parse(renderSarif(buildReport([waived, blocked])));
  const [first, second] = sarif.runs[0].results;
  assert.equal(first.properties.purl, "pkg:npm/young-pkg");
  assert.equal(first.level, "note");
  assert.equal(first.properties.waiver, "w_0123456789abcdef");
  assert.deepEqual(first.suppressions, [
    { kind: "external", status: "accepted", justification: "allowed by waiver w_0123456789abcdef of alice until 2026-12-21T10:00:00.000Z: vetted, TICKET-1" },
  ]);
  assert.match(first.message.text, /^Waived: pkg:npm\/young-pkg: first published 2 days ago\. allowed by waiver w_0123456789abcdef of alice/);
  assert.equal(second.suppressions, undefined, "a blocked package is no suppressed result");
  const md = renderMarkdown(buildReport([waived, blocked]));
  const rows = md.split("\n").filter((l) => l.startsWith("| ⛔") || l.startsWith("| ✅"));
  assert.equal(rows.length, 2);
  assert.match(rows[0]!, /^\| ⛔ block \| `pkg:npm\/other`/, "blocked first");
  assert.match(rows[1]!, /^\| ✅ waived \| `pkg:npm\/young-pkg` .*\*\*waived\*\*: allowed by waiver w_0123456789abcdef of alice until 2026-12-21T10:00:00\.000Z: vetted, TICKET-1/);
});
