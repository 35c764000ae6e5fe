import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeSegment, formatPurl, MAX_PURL_LENGTH, PurlError, parsePurl } from "../../src/core/purl.ts";
import { BLOWUP_MS } from "../support/bounded.ts";

test("parses scoped npm purls with encoded and plain @", () => {
  for (const text of ["pkg:npm/%40babel/core@7.24.0", "pkg:npm/@babel/core@7.24.0"]) {
    const p = parsePurl(text);
    assert.equal(p.type, "npm");
    assert.equal(p.namespace, "@babel");
    assert.equal(p.name, "core");
    assert.equal(p.version, "7.24.0");
  }
});

test("parses pypi purls with qualifiers and subpath", () => {
  const p = parsePurl("pkg:pypi/django@1.11.1?repository_url=https%3A%2F%2Fx.org#src/a");
  assert.deepEqual(p, {
    type: "pypi",
    namespace: null,
    name: "django",
    version: "1.11.1",
    qualifiers: { repository_url: "https://x.org" },
    subpath: "src/a",
  });
});

test("formats round-trip", () => {
  for (const text of ["pkg:npm/%40scope/name@1.2.3", "pkg:pypi/numpy@1.0", "pkg:npm/left-pad", "pkg:pypi/a@1.0%2Blocal"]) {
    assert.equal(formatPurl(parsePurl(text)), text.replace("%2B", "+"));
  }
});

test("rejects what is not a purl, with a reason", () => {
  for (const bad of ["npm/left-pad", "pkg:", "pkg:npm", "pkg:npm/", "pkg:npm/%E0%A4%A"]) {
    assert.throws(() => parsePurl(bad), PurlError);
  }
});

test("an over-long purl is refused at once, without echoing it (issue 8 item 18)", () => {
  for (const bad of [`pkg:npm/${"a".repeat(MAX_PURL_LENGTH)}`, `pkg:npm/a${"/".repeat(200_000)}b`]) {
    const started = performance.now();
    assert.throws(() => parsePurl(bad), (error: Error) => error instanceof PurlError && error.message.length < 100);
    assert.ok(performance.now() - started < BLOWUP_MS);
  }
  // A name over npm's maximum still parses: the ecosystem calls it invalid.
  assert.equal(parsePurl(`pkg:npm/${"a".repeat(300)}`).name.length, 300);
});

test("a segment keeps its safe characters and percent-encodes the rest as UTF-8 bytes, code point by code point", () => {
  assert.equal(encodeSegment("left-pad_1.0~x"), "left-pad_1.0~x");
  assert.equal(encodeSegment("@babel"), "%40babel");
  assert.equal(encodeSegment("a b/c"), "a%20b%2Fc");
  assert.equal(encodeSegment("café"), "caf%C3%A9");
  assert.equal(encodeSegment("x\u{1F600}y"), "x%F0%9F%98%80y");
  assert.equal(encodeSegment("x\uD800y"), "x%EF%BF%BDy", "a lone surrogate is U+FFFD");
  assert.equal(encodeSegment(""), "");
});
