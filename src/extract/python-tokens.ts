// A Python tokenizer just deep enough for finding imports: names, operators, strings (all prefixes,
// triple quotes, f-strings with nested replacement fields as in PEP 701), comments, line
// continuations, bracket depth and logical lines. Linear in the input and total: bad input gives
// tokens and a list of unterminated constructs, never an exception.

import { type Decoded, decodeBackslashes } from "./escapes.ts";

export type PyTokType = "name" | "op" | "str" | "num" | "nl";

export interface PyToken {
  t: PyTokType;
  /** Name or operator text; for strings the raw text is not kept. */
  v: string;
  /** For a plain str literal: its value; null for f-/t-strings, bytes and unterminated strings. */
  value?: string | null;
  /** 1-based line and 0-based column (UTF-16 units). */
  line: number;
  col: number;
  /** Bracket depth at the token; tokens inside f-string replacement fields count as nested. */
  depth: number;
  /** Indentation width of the logical line, on its first token only (tabs to multiples of 8). */
  indent?: number;
}

export interface PyLexResult {
  tokens: PyToken[];
  unterminated: Array<{ what: string; line: number }>;
}

const STRING_PREFIXES = new Set(["r", "u", "b", "f", "t", "br", "rb", "fr", "rf", "tr", "rt"]);
const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "\\": "\\", "'": "'", '"': '"', a: "\x07", b: "\b", f: "\f", v: "\v" };
/** Depth recorded for tokens inside f-string replacement fields: never a statement start. */
const IN_FSTRING = 1000;
/** Deeper f-string nesting is scanned as literal text (keeps the recursion bounded). */
const MAX_NESTING = 64;

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || (c > 127 && c !== 0xfeff && c !== 0xa0);
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Value of a non-raw str literal body (escapes decoded; unknown ones kept, as Python does). */
function decodeEscapes(raw: string): string | null {
  return decodeBackslashes(raw, pyEscape);
}

/** One Python escape; null where the literal has no value we can give (bad \x, \N{...}, trailing backslash). */
function pyEscape(raw: string, i: number): Decoded | null {
  const e = raw[i];
  if (e === undefined) return null;
  if (e === "\n") return ["", i];
  if (e === "\r") return ["", raw[i + 1] === "\n" ? i + 1 : i];
  const mapped = ESCAPES[e];
  if (mapped !== undefined) return [mapped, i];
  const hexLen = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
  if (hexLen > 0) {
    const hex = raw.slice(i + 1, i + 1 + hexLen);
    if (hex.length !== hexLen || !/^[0-9a-fA-F]+$/.test(hex)) return null;
    const cp = Number.parseInt(hex, 16);
    if (cp > 0x10ffff) return null;
    return [String.fromCodePoint(cp), i + hexLen];
  }
  if (e >= "0" && e <= "7") {
    let oct = e;
    while (oct.length < 3 && raw[i + 1] !== undefined && raw[i + 1]! >= "0" && raw[i + 1]! <= "7") oct += raw[++i];
    return [String.fromCharCode(Number.parseInt(oct, 8)), i];
  }
  if (e === "N") return null; // \N{NAME}: never part of a module name
  return [`\\${e}`, i];
}

export function lexPython(src: string): PyLexResult {
  const tokens: PyToken[] = [];
  const unterminated: Array<{ what: string; line: number }> = [];
  const n = src.length;
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i;
  let depth = 0;
  // Whether the current logical line already has a token (a newline then ends it).
  let inLine = false;
  let nesting = 0;

  const newline = (): void => {
    // i is at \r or \n
    if (src.charCodeAt(i) === 13 && src.charCodeAt(i + 1) === 10) i++;
    i++;
    line++;
    lineStart = i;
  };
  const indentOf = (from: number, to: number): number => {
    let width = 0;
    for (let p = from; p < to; p++) {
      const c = src.charCodeAt(p);
      if (c === 9) width = (Math.floor(width / 8) + 1) * 8;
      else if (c === 12) width = 0;
      else width++;
    }
    return width;
  };
  const push = (tok: PyToken): void => {
    if (!inLine && tok.depth === 0) {
      tok.indent = indentOf(lineStart, lineStart + tok.col);
      inLine = true;
    }
    tokens.push(tok);
  };

  /**
   * Scans a string whose opening quote is at `i` (prefix already consumed). Pushes the str token,
   * then (for f-/t-strings) the tokens of its replacement fields.
   */
  const string = (prefix: string, startCol: number, startLine: number, tokDepth: number): void => {
    const quote = src.charCodeAt(i);
    const triple = src.charCodeAt(i + 1) === quote && src.charCodeAt(i + 2) === quote;
    const p = prefix.toLowerCase();
    const raw = p.includes("r");
    const formatted = p.includes("f") || p.includes("t");
    const bytes = p.includes("b");
    i += triple ? 3 : 1;
    const tok: PyToken = { t: "str", v: "", value: null, line: startLine, col: startCol, depth: tokDepth };
    push(tok);
    const bodyStart = i;
    const closes = (at: number): boolean =>
      src.charCodeAt(at) === quote && (!triple || (src.charCodeAt(at + 1) === quote && src.charCodeAt(at + 2) === quote));
    let ok = false;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (closes(i)) {
        ok = true;
        break;
      }
      if (c === 92) {
        i++;
        if (i >= n) break;
        if (src.charCodeAt(i) === 13 || src.charCodeAt(i) === 10) newline();
        else i++;
        continue;
      }
      if (c === 13 || c === 10) {
        if (!triple) break;
        newline();
        continue;
      }
      if (formatted && c === 123) {
        if (src.charCodeAt(i + 1) === 123) {
          i += 2;
          continue;
        }
        i++;
        if (nesting < MAX_NESTING) replacementField(triple, quote);
        continue;
      }
      i++;
    }
    if (!ok) {
      unterminated.push({ what: triple ? "triple-quoted string" : "string", line: startLine });
      return;
    }
    const body = src.slice(bodyStart, i);
    i += triple ? 3 : 1;
    if (!formatted && !bytes) tok.value = raw ? body : decodeEscapes(body);
  };

  /** After the `{` of an f-string replacement field: expression tokens, conversion, format spec. */
  const replacementField = (triple: boolean, quote: number): void => {
    nesting++;
    expression(triple, quote);
    nesting--;
  };

  // PEP 701: a quote inside a replacement field opens a nested string, even the enclosing quote.
  const expression = (triple: boolean, quote: number): void => {
    let local = 0;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 13 || c === 10) {
        if (!triple && local === 0) return;
        newline();
        continue;
      }
      if (c === 32 || c === 9 || c === 12) {
        i++;
        continue;
      }
      if (c === 92 && (src.charCodeAt(i + 1) === 10 || src.charCodeAt(i + 1) === 13)) {
        i++;
        newline();
        continue;
      }
      if (local === 0 && c === 125) {
        i++;
        return;
      }
      if (local === 0 && c === 33 && src.charCodeAt(i + 1) !== 61) {
        // !r / !s / !a conversion, then an optional format spec.
        i++;
        while (i < n && isNamePart(src.charCodeAt(i))) i++;
        continue;
      }
      if (local === 0 && c === 58) {
        formatSpec(triple, quote);
        return;
      }
      if (c === 35 && triple) {
        while (i < n && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
        continue;
      }
      if (c === 40 || c === 91 || c === 123) local++;
      else if ((c === 41 || c === 93 || c === 125) && local > 0) local--;
      token(IN_FSTRING);
    }
  };

  /** After the `:` of a replacement field: literal text with nested fields, up to the closing `}`. */
  const formatSpec = (triple: boolean, quote: number): void => {
    i++;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === quote && (!triple || (src.charCodeAt(i + 1) === quote && src.charCodeAt(i + 2) === quote))) return;
      if (c === 13 || c === 10) {
        if (!triple) return;
        newline();
        continue;
      }
      if (c === 123) {
        i++;
        if (nesting < MAX_NESTING) replacementField(triple, quote);
        continue;
      }
      if (c === 125) {
        i++;
        return;
      }
      i++;
    }
  };

  /** One token at `i` (not whitespace, newline or comment). */
  const token = (tokDepth: number): void => {
    const c = src.charCodeAt(i);
    const start = i;
    const startLine = line;
    const col = i - lineStart;
    if (c === 39 || c === 34) {
      string("", col, startLine, tokDepth);
      return;
    }
    if (isNameStart(c)) {
      i++;
      while (i < n && isNamePart(src.charCodeAt(i))) i++;
      const word = src.slice(start, i);
      const q = src.charCodeAt(i);
      if ((q === 39 || q === 34) && word.length <= 2 && STRING_PREFIXES.has(word.toLowerCase())) {
        string(word, col, startLine, tokDepth);
        return;
      }
      push({ t: "name", v: word, line: startLine, col, depth: tokDepth });
      return;
    }
    if (isDigit(c) || (c === 46 && isDigit(src.charCodeAt(i + 1)))) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (isNamePart(d) || d === 46) i++;
        else if ((d === 43 || d === 45) && (src.charCodeAt(i - 1) | 32) === 101 && !/^0[xX]/.test(src.slice(start, start + 2))) i++;
        else break;
      }
      push({ t: "num", v: src.slice(start, i), line: startLine, col, depth: tokDepth });
      return;
    }
    i++;
    let v = String.fromCharCode(c);
    // `:=` must not look like the colon that ends a compound-statement header.
    if (c === 58 && src.charCodeAt(i) === 61) {
      i++;
      v = ":=";
    }
    push({ t: "op", v, line: startLine, col, depth: tokDepth });
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 13 || c === 10) {
      if (depth === 0 && inLine) {
        tokens.push({ t: "nl", v: "", line, col: i - lineStart, depth: 0 });
        inLine = false;
      }
      newline();
      continue;
    }
    if (c === 32 || c === 9 || c === 12 || c === 0xfeff) {
      i++;
      continue;
    }
    if (c === 35) {
      while (i < n && src.charCodeAt(i) !== 10 && src.charCodeAt(i) !== 13) i++;
      continue;
    }
    if (c === 92 && (src.charCodeAt(i + 1) === 10 || src.charCodeAt(i + 1) === 13)) {
      i++;
      newline();
      continue;
    }
    if (c === 40 || c === 91 || c === 123) {
      token(depth);
      depth++;
      continue;
    }
    if (c === 41 || c === 93 || c === 125) {
      depth = Math.max(0, depth - 1);
      token(depth);
      continue;
    }
    token(depth);
  }
  if (inLine) tokens.push({ t: "nl", v: "", line, col: i - lineStart, depth: 0 });
  if (depth > 0) unterminated.push({ what: "bracket", line });
  return { tokens, unterminated };
}
