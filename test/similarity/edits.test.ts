import assert from "node:assert/strict";
import { test } from "node:test";
import {
  classifySingleEdit,
  deletionHashes,
  foldKey,
  hashString,
  hashWithout,
  keyboardAdjacent,
  lookalikeSkeleton,
  looseKey,
  looseKeyHash,
  nearestName,
  osaDistance,
  pairDeletionHash,
} from "../../src/similarity/edits.ts";
import { seededRandom } from "./typo-generator.ts";

test("osaDistance counts insertions, deletions, substitutions and adjacent swaps", () => {
  assert.equal(osaDistance("lodash", "lodash"), 0);
  assert.equal(osaDistance("lodash", "lodahs"), 1);
  assert.equal(osaDistance("kitten", "sitting"), 3);
  assert.equal(osaDistance("", "abc"), 3);
  assert.equal(osaDistance("ca", "abc"), 3); // OSA, not unrestricted Damerau
  assert.equal(osaDistance("numpy", "pandas", 2), 3); // capped: max + 1
});

test("nearestName: the closest candidate within the bound, folded, the first of equals", () => {
  assert.equal(nearestName("replica", ["selector", "replicas"], 2), "replicas");
  assert.equal(nearestName("ImagePullPolicy", ["image", "imagePullPolicy"], 1), "imagePullPolicy", "case folded by default");
  assert.equal(nearestName("abcd", ["abxy", "abcx"], 2), "abcx", "the smallest distance wins");
  assert.equal(nearestName("abcd", ["abcx", "abcy"], 2), "abcx", "the first of equals");
  assert.equal(nearestName("zzzzzz", ["replicas"], 3), undefined);
  assert.equal(nearestName("node_version", ["node-version"], 0, (s) => s.replaceAll("_", "-")), "node-version", "through the caller's fold");
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

// The fast paths (char codes, no slicing) against the plain definitions, on random look-alike-prone strings.
const LOOKALIKE: Record<string, string> = { "0": "o", "1": "l", I: "l", "|": "l", а: "a", о: "o", с: "c", ν: "v" };
function plainSkeleton(name: string): string {
  let out = "";
  for (const ch of name) out += LOOKALIKE[ch] ?? ch.toLowerCase();
  return out.replace(/rn/g, "m").replace(/vv/g, "w").replace(/cl/g, "d");
}
function plainClassify(name: string, target: string): string | null {
  if (name === target) return null;
  let i = 0;
  while (i < name.length && i < target.length && name[i] === target[i]) i++;
  if (name.length === target.length) {
    if (name.slice(i + 1) === target.slice(i + 1)) return `sub ${i}`;
    if (i + 1 < name.length && name[i] === target[i + 1] && name[i + 1] === target[i] && name.slice(i + 2) === target.slice(i + 2)) return `swap ${i}`;
    return null;
  }
  if (name.length === target.length + 1) return name.slice(i + 1) === target.slice(i) ? `ins ${i}` : null;
  if (target.length === name.length + 1) return target.slice(i + 1) === name.slice(i) ? `del ${i}` : null;
  return null;
}
function plainOsa(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

test("the fast skeletons, edit classification and distance agree with their plain definitions", () => {
  const random = seededRandom(7);
  const alphabet = [..."rnvcl1I|0-_.@/aARN", "а", "о", "с", "ν"];
  const word = () => Array.from({ length: Math.floor(random() * 9) }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
  const edit = (w: string) => {
    const at = Math.floor(random() * (w.length + 1));
    const ch = alphabet[Math.floor(random() * alphabet.length)];
    const r = random();
    if (r < 0.25) return w.slice(0, at) + ch + w.slice(at);
    if (r < 0.5) return w.slice(0, at) + w.slice(at + 1);
    if (r < 0.75) return w.slice(0, at) + ch + w.slice(at + 1);
    return w.slice(0, at) + w.slice(at + 1, at + 2) + w.slice(at, at + 1) + w.slice(at + 2);
  };
  for (let n = 0; n < 5000; n++) {
    const a = word();
    const b = random() < 0.8 ? edit(a) : word();
    assert.equal(lookalikeSkeleton(a), plainSkeleton(a), a);
    assert.equal(looseKey(a), plainSkeleton(a.replace(/[-_.@/]+/g, "")), a);
    assert.equal(looseKeyHash(a), hashString(looseKey(a)), a);
    // The plain version tells the shape of the edit only; the kinds refine it.
    const got = classifySingleEdit(a, b);
    const shape = got?.kind === "transposition" ? "swap" : a.length === b.length ? "sub" : a.length > b.length ? "ins" : "del";
    assert.equal(got && `${shape} ${got.at}`, plainClassify(a, b), `${a} ${b}`);
    const distance = plainOsa(a, b);
    assert.equal(osaDistance(a, b), distance, `${a} ${b}`);
    // Capped: exact up to the cap, beyond it only "beyond".
    for (let max = 0; max <= 3; max++) assert.ok(distance <= max ? osaDistance(a, b, max) === distance : osaDistance(a, b, max) > max, `${a} ${b} ${max}`);
  }
  // Long names: the distance by bit vectors up to 32 characters, by the matrix beyond.
  const long = () => Array.from({ length: 28 + Math.floor(random() * 8) }, () => "abcrn-"[Math.floor(random() * 6)]).join("");
  for (let n = 0; n < 1000; n++) {
    const a = long();
    let b = a;
    for (let k = Math.floor(random() * 6); k > 0; k--) b = edit(b);
    assert.equal(osaDistance(a, b), plainOsa(a, b), `${a} ${b}`);
    assert.equal(osaDistance(b, a), plainOsa(a, b), `${b} ${a}`);
  }
  // A long name against a short one: the short one is the bit vectors' pattern, in either order.
  for (let n = 0; n < 500; n++) {
    const a = long() + long();
    const b = word();
    const capped = Math.ceil(a.length / 2);
    assert.equal(osaDistance(a, b), plainOsa(a, b), `${a} ${b}`);
    assert.equal(osaDistance(b, a), plainOsa(a, b), `${b} ${a}`);
    assert.equal(osaDistance(b, a, capped), Math.min(plainOsa(a, b), capped + 1), `${b} ${a} ${capped}`);
  }
});

test("pairDeletionHash: the hash of a string less two characters equals that of the string built (issue 8 item 16)", () => {
  const random = seededRandom(7);
  for (let round = 0; round < 200; round++) {
    const length = 2 + Math.floor(random() * 30);
    const s = Array.from({ length }, () => "abcab-.@/\u0430"[Math.floor(random() * 10)]).join("");
    for (let i = 0; i < length; i++) {
      for (let j = i + 1; j < length; j++) {
        const less = s.slice(0, i) + s.slice(i + 1, j) + s.slice(j + 1);
        const expected = deletionHashes(less)[less.length];
        deletionHashes(s);
        assert.equal(pairDeletionHash(i, j, length), expected, `${s} less ${i} and ${j}`);
      }
    }
  }
});
