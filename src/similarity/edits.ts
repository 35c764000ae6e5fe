// String measures for name similarity: edit distance, edit classification, look-alike skeletons.

/** Optimal string alignment distance (Levenshtein plus adjacent transposition), capped: returns max+1 beyond max. */
export function osaDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (la === 0 || lb === 0) return Math.max(la, lb);
  // The distance is symmetric: the shorter name is the pattern of the bit vectors when it fits in one.
  const short = la <= lb ? a : b;
  const other = la <= lb ? b : a;
  const distance = short.length <= 32 ? osaBitParallel(short, other) : -1;
  if (distance >= 0) return distance > max ? max + 1 : distance;
  return osaMatrix(a, b, max);
}

/**
 * The candidate nearest to `key` (a did-you-mean among known keys): the smallest distance within
 * `maxDistance`, both compared through `fold` (default: case-insensitive); the first of equals.
 */
export function nearestName(
  key: string,
  candidates: readonly string[],
  maxDistance: number,
  fold: (s: string) => string = (s) => s.toLowerCase(),
): string | undefined {
  const folded = fold(key);
  let best: string | undefined;
  let bestDistance = maxDistance + 1;
  for (const c of candidates) {
    const d = osaDistance(folded, fold(c), bestDistance);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Where each character occurs in the pattern of osaBitParallel, one bit per position (cleared after each call). */
const positions = new Int32Array(128);

/**
 * The OSA distance with the matrix's columns as bit vectors (Hyyrö 2003): a few word operations
 * per character of `b` instead of a row of cells. `a` has 1 to 32 characters; -1 when one of them
 * is not ASCII (the matrix takes those).
 */
function osaBitParallel(a: string, b: string): number {
  const m = a.length;
  for (let i = 0; i < m; i++) {
    const c = a.charCodeAt(i);
    if (c >= 128) {
      for (let k = 0; k < i; k++) positions[a.charCodeAt(k)] = 0;
      return -1;
    }
    positions[c]! |= 1 << i;
  }
  const last = 1 << (m - 1);
  let vp = -1;
  let vn = 0;
  let d0 = 0;
  let before = 0;
  let distance = m;
  for (let j = 0; j < b.length; j++) {
    const c = b.charCodeAt(j);
    const match = c < 128 ? positions[c]! : 0;
    const transposed = ((~d0 & match) << 1) & before;
    d0 = (((match & vp) + vp) ^ vp) | match | vn | transposed;
    let hp = vn | ~(d0 | vp);
    const hn = d0 & vp;
    if (hp & last) distance++;
    else if (hn & last) distance--;
    hp = (hp << 1) | 1;
    vp = (hn << 1) | ~(d0 | hp);
    vn = hp & d0;
    before = match;
  }
  for (let i = 0; i < m; i++) positions[a.charCodeAt(i)] = 0;
  return distance;
}

/** Rows reused by every osaMatrix call (it runs synchronously). */
let osaRows = new Int32Array(3 * 64);

/** The OSA distance by the matrix, a row at a time; max+1 as soon as a row exceeds max. */
function osaMatrix(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  const w = lb + 1;
  if (osaRows.length < 3 * w) osaRows = new Int32Array(6 * w);
  const rows = osaRows;
  // Three rows of the matrix at offsets prev2, prev and cur, rotated after each row.
  let prev2 = 0;
  let prev = w;
  let cur = 2 * w;
  rows.fill(0, 0, w);
  for (let j = 0; j <= lb; j++) rows[prev + j] = j;
  for (let i = 1; i <= la; i++) {
    rows[cur] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    // The characters before ca and cb (-1 before the first: no transposition there).
    const caBefore = i > 1 ? a.charCodeAt(i - 2) : -1;
    let cbBefore = -1;
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = rows[prev + j - 1]! + (ca === cb ? 0 : 1);
      if (rows[prev + j]! + 1 < d) d = rows[prev + j]! + 1;
      if (rows[cur + j - 1]! + 1 < d) d = rows[cur + j - 1]! + 1;
      if (ca === cbBefore && caBefore === cb && rows[prev2 + j - 2]! + 1 < d) d = rows[prev2 + j - 2]! + 1;
      rows[cur + j] = d;
      if (d < rowMin) rowMin = d;
      cbBefore = cb;
    }
    if (rowMin > max) return max + 1;
    const oldest = prev2;
    prev2 = prev;
    prev = cur;
    cur = oldest;
  }
  return rows[prev + lb]!;
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
  const n = skeletonCodes(name, false);
  return n < 0 ? slowSkeleton(name) : codesToString(n);
}

function slowSkeleton(name: string): string {
  let out = "";
  for (const ch of name) out += LOOKALIKE_CHARS[ch] ?? ch.toLowerCase();
  for (const [re, to] of LOOKALIKE_PAIRS) out = out.replace(re, to);
  return out;
}

/** Work space of skeletonCodes (used synchronously). */
let codes = new Uint16Array(64);

/**
 * The skeleton of an ASCII name as char codes in `codes` (its length), without building strings;
 * -1 for other names, which take the general path. `dropSeparators` gives looseKey's form.
 */
function skeletonCodes(name: string, dropSeparators: boolean): number {
  if (codes.length < name.length) codes = new Uint16Array(2 * name.length);
  let n = 0;
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 128) return -1;
    if (dropSeparators && (c === 45 || c === 95 || c === 46 || c === 64 || c === 47)) continue; // -_.@/
    if (c === 48) c = 111; // 0 -> o
    else if (c === 49 || c === 73 || c === 124) c = 108; // 1 I | -> l
    else if (c >= 65 && c <= 90) c += 32;
    // The pairs (rn -> m, vv -> w, cl -> d) share no letter and yield none, so one left-to-right pass replaces them as the regexes do.
    const prev = n > 0 ? codes[n - 1]! : 0;
    if (prev === 114 && c === 110) codes[n - 1] = 109;
    else if (prev === 118 && c === 118) codes[n - 1] = 119;
    else if (prev === 99 && c === 108) codes[n - 1] = 100;
    else codes[n++] = c;
  }
  return n;
}

function codesToString(n: number): string {
  // One call for the whole key (names are at most a few hundred characters).
  return String.fromCharCode.apply(null, codes.subarray(0, n) as unknown as number[]);
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
  while (i < ln && i < lt && name.charCodeAt(i) === target.charCodeAt(i)) i++;
  // Compared from the end instead of slicing: the tails agree from name[ln - tail] and target[lt - tail] on.
  let tail = 0;
  const most = Math.min(ln, lt) - i;
  while (tail < most && name.charCodeAt(ln - 1 - tail) === target.charCodeAt(lt - 1 - tail)) tail++;
  if (ln === lt) {
    if (tail >= ln - i - 1) {
      const a = name[i]!;
      const b = target[i]!;
      let kind: EditKind = "substitution";
      if (isSeparator(a) && isSeparator(b)) kind = "separator";
      else if (isLookalikePair(a, b)) kind = "homoglyph";
      else if (keyboardAdjacent(a, b)) kind = "keyboard";
      return { kind, at: i, digitsOnly: isDigit(a) && isDigit(b) };
    }
    if (i + 1 < ln && tail >= ln - i - 2 && name[i] === target[i + 1] && name[i + 1] === target[i]) {
      return { kind: "transposition", at: i, digitsOnly: isDigit(name[i]) && isDigit(name[i + 1]) };
    }
    return null;
  }
  if (ln === lt + 1) {
    // name has an extra character at i
    if (tail < lt - i) return null;
    const c = name[i]!;
    const kind: EditKind = isSeparator(c) ? "separator" : c === name[i - 1] || c === name[i + 1] ? "repeated-letter" : "insertion";
    return { kind, at: i, digitsOnly: isDigit(c) };
  }
  if (lt === ln + 1) {
    // target has an extra character at i
    if (tail < ln - i) return null;
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
/** Horner hashes of the prefixes of the last deletionHashes string: scratchPrefix[k] is that of s[0..k). */
let scratchPrefix = new Int32Array(128);

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
    scratchPrefix = new Int32Array(2 * n + 2);
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
  const prefixes = scratchPrefix;
  let prefix = 0;
  for (let i = 0; i < n; i++) {
    prefixes[i] = prefix;
    out[i] = mix((Math.imul(prefix, powers[i]!) + suffix[i + 1]!) | 0);
    prefix = (Math.imul(prefix, HASH_BASE) + s.charCodeAt(i)) | 0;
  }
  prefixes[n] = prefix;
  out[n] = mix(prefix);
  return out;
}

/**
 * The hash of the string of the last deletionHashes call (length n) less its characters at i and
 * j (i < j): the same as deletionHashes of the string less i gives at j - 1, without building it.
 * The three kept runs join as in deletionHashes: before i, between i and j, after j.
 */
export function pairDeletionHash(i: number, j: number, n: number): number {
  const prefixes = scratchPrefix;
  const powers = scratchPowers;
  const between = (prefixes[j]! - Math.imul(prefixes[i + 1]!, powers[n - j + i]!)) | 0;
  return mix((Math.imul(prefixes[i]!, powers[i + 1]!) + Math.imul(between, powers[j]!) + scratchSuffix[j + 1]!) | 0);
}

/** The hash of `s` without the character at `skip` (-1: the whole string); one of deletionHashes. */
export function hashWithout(s: string, skip: number): number {
  const all = deletionHashes(s);
  return all[skip < 0 ? s.length : skip]!;
}

export function commonPrefixLength(a: string, b: string): number {
  const most = Math.min(a.length, b.length);
  let i = 0;
  while (i < most && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

export function commonSuffixLength(a: string, b: string): number {
  const most = Math.min(a.length, b.length);
  const la = a.length - 1;
  const lb = b.length - 1;
  let i = 0;
  while (i < most && a.charCodeAt(la - i) === b.charCodeAt(lb - i)) i++;
  return i;
}

/** Case and separators folded (a scope's "@" and "/" count as separators). */
export function foldKey(name: string): string {
  return name.replace(/[-_.@/]+/g, "").toLowerCase();
}

/** foldKey plus look-alike characters. */
export function looseKey(name: string): string {
  const n = skeletonCodes(name, true);
  return n < 0 ? slowSkeleton(name.replace(/[-_.@/]+/g, "")) : codesToString(n);
}

/** hashString(looseKey(name)), without building the key for ASCII names. */
export function looseKeyHash(name: string): number {
  const n = skeletonCodes(name, true);
  if (n < 0) return hashString(looseKey(name));
  let h = FNV_SEED;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ codes[i]!, FNV_PRIME);
  return mix(h);
}

const FNV_SEED = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * hashString of s[start..start + k + 1) into out[k], for every k below `count`, in one pass: each
 * hash costs one step, where hashing every slice would cost its length.
 */
export function prefixHashes(s: string, start: number, count: number, out: Uint32Array): void {
  let h = FNV_SEED;
  for (let k = 0; k < count; k++) {
    h = Math.imul(h ^ s.charCodeAt(start + k), FNV_PRIME);
    out[k] = mix(h);
  }
}

/** A 32-bit hash of the UTF-16 code units of s[start..end) (FNV-1a, then mixed). */
export function hashString(s: string, start = 0, end = s.length): number {
  let h = FNV_SEED;
  for (let i = start; i < end; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return mix(h);
}
