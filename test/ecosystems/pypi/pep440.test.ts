// PEP 440 rules one by one, with the spec's own examples (the differential test covers the rest).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  compareVersionStrings,
  contains,
  filterVersions,
  formatSpecifierSet,
  isValidVersion,
  maxSatisfying,
  normalizeVersion,
  parseSpecifier,
  parseSpecifierSet,
  parseVersion,
  setWantsPrereleases,
} from "../../../src/ecosystems/pypi/pep440.ts";

const set = (text: string) => {
  const s = parseSpecifierSet(text);
  assert.ok(s, `valid set: ${text}`);
  return s;
};

test("normalisation: alternative spellings, separators, case, whitespace, leading v", () => {
  const cases: Array<[string, string]> = [
    ["1.0", "1.0"],
    ["v1.0", "1.0"],
    ["  1.0\n", "1.0"],
    ["1.0ALPHA1", "1.0a1"],
    ["1.0-beta.2", "1.0b2"],
    ["1.0c1", "1.0rc1"],
    ["1.0pre1", "1.0rc1"],
    ["1.0preview", "1.0rc0"],
    ["1.0a", "1.0a0"],
    ["1.0-1", "1.0.post1"],
    ["1.0-r4", "1.0.post4"],
    ["1.0rev", "1.0.post0"],
    ["1.0.post", "1.0.post0"],
    ["1.0-dev", "1.0.dev0"],
    ["1.0_DEV_3", "1.0.dev3"],
    ["1!2.0", "1!2.0"],
    ["0!2.0", "2.0"],
    ["007.008", "7.8"],
    ["1.0+Ubuntu-1_2", "1.0+ubuntu.1.2"],
    ["1.0+abc.007", "1.0+abc.7"],
    ["1.0.0a1.post2.dev3+local", "1.0.0a1.post2.dev3+local"],
    ["123456789012345678901234567890", "123456789012345678901234567890"],
  ];
  for (const [raw, normal] of cases) assert.equal(normalizeVersion(raw), normal, raw);
});

test("invalid versions", () => {
  for (const raw of ["", "1..0", ".1", "1.", "a1", "1.0+", "1.0+a..b", "1.0 dev", "1.0.dev1.post1", "1.0a1b2", "1!", "latest", "1.0\u00a0a1", "\ufeff1.0", "1.*"]) {
    assert.equal(parseVersion(raw), null, JSON.stringify(raw));
    assert.equal(isValidVersion(raw), false);
  }
  // Python's whitespace, not JavaScript's: U+0085 and U+001C are spaces to packaging, U+FEFF is not.
  assert.equal(normalizeVersion("\u00851.0\u001c"), "1.0");
});

test("order: the PEP 440 example sequence, epochs and locals", () => {
  const ordered = [
    "1.0.dev456",
    "1.0a1",
    "1.0a2.dev456",
    "1.0a12.dev456",
    "1.0a12",
    "1.0b1.dev456",
    "1.0b2",
    "1.0b2.post345.dev456",
    "1.0b2.post345",
    "1.0rc1.dev456",
    "1.0rc1",
    "1.0",
    "1.0+abc.5",
    "1.0+abc.7",
    "1.0+5",
    "1.0.post456.dev34",
    "1.0.post456",
    "1.0.15",
    "1.1.dev1",
    "2!0.1",
  ];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = 0; j < ordered.length; j++) {
      assert.equal(Math.sign(compareVersionStrings(ordered[i]!, ordered[j]!)), Math.sign(i - j), `${ordered[i]} vs ${ordered[j]}`);
    }
  }
  assert.equal(compareVersionStrings("1.0", "1.0.0.0"), 0);
  assert.equal(compareVersionStrings("1.0+AbC", "1.0+abc"), 0);
  // Invalid strings sort before every version instead of throwing.
  assert.ok(compareVersionStrings("garbage", "0.0.dev0") < 0);
  assert.deepEqual(["2.0", "junk", "1.0", "abc"].sort(compareVersionStrings), ["abc", "junk", "1.0", "2.0"]);
});

test("specifier syntax", () => {
  assert.deepEqual(parseSpecifier(" >= 1.0 "), { operator: ">=", version: "1.0" });
  assert.deepEqual(parseSpecifier("===foobar"), { operator: "===", version: "foobar" });
  assert.deepEqual(parseSpecifier("==1.*"), { operator: "==", version: "1.*" });
  for (const bad of ["~=1", ">=1.0+local", "<1.*", "==1.0a1.*", "=1.0", "1.0", ">=", "~=1.*", "=== a b"]) {
    assert.equal(parseSpecifier(bad), null, bad);
  }
  // Empty clauses are skipped, as packaging does.
  assert.equal(set(">=1.0,,<2 ,").specifiers.length, 2);
  assert.equal(formatSpecifierSet(set(">=1.0, <2")), ">=1.0,<2");
  assert.equal(parseSpecifierSet(">=1.0,garbage"), null);
  assert.deepEqual(set("").specifiers, []);
});

test("operators", () => {
  const yes = (spec: string, v: string) => assert.equal(contains(set(spec), v), true, `${spec} ∋ ${v}`);
  const no = (spec: string, v: string) => assert.equal(contains(set(spec), v), false, `${spec} ∌ ${v}`);
  yes("==1.0", "1.0.0");
  yes("==1.0", "1.0+local"); // a spec without local matches any local
  no("==1.0+a", "1.0+b");
  no("==1.0", "1.0.post1");
  yes("==1.*", "1.9.dev1");
  yes("==1.0.*", "1");
  no("==1.*", "2.0");
  no("==1.*", "1!1.0");
  yes("!=1.*", "2.0");
  no("!=1.5", "1.5+x");
  yes("~=2.2", "2.9");
  no("~=2.2", "3.0");
  no("~=2.2.1", "2.3");
  yes("~=2.2.post3", "2.9");
  no("~=2.2.post3", "2.2");
  yes("<=1.0", "1.0+local");
  yes(">=1.0", "1.0+local");
  no("<2.0", "2.0a1"); // <V excludes V's pre-releases
  yes("<2.0rc1", "2.0a1");
  no(">1.0", "1.0.post1"); // >V excludes V's post-releases
  yes(">1.0.post1", "1.0.post2");
  no(">1.0", "1.0+local");
  yes(">1.0a1", "1.0a2+local");
  yes("===1.0", "1.0");
  no("===1.0", "1.0.0");
  yes("===foobar", "FooBar"); // arbitrary equality: case-insensitive text
});

test("packaging's quirks for ~= with unusual spellings are kept", () => {
  // ~=1.0c1 keeps the "c1" part as a release part: it means >=1.0c1, ==1.0.*.
  assert.equal(contains(set("~=1.0c1"), "1.0.5"), true);
  assert.equal(contains(set("~=1.0c1"), "1.1"), false);
  // A leading "v" makes the prefix unmatchable.
  assert.equal(contains(set("~=v1.0"), "1.0"), false);
});

test("pre-releases: packaging's rules", () => {
  // A single pre-release is contained when nothing else is being chosen...
  assert.equal(contains(set(">=1.0"), "2.0a1"), true);
  // ...unless pre-releases are refused.
  assert.equal(contains(set(">=1.0"), "2.0a1", false), false);
  assert.equal(contains(parseSpecifierSet(">=1.0", false)!, "2.0a1"), false);
  // Filtering drops pre-releases when a final release matches, keeps them when only they do.
  assert.deepEqual(filterVersions(set(">=1.0"), ["1.0", "2.0a1", "1.5"]), ["1.0", "1.5"]);
  assert.deepEqual(filterVersions(set(">=1.0"), ["0.9", "2.0a1", "2.0b1"]), ["2.0a1", "2.0b1"]);
  assert.deepEqual(filterVersions(set(">=1.0"), ["1.0", "2.0a1"], true), ["1.0", "2.0a1"]);
  // A clause naming a pre-release asks for them.
  assert.equal(setWantsPrereleases(set(">=2.0a1")), true);
  assert.deepEqual(filterVersions(set(">=2.0a1"), ["2.0", "2.1b1"]), ["2.0", "2.1b1"]);
  // != and ==X.* never ask for them.
  assert.equal(setWantsPrereleases(set("!=2.0a1")), null);
  assert.deepEqual(filterVersions(set(""), ["1.0", "2.0rc1"]), ["1.0"]);
});

test("max version satisfying", () => {
  const versions = ["1.0", "1.4.2", "1.10.0", "2.0rc1", "2.0", "2.1.dev1", "junk"];
  assert.equal(maxSatisfying(set(">=1.0,<2"), versions), "1.10.0");
  assert.equal(maxSatisfying(set("~=1.4"), versions), "1.10.0");
  assert.equal(maxSatisfying(set("~=1.4.0"), versions), "1.4.2");
  assert.equal(maxSatisfying(set(">=2"), versions), "2.0");
  assert.equal(maxSatisfying(set(">=2.0.dev0"), versions), "2.1.dev1");
  assert.equal(maxSatisfying(set(">2.0"), versions), "2.1.dev1"); // only a pre-release matches
  assert.equal(maxSatisfying(set(">=3"), versions), null);
  assert.equal(maxSatisfying(set("===junk"), versions), "junk");
  assert.equal(maxSatisfying(set(""), versions), "2.0");
});
