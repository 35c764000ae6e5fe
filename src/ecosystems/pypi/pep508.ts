// PEP 508 dependency specifiers ("name[extras] (specifiers) ; marker", "name @ url ; marker"),
// with the grammar and normalisations of Python's `packaging` (26.x) Requirement, which pip uses.
// Nothing here throws: an invalid requirement is `{ error }`.
import { normalizePypiName } from "./names.ts";
import { formatSpecifierSet, parseSpecifierSet } from "./pep440.ts";

export interface Requirement {
  /** The name as written. */
  name: string;
  /** Extras as written, without duplicates, in order of appearance. */
  extras: string[];
  /** Specifier clauses as written (whitespace removed), joined by ","; "" when none. */
  specifier: string;
  /** The marker in packaging's normal form (str(Marker)); null when none. */
  marker: string | null;
  url: string | null;
}

export type RequirementParse = Requirement | { error: string };

// Python's `\s` (str.isspace); JavaScript's `\s` differs (U+FEFF, U+001C-U+001F, U+0085).
export const PY_WS = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const PRE = "(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?";
const POST = "(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?";
const DEV = "(?:[-_.]?dev[-_.]?[0-9]*)?";
// One specifier token, as the requirement tokenizer matches it (not anchored at the end).
const SPECIFIER_TOKEN = new RegExp(
  `===${PY_WS}*(?:(?!${PY_WS})[^;)])*` +
    `|(?:==|!=)${PY_WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|${PRE}${POST}${DEV}(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?)?` +
    `|~=${PY_WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV}` +
    `|(?:<=|>=|<|>)${PY_WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*${PRE}${POST}${DEV}`,
  "iy",
);
const PY_SPACE = new RegExp(`^${PY_WS}$`);

/** Python's str.strip() with no argument. A loop from each end: a `\s+$` regex is quadratic on long inner runs. */
export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PY_SPACE.test(text[start]!)) start++;
  while (end > start && PY_SPACE.test(text[end - 1]!)) end--;
  return text.slice(start, end);
}

const PREFIX_TRAIL = /\.\*/y;
const LOCAL_TRAIL = /\+[a-z0-9]+(?:[-_.][a-z0-9]+)*/y;
const MARKER_OP = /===|==|~=|!=|<=|>=|<|>/y;
const QUOTED = /'[^']*'|"[^"]*"/y;
const VARIABLE =
  /python_version|python_full_version|os[._]name|sys[._]platform|platform_(?:release|system)|platform[._](?:version|machine|python_implementation)|python_implementation|implementation_(?:name|version)|extras?|dependency_groups/y;
const URL_TOKEN = /[^ \t]+/y;
// Python's `\w` in str patterns: letters, numbers and "_".
const WORD_CHAR = /[\p{L}\p{N}_]/u;
const IDENT_CHAR = /[A-Za-z0-9._-]/;
const IDENT_START = /[A-Za-z0-9]/;

class SyntaxFailure {
  message: string;
  constructor(message: string) {
    this.message = message;
  }
}

type MarkerVar = { kind: "variable" | "value"; value: string };
type MarkerItem = { lhs: MarkerVar; op: string; rhs: MarkerVar };
type MarkerList = Array<MarkerItem | MarkerList | "and" | "or">;

/** Parses one PEP 508 requirement; `{ error }` when packaging's Requirement would reject it. */
export function parseRequirement(text: string): RequirementParse {
  if (typeof text !== "string") return { error: "requirement is not text" };
  try {
    return new Parser(text).requirement();
  } catch (error) {
    if (error instanceof SyntaxFailure) return { error: error.message };
    return { error: `unparseable requirement: ${String(error)}` };
  }
}

/** Parses an environment marker alone (packaging's Marker), returning its normal form. */
export function parseMarker(text: string): { marker: string } | { error: string } {
  if (typeof text !== "string") return { error: "marker is not text" };
  try {
    const parser = new Parser(text);
    const marker = parser.marker();
    if (!parser.atEnd()) parser.fail("expected end of marker expression");
    return { marker: formatMarker(normalizeExtraValues(marker), true) };
  } catch (error) {
    if (error instanceof SyntaxFailure) return { error: error.message };
    return { error: `unparseable marker: ${String(error)}` };
  }
}

class Parser {
  readonly src: string;
  pos = 0;

  constructor(src: string) {
    this.src = src;
  }

  fail(message: string): never {
    throw new SyntaxFailure(`${message} (at column ${this.pos + 1})`);
  }

  /** Python's `\b` at an index (Unicode word characters, code-point aware). */
  boundary(at: number): boolean {
    return this.isWordBefore(at) !== this.isWordAt(at);
  }

  isWordAt(at: number): boolean {
    if (at >= this.src.length) return false;
    const cp = this.src.codePointAt(at)!;
    return WORD_CHAR.test(String.fromCodePoint(cp));
  }

  isWordBefore(at: number): boolean {
    if (at <= 0) return false;
    let start = at - 1;
    const unit = this.src.charCodeAt(start);
    if (unit >= 0xdc00 && unit <= 0xdfff && start > 0) {
      const high = this.src.charCodeAt(start - 1);
      if (high >= 0xd800 && high <= 0xdbff) start--;
    }
    return this.isWordAt(start);
  }

  /** `$` in Python: the end, or just before a final newline. */
  atEnd(): boolean {
    return this.pos === this.src.length || (this.pos === this.src.length - 1 && this.src[this.pos] === "\n");
  }

  ws(): boolean {
    const start = this.pos;
    while (this.pos < this.src.length && (this.src[this.pos] === " " || this.src[this.pos] === "\t")) this.pos++;
    return this.pos > start;
  }

  sticky(re: RegExp): string | null {
    re.lastIndex = this.pos;
    const m = re.exec(this.src);
    return m ? m[0] : null;
  }

  /** A keyword or variable that needs `\b` on both sides. */
  word(re: RegExp): string | null {
    if (!this.boundary(this.pos)) return null;
    re.lastIndex = this.pos;
    const m = re.exec(this.src);
    if (!m || !this.boundary(this.pos + m[0].length)) return null;
    return m[0];
  }

  identifier(): string | null {
    const s = this.src;
    if (!IDENT_START.test(s[this.pos] ?? "") || !this.boundary(this.pos)) return null;
    let end = this.pos + 1;
    while (end < s.length && IDENT_CHAR.test(s[end]!)) end++;
    // Back off until `\b` holds at the end, as the regex engine would.
    while (end > this.pos && !this.boundary(end)) end--;
    if (end === this.pos) return null;
    const ident = s.slice(this.pos, end);
    this.pos = end;
    return ident;
  }

  requirement(): Requirement {
    this.ws();
    const name = this.identifier();
    if (name === null) this.fail("expected package name at the start of dependency specifier");
    this.ws();
    const extras = this.extras();
    this.ws();
    let url: string | null = null;
    let specifier = "";
    let marker: MarkerList | null = null;
    if (this.src[this.pos] === "@") {
      this.pos++;
      this.ws();
      const found = this.sticky(URL_TOKEN);
      if (found === null) this.fail("expected URL after @");
      url = found;
      this.pos += found.length;
      if (!this.atEnd()) {
        if (!this.ws()) this.fail("expected whitespace after URL");
        if (!this.atEnd()) marker = this.requirementMarker("semicolon (after URL and whitespace)");
      }
    } else {
      specifier = this.specifier();
      this.ws();
      if (!this.atEnd()) {
        marker = this.requirementMarker(
          specifier
            ? "comma (within version specifier), semicolon (after version specifier)"
            : "semicolon (after name with no version specifier)",
        );
      }
    }
    if (!this.atEnd()) this.fail("expected end of dependency specifier");
    const set = parseSpecifierSet(specifier);
    if (!set) this.fail(`invalid specifier "${specifier}"`);
    return {
      name,
      extras,
      specifier: formatSpecifierSet(set),
      marker: marker ? formatMarker(normalizeExtraValues(marker), true) : null,
      url,
    };
  }

  requirementMarker(expected: string): MarkerList {
    if (this.src[this.pos] !== ";") this.fail(`expected ${expected} or end`);
    this.pos++;
    const marker = this.marker();
    this.ws();
    return marker;
  }

  extras(): string[] {
    if (this.src[this.pos] !== "[") return [];
    this.pos++;
    this.ws();
    const extras: string[] = [];
    const first = this.identifier();
    if (first !== null) {
      extras.push(first);
      for (;;) {
        this.ws();
        const save = this.pos;
        if (this.identifier() !== null) {
          this.pos = save;
          this.fail("expected comma between extra names");
        }
        if (this.src[this.pos] !== ",") break;
        this.pos++;
        this.ws();
        const next = this.identifier();
        if (next === null) this.fail("expected extra name after comma");
        extras.push(next);
      }
    }
    this.ws();
    if (this.src[this.pos] !== "]") this.fail("expected matching ] for [, after extras");
    this.pos++;
    return [...new Set(extras)];
  }

  specifier(): string {
    const open = this.src[this.pos] === "(";
    if (open) this.pos++;
    this.ws();
    let out = "";
    for (;;) {
      const token = this.sticky(SPECIFIER_TOKEN);
      if (token === null) break;
      this.pos += token.length;
      out += token;
      if (this.sticky(PREFIX_TRAIL) !== null) this.fail(".* suffix can only be used with `==` or `!=` operators");
      if (this.sticky(LOCAL_TRAIL) !== null) {
        this.fail("local version label can only be used with `==` or `!=` operators");
      }
      this.ws();
      if (this.src[this.pos] !== ",") break;
      this.pos++;
      out += ",";
      this.ws();
    }
    this.ws();
    if (open) {
      if (this.src[this.pos] !== ")") this.fail("expected matching ) for (, after version specifier");
      this.pos++;
    }
    return out;
  }

  marker(): MarkerList {
    const expression: MarkerList = [this.markerAtom()];
    for (;;) {
      const op = this.word(/or|and/y);
      if (op === null) break;
      this.pos += op.length;
      expression.push(op as "and" | "or", this.markerAtom());
    }
    return expression;
  }

  markerAtom(): MarkerItem | MarkerList {
    this.ws();
    let atom: MarkerItem | MarkerList;
    if (this.src[this.pos] === "(") {
      this.pos++;
      this.ws();
      atom = this.marker();
      this.ws();
      if (this.src[this.pos] !== ")") this.fail("expected matching ) for (, after marker expression");
      this.pos++;
    } else {
      atom = this.markerItem();
    }
    this.ws();
    return atom;
  }

  markerItem(): MarkerItem {
    this.ws();
    const lhs = this.markerVar();
    this.ws();
    const op = this.markerOp();
    this.ws();
    const rhs = this.markerVar();
    this.ws();
    return { lhs, op, rhs };
  }

  markerVar(): MarkerVar {
    const variable = this.word(VARIABLE);
    if (variable !== null) {
      this.pos += variable.length;
      const name = variable.replace(/\./g, "_");
      return { kind: "variable", value: name === "python_implementation" ? "platform_python_implementation" : name };
    }
    const quoted = this.sticky(QUOTED);
    if (quoted !== null) {
      const value = pythonStringLiteral(quoted);
      if (value === null) this.fail(`invalid string literal ${quoted}`);
      this.pos += quoted.length;
      return { kind: "value", value };
    }
    return this.fail("expected a marker variable or quoted string");
  }

  markerOp(): string {
    if (this.word(/in/y) !== null) {
      this.pos += 2;
      return "in";
    }
    if (this.word(/not/y) !== null) {
      this.pos += 3;
      if (!this.ws()) this.fail("expected whitespace after 'not'");
      if (this.word(/in/y) === null) this.fail("expected 'in' after 'not'");
      this.pos += 2;
      return "not in";
    }
    const op = this.sticky(MARKER_OP);
    if (op === null) this.fail("expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in");
    this.pos += op.length;
    return op;
  }
}

/** packaging normalises the value compared with `extra` (top level only) to its PEP 503 form. */
function normalizeExtraValues(markers: MarkerList): MarkerList {
  return markers.map((m) => {
    if (typeof m === "string" || Array.isArray(m)) return m;
    if (m.lhs.kind === "variable" && m.lhs.value === "extra") {
      return { ...m, rhs: { kind: "value", value: normalizePypiName(m.rhs.value) } };
    }
    if (m.rhs.kind === "variable" && m.rhs.value === "extra") {
      return { ...m, lhs: { kind: "value", value: normalizePypiName(m.lhs.value) } };
    }
    return m;
  });
}

function serializeVar(v: MarkerVar): string {
  return v.kind === "value" ? `"${v.value}"` : v.value;
}

/** packaging's str(Marker): single-element groups lose their parentheses, nested groups keep them. */
function formatMarker(marker: MarkerList | MarkerItem | "and" | "or", first: boolean): string {
  if (typeof marker === "string") return marker;
  if (!Array.isArray(marker)) return `${serializeVar(marker.lhs)} ${marker.op} ${serializeVar(marker.rhs)}`;
  if (marker.length === 1 && typeof marker[0] !== "string") return formatMarker(marker[0]!, true);
  const inner = marker.map((m) => formatMarker(m, false)).join(" ");
  return first ? inner : `(${inner})`;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/**
 * The value of a quoted Python string literal (packaging uses ast.literal_eval); null where Python
 * raises. `\N{...}` is kept as written: resolving Unicode names would need the name database.
 */
export function pythonStringLiteral(token: string): string | null {
  const body = token.slice(1, -1);
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    const code = ch.charCodeAt(0);
    if (ch === "\n" || ch === "\r" || ch === "\0") return null;
    if (code >= 0xd800 && code <= 0xdfff) {
      const pair = code <= 0xdbff && body.charCodeAt(i + 1) >= 0xdc00 && body.charCodeAt(i + 1) <= 0xdfff;
      if (!pair) return null;
      out += body.slice(i, i + 2);
      i++;
      continue;
    }
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = body[i + 1];
    if (next === undefined) return null;
    i++;
    if (next === "\n") continue;
    if (next === "\r") {
      if (body[i + 1] === "\n") i++;
      continue;
    }
    if (next in SIMPLE_ESCAPES) {
      out += SIMPLE_ESCAPES[next];
      continue;
    }
    if (next >= "0" && next <= "7") {
      let digits = next;
      while (digits.length < 3 && /[0-7]/.test(body[i + 1] ?? "")) digits += body[++i];
      out += String.fromCodePoint(Number.parseInt(digits, 8));
      continue;
    }
    const width = next === "x" ? 2 : next === "u" ? 4 : next === "U" ? 8 : 0;
    if (width) {
      const hex = body.slice(i + 1, i + 1 + width);
      if (hex.length !== width || !/^[0-9a-fA-F]+$/.test(hex)) return null;
      const cp = Number.parseInt(hex, 16);
      if (cp > 0x10ffff) return null;
      out += String.fromCodePoint(cp);
      i += width;
      continue;
    }
    // Unknown escapes stay as written (Python warns); keep a surrogate pair whole.
    out += "\\";
    i--;
  }
  return out;
}

/** The exact version a specifier pins (`==1.0`, `===1.0`); null for ranges, wildcards and none. */
export function pinnedVersion(specifier: string): string | null {
  const set = parseSpecifierSet(specifier);
  const only = set?.specifiers.length === 1 ? set.specifiers[0]! : null;
  if (!only) return null;
  if (only.operator === "===" || (only.operator === "==" && !only.version.endsWith(".*"))) return only.version;
  return null;
}
