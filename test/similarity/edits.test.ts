import assert from "node:assert/strict";
import { test } from "node:test";
import {
  classifySingleEdit,
  foldKey,
  hashWithout,
  keyboardAdjacent,
  lookalikeSkeleton,
  looseKey,
  osaDistance,
} from "../../src/similarity/edits.ts";

test("osaDistance counts insertions, deletions, substitutions and adjacent swaps", () => {
  assert.equal(osaDistance("lodash", "lodash"), 0);
  assert.equal(osaDistance("lodash", "lodahs"), 1);
  assert.equal(osaDistance("kitten", "sitting"), 3);
  assert.equal(osaDistance("", "abc"), 3);
  assert.equal(osaDistance("ca", "abc"), 3); // OSA, not unrestricted Damerau
  assert.equal(osaDistance("numpy", "pandas", 2), 3); // capped: max + 1
});

test("classifySingleEdit names the edit and where it is", () => {
  const kind = (a: string, b: string) => classifySingleEdit(a, b)?.kind ?? null;
  assert.equal(kind("reacts", "react"), "insertion");
  assert.equal(kind("rect", "react"), "deletion");
  assert.equal(kind("raect", "react"), "transposition");
  assert.equal(kind("reqct", "react"), "keyboard");
  assert.equal(kind("reoct", "react"), "substitution");
  assert.equal(kind("reactt", "react"), "repeated-letter");
  assert.equal(kind("expres", "express"), "repeated-letter");
  assert.equal(kind("l0dash", "lodash"), "homoglyph");
  assert.equal(kind("cross_env", "cross-env"), "separator");
  assert.equal(kind("crossenv", "cross-env"), "separator");
  assert.equal(kind("react", "react"), null);
  assert.equal(kind("reactjs", "react"), null);
  assert.deepEqual(classifySingleEdit("vue3", "vue2"), { kind: "keyboard", at: 3, digitsOnly: true });
});

test("keyboardAdjacent follows a staggered QWERTY layout", () => {
  assert.equal(keyboardAdjacent("q", "w"), true);
  assert.equal(keyboardAdjacent("q", "a"), true);
  assert.equal(keyboardAdjacent("s", "x"), true);
  assert.equal(keyboardAdjacent("a", "x"), false);
  assert.equal(keyboardAdjacent("q", "p"), false);
  assert.equal(keyboardAdjacent("M", "n"), true);
  assert.equal(keyboardAdjacent("-", "a"), false);
});

test("look-alike skeletons make homoglyph spellings collide", () => {
  assert.equal(lookalikeSkeleton("rnicrosoft"), lookalikeSkeleton("microsoft"));
  assert.equal(lookalikeSkeleton("l0dash"), lookalikeSkeleton("lodash"));
  assert.equal(lookalikeSkeleton("Ieft-pad"), lookalikeSkeleton("left-pad"));
  assert.equal(lookalikeSkeleton("\u0430xi\u043es"), "axios"); // Cyrillic a and o
  assert.equal(lookalikeSkeleton("vvebpack"), lookalikeSkeleton("webpack"));
  assert.notEqual(lookalikeSkeleton("react"), lookalikeSkeleton("preact"));
});

test("fold keys ignore separators, scopes' punctuation and case", () => {
  assert.equal(foldKey("@Babel/Core"), "babelcore");
  assert.equal(foldKey("babel-core"), "babelcore");
  assert.equal(looseKey("Lodash_G3t"), looseKey("lodash.g3t"));
});

test("hashWithout hashes the string with one character left out", () => {
  assert.equal(hashWithout("react", 2), hashWithout("rect", -1));
  assert.equal(hashWithout("lodash", 0), hashWithout("odash", -1));
  assert.notEqual(hashWithout("lodash", -1), hashWithout("lodahs", -1));
});
