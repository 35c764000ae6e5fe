import assert from "node:assert/strict";
import { test } from "node:test";
import { localPackageName, packageJsonExtractor, readPackageJsonInfo } from "../../../../src/ecosystems/npm/manifests/package-json.ts";
import type { ExtractedDependency } from "../../../../src/core/dependency.ts";

const MANIFEST = `{
  "name": "@acme/app",
  "version": "1.2.3",
  "workspaces": ["packages/*"],
  "dependencies": {
    "express": "^4.18.2",
    "string-width-cjs": "npm:string-width@^4.2.0",
    "dustjs": "github:linkedin/dustjs#v3",
    "local": "file:../local",
    "tarball": "https://example.com/t-1.0.0.tgz",
    "private": "git+https://ghp_secret@github.com/acme/private.git",
    "member": "workspace:*",
    "react": "catalog:"
  },
  "devDependencies": {
    "typescript": "~5.4.0"
  },
  "optionalDependencies": { "fsevents": "2.3.3" },
  "peerDependencies": { "react-dom": ">=18" },
  "bundleDependencies": ["express", "undeclared"],
  "overrides": {
    "qs": "6.5.3",
    "send": { ".": "0.18.0", "ms": "2.1.3" },
    "foo@^1": "1.0.1",
    "typescript": "$typescript"
  },
  "resolutions": { "**/debug/ms": "2.0.0", "@babel/core": "7.0.0" },
  "pnpm": { "overrides": { "a>b": "1.0.0", "gone": "-" } }
}
`;

function byName(deps: ExtractedDependency[], name: string, group?: string): ExtractedDependency {
  const found = deps.find((d) => d.name === name && (group === undefined || d.group === group));
  assert.ok(found, `${name} ${group ?? ""} not extracted`);
  return found;
}

test("package.json: every dependency group, with its line", () => {
  const { dependencies: deps, problems } = packageJsonExtractor.extract(MANIFEST, "app/package.json");
  assert.deepEqual(problems, []);
  const express = byName(deps, "express", "dependencies");
  assert.deepEqual(express, {
    ecosystem: "npm",
    name: "express",
    version: "^4.18.2",
    source: "registry",
    kind: "manifest",
    location: { file: "app/package.json", line: 6 },
    group: "dependencies",
    dev: false,
  });
  const ts = byName(deps, "typescript", "devDependencies");
  assert.equal(ts.dev, true);
  assert.equal(ts.location.line, 16);
  assert.equal(byName(deps, "fsevents").group, "optionalDependencies");
  assert.equal(byName(deps, "react-dom").group, "peerDependencies");
  assert.equal(byName(deps, "undeclared").group, "bundleDependencies");
  assert.equal(deps.filter((d) => d.name === "express").length, 1, "a declared bundled dependency is not repeated");
});

test("package.json: aliases, git, paths, tarballs, workspace and catalog specs", () => {
  const { dependencies: deps } = packageJsonExtractor.extract(MANIFEST, "package.json");
  const alias = byName(deps, "string-width");
  assert.deepEqual([alias.version, alias.source, alias.spec], ["^4.2.0", "registry", "npm:string-width@^4.2.0"]);
  const git = byName(deps, "dustjs");
  assert.deepEqual([git.version, git.source, git.spec], [null, "git", "github:linkedin/dustjs#v3"]);
  assert.equal(byName(deps, "local").source, "path");
  assert.equal(byName(deps, "tarball").source, "url");
  assert.equal(byName(deps, "member").source, "workspace");
  const react = byName(deps, "react");
  assert.deepEqual([react.source, react.version, react.spec], ["registry", null, "catalog:"]);
  // credentials in URLs never reach a report
  assert.equal(byName(deps, "private").spec, "git+https://github.com/acme/private.git");
});

test("package.json: overrides, resolutions and pnpm.overrides are their own groups", () => {
  const { dependencies: deps } = packageJsonExtractor.extract(MANIFEST, "package.json");
  const overrides = deps.filter((d) => d.group === "overrides").map((d) => `${d.name}@${d.version}`);
  assert.deepEqual(overrides.sort(), ["foo@1.0.1", "ms@2.1.3", "qs@6.5.3", "send@0.18.0", "typescript@~5.4.0"]);
  const resolutions = deps.filter((d) => d.group === "resolutions").map((d) => `${d.name}@${d.version}`);
  assert.deepEqual(resolutions.sort(), ["@babel/core@7.0.0", "ms@2.0.0"]);
  const pnpm = deps.filter((d) => d.group === "pnpm.overrides").map((d) => `${d.name}@${d.version}`);
  assert.deepEqual(pnpm, ["b@1.0.0"]);
  assert.equal(byName(deps, "qs").location.line, 22);
});

test("package.json: local name, version and workspaces", () => {
  assert.equal(localPackageName(MANIFEST), "@acme/app");
  assert.deepEqual(readPackageJsonInfo(MANIFEST), { name: "@acme/app", version: "1.2.3", workspaces: ["packages/*"] });
  assert.deepEqual(readPackageJsonInfo('{"workspaces": {"packages": ["a", 1]}}').workspaces, ["a"]);
  assert.equal(localPackageName('{"name": ""}'), null);
  assert.equal(localPackageName("not json"), null);
  assert.equal(localPackageName("[1]"), null);
});

test("package.json: bad input becomes problems, never an exception", () => {
  const broken = packageJsonExtractor.extract('{\n  "dependencies": {\n    "a": "1"\n', "package.json");
  assert.equal(broken.dependencies.length, 0);
  assert.match(broken.problems[0].reason, /invalid JSON/);
  assert.equal(broken.problems[0].line, 4);
  assert.match(packageJsonExtractor.extract("[]", "package.json").problems[0].reason, /not a JSON object/);
  const odd = packageJsonExtractor.extract(
    '{"dependencies": {"ok": "1.0.0", "num": 1, "url": "gopher://x", "Bad Name": "^1"}, "devDependencies": "nope"}',
    "package.json",
  );
  assert.deepEqual(odd.dependencies.map((d) => d.name).sort(), ["Bad Name", "ok"]);
  assert.equal(odd.problems.length, 4);
  assert.ok(odd.problems.every((p) => p.file === "package.json"));
  const proto = packageJsonExtractor.extract('{"dependencies": {"__proto__": "1.0.0", "constructor": "2"}}', "package.json");
  assert.deepEqual(proto.dependencies.map((d) => d.name).sort(), ["__proto__", "constructor"]);
});

test("package.json extractor matches by basename only", () => {
  assert.ok(packageJsonExtractor.matches("a/b/package.json"));
  assert.ok(packageJsonExtractor.matches("package.json"));
  assert.ok(packageJsonExtractor.matches("C:\\proj\\package.json"));
  assert.ok(!packageJsonExtractor.matches("package.json.bak"));
  assert.ok(!packageJsonExtractor.matches("package-lock.json"));
});
