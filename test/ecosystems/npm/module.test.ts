import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePurl } from "../../../src/core/purl.ts";
import { npm } from "../../../src/ecosystems/npm/index.ts";

test("identity", () => {
  assert.equal(npm.id, "npm");
  assert.equal(npm.purlType, "npm");
  assert.equal(npm.label, "npm");
});

test("purls: the scope is the namespace, percent-encoded", () => {
  assert.equal(npm.toPurl("@types/node", "1.2.3"), "pkg:npm/%40types/node@1.2.3");
  assert.equal(npm.toPurl("left-pad", null), "pkg:npm/left-pad");
  assert.equal(npm.toPurl("left-pad", "1.3.0"), "pkg:npm/left-pad@1.3.0");
  // A range is kept (encoded) so that different requests stay different.
  assert.equal(npm.toPurl("left-pad", "^1.0.0"), "pkg:npm/left-pad@%5E1.0.0");
  // Legacy capitals are kept: npm names are exact.
  assert.equal(npm.toPurl("JSONStream", null), "pkg:npm/JSONStream");
  assert.deepEqual(npm.fromPurl(parsePurl("pkg:npm/%40types/node@1.2.3")), { name: "@types/node", version: "1.2.3" });
  assert.deepEqual(npm.fromPurl(parsePurl("pkg:npm/@babel/core")), { name: "@babel/core", version: null });
  assert.deepEqual(npm.fromPurl(parsePurl("pkg:npm/babel/core")), { name: "@babel/core", version: null });
  assert.deepEqual(npm.fromPurl(parsePurl("pkg:npm/left-pad@1.3.0")), { name: "left-pad", version: "1.3.0" });
});

test("purls round-trip", () => {
  for (const [name, version] of [["@types/node", "20.1.0"], ["left-pad", null], ["lodash.merge", "4.6.2"], ["@a/b", "1.0.0-rc.1+build.5"]] as const) {
    assert.deepEqual(npm.fromPurl(parsePurl(npm.toPurl(name, version))), { name, version });
  }
});

test("splitSpec: name, name@range, @scope/name@tag, aliases; git and paths name no package", () => {
  assert.deepEqual(npm.splitSpec("left-pad"), { name: "left-pad", version: null });
  assert.deepEqual(npm.splitSpec("left-pad@^1.3"), { name: "left-pad", version: "^1.3" });
  assert.deepEqual(npm.splitSpec("left-pad@1.3.0"), { name: "left-pad", version: "1.3.0" });
  assert.deepEqual(npm.splitSpec("@types/node@next"), { name: "@types/node", version: "next" });
  assert.deepEqual(npm.splitSpec("@types/node"), { name: "@types/node", version: null });
  assert.deepEqual(npm.splitSpec("lp@npm:left-pad@1.3.0"), { name: "left-pad", version: "1.3.0" });
  const git = npm.splitSpec("github:owner/repo");
  assert.equal(git.version, null);
  assert.equal(npm.checkName(git.name).ok, false);
});

test("checkName, resolveVersion, affects and compareVersions are wired", () => {
  assert.deepEqual(npm.checkName("left-pad"), { ok: true, name: "left-pad" });
  // Legacy names (capitals, core-module names) exist on the registry: the registry decides, not the name rules.
  assert.deepEqual(npm.checkName("JSONStream"), { ok: true, name: "JSONStream" });
  assert.deepEqual(npm.checkName("events"), { ok: true, name: "events" });
  assert.equal(npm.checkName(" left-pad").ok, false);
  assert.equal(npm.checkName("@scope/").ok, false);
  assert.equal(npm.canonicalName("JSONStream"), "JSONStream");
  const facts = { existence: "exists" as const, unknownReasons: [], sources: [], malicious: [], latestVersion: "1.3.0" };
  assert.equal(npm.resolveVersion("^1", facts), "1.3.0");
  assert.equal(npm.affects({ id: "MAL-1", allVersions: false, versions: ["1.0.0"], ranges: [] }, "1.3.0"), false);
  assert.ok(npm.compareVersions("1.0.0", "1.0.1") < 0);
  assert.equal(typeof npm.createRegistrySource, "function");
});

test("scan and similarity wiring", () => {
  assert.equal(npm.similarity.scoped, true);
  assert.equal(npm.similarity.foldSeparators, false);
  assert.ok(npm.extractors.some((e) => e.matches("app/package.json")));
  assert.equal(npm.localPackageName?.("app/package.json", '{"name":"my-app"}'), "my-app");
  assert.equal(npm.localPackageName?.("app/other.json", '{"name":"my-app"}'), null);
});
