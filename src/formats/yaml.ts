// YAML: the one lazy loader of the `yaml` package, and a lockfile reader. pnpm-lock.yaml and yarn
// berry's yarn.lock use a small YAML subset (block mappings, quoted keys, one-line flow
// collections); a dedicated reader for that subset is an order of magnitude faster than a full
// YAML parser on large lockfiles. Anything outside the subset (anchors, block scalars, multi-line
// scalars...) falls back to the `yaml` package.
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Document, Node } from "yaml";
import { errorMessage } from "../core/guards.ts";
import { FormatSyntaxError } from "./errors.ts";
import { textLines } from "./lines.ts";

// Loaded on first use: most runs never need it, and loading it costs every run ~20 ms.
let yamlModule: typeof Yaml | undefined;
/** The full `yaml` package, the one way every module loads it (lazily). */
export const yamlLibrary = (): typeof Yaml => (yamlModule ??= createRequire(import.meta.url)("yaml") as typeof Yaml);
const yaml = yamlLibrary;

export interface YamlDocument {
  value: unknown;
  /** Line (1-based) where `key` stands in the mapping `object`. */
  keyLine(object: object, key: string): number | undefined;
}

export class YamlSyntaxError extends FormatSyntaxError {
  override name = "YamlSyntaxError";
}

/** Outside the fast subset: the caller retries with the full parser. */
class Unsupported extends Error {}

interface Line {
  indent: number;
  text: string;
  no: number;
}

const MAX_DEPTH = 200;

/**
 * Parses every document of `text` (pnpm may put an environment document before the lockfile).
 * Throws YamlSyntaxError on invalid YAML and nothing else. `engine` pins one reader (tests).
 */
export function parseYamlDocuments(text: string, options: { engine?: "auto" | "fast" | "full" } = {}): YamlDocument[] {
  const engine = options.engine ?? "auto";
  if (engine === "full") return fullParse(text);
  try {
    return fastParse(text);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    if (engine === "fast") throw new YamlSyntaxError("outside the lockfile YAML subset");
  }
  return fullParse(text);
}

function fastParse(text: string): YamlDocument[] {
  const lines = new WeakMap<object, Map<string, number>>();
  const keyLine = (object: object, key: string) => lines.get(object)?.get(key);
  const docs: Line[][] = [[]];
  for (const { no, indent, body } of textLines(text)) {
    if (body === "" || body.startsWith("#")) continue;
    if (body.startsWith("\t")) throw new Unsupported();
    if (indent === 0 && (body === "---" || body.startsWith("--- ") || body === "...")) {
      if (body !== "..." && docs[docs.length - 1].length > 0) docs.push([]);
      if (body.startsWith("--- ")) throw new Unsupported();
      continue;
    }
    if (body.startsWith("%")) throw new Unsupported();
    docs[docs.length - 1].push({ indent, text: body, no });
  }
  if (docs.every((doc) => doc.length === 0)) return [];
  return docs.map((doc) => {
    const parser = new BlockParser(doc, lines);
    return { value: parser.document(), keyLine };
  });
}

class BlockParser {
  private i = 0;
  private readonly lines: Line[];
  private readonly keyLines: WeakMap<object, Map<string, number>>;

  constructor(lines: Line[], keyLines: WeakMap<object, Map<string, number>>) {
    this.lines = lines;
    this.keyLines = keyLines;
  }

  document(): unknown {
    if (this.lines.length === 0) return null;
    const first = this.lines[0];
    const value = this.block(first.indent, 0);
    if (this.i < this.lines.length) throw new YamlSyntaxError("bad indentation", this.lines[this.i].no);
    return value;
  }

  private block(indent: number, depth: number): unknown {
    if (depth > MAX_DEPTH) throw new YamlSyntaxError("nesting too deep", this.lines[this.i]?.no);
    const line = this.lines[this.i];
    if (isSeqItem(line.text)) return this.sequence(indent, depth);
    if (findColon(line.text) < 0) {
      // A lone scalar document or a multi-line scalar: only the former is in the subset.
      if (this.lines.length === 1) {
        this.i++;
        return inlineValue(line.text, line.no);
      }
      throw new Unsupported();
    }
    return this.mapping(indent, depth);
  }

  private mapping(indent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const keyLines = new Map<string, number>();
    this.keyLines.set(out, keyLines);
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent < indent) break;
      if (line.indent > indent) throw new Unsupported();
      if (isSeqItem(line.text)) break;
      const colon = findColon(line.text);
      if (colon < 0) throw new Unsupported();
      const key = keyText(line.text.slice(0, colon), line.no);
      const rest = stripComment(line.text.slice(colon + 1)).trim();
      this.i++;
      let value: unknown;
      if (rest === "") {
        const next = this.lines[this.i];
        if (next && next.indent > indent) value = this.block(next.indent, depth + 1);
        else if (next && next.indent === indent && isSeqItem(next.text)) value = this.sequence(indent, depth + 1);
        else value = null;
      } else {
        if (special(rest.charCodeAt(0)) && rest.charCodeAt(0) !== 64) throw new Unsupported();
        value = inlineValue(rest, line.no);
      }
      setKey(out, key, value);
      keyLines.set(key, line.no);
    }
    return out;
  }

  private sequence(indent: number, depth: number): unknown[] {
    const out: unknown[] = [];
    while (this.i < this.lines.length) {
      const line = this.lines[this.i];
      if (line.indent !== indent || !isSeqItem(line.text)) {
        if (line.indent > indent) throw new Unsupported();
        break;
      }
      const rest = stripComment(line.text.slice(1)).trim();
      this.i++;
      if (rest === "") {
        const next = this.lines[this.i];
        out.push(next && next.indent > indent ? this.block(next.indent, depth + 1) : null);
      } else {
        if (/^[|>&*!-]/.test(rest) || (findColon(rest) >= 0 && !/^["'[{]/.test(rest))) throw new Unsupported();
        out.push(inlineValue(rest, line.no));
      }
    }
    return out;
  }
}

function isSeqItem(text: string): boolean {
  return text === "-" || text.startsWith("- ");
}

function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

/** Index of the key/value colon of a block mapping line, or -1. */
function findColon(text: string): number {
  const q = text.charCodeAt(0);
  if (q === 34 || q === 39) {
    const end = closingQuote(text, 0);
    if (end < 0) return -1;
    let i = end + 1;
    while (text.charCodeAt(i) === 32) i++;
    return text.charCodeAt(i) === 58 && (i + 1 === text.length || text.charCodeAt(i + 1) === 32) ? i : -1;
  }
  if (q === 63 || q === 123 || q === 91) throw new Unsupported(); // complex or flow keys
  for (let i = text.indexOf(":"); i >= 0; i = text.indexOf(":", i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (i + 1 === text.length || next === 32) {
      const hash = text.indexOf(" #");
      return hash >= 0 && hash < i ? -1 : i;
    }
  }
  return -1;
}

function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === "\\") i++;
    else if (c === quote) {
      if (quote === "'" && text[i + 1] === "'") i++;
      else return i;
    }
  }
  return -1;
}

function keyText(raw: string, no: number): string {
  const key = raw.trimEnd();
  if (key.startsWith('"') || key.startsWith("'")) return unquote(key, no);
  if (special(key.charCodeAt(0))) throw new Unsupported();
  return key;
}

function stripComment(text: string): string {
  const t = text.trimStart();
  if (t.startsWith('"') || t.startsWith("'")) {
    const end = closingQuote(t, 0);
    if (end < 0) return text;
    const after = t.slice(end + 1);
    const hash = after.indexOf(" #");
    return hash >= 0 ? t.slice(0, end + 1) + after.slice(0, hash) : t;
  }
  if (t.startsWith("#")) return "";
  const hash = t.indexOf(" #");
  return hash >= 0 ? t.slice(0, hash) : t;
}

function unquote(text: string, no: number): string {
  if (text.length < 2 || text[text.length - 1] !== text[0] || closingQuote(text, 0) !== text.length - 1) {
    throw new YamlSyntaxError("bad quoted string", no);
  }
  const value = unescapeQuoted(text);
  if (value === undefined) throw new Unsupported();
  return value;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", b: "\b", e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\" };

/**
 * The string a well-formed one-line quoted scalar (quotes included) stands for; undefined for an
 * escape outside the subset. The GitHub workflow reader decodes its quoted scalars with it too.
 */
export function unescapeQuoted(text: string): string | undefined {
  const body = text.slice(1, -1);
  if (text[0] === "'") return body.replaceAll("''", "'");
  if (!body.includes("\\")) return body;
  let supported = true;
  const value = body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_, e: string) => {
    // "\xZZ" (an "x" alone) or a code point past U+10FFFF: left to the full parser, which reports it.
    const code = Number.parseInt(e.slice(1), 16);
    const plain = e.length === 1 ? ESCAPES[e] : code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
    if (plain === undefined) supported = false;
    return plain ?? "";
  });
  return supported ? value : undefined;
}

/** A value on the rest of a line: quoted or plain scalar, or a one-line flow collection. */
function inlineValue(text: string, no: number): unknown {
  const c = text[0];
  if (c === "{" || c === "[") {
    const flow = new FlowParser(text, no);
    const value = flow.value(0);
    flow.end();
    return value;
  }
  if (c === '"' || c === "'") return unquote(text, no);
  if (text.includes(": ")) throw new Unsupported(); // invalid in block context: let the full parser say so
  return plainScalar(text);
}

/** Characters that start YAML syntax outside the subset (anchors, aliases, tags, block scalars...). */
function special(code: number): boolean {
  return code === 38 || code === 42 || code === 33 || code === 124 || code === 62 || code === 37 || code === 64 || code === 96;
}

function plainScalar(text: string): unknown {
  if (special(text.charCodeAt(0))) throw new Unsupported();
  switch (text) {
    case "~":
    case "null":
    case "Null":
    case "NULL":
      return null;
    case "true":
    case "True":
    case "TRUE":
      return true;
    case "false":
    case "False":
    case "FALSE":
      return false;
  }
  const c = text.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
    if (/^0o[0-7]+$/.test(text)) return Number.parseInt(text.slice(2), 8);
    if (/^0x[0-9a-fA-F]+$/.test(text)) return Number.parseInt(text.slice(2), 16);
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
    if (/^[-+]?\.(?:inf|Inf|INF)$/.test(text)) return text.startsWith("-") ? -Infinity : Infinity;
    if (/^\.(?:nan|NaN|NAN)$/.test(text)) return Number.NaN;
  }
  return text;
}

class FlowParser {
  private pos = 0;
  private readonly text: string;
  private readonly no: number;

  constructor(text: string, no: number) {
    this.text = text;
    this.no = no;
  }

  end(): void {
    this.space();
    if (this.pos < this.text.length) {
      if (this.text[this.pos] === "#" && this.text[this.pos - 1] === " ") return;
      throw new YamlSyntaxError("unexpected text after a flow collection", this.no);
    }
  }

  private space(): void {
    while (this.text[this.pos] === " ") this.pos++;
  }

  value(depth: number): unknown {
    if (depth > MAX_DEPTH) throw new YamlSyntaxError("nesting too deep", this.no);
    this.space();
    const c = this.text[this.pos];
    if (c === "{") return this.map(depth);
    if (c === "[") return this.seq(depth);
    if (c === '"' || c === "'") {
      const end = closingQuote(this.text, this.pos);
      if (end < 0) throw new Unsupported(); // may continue on the next line
      const s = unquote(this.text.slice(this.pos, end + 1), this.no);
      this.pos = end + 1;
      return s;
    }
    const start = this.pos;
    while (this.pos < this.text.length) {
      const ch = this.text[this.pos];
      if (ch === "," || ch === "}" || ch === "]") break;
      if (ch === ":" && (this.text[this.pos + 1] === " " || /[,}\]]/.test(this.text[this.pos + 1] ?? ""))) break;
      this.pos++;
    }
    const raw = this.text.slice(start, this.pos).trim();
    return raw === "" ? null : plainScalar(raw);
  }

  private map(depth: number): Record<string, unknown> {
    this.pos++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.text[this.pos] === "}") {
        this.pos++;
        return out;
      }
      if (this.pos >= this.text.length) throw new Unsupported(); // multi-line flow
      const key = this.value(depth + 1);
      if (typeof key === "object" && key !== null) throw new Unsupported();
      this.space();
      let v: unknown = null;
      if (this.text[this.pos] === ":") {
        this.pos++;
        v = this.value(depth + 1);
      }
      setKey(out, key === null ? "" : String(key), v);
      if (this.closes("}", "mapping")) return out;
    }
  }

  private seq(depth: number): unknown[] {
    this.pos++;
    const out: unknown[] = [];
    for (;;) {
      this.space();
      if (this.text[this.pos] === "]") {
        this.pos++;
        return out;
      }
      if (this.pos >= this.text.length) throw new Unsupported();
      out.push(this.value(depth + 1));
      if (this.closes("]", "sequence")) return out;
    }
  }

  /** After an item: false past a comma (another item follows), true past the closing bracket. */
  private closes(close: "}" | "]", what: string): boolean {
    this.space();
    const c = this.text[this.pos];
    if (c === "," || c === close) {
      this.pos++;
      return c === close;
    }
    if (this.pos >= this.text.length) throw new Unsupported();
    throw new YamlSyntaxError(`expected ',' or '${close}' in a flow ${what}`, this.no);
  }
}

/** Flow brackets or indentation deeper than MAX_DEPTH: refused before the (slow) full parser. */
function tooDeep(text: string): number | undefined {
  let depth = 0;
  let line = 1;
  let indent = 0;
  let atLineStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
      indent = 0;
      atLineStart = true;
      continue;
    }
    if (atLineStart) {
      if (c === 32) {
        if (++indent > 2 * MAX_DEPTH) return line;
        continue;
      }
      atLineStart = false;
    }
    if (c === 91 || c === 123) {
      if (++depth > MAX_DEPTH) return line;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** The full YAML parser, for input outside the fast subset. */
function fullParse(text: string): YamlDocument[] {
  const deep = tooDeep(text);
  if (deep !== undefined) throw new YamlSyntaxError("nesting too deep", deep);
  const { LineCounter, parseAllDocuments, isAlias, isMap, isScalar, isSeq } = yaml();
  const counter = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false }) as Document.Parsed[];
  } catch (e) {
    throw new YamlSyntaxError(errorMessage(e));
  }
  if (!Array.isArray(docs)) throw new YamlSyntaxError("not a YAML stream");
  const lines = new WeakMap<object, Map<string, number>>();
  const keyLine = (object: object, key: string) => lines.get(object)?.get(key);
  return docs.map((doc) => {
    const error = doc.errors[0];
    if (error) throw new YamlSyntaxError(error.message.split("\n")[0], counter.linePos(error.pos[0]).line);
    // An alias shares its target's value, so "billion laughs" input stays linear; the budget
    // bounds the rest.
    let budget = 1_000_000;
    const shared = new Map<unknown, unknown>();
    const toValue = (node: unknown, depth: number): unknown => {
      if (depth > MAX_DEPTH) throw new YamlSyntaxError("nesting too deep");
      if (--budget < 0) throw new YamlSyntaxError("document too large");
      if (isAlias(node)) {
        const target = node.resolve(doc);
        if (!shared.has(target)) shared.set(target, toValue(target, depth + 1));
        return shared.get(target);
      }
      if (isScalar(node)) return node.value;
      if (isSeq(node)) return node.items.map((item) => toValue(item, depth + 1));
      if (isMap(node)) {
        const out: Record<string, unknown> = {};
        const keys = new Map<string, number>();
        lines.set(out, keys);
        for (const pair of node.items) {
          const keyNode = pair.key as Node | null;
          const keyValue = isScalar(keyNode) ? keyNode.value : toValue(keyNode, depth + 1);
          const key = keyValue === null ? "" : typeof keyValue === "object" ? JSON.stringify(keyValue) : String(keyValue);
          setKey(out, key, toValue(pair.value, depth + 1));
          const offset = keyNode?.range?.[0];
          if (offset !== undefined) keys.set(key, counter.linePos(offset).line);
        }
        return out;
      }
      return node ?? null;
    };
    return { value: toValue(doc.contents, 0), keyLine };
  });
}
