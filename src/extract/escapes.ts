// Backslash escapes of a string literal's body, shared by the JavaScript and Python lexers: the
// walk is the same, what each escape means is the language's.

/** What one escape stands for, and the index of its last character. */
export type Decoded = readonly [text: string, last: number];

/**
 * Copies the text of `raw` and replaces each escape by what `decodeOne` makes of it. `decodeOne` gets the
 * index just after the backslash (past the end for a trailing one); null there means the body has
 * no value, and then so has the whole.
 */
export function decodeBackslashes(raw: string, decodeOne: (raw: string, i: number) => Decoded): string;
export function decodeBackslashes(raw: string, decodeOne: (raw: string, i: number) => Decoded | null): string | null;
export function decodeBackslashes(raw: string, decodeOne: (raw: string, i: number) => Decoded | null): string | null {
  if (!raw.includes("\\")) return raw;
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const decoded = decodeOne(raw, i + 1);
    if (decoded === null) return null;
    out += decoded[0];
    i = decoded[1];
  }
  return out;
}
