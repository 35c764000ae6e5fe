import assert from "node:assert/strict";
import { test } from "node:test";
import {
  checkExistingNpmName,
  checkNpmName,
  isNodeCoreModule,
  npmNameProblems,
  splitNpmName,
} from "../../../src/ecosystems/npm/names.ts";

test("real npm names are valid and canonical as written", () => {
  for (const name of ["left-pad", "@types/node", "lodash.merge", "react-dom", "@babel/core", "socket.io", "7zip-bin", "a", "@a/b", "npm-run-all2", "x".repeat(214)]) {
    assert.deepEqual(checkNpmName(name), { ok: true, name });
  }
});

test("names no package can have are rejected, not legacy", () => {
  const cases: Array<[string, RegExp]> = [
    ["", /empty/],
    [" left-pad", /leading or trailing spaces/],
    ["left-pad ", /leading or trailing spaces/],
    [".bin", /cannot start with a period/],
    ["_private", /cannot start with an underscore/],
    ["node_modules", /reserved/],
    ["favicon.ico", /reserved/],
    ["foo/bar", /cannot contain "\/" unless it is scoped/],
    ["@scope", /"@scope\/name"/],
    ["@/name", /"@scope\/name"/],
    ["@scope/", /"@scope\/name"/],
    ["@a/b/c", /"@scope\/name"/],
    ["@scope/.hidden", /start with a period/],
    ["left pad", /URL-friendly/],
    ["päckage", /URL-friendly/],
    ["@sc ope/name", /URL-friendly/],
    ["foo:bar", /URL-friendly/],
    ["\ud800", /URL-friendly/],
    // Over the registry's maximum: no package has it, old ones included (issue 8 item 18).
    ["x".repeat(215), /215 characters long; npm names have at most 214/],
    [`@scope/${"y".repeat(5000)}`, /5007 characters long/],
  ];
  for (const [name, reason] of cases) {
    const check = checkNpmName(name);
    assert.equal(check.ok, false, name);
    if (!check.ok) {
      assert.match(check.reason, reason, name);
      assert.equal(check.legacy, false, name);
    }
    assert.equal(checkExistingNpmName(name).ok, false, name);
  }
});

test("rules for new names only: capitals, core modules, special characters (legacy: true)", () => {
  const cases: Array<[string, RegExp]> = [
    ["JSONStream", /capital letters/],
    ["@Scope/pkg", /capital letters/],
    ["http", /Node\.js core module/],
    ["fs", /Node\.js core module/],
    ["events", /Node\.js core module/],
    ["string_decoder", /Node\.js core module/],
    ["wow!", /~ ' ! \( \) \*/],
    ["@scope/it's", /~ ' ! \( \) \*/],
  ];
  for (const [name, reason] of cases) {
    const check = checkNpmName(name);
    assert.equal(check.ok, false, name);
    if (!check.ok) {
      assert.match(check.reason, reason, name);
      assert.equal(check.legacy, true, name);
    }
    // Old packages may break these rules: the legacy check accepts them.
    assert.deepEqual(checkExistingNpmName(name), { ok: true, name });
  }
});

test("every broken rule is reported, split into errors and new-only rules", () => {
  assert.deepEqual(npmNameProblems("_Foo"), {
    errors: ["an npm name cannot start with an underscore"],
    newOnly: ["it has capital letters, which new npm names cannot have"],
  });
  assert.deepEqual(npmNameProblems("left-pad"), { errors: [], newOnly: [] });
  const check = checkNpmName("_Foo");
  assert.ok(!check.ok && check.reason.includes("underscore") && check.reason.includes("capital"));
});

test("core modules: prefixed-only ones (node:test) do not shadow npm packages", () => {
  assert.equal(isNodeCoreModule("http"), true);
  assert.equal(isNodeCoreModule("child_process"), true);
  assert.equal(isNodeCoreModule("test"), false);
  assert.equal(isNodeCoreModule("left-pad"), false);
  assert.equal(checkNpmName("test").ok, true);
});

test("splitNpmName", () => {
  assert.deepEqual(splitNpmName("@types/node"), { scope: "types", name: "node" });
  assert.deepEqual(splitNpmName("left-pad"), { scope: null, name: "left-pad" });
  assert.equal(splitNpmName("a/b"), null);
  assert.equal(splitNpmName("@a/b/c"), null);
});
