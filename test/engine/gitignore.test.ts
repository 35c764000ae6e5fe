// .gitignore matching (issue 8 item 18): git's rules, in time linear in path and pattern length.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { gitignoreMatches, parseGitignore } from "../../src/engine/files.ts";
import { gather } from "../../src/engine/scan.ts";
import { BLOWUP_MS } from "../support/bounded.ts";

test("patterns match as git matches them", () => {
  const cases: Array<[string, string, boolean, boolean | undefined]> = [
    ["*.log", "x.log", false, true],
    ["*.log", "a/b/x.log", false, true],
    ["*.log", "x.logs", false, undefined],
    ["build/", "build", true, true],
    ["build/", "build", false, undefined],
    ["build/", "src/build", true, true],
    ["/root.txt", "root.txt", false, true],
    ["/root.txt", "a/root.txt", false, undefined],
    ["doc/*.txt", "doc/a.txt", false, true],
    ["doc/*.txt", "doc/sub/a.txt", false, undefined],
    ["**/foo", "foo", false, true],
    ["**/foo", "a/b/foo", false, true],
    ["a/**/b", "a/b", false, true],
    ["a/**/b", "a/x/y/b", false, true],
    ["a/**/b", "a/xb", false, undefined],
    ["abc/**", "abc/x/y", false, true],
    ["abc/**", "abc", true, undefined],
    ["foo", "foo/bar/baz.txt", false, true],
    ["a?c", "abc", false, true],
    ["a?c", "a/c", false, undefined],
    ["[ab].txt", "b.txt", false, true],
    ["[!ab].txt", "b.txt", false, undefined],
    ["[!ab].txt", "c.txt", false, true],
    ["\\#x", "#x", false, true],
    ["x\\ ", "x ", false, true],
    ["*", "anything/at/all", false, true],
    ["a*b*c", "aXbYc", false, true],
    ["a*b*c", "aX/bYc", false, undefined],
  ];
  for (const [pattern, rel, isDir, expected] of cases) {
    assert.equal(gitignoreMatches(parseGitignore(pattern), rel, isDir), expected, `${pattern} vs ${rel}`);
  }
  assert.equal(gitignoreMatches(parseGitignore("*.log\n!keep.log"), "keep.log", false), false);
});

test("chains of **/ and * are linear, not exponential", () => {
  const rules = parseGitignore(`${Array(30).fill("**/a").join("/")}/x\n${"*a".repeat(40)}b\n`);
  const started = performance.now();
  for (let n = 0; n < 20; n++) {
    gitignoreMatches(rules, Array(60).fill("a").join("/"), true);
    gitignoreMatches(rules, "a".repeat(5000), false);
  }
  assert.ok(performance.now() - started < BLOWUP_MS, `took ${Math.round(performance.now() - started)} ms`);
});

test("a hostile .gitignore in a scanned tree does not stall the walk", () => {
  const root = mkdtempSync(path.join(tmpdir(), "gitignore-"));
  writeFileSync(path.join(root, ".gitignore"), `${Array(30).fill("**/a").join("/")}/x\n`);
  const deep = path.join(root, ...Array(40).fill("a"));
  mkdirSync(deep, { recursive: true });
  writeFileSync(path.join(deep, "requirements.txt"), "flask\n");
  const started = performance.now();
  const found = gather({ cwd: root, paths: ["."] });
  assert.ok(performance.now() - started < BLOWUP_MS, `took ${Math.round(performance.now() - started)} ms`);
  assert.deepEqual(found.dependencies.map((d) => d.name), ["flask"]);
});
