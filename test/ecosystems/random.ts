// Generators over the shared seeded PRNG for the ecosystem tests: deterministic runs.
import { seededRandom } from "../support/random.ts";
export interface Random {
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function seeded(seed: number): Random {
  const next = seededRandom(seed);
  return {
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

const SEPARATORS = ["", ".", "-", "_"];

function digits(r: Random): string {
  const roll = r.next();
  if (roll < 0.6) return String(r.int(10));
  if (roll < 0.8) return String(r.int(30));
  if (roll < 0.9) return `0${r.int(10)}`;
  return String(r.int(1e9)) + String(r.int(1e9)); // beyond 2^53
}

function randomCase(r: Random, word: string): string {
  const roll = r.next();
  if (roll < 0.8) return word;
  if (roll < 0.9) return word.toUpperCase();
  return [...word].map((c) => (r.chance(0.5) ? c.toUpperCase() : c)).join("");
}

/** A PEP 440 version in one of its many spellings (valid by construction). */
export function pep440Version(r: Random): string {
  let out = "";
  if (r.chance(0.05)) out += r.pick(["v", "V"]);
  if (r.chance(0.1)) out += `${digits(r)}!`;
  const parts = 1 + r.int(4);
  out += Array.from({ length: parts }, () => (r.chance(0.3) ? "0" : digits(r))).join(".");
  if (r.chance(0.35)) {
    out += r.pick(SEPARATORS) + randomCase(r, r.pick(["a", "alpha", "b", "beta", "c", "rc", "pre", "preview"]));
    if (r.chance(0.8)) out += r.pick(SEPARATORS) + digits(r);
  }
  if (r.chance(0.25)) {
    if (r.chance(0.3)) out += `-${digits(r)}`;
    else {
      out += r.pick(SEPARATORS) + randomCase(r, r.pick(["post", "rev", "r"]));
      if (r.chance(0.8)) out += r.pick(SEPARATORS) + digits(r);
    }
  }
  if (r.chance(0.25)) {
    out += r.pick(SEPARATORS) + randomCase(r, "dev");
    if (r.chance(0.8)) out += r.pick(SEPARATORS) + digits(r);
  }
  if (r.chance(0.15)) {
    const segs = 1 + r.int(3);
    out += `+${Array.from({ length: segs }, () => (r.chance(0.5) ? digits(r) : r.pick(["ubuntu", "abc", "Git", "x1", "cpu", "cu118"]))).join(r.pick([".", "-", "_"]))}`;
  }
  if (r.chance(0.05)) out = ` ${out}\t`;
  return out;
}

const VERSION_ALPHABET = "0123456789.-_!+*vVabcdeilopqrstvwxyzABCDEPR \t\n\u00a0\u2003\u0085\u001c\ufeff".split("");

/** A version-like string that is often not valid (mutations of valid ones, and noise). */
export function versionish(r: Random): string {
  if (r.chance(0.3)) {
    return Array.from({ length: 1 + r.int(12) }, () => r.pick(VERSION_ALPHABET)).join("");
  }
  const chars = [...pep440Version(r)];
  const edits = 1 + r.int(3);
  for (let i = 0; i < edits; i++) {
    const at = r.int(chars.length + 1);
    const op = r.int(3);
    if (op === 0) chars.splice(at, 0, r.pick(VERSION_ALPHABET));
    else if (op === 1) chars.splice(at, 1);
    else chars[at] = r.pick(VERSION_ALPHABET);
  }
  return chars.join("");
}

/** Any string: random code units (lone surrogates and control characters included). */
export function randomString(r: Random, maxLength = 40): string {
  const length = r.int(maxLength + 1);
  let out = "";
  for (let i = 0; i < length; i++) {
    const roll = r.next();
    if (roll < 0.5) out += String.fromCharCode(0x20 + r.int(0x5f));
    else if (roll < 0.7) out += String.fromCharCode(r.int(0x20));
    else if (roll < 0.9) out += String.fromCharCode(r.int(0x10000));
    else out += r.pick(["@", "/", ".", "-", "_", "%", "~", "!", "*", "(", ")", "'", " ", "=", ">", "<", "[", "]", ";", ":"]);
  }
  return out;
}
