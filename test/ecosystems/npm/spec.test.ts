import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { isValidNpmName, type NpmSpec, parseDependencyValue, parseNpmSpec } from "../../../src/ecosystems/npm/spec.ts";

interface NpaCase {
  spec: string;
  name: string | null;
  type: string | null;
  aliasOf?: string;
}
const table = JSON.parse(
  readFileSync(new URL("../../../../shared/fixtures/markdown-install-commands/npm-package-arg/basic-specs.json", import.meta.url), "utf8"),
) as { cases: NpaCase[]; throws: string[] };

// The table comes from an old npa test: npa@13+ reports a bare name (`foo`, `@foo/bar`, `@foo/bar@`)
// as the range "*", not the tag "latest"; the table's `type: null` for a named git spec means "git".
const NPA13: Record<string, string> = { foo: "range", "@foo/bar": "range", "@foo/bar@": "range" };

const SOURCE: Record<string, NpmSpec["source"]> = {
  version: "registry",
  range: "registry",
  tag: "registry",
  alias: "registry",
  git: "git",
  remote: "url",
  file: "path",
  directory: "path",
};

test("npm-package-arg table: name, type and source of every spec", () => {
  assert.equal(table.cases.length, 48);
  for (const c of table.cases) {
    const r = parseNpmSpec(c.spec);
    const type = NPA13[c.spec] ?? c.type ?? "git";
    assert.equal(r.error, undefined, `${c.spec}: ${r.error}`);
    if (type === "alias") {
      assert.equal(r.name, c.aliasOf, c.spec);
      assert.equal(r.alias, c.name, c.spec);
      assert.equal(r.source, "registry", c.spec);
    } else {
      assert.equal(r.name, c.name, c.spec);
      assert.equal(r.type, type, c.spec);
    }
    assert.equal(r.source, SOURCE[type], c.spec);
    assert.equal(r.raw, c.spec);
  }
});

test("npm-package-arg table: rejected specs give an error, never an exception", () => {
  assert.equal(table.throws.length, 4);
  for (const spec of table.throws) {
    const r = parseNpmSpec(spec);
    assert.ok(r.error, `${JSON.stringify(spec)} should be rejected`);
  }
});

test("registry specs keep the requested version, range or tag", () => {
  assert.deepEqual(pick(parseNpmSpec("express")), { name: "express", version: null, source: "registry", type: "range" });
  assert.deepEqual(pick(parseNpmSpec("express@4.18.2")), { name: "express", version: "4.18.2", source: "registry", type: "version" });
  assert.deepEqual(pick(parseNpmSpec("foo@=v1.2.3")), { name: "foo", version: "1.2.3", source: "registry", type: "version" });
  assert.deepEqual(pick(parseNpmSpec("@types/node@^20")), { name: "@types/node", version: "^20", source: "registry", type: "range" });
  assert.deepEqual(pick(parseNpmSpec("react@next")), { name: "react", version: "next", source: "registry", type: "tag" });
  assert.deepEqual(pick(parseNpmSpec("lodash@>=4 <5")), { name: "lodash", version: ">=4 <5", source: "registry", type: "range" });
});

test("aliases resolve to the real package", () => {
  const r = parseNpmSpec("string-width-cjs@npm:string-width@^4.2.0");
  assert.equal(r.name, "string-width");
  assert.equal(r.alias, "string-width-cjs");
  assert.equal(r.version, "^4.2.0");
  const scoped = parseDependencyValue("babel-hvi", "npm:@babel/helper-validator-identifier@^7.0.0");
  assert.equal(scoped.name, "@babel/helper-validator-identifier");
  assert.equal(scoped.alias, "babel-hvi");
  assert.equal(parseDependencyValue("foo", "npm:bar").version, null);
  // yarn berry's protocol-only form names the same package
  const same = parseDependencyValue("lodash", "npm:^4.17.0");
  assert.deepEqual(pick(same), { name: "lodash", version: "^4.17.0", source: "registry", type: "range" });
  assert.equal(same.alias, undefined);
  assert.ok(parseDependencyValue("foo", "npm:bar@npm:baz").error);
  assert.ok(parseDependencyValue("foo", "npm:github:a/b").error);
});

test("git specs: hosted shortcuts, shorthand, scp-like and git URLs with their ref", () => {
  const cases: Array<[string, string | undefined]> = [
    ["github:owner/repo", undefined],
    ["owner/repo", undefined],
    ["owner/repo#v1.2.3", "v1.2.3"],
    ["gitlab:group/project#semver:^2", "semver:^2"],
    ["bitbucket:team/repo", undefined],
    ["git+https://github.com/o/r.git#abc1234", "abc1234"],
    ["git+ssh://git@github.com:o/r.git", undefined],
    ["git://example.com/r.git", undefined],
    ["git@github.com:o/r.git#main", "main"],
    ["https://github.com/o/r", undefined],
    ["ssh://git@example.com/r.git", undefined],
  ];
  for (const [spec, ref] of cases) {
    const r = parseNpmSpec(spec);
    assert.equal(r.source, "git", spec);
    assert.equal(r.type, "git", spec);
    assert.equal(r.name, null, spec);
    assert.equal(r.gitRef, ref, spec);
  }
  const named = parseDependencyValue("dustjs-helpers", "github:linkedin/dustjs-helpers");
  assert.equal(named.name, "dustjs-helpers");
  assert.equal(named.source, "git");
});

test("tarball URLs, paths, workspace and catalog specs", () => {
  assert.deepEqual(pick(parseNpmSpec("https://example.com/foo-1.0.0.tgz")), { name: null, version: null, source: "url", type: "remote" });
  assert.deepEqual(pick(parseDependencyValue("x", "https://github.com/o/r/archive/1.0.tar.gz")), {
    name: "x",
    version: null,
    source: "url",
    type: "remote",
  });
  assert.equal(parseDependencyValue("x", "file:../x").source, "path");
  assert.equal(parseDependencyValue("x", "link:../x").source, "path");
  assert.equal(parseDependencyValue("x", "portal:../x").source, "path");
  assert.equal(parseDependencyValue("x", "./vendor/x.tgz").type, "file");
  assert.equal(parseNpmSpec("../x").source, "path");
  assert.equal(parseNpmSpec("~/x").source, "path");
  assert.deepEqual(pick(parseDependencyValue("a", "workspace:*")), { name: "a", version: "*", source: "workspace", type: "workspace" });
  assert.deepEqual(pick(parseDependencyValue("a", "workspace:^1.0.0")), { name: "a", version: "^1.0.0", source: "workspace", type: "workspace" });
  assert.deepEqual(pick(parseDependencyValue("react", "catalog:")), { name: "react", version: null, source: "registry", type: "catalog" });
});

test("bad input never throws", () => {
  const inputs: unknown[] = ["", "   ", "@", "@/", "@scope/", "foo@bar@baz", "a b c", "\u0000", "%%%", "foo@%zz", "http://", "gopher://x", "a".repeat(100_000), null, 42];
  for (const input of inputs) {
    const r = parseNpmSpec(input as string);
    assert.equal(typeof r.raw, "string");
    const d = parseDependencyValue("x", input);
    assert.equal(typeof d.raw, "string");
  }
  assert.ok(parseNpmSpec("").error);
  assert.ok(parseDependencyValue("x", 42).error);
  assert.ok(parseDependencyValue("x", "gopher://x").error);
  assert.ok(parseDependencyValue("foo", "not a range").error);
  // an invalid name is reported but the name is kept, so it can become an invalid-name finding
  const bad = parseDependencyValue("Bad Name", "^1");
  assert.equal(bad.name, "Bad Name");
  assert.ok(bad.error);
});

test("isValidNpmName follows the registry's legacy-tolerant rules", () => {
  for (const ok of ["express", "@types/node", "JSONStream", "a.b", "x-y_z"]) assert.ok(isValidNpmName(ok), ok);
  for (const bad of ["", ".hidden", "_under", " space", "a b", "@scope", "@/x", "@s/", "a/b", "é", "x".repeat(215)]) {
    assert.ok(!isValidNpmName(bad), bad);
  }
});

function pick(r: NpmSpec) {
  return { name: r.name, version: r.version, source: r.source, type: r.type };
}
