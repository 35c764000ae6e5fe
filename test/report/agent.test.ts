// The answer a coding agent's model reads: it must lead to the right next step, not to a loop.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PackageResult } from "../../src/core/model.ts";
import { finding } from "../../src/core/signals.ts";
import { renderForAgent } from "../../src/report/agent.ts";

const result = (name: string, findings: PackageResult["findings"], didYouMean: string[]): PackageResult => ({
  purl: `pkg:npm/${name}`,
  ecosystem: "npm",
  name,
  version: null,
  verdict: "block",
  findings,
  didYouMean,
  locations: [],
});

test("a real name Bouncer could not verify is not suggested as its own correction, and the model is told not to retry", () => {
  const text = renderForAgent({ action: "this command", results: [result("left-pad", [finding("unverifiable", { reason: "offline, not in the cache" })], ["left-pad"])] }, "block");
  assert.doesNotMatch(text, /Did you mean/);
  assert.match(text, /could not verify these packages.*do not retry the same call/);
  assert.doesNotMatch(text, /Choose a well-known package/);
});

test("an invented name still gets its correction and the advice to use it", () => {
  const text = renderForAgent({ action: "this command", results: [result("expresss", [finding("not-found", { name: "expresss", registry: "npm" })], ["express"])] }, "block");
  assert.match(text, /Did you mean "express"\?/);
  assert.match(text, /Use the suggested package/);
});
