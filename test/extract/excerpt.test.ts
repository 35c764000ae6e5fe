// Issue 8 item 1: what a report quotes of scanned input is short and never a credential.
import assert from "node:assert/strict";
import { test } from "node:test";
import { excerpt, redact, safeReason } from "../../src/core/excerpt.ts";
import { BLOWUP_MS } from "../support/bounded.ts";

test("credential-like values are hidden", () => {
  const cases: Array<[string, string]> = [
    ["//registry.npmjs.org/:_authToken=npm_abcdefghijklmnop", "//registry.npmjs.org/:_authToken=***"],
    ["url = https://x-access-token:ghs_SECRET@github.com/a", "url = https://***@github.com/a"],
    ["git+https://user:pass@gitlab.com/x.git", "git+https://***@gitlab.com/x.git"],
    ['{"password": "hunter2"}', '{"password": "***"}'],
    ["aws_secret_access_key=wJalrXUtnFEMI/K7MDENG", "aws_secret_access_key=***"],
    ["NPM_TOKEN=abc123def456", "NPM_TOKEN=***"],
    ["key AKIAIOSFODNN7EXAMPLE here", "key *** here"],
    ["use ghp_abcdefghijklmnopqrstuvwxyz0123456789 now", "use *** now"],
    ["Authorization: Bearer abcdefghijkl.mnop", "Authorization: *** ***"],
  ];
  for (const [text, expected] of cases) assert.equal(redact(text), expected, text);
  // Not secrets: paths and ordinary text stay as written.
  for (const text of ['cannot read included file "../../etc/passwd": outside the scanned folder', "requests>=2 ; python_version < '3.8'", "git@github.com:acme/x.git"]) {
    assert.equal(redact(text), text);
  }
});

test("an excerpt is at most 80 characters, without control characters", () => {
  assert.equal(excerpt("short"), "short");
  const long = excerpt("a".repeat(1000));
  assert.equal(long, `${"a".repeat(80)}…`);
  assert.equal(excerpt("a\u0000b\nc"), "a b c");
  // A secret across the cut is still recognised.
  assert.ok(!excerpt(`${"x".repeat(70)} token=${"s".repeat(200)}`).includes("sss"));
  assert.ok(safeReason("r".repeat(10_000)).length <= 301);
});

test("redaction is linear on hostile input", () => {
  const started = performance.now();
  for (const unit of ["a", "a.", "a:", "a=", "://", "a-", "ghp_", "AKIA", "x://a", "a/", "Bearer "]) redact(unit.repeat(200_000));
  assert.ok(performance.now() - started < BLOWUP_MS, `took ${Math.round(performance.now() - started)} ms`);
});
