// What a refused client is told never carries a credential: an upstream's user:pass@ or a token in an
// error message is hidden before the reason is sent.
import assert from "node:assert/strict";
import { test } from "node:test";
import { upstreamRefusal } from "../../../src/doors/proxy/judge.ts";

test("a refusal's reason hides credentials from upstream errors", () => {
  const refusal = upstreamRefusal("pkg:npm/left-pad", "cannot reach https://deploy:s3cretPass@npm.corp.example/left-pad (Authorization: Bearer npm_abcdefghijklmnop)");
  assert.equal(refusal.status, 502);
  assert.match(refusal.reason, /npm\.corp\.example/);
  assert.doesNotMatch(refusal.reason, /s3cretPass|npm_abcdefghijklmnop/);
});
