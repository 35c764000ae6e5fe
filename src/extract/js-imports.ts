// Static imports of JavaScript/TypeScript sources (and the <script> parts of .vue/.svelte files).
// A small lexer (strings, templates with ${} nesting, comments, regex vs division) feeds a
// token-pattern matcher, so `require('x')` in a comment or string is never taken for code.
// The lexer is linear: every construct that fails to close ends at the line end (or is bounded).
import { isBuiltin } from "node:module";
import { isValidNpmName, parseNpmSpec } from "../ecosystems/npm/spec.ts";
import type { ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../core/dependency.ts";
import { errorMessage } from "../core/guards.ts";
import { ecosystemOfImports } from "../ecosystems/index.ts";
import { type Decoded, decodeBackslashes } from "./escapes.ts";

export type JsTokenType = "name" | "punct" | "str" | "num" | "other";

export interface JsToken {
  t: JsTokenType;
  /** Name or punctuator text; the cooked value of a string or no-substitution template. */
  v: string;
  line: number;
  col: number;
  /** Offset just after the token: tells adjacent punctuators (`++`) apart from spaced ones. */
  end: number;
  start: number;
}

// Keywords after which `/` starts a regular expression rather than a division.
const REGEX_AFTER = new Set([
  "return",
  "typeof",
  "instanceof",
  "in",
  "of",
  "new",
  "delete",
  "void",
  "throw",
  "case",
  "do",
  "else",
  "yield",
  "await",
]);
const CONTROL = new Set(["if", "while", "for", "with"]);
/** A regex literal longer than this is taken for a division: keeps false starts cheap. */
const MAX_REGEX = 4096;

export interface JsLexResult {
  tokens: JsToken[];
  /** Multi-line constructs left open at the end of the text (after them, imports may be missed). */
  unterminated: Array<{ what: string; line: number }>;
}

function isIdentStart(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 36 || c === 95 || c === 92 || c === 35 || (c > 127 && !isSpaceLike(c))
  );
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

function isSpaceLike(c: number): boolean {
  return c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000;
}

function isNewline(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", v: "\v", "0": "\0" };

/** Cooks the escapes of a string body (enough for module specifiers; bad escapes stay literal). */
function cook(raw: string): string {
  return decodeBackslashes(raw, jsEscape);
}

/** One JavaScript escape; a trailing backslash ends the body. */
function jsEscape(raw: string, i: number): Decoded {
  const e = raw[i];
  if (e === undefined) return ["", raw.length];
  if (e === "\r" || e === "\n" || e === "\u2028" || e === "\u2029") return ["", e === "\r" && raw[i + 1] === "\n" ? i + 1 : i];
  if (e === "x" && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) return [String.fromCharCode(Number.parseInt(raw.slice(i + 1, i + 3), 16)), i + 2];
  if (e === "u" && raw[i + 1] === "{") {
    const close = raw.indexOf("}", i);
    const cp = close > 0 ? Number.parseInt(raw.slice(i + 2, close), 16) : Number.NaN;
    if (Number.isInteger(cp) && cp <= 0x10ffff && /^[0-9a-fA-F]+$/.test(raw.slice(i + 2, close))) return [String.fromCodePoint(cp), close];
    return [e, i];
  }
  if (e === "u" && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 1, i + 5))) return [String.fromCharCode(Number.parseInt(raw.slice(i + 1, i + 5), 16)), i + 4];
  return [SIMPLE_ESCAPES[e] ?? e, i];
}

/** Tokenizes JavaScript/TypeScript. Never throws; unknown characters become punctuators. */
export function lexJs(src: string): JsLexResult {
  const tokens: JsToken[] = [];
  const unterminated: Array<{ what: string; line: number }> = [];
  const n = src.length;
  let i = 0;
  let line = 1;
  let lineStart = 0;
  // One entry per open brace: 0, or for a template substitution `${` the template's first line.
  const braces: number[] = [];
  // One entry per open parenthesis: true after if/while/for/with, whose `)` may precede a regex.
  const parens: boolean[] = [];
  let controlClose = -1;
  // After a regex scan failed up to here, `/` up to this offset is division: keeps hostile input linear.
  let noRegexBefore = -1;

  const newline = (at: number): number => {
    // Returns the offset after the newline at `at` and counts it (CRLF is one).
    const next = src.charCodeAt(at) === 13 && src.charCodeAt(at + 1) === 10 ? at + 2 : at + 1;
    line++;
    lineStart = next;
    return next;
  };
  const push = (t: JsTokenType, v: string, start: number, startLine: number, startCol: number) => {
    tokens.push({ t, v, line: startLine, col: startCol, start, end: i });
  };

  const regexAllowed = (): boolean => {
    const prev = tokens[tokens.length - 1];
    if (prev === undefined) return true;
    if (prev.t === "name") return REGEX_AFTER.has(prev.v);
    if (prev.t !== "punct") return false;
    if (prev.v === ")") return controlClose === tokens.length - 1;
    if (prev.v === "]") return false;
    // `a++ / b`: an adjacent ++ or -- is a postfix operator.
    if (prev.v === "+" || prev.v === "-") {
      const before = tokens[tokens.length - 2];
      if (before && before.t === "punct" && before.v === prev.v && before.end === prev.start) return false;
    }
    return true;
  };

  /** Scans template characters from `i`; stops after the closing backtick or after `${`. */
  const template = (startLine: number, startCol: number, start: number, head: boolean) => {
    const body = i;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === 96) {
        const raw = src.slice(body, i);
        i++;
        // Only a whole `...` without substitutions has a static value.
        if (head) push("str", cook(raw), start, startLine, startCol);
        else push("other", "`", start, startLine, startCol);
        return;
      }
      if (c === 92) {
        if (isNewline(src.charCodeAt(i + 1))) i = newline(i + 1);
        else i += 2;
        continue;
      }
      if (c === 36 && src.charCodeAt(i + 1) === 123) {
        i += 2;
        braces.push(startLine);
        push("punct", "${", start, startLine, startCol);
        return;
      }
      if (isNewline(c)) i = newline(i);
      else i++;
    }
    unterminated.push({ what: "template literal", line: startLine });
    i = n;
  };

  if (src.startsWith("#!")) {
    while (i < n && !isNewline(src.charCodeAt(i))) i++;
  }

  while (i < n) {
    const c = src.charCodeAt(i);
    if (isNewline(c)) {
      i = newline(i);
      continue;
    }
    if (c === 32 || c === 9 || c === 11 || c === 12 || isSpaceLike(c)) {
      i++;
      continue;
    }
    const start = i;
    const startLine = line;
    const startCol = i - lineStart + 1;
    if (c === 47) {
      const next = src.charCodeAt(i + 1);
      if (next === 47) {
        while (i < n && !isNewline(src.charCodeAt(i))) i++;
        continue;
      }
      if (next === 42) {
        i += 2;
        let closed = false;
        while (i < n) {
          const d = src.charCodeAt(i);
          if (d === 42 && src.charCodeAt(i + 1) === 47) {
            i += 2;
            closed = true;
            break;
          }
          if (isNewline(d)) i = newline(i);
          else i++;
        }
        if (!closed) unterminated.push({ what: "block comment", line: startLine });
        continue;
      }
      if (i >= noRegexBefore && regexAllowed()) {
        // A regex literal never spans lines: if it does not close on this line it was a division.
        let j = i + 1;
        let inClass = false;
        let closed = false;
        while (j < n && j - i < MAX_REGEX) {
          const d = src.charCodeAt(j);
          if (isNewline(d)) break;
          if (d === 92) {
            if (isNewline(src.charCodeAt(j + 1))) break;
            j += 2;
            continue;
          }
          if (d === 91) inClass = true;
          else if (d === 93) inClass = false;
          else if (d === 47 && !inClass) {
            closed = true;
            break;
          }
          j++;
        }
        if (closed) {
          i = j + 1;
          while (i < n && isIdentPart(src.charCodeAt(i))) i++;
          push("other", "/re/", start, startLine, startCol);
          continue;
        }
        noRegexBefore = j;
      }
      i++;
      push("punct", "/", start, startLine, startCol);
      continue;
    }
    if (c === 39 || c === 34) {
      i++;
      let ok = false;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (d === c) {
          ok = true;
          i++;
          break;
        }
        if (d === 92) {
          if (isNewline(src.charCodeAt(i + 1))) i = newline(i + 1);
          else i += 2;
          continue;
        }
        if (d === 10 || d === 13) break;
        i++;
      }
      if (ok) push("str", cook(src.slice(start + 1, i - 1)), start, startLine, startCol);
      else push("other", "'", start, startLine, startCol);
      continue;
    }
    if (c === 96) {
      i++;
      template(startLine, startCol, start, true);
      continue;
    }
    if (c === 123) {
      i++;
      braces.push(0);
      push("punct", "{", start, startLine, startCol);
      continue;
    }
    if (c === 125) {
      i++;
      const opened = braces.pop();
      if (opened !== undefined && opened > 0) {
        template(startLine, startCol, start, false);
        continue;
      }
      push("punct", "}", start, startLine, startCol);
      continue;
    }
    if (c >= 48 && c <= 57) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        // Digits, letters (hex, exponent, BigInt n), separators; a dot only before a digit.
        if (isIdentPart(d) && d !== 92 && d !== 35) i++;
        else if (d === 46 && src.charCodeAt(i + 1) >= 48 && src.charCodeAt(i + 1) <= 57) i++;
        else if ((d === 43 || d === 45) && (src.charCodeAt(i - 1) | 32) === 101 && !/^0[xX]/.test(src.slice(start, start + 2))) i++;
        else break;
      }
      push("num", src.slice(start, i), start, startLine, startCol);
      continue;
    }
    if (isIdentStart(c)) {
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if (d === 92 && src.charCodeAt(i + 1) === 117) {
          i += 2;
          continue;
        }
        if (isIdentPart(d) && d !== 92) i++;
        else break;
      }
      push("name", src.slice(start, i), start, startLine, startCol);
      continue;
    }
    i++;
    if (c === 40) {
      const before = tokens[tokens.length - 1];
      parens.push(before !== undefined && before.t === "name" && CONTROL.has(before.v));
    } else if (c === 41 && parens.pop() === true) controlClose = tokens.length;
    push("punct", src[start]!, start, startLine, startCol);
  }
  const openTemplate = braces.find((b) => b > 0);
  if (openTemplate !== undefined) unterminated.push({ what: "template literal", line: openTemplate });
  return { tokens, unterminated };
}

/** The npm packages an import specifier loads; none for relative paths, URLs, node built-ins, aliases. */
export function npmPackagesOfSpecifier(specifier: string): Array<{ name: string; version: string | null }> {
  // Webpack inline loaders: "style-loader!css-loader?modules!./file.css" loads each part.
  if (specifier.includes("!")) {
    return specifier
      .split("!")
      .filter((part) => part !== "" && part !== "-")
      .flatMap((part) => npmPackagesOfSpecifier(part));
  }
  const spec = specifier.replace(/\?.*$/s, "");
  if (spec === "" || /^[.#/\\~]/.test(spec)) return [];
  // Deno / Bun style "npm:pkg@1.2/sub".
  if (/^npm:/i.test(spec)) {
    const parsed = parseNpmSpec(packagePart(spec.slice(4).replace(/^\/+/, "")));
    return parsed.name && !parsed.error ? [{ name: parsed.name, version: parsed.version || null }] : [];
  }
  // Any other scheme: node:, https:, data:, file:, jsr:, bun:, virtual:, C:\ ...
  if (/^[a-z][a-z0-9+.-]*:/i.test(spec)) return [];
  if (isBuiltin(spec)) return [];
  const name = packagePart(spec);
  return isValidNpmName(name) ? [{ name, version: null }] : [];
}

/** "a/b" -> "a", "@s/p/x" -> "@s/p" (a version written after the name stays: "a@1/b" -> "a@1"). */
function packagePart(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function isDeclarationFile(file: string): boolean {
  return /\.d\.[cm]?ts$/i.test(file) || /\.d\.[^./\\]+\.ts$/i.test(file);
}

const MAX_CLAUSE_TOKENS = 20_000;

/** The ecosystem whose packages JavaScript imports name (none declared: no imports are reported). */
const JS_ECOSYSTEM = ecosystemOfImports("javascript")?.id;

/** Scans the full JS lexer output for import forms. */
function importsOfTokens(tokens: JsToken[], file: string, lineOffset: number, allTypeOnly: boolean): ExtractedDependency[] {
  const out: ExtractedDependency[] = [];
  const is = (k: number, t: JsTokenType, v?: string): boolean => {
    const tok = tokens[k];
    return tok !== undefined && tok.t === t && (v === undefined || tok.v === v);
  };
  // `import x = require("y")` is seen twice (as import and as require): record each string once.
  const recorded = new Set<number>();
  const record = (index: number, typeOnly: boolean) => {
    if (recorded.has(index) || JS_ECOSYSTEM === undefined) return;
    recorded.add(index);
    const tok = tokens[index]!;
    for (const pkg of npmPackagesOfSpecifier(tok.v)) {
      const dep: ExtractedDependency = {
        ecosystem: JS_ECOSYSTEM,
        name: pkg.name,
        version: pkg.version,
        source: "registry",
        kind: "import",
        location: { file, line: tok.line + lineOffset, column: tok.col },
        importName: tok.v,
      };
      if (typeOnly || allTypeOnly) dep.typeOnly = true;
      out.push(dep);
    }
  };
  // `obj.require(...)`, `x.import(...)` are properties; `...require(...)` is a spread.
  const afterDot = (k: number): boolean => is(k - 1, "punct", ".") && !is(k - 2, "punct", ".");
  // From token k, finds `from "x"` ending an import/export clause; returns the string's index.
  const fromClause = (k: number): number => {
    let depth = 0;
    for (let j = k; j < tokens.length && j - k < MAX_CLAUSE_TOKENS; j++) {
      const tok = tokens[j]!;
      if (tok.t === "name" && tok.v === "from" && depth === 0 && is(j + 1, "str")) return j + 1;
      // After the closing brace of a specifier list only `from` may follow.
      if (depth === 0 && j > k && is(j - 1, "punct", "}")) return -1;
      if (tok.t === "name") {
        if (depth === 0 && (tok.v === "import" || tok.v === "export")) return -1;
        continue;
      }
      if (tok.t === "str" && depth > 0) continue;
      if (tok.t !== "punct") return -1;
      if (tok.v === "{") depth++;
      else if (tok.v === "}") {
        if (--depth < 0) return -1;
      } else if (tok.v !== "," && tok.v !== "*") return -1;
    }
    return -1;
  };
  const requireCall = (k: number): number => {
    // k is at `(`; returns the index of the string argument or -1.
    if (!is(k, "punct", "(") || !is(k + 1, "str")) return -1;
    return is(k + 2, "punct", ")") || is(k + 2, "punct", ",") ? k + 1 : -1;
  };

  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k]!;
    if (tok.t !== "name") continue;
    if (tok.v === "import") {
      if (afterDot(k)) continue;
      if (is(k + 1, "punct", "(")) {
        const arg = requireCall(k + 1);
        if (arg >= 0) record(arg, false);
        continue;
      }
      if (is(k + 1, "punct", ".")) continue; // import.meta
      if (is(k + 1, "str")) {
        record(k + 1, false);
        continue;
      }
      let j = k + 1;
      let typeOnly = false;
      // `import type X from`, `import type {..}`, `import type * as`; but `import type from "x"`
      // and `import type, {..}` bind a default import named "type". Flow: `import typeof X from`.
      if (is(j, "name", "typeof")) {
        typeOnly = true;
        j++;
      } else if (is(j, "name", "type") && !is(j + 1, "punct", ",") && !is(j + 1, "punct", "=")) {
        if (!is(j + 1, "name", "from") || is(j + 2, "name", "from")) {
          typeOnly = true;
          j++;
        }
      }
      // `import x = require("y")`
      if (is(j, "name") && is(j + 1, "punct", "=")) {
        if (is(j + 2, "name", "require")) {
          const arg = requireCall(j + 3);
          if (arg >= 0) record(arg, typeOnly);
        }
        continue;
      }
      const str = fromClause(j);
      if (str >= 0) record(str, typeOnly);
      continue;
    }
    if (tok.v === "export") {
      if (afterDot(k)) continue;
      let j = k + 1;
      let typeOnly = false;
      if (is(j, "name", "type") && (is(j + 1, "punct", "{") || is(j + 1, "punct", "*"))) {
        typeOnly = true;
        j++;
      }
      if (!is(j, "punct", "{") && !is(j, "punct", "*")) continue;
      const str = fromClause(j);
      if (str >= 0) record(str, typeOnly);
      continue;
    }
    if (tok.v === "require") {
      if (afterDot(k) && !is(k - 2, "name", "module")) continue;
      let arg = requireCall(k + 1);
      if (arg < 0 && is(k + 1, "punct", ".") && is(k + 2, "name", "resolve")) arg = requireCall(k + 3);
      if (arg >= 0) record(arg, false);
    }
  }
  return out;
}

function scanJs(code: string, file: string, lineOffset: number): ExtractResult {
  const { tokens, unterminated } = lexJs(code);
  const dependencies = importsOfTokens(tokens, file, lineOffset, isDeclarationFile(file));
  const problems: ExtractProblem[] = unterminated.map((u) => ({
    file,
    line: u.line + lineOffset,
    reason: `unterminated ${u.what}: imports after line ${u.line + lineOffset} may be missed`,
  }));
  return { dependencies, problems };
}

/** Imports of a JavaScript/TypeScript text; `lineOffset` is added to every line (embedded code). */
export function extractJsImports(code: string, file: string, lineOffset = 0): ExtractedDependency[] {
  return scanJs(code, file, lineOffset).dependencies;
}

/** The `<script>` blocks of a .vue/.svelte/.html text, with the line (0-based offset) each body starts on. */
export function scriptBlocks(text: string): Array<{ code: string; lineOffset: number }> {
  const blocks: Array<{ code: string; lineOffset: number }> = [];
  const open = /<script\b[^>]*>/gi;
  let line = 0;
  let counted = 0;
  for (let m = open.exec(text); m !== null; m = open.exec(text)) {
    const bodyStart = m.index + m[0].length;
    const close = text.slice(bodyStart).search(/<\/script\s*>/i);
    const bodyEnd = close < 0 ? text.length : bodyStart + close;
    for (let p = text.indexOf("\n", counted); p >= 0 && p < bodyStart; p = text.indexOf("\n", p + 1)) line++;
    counted = bodyStart;
    // Pads the first body line so that columns stay those of the file.
    const column = bodyStart - (text.lastIndexOf("\n", bodyStart - 1) + 1);
    blocks.push({ code: " ".repeat(column) + text.slice(bodyStart, bodyEnd), lineOffset: line });
    open.lastIndex = bodyEnd;
  }
  return blocks;
}

const JS_FILE = /\.(?:js|mjs|cjs|jsx|ts|mts|cts|tsx)$/i;
const COMPONENT_FILE = /\.(?:vue|svelte)$/i;

export const jsImportsExtractor: Extractor = {
  id: "js-imports",
  matches: (path) => JS_FILE.test(path) || COMPONENT_FILE.test(path),
  extract(text, path) {
    try {
      if (!COMPONENT_FILE.test(path)) return scanJs(text, path, 0);
      const result: ExtractResult = { dependencies: [], problems: [] };
      for (const block of scriptBlocks(text)) {
        const part = scanJs(block.code, path, block.lineOffset);
        for (const d of part.dependencies) result.dependencies.push(d);
        for (const p of part.problems) result.problems.push(p);
      }
      return result;
    } catch (error) {
      return { dependencies: [], problems: [{ file: path, reason: `could not scan imports: ${errorMessage(error)}` }] };
    }
  },
};
