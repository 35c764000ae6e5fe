// Seeded generator of realistic typosquats of a name, one per edit kind, for recall measurements.
export { seededRandom } from "../support/random.ts";

const KEY_NEIGHBOURS: Record<string, string> = {
  q: "wa", w: "qeas", e: "wrsd", r: "etdf", t: "ryfg", y: "tugh", u: "yihj", i: "uojk", o: "ipkl", p: "ol",
  a: "qwsz", s: "awedxz", d: "serfcx", f: "drtgvc", g: "ftyhbv", h: "gyujnb", j: "huikmn", k: "jiolm", l: "kop",
  z: "asx", x: "zsdc", c: "xdfv", v: "cfgb", b: "vghn", n: "bhjm", m: "njk",
};
const VOWELS = "aeiou";
const HOMOGLYPHS: Array<[string, string]> = [["l", "1"], ["o", "0"], ["m", "rn"], ["w", "vv"], ["d", "cl"]];

export interface TypoOptions {
  scoped: boolean;
  /** Separators that make a different name ("-" only once names are PEP 503-normalised). */
  separators: string[];
  prefixes: string[];
  suffixes: string[];
}

export type TypoKind =
  | "deletion"
  | "insertion"
  | "substitution"
  | "keyboard"
  | "transposition"
  | "repeated-letter"
  | "homoglyph"
  | "separator"
  | "affix"
  | "scope";

export const TYPO_KINDS: TypoKind[] = [
  "deletion", "insertion", "substitution", "keyboard", "transposition", "repeated-letter", "homoglyph", "separator",
  "affix", "scope",
];

const isLetter = (c: string | undefined) => c !== undefined && c >= "a" && c <= "z";

/** One variant of `name` of the given kind, or null when the name offers none. */
export function makeTypo(name: string, kind: TypoKind, rnd: () => number, o: TypoOptions): string | null {
  const slash = o.scoped && name.startsWith("@") ? name.indexOf("/") : -1;
  const scope = slash > 0 ? name.slice(0, slash + 1) : "";
  const bare = name.slice(scope.length);
  const pick = <T>(xs: readonly T[]): T | null => (xs.length ? xs[Math.floor(rnd() * xs.length)]! : null);
  const positions = (pred: (i: number) => boolean, s = bare) => [...s].map((_, i) => i).filter(pred);
  const at = (s: string, i: number, del: number, ins: string) => s.slice(0, i) + ins + s.slice(i + del);
  // Only a scope's owners publish in it: an imitation of a scoped name changes or drops the scope.
  if (scope && kind !== "scope") return null;
  let out: string | null = null;
  switch (kind) {
    case "deletion": {
      const i = pick(positions((i) => isLetter(bare[i]) && bare[i] !== bare[i - 1] && bare[i] !== bare[i + 1]));
      out = i === null ? null : at(bare, i, 1, "");
      break;
    }
    case "insertion": {
      // A fat finger: a key next to the previous letter, typed after it.
      const i = pick(positions((i) => i > 0 && isLetter(bare[i - 1])));
      const c = i === null ? null : pick([...(KEY_NEIGHBOURS[bare[i - 1]!] ?? "")].filter((k) => k !== bare[i]));
      out = i === null || c === null ? null : at(bare, i, 0, c);
      break;
    }
    case "keyboard": {
      const i = pick(positions((i) => isLetter(bare[i])));
      const c = i === null ? null : pick([...(KEY_NEIGHBOURS[bare[i]!] ?? "")]);
      out = i === null || c === null ? null : at(bare, i, 1, c);
      break;
    }
    case "substitution": {
      // Vowels confused with each other ("pandes", "cryptogrophy").
      const i = pick(positions((i) => VOWELS.includes(bare[i]!)));
      const c = i === null ? null : pick([...VOWELS].filter((v) => v !== bare[i]));
      out = i === null || c === null ? null : at(bare, i, 1, c);
      break;
    }
    case "transposition": {
      const i = pick(positions((i) => isLetter(bare[i]) && isLetter(bare[i + 1]) && bare[i] !== bare[i + 1]));
      out = i === null ? null : at(bare, i, 2, bare[i + 1]! + bare[i]!);
      break;
    }
    case "repeated-letter": {
      const doubled = positions((i) => isLetter(bare[i]) && bare[i] === bare[i + 1]);
      if (doubled.length && rnd() < 0.5) out = at(bare, pick(doubled)!, 1, "");
      else {
        const i = pick(positions((i) => isLetter(bare[i])));
        out = i === null ? null : at(bare, i, 0, bare[i]!);
      }
      break;
    }
    case "homoglyph": {
      const options = HOMOGLYPHS.flatMap(([from, to]) => positions((i) => bare.startsWith(from, i)).map((i) => [i, from, to] as const));
      const h = pick(options);
      out = h === null ? null : at(bare, h[0], h[1].length, h[2]);
      break;
    }
    case "separator": {
      const seps = positions((i) => o.separators.includes(bare[i]!));
      if (seps.length) {
        const i = pick(seps)!;
        const other = o.separators.filter((s) => s !== bare[i]);
        out = at(bare, i, 1, rnd() < 0.5 || !other.length ? "" : pick(other)!);
      } else {
        const i = pick(positions((i) => i >= 2 && i <= bare.length - 2));
        out = i === null ? null : at(bare, i, 0, o.separators[0]!);
      }
      break;
    }
    case "affix": {
      const all = [...o.prefixes.map((p) => [p, ""]), ...o.suffixes.map((s) => ["", s])];
      const [p, s] = pick(all)!;
      out = p + bare + s;
      break;
    }
    case "scope": {
      if (!scope) return null;
      const s = scope.slice(1, -1);
      const r = rnd();
      // "@babel/core" -> "babel-core", "@typescript-eslint" -> "@typescript_eslint", or a typo in the scope.
      if (r < 0.3) return `${s}-${bare}`;
      if (r < 0.5 && s.includes("-")) return `@${s.replace("-", "_")}/${bare}`;
      const kinds: TypoKind[] = ["deletion", "insertion", "keyboard", "transposition", "repeated-letter"];
      const typo = makeTypo(s, kinds[Math.floor(rnd() * kinds.length)]!, rnd, { ...o, scoped: false });
      return typo && typo !== s ? `@${typo}/${bare}` : null;
    }
  }
  return out === null ? null : scope + out;
}
