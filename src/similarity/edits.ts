// String measures for name similarity: edit distance, edit classification, look-alike skeletons.

/** Optimal string alignment distance (Levenshtein plus adjacent transposition), capped: returns max+1 beyond max. */
export function osaDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return Math.max(la, lb);
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = new Array<number>(lb + 1);
  let cur = new Array<number>(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[lb]!;
}

const KEY_ROWS = ["1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"];
const KEY_POS = new Map<string, [number, number]>();
KEY_ROWS.forEach((row, r) => {
  for (let c = 0; c < row.length; c++) KEY_POS.set(row[c]!, [r, c]);
});

/** Neighbouring keys on a QWERTY keyboard (rows are staggered: a key touches c, c+1 above and c-1, c below). */
export function keyboardAdjacent(a: string, b: string): boolean {
  const pa = KEY_POS.get(a.toLowerCase());
  const pb = KEY_POS.get(b.toLowerCase());
  if (!pa || !pb) return false;
  const dr = pb[0] - pa[0];
  const dc = pb[1] - pa[1];
  if (dr === 0) return Math.abs(dc) === 1;
  if (dr === -1) return dc === 0 || dc === 1;
  if (dr === 1) return dc === 0 || dc === -1;
  return false;
}

// Characters that look alike in common fonts, mapped to one representative.
const LOOKALIKE_CHARS: Record<string, string> = {
  "0": "o",
  "1": "l",
  I: "l",
  "|": "l",
  // Cyrillic and Greek letters that render like Latin ones.
  а: "a",
  е: "e",
  о: "o",
  р: "p",
  с: "c",
  х: "x",
  у: "y",
  і: "i",
  ј: "j",
  ѕ: "s",
  ԁ: "d",
  ο: "o",
  α: "a",
  ν: "v",
  ɡ: "g",
};
const LOOKALIKE_PAIRS: Array<[RegExp, string]> = [
  [/rn/g, "m"],
  [/vv/g, "w"],
  [/cl/g, "d"],
];

/** A form in which look-alike spellings collide ("rnicrosoft" and "microsoft", "l0dash" and "lodash"). */
export function lookalikeSkeleton(name: string): string {
  let out = "";
  for (const ch of name) out += LOOKALIKE_CHARS[ch] ?? ch.toLowerCase();
  for (const [re, to] of LOOKALIKE_PAIRS) out = out.replace(re, to);
  return out;
}

export function isLookalikePair(a: string, b: string): boolean {
  return a !== b && lookalikeSkeleton(a) === lookalikeSkeleton(b);
}

const SEPARATORS = "-_.";
export const isSeparator = (ch: string | undefined): boolean => ch !== undefined && ch !== "" && SEPARATORS.includes(ch);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= "0" && ch <= "9";

export type EditKind =
  | "deletion"
  | "insertion"
  | "substitution"
  | "transposition"
  | "keyboard"
  | "homoglyph"
  | "separator"
  | "repeated-letter";

export interface SingleEdit {
  kind: EditKind;
  /** Index in `target` where the edit happens. */
  at: number;
  /** The edit only changes digits (version-like names: "vue2" and "vue3"). */
  digitsOnly: boolean;
}

/** Classifies how `name` differs from `target` when they are one edit (OSA) apart; null otherwise. */
export function classifySingleEdit(name: string, target: string): SingleEdit | null {
  if (name === target) return null;
  const ln = name.length;
  const lt = target.length;
  let i = 0;
  while (i < ln && i < lt && name[i] === target[i]) i++;
  if (ln === lt) {
    if (name.slice(i + 1) === target.slice(i + 1)) {
      const a = name[i]!;
      const b = target[i]!;
      let kind: EditKind = "substitution";
      if (isSeparator(a) && isSeparator(b)) kind = "separator";
      else if (isLookalikePair(a, b)) kind = "homoglyph";
      else if (keyboardAdjacent(a, b)) kind = "keyboard";
      return { kind, at: i, digitsOnly: isDigit(a) && isDigit(b) };
    }
    if (i + 1 < ln && name[i] === target[i + 1] && name[i + 1] === target[i] && name.slice(i + 2) === target.slice(i + 2)) {
      return { kind: "transposition", at: i, digitsOnly: isDigit(name[i]) && isDigit(name[i + 1]) };
    }
    return null;
  }
  if (ln === lt + 1) {
    // name has an extra character at i
    if (name.slice(i + 1) !== target.slice(i)) return null;
    const c = name[i]!;
    const kind: EditKind = isSeparator(c) ? "separator" : c === name[i - 1] || c === name[i + 1] ? "repeated-letter" : "insertion";
    return { kind, at: i, digitsOnly: isDigit(c) };
  }
  if (lt === ln + 1) {
    // target has an extra character at i
    if (target.slice(i + 1) !== name.slice(i)) return null;
    const c = target[i]!;
    const kind: EditKind = isSeparator(c) ? "separator" : c === target[i - 1] || c === target[i + 1] ? "repeated-letter" : "deletion";
    return { kind, at: i, digitsOnly: isDigit(c) };
  }
  return null;
}

const HASH_BASE = 0x01000193;
/** Work space reused by every call (the hashes are computed synchronously). */
let scratchSuffix = new Int32Array(128);
let scratchPowers = new Int32Array(128);

/** A final mix, so that every input bit reaches the top bits that buckets and filters key on. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * The hash of `s` with the character at each index left out (out[i]), and of `s` itself (out[n]),
 * all in O(n): a polynomial hash splits into a prefix part and a suffix part, so a deletion joins
 * the two. Equal strings hash equal, whichever way they were made ("react" less "a" = "rect").
 */
export function deletionHashes(s: string, out: Uint32Array = new Uint32Array(s.length + 1)): Uint32Array {
  const n = s.length;
  if (scratchSuffix.length <= n) {
    scratchSuffix = new Int32Array(2 * n + 2);
    scratchPowers = new Int32Array(2 * n + 2);
  }
  const suffix = scratchSuffix;
  const powers = scratchPowers;
  // suffix[i] = sum over k >= i of s[k] * B^(n-1-k), and powers[i] = B^(n-1-i).
  suffix[n] = 0;
  let power = 1;
  for (let i = n - 1; i >= 0; i--) {
    powers[i] = power;
    suffix[i] = (suffix[i + 1]! + Math.imul(s.charCodeAt(i), power)) | 0;
    power = Math.imul(power, HASH_BASE);
  }
  // prefix = the first i characters in Horner form; the deletion at i shifts it by B^(n-1-i).
  let prefix = 0;
  for (let i = 0; i < n; i++) {
    out[i] = mix((Math.imul(prefix, powers[i]!) + suffix[i + 1]!) | 0);
    prefix = (Math.imul(prefix, HASH_BASE) + s.charCodeAt(i)) | 0;
  }
  out[n] = mix(prefix);
  return out;
}

/** The hash of `s` without the character at `skip` (-1: the whole string); one of deletionHashes. */
export function hashWithout(s: string, skip: number): number {
  const all = deletionHashes(s);
  return all[skip < 0 ? s.length : skip]!;
}

export function commonPrefixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

export function commonSuffixLength(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[a.length - 1 - i] === b[b.length - 1 - i]) i++;
  return i;
}

/** Case and separators folded (a scope's "@" and "/" count as separators). */
export function foldKey(name: string): string {
  return name.replace(/[-_.@/]+/g, "").toLowerCase();
}

/** foldKey plus look-alike characters. */
export function looseKey(name: string): string {
  return lookalikeSkeleton(name.replace(/[-_.@/]+/g, ""));
}
