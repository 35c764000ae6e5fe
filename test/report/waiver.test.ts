import assert from "node:assert/strict";
import { test } from "node:test";
import type { PackageResult } from "../../src/core/model.ts";
import { buildReport, renderJson } from "../../src/report/json.ts";
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
