// YAML: the one lazy loader of the `yaml` package, and the one fast reader. Workflows and lockfiles
// (pnpm-lock.yaml, yarn berry's yarn.lock) use a small part of YAML: block mappings and sequences,
// block scalars, flow collections and quoted strings. A reader for that part, in linear time with
// bounded depth and size, is several times faster than composing a full YAML document, and scans
// read hundreds of workflows and lockfiles of megabytes. Anything outside it (anchors and aliases,
// multi-line plain or quoted scalars, tags...) is read by the `yaml` package instead. The reader
// gives a tree with line numbers (parseTree); lockfile readers get plain values (parseYamlDocuments).
import { createRequire } from "node:module";
import type * as Yaml from "yaml";
import type { Document, LineCounter, Node, Node as YamlNode } from "yaml";
import { errorMessage } from "../core/guards.ts";
import { FormatSyntaxError } from "./errors.ts";

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
  /** Without indentation and trailing comment. */
  text: string;
  no: number;
}

/** Nesting limit of the full parse of values (lockfiles); past it, invalid. */
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

/** The fast reader's tree as values; a plain scalar typed as YAML's core schema types it. */
function fastParse(text: string): YamlDocument[] {
  const lines = new WeakMap<object, Map<string, number>>();
  const keyLine = (object: object, key: string) => lines.get(object)?.get(key);
  const toValue = (node: TreeNode): unknown => {
    if (node.kind === "seq") return node.items.map(toValue);
    if (node.kind === "map") {
      const out: Record<string, unknown> = {};
      const keys = new Map<string, number>();
      lines.set(out, keys);
      for (const e of node.entries) {
        setKey(out, e.key, toValue(e.value));
        keys.set(e.key, e.line);
      }
      return out;
    }
    if (node.value === null || node.quoted || node.contentLine !== undefined) return node.value;
    // "a: b: c" is invalid in a block mapping: the full parser says so.
    if (node.value.includes(": ")) throw new Unsupported();
    return plainScalar(node.value);
  };
  const docs = new FastReader(text, 1).documents();
  // Empty documents between markers are skipped; one after the last content reads as null.
  const out = docs.filter((d) => d.root).map((d) => ({ value: toValue(d.root!), keyLine }));
  if (out.length && !docs[docs.length - 1]!.root) out.push({ value: null, keyLine });
  return out;
}

function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0", b: "\b", e: "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\" };

/**
 * The string a well-formed one-line quoted scalar (quotes included) stands for; undefined for an
 * escape outside the subset (the full parser reads, or reports, it).
 */
function unescapeQuoted(text: string): string | undefined {
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


export type TreeNode = MapNode | SeqNode | ScalarNode;
export interface MapNode {
  kind: "map";
  line: number;
  entries: Array<{ key: string; line: number; value: TreeNode }>;
}
export interface SeqNode {
  kind: "seq";
  line: number;
  items: TreeNode[];
}
export interface ScalarNode {
  kind: "scalar";
  line: number;
  /** null for an empty value or `null`/`~`. */
  value: string | null;
  /** First line of a block scalar's content (`run: |`), for script line numbers. */
  contentLine?: number;
  /** A quoted scalar: always a string (a plain `true` or `1` is a boolean or number to a value reader). */
  quoted?: true;
}

export type ParsedTree = { root: TreeNode | null } | { error: string; line?: number };

/** Past it the fast reader hands over (the tree of the full parse stops there too). */
const MAX_TREE_DEPTH = 100;

/** Past the node budget of the full parse. */
class TooLarge extends Error {}


/**
 * The parse of `text`; `firstLine` is the line the text starts on (a fenced block in an answer).
 * `engine` pins one reader (tests): "fast-only" gives null outside the subset.
 */
export function parseTree(text: string, firstLine?: number, engine?: "auto" | "full"): ParsedTree;
export function parseTree(text: string, firstLine: number, engine: "fast-only"): ParsedTree | null;
export function parseTree(text: string, firstLine = 1, engine: "auto" | "full" | "fast-only" = "auto"): ParsedTree | null {
  if (engine !== "full") {
    try {
      const docs = new FastReader(text, firstLine).documents();
      // Several documents: the full parse reads the first.
      if (docs.length > 1) throw new Unsupported();
      return { root: docs[0]?.root ?? null };
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      if (engine === "fast-only") return null;
    }
  }
  return fullTree(text, firstLine);
}

/** The trailing comment starts at a `#` after a space, outside quotes. */
function stripComment(s: string): string {
  if (!s.includes("#")) return s.trimEnd();
  let quote = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = "";
      else if (c === "\\" && quote === '"') i++;
    } else if (c === '"' || c === "'") {
      // A quote only opens a quoted scalar at the start of a value or flow item.
      if (i === 0 || /[\s[{,:-]/.test(s[i - 1]!)) quote = c;
    } else if (c === "#" && (i === 0 || s[i - 1] === " " || s[i - 1] === "\t")) return s.slice(0, i).trimEnd();
  }
  return s.trimEnd();
}

/**
 * The key of a block mapping line and where its value starts, or undefined. A plain key may hold
 * ":" not followed by a space; its first character may not open another kind of node. One pass
 * over the line (a regular expression for it went quadratic on long runs of spaces).
 */
function keyOf(text: string): { key: string; end: number } | undefined {
  const c = text[0];
  let colon: number;
  if (c === '"' || c === "'") {
    const quoted = (c === '"' ? /^"(?:[^"\\]|\\.)*"/ : /^'(?:[^']|'')*'/).exec(text);
    if (!quoted) return undefined;
    colon = quoted[0].length;
    while (colon < text.length && /\s/.test(text[colon]!)) colon++;
    if (text[colon] !== ":") return undefined;
  } else {
    if (c === undefined || /[\s#'"[\]{},&*!|>%@`]/.test(c)) return undefined;
    if ((c === "?" || c === ":" || c === "-") && (text.length < 2 || /\s/.test(text[1]!))) return undefined;
    // The first ":" followed by a space or the end of the line.
    colon = 0;
    do colon = text.indexOf(":", colon + 1);
    while (colon >= 0 && colon + 1 < text.length && !/\s/.test(text[colon + 1]!));
    if (colon < 0) return undefined;
  }
  let end = colon + 1;
  if (end < text.length && !/\s/.test(text[end]!)) return undefined;
  while (end < text.length && /\s/.test(text[end]!)) end++;
  return { key: text.slice(0, colon), end };
}

class FastReader {
  readonly raw: string[];
  readonly firstLine: number;
  i = 0;

  constructor(text: string, firstLine: number) {
    this.raw = text.split(/\r?\n/);
    // A lone carriage return, or a byte-order mark, is left to the full parser. No cap on lines:
    // this reader is linear, and past a cap the full parser would only be slower.
    if (/\r(?!\n)|^\uFEFF/.test(text)) throw new Unsupported();
    this.firstLine = firstLine;
  }

  /** The rest of a "- " line, read as a line of its own at the column where it starts. */
  virtual: { at: number; line: Line } | null = null;

  /** The next structural line (blank and comment-only lines skipped), without consuming it. */
  peek(): Line | null {
    if (this.virtual?.at === this.i) return this.virtual.line;
    // Each line is looked at several times (by its block and the blocks around it): read once.
    if (this.peeked?.at === this.i) return this.peeked.line;
    while (this.i < this.raw.length) {
      const raw = this.raw[this.i]!;
      const body = raw.trimStart();
      if (!body || body.startsWith("#")) {
        this.i++;
        continue;
      }
      const indent = raw.length - body.length;
      if (raw.slice(0, indent).includes("\t")) throw new Unsupported();
      // A document marker ends every block: documents() reads it.
      if (indent === 0 && (body === "---" || body.startsWith("--- ") || body === "..." || body.startsWith("... "))) return null;
      const line = { indent, text: stripComment(body), no: this.i + this.firstLine };
      this.peeked = { at: this.i, line };
      return line;
    }
    return null;
  }

  peeked: { at: number; line: Line } | null = null;

  /** The documents of the stream; `root` null for an empty one (a "---" with nothing after it). */
  documents(): Array<{ root: TreeNode | null }> {
    const docs: Array<{ root: TreeNode | null }> = [];
    let open: { root: TreeNode | null } | undefined;
    for (;;) {
      const line = this.peek();
      if (line) {
        // A directive, or a line that fits nowhere after the document's root.
        if (open?.root || line.text.startsWith("%")) throw new Unsupported();
        if (!open) {
          open = { root: null };
          docs.push(open);
        }
        open.root = this.block(line, 0);
        continue;
      }
      if (this.i >= this.raw.length) return docs;
      // "--- value" and the "..." end marker are left to the full parser.
      if (this.raw[this.i] !== "---") throw new Unsupported();
      this.i++;
      open = { root: null };
      docs.push(open);
    }
  }

  /** The block starting at `line` (already peeked; `line` may be a virtual line after "- "). */
  block(line: Line, depth: number): TreeNode {
    if (depth > MAX_TREE_DEPTH) throw new Unsupported();
    if (line.text === "-" || line.text.startsWith("- ")) return this.sequence(line, depth);
    if (keyOf(line.text)) return this.mapping(line, depth);
    // A scalar alone in a block (a sequence item "- foo" or a document that is one value).
    this.i++;
    const value = this.inline(line.text, line.no);
    this.noContinuation(line.indent);
    return value;
  }

  sequence(first: Line, depth: number): SeqNode {
    const node: SeqNode = { kind: "seq", line: first.no, items: [] };
    const indent = first.indent;
    let line: Line | null = first;
    while (line && line.indent === indent && (line.text === "-" || line.text.startsWith("- "))) {
      this.i++;
      const rest = line.text.slice(1).trimStart();
      if (!rest) {
        const next = this.peek();
        node.items.push(next && next.indent > indent ? this.block(next, depth + 1) : { kind: "scalar", line: line.no, value: null });
      } else {
        // "- key: value" opens a mapping whose keys stand at the column after "- ".
        this.i--;
        const inner: Line = { indent: indent + (line.text.length - rest.length), text: rest, no: line.no };
        this.virtual = { at: this.i, line: inner };
        node.items.push(this.block(inner, depth + 1));
      }
      line = this.peek();
    }
    if (line && line.indent > indent) throw new Unsupported();
    return node;
  }

  mapping(first: Line, depth: number): MapNode {
    const node: MapNode = { kind: "map", line: first.no, entries: [] };
    const indent = first.indent;
    let line: Line | null = first;
    while (line && line.indent === indent) {
      const m = keyOf(line.text);
      if (!m) throw new Unsupported();
      const key = unquoteKey(m.key.trim());
      if (key === "<<") throw new Unsupported();
      const rest = line.text.slice(m.end);
      this.i++;
      node.entries.push({ key, line: line.no, value: this.value(rest, line, depth) });
      line = this.peek();
    }
    if (line && line.indent > indent) throw new Unsupported();
    return node;
  }

  /** The value after "key:" on `line`. */
  value(rest: string, line: Line, depth: number): TreeNode {
    if (!rest) {
      const next = this.peek();
      if (next && next.indent > line.indent) return this.block(next, depth + 1);
      // A sequence may stand at its key's indentation ("steps:\n- run: x").
      if (next && next.indent === line.indent && (next.text === "-" || next.text.startsWith("- "))) return this.sequence(next, depth + 1);
      return { kind: "scalar", line: line.no, value: null };
    }
    if (/^[|>][-+0-9]*$/.test(rest)) return this.blockScalar(rest, line);
    const value = this.inline(rest, line.no);
    this.noContinuation(line.indent);
    return value;
  }

  /** A plain scalar that goes on over more lines is outside the subset. */
  noContinuation(indent: number): void {
    const next = this.peek();
    if (next && next.indent > indent) throw new Unsupported();
  }

  blockScalar(header: string, line: Line): ScalarNode {
    if (/\d|\+/.test(header)) throw new Unsupported();
    const start = this.i;
    let end = start;
    let contentIndent = -1;
    while (end < this.raw.length) {
      const raw = this.raw[end]!;
      const body = raw.trimStart();
      if (body) {
        const indent = raw.length - body.length;
        if (indent <= line.indent) break;
        if (contentIndent < 0) contentIndent = indent;
        if (indent < contentIndent) throw new Unsupported();
      }
      end++;
    }
    let last = end;
    while (last > start && !this.raw[last - 1]!.trim()) last--;
    const lines = this.raw.slice(start, last).map((l) => l.slice(Math.max(contentIndent, 0)));
    this.i = end;
    const text = header.startsWith(">") ? fold(lines) : lines.join("\n");
    return { kind: "scalar", line: line.no, value: header.includes("-") || !lines.length ? text : `${text}\n`, contentLine: line.no + 1 };
  }

  /** A value written on one line: quoted, flow collection or plain. */
  inline(text: string, no: number): TreeNode {
    const c = text[0];
    if (c === "&" || c === "*" || c === "!" || c === "?" || c === "@" || c === "`") throw new Unsupported();
    if (c === "[" || c === "{") {
      // A flow collection may go on over the next lines until its brackets close.
      const parts = [text];
      let length = text.length;
      // Where each following line starts in the joined text, for the line numbers of its items.
      const breaks: number[] = [];
      const balance = new Balance();
      balance.add(text);
      while (!balance.closed()) {
        const next = this.i < this.raw.length ? this.raw[this.i] : undefined;
        if (next === undefined || next.includes("\t") || breaks.length > 1000) throw new Unsupported();
        const part = stripComment(next.trim());
        breaks.push(length + 1);
        parts.push(part);
        length += part.length + 1;
        balance.add(` ${part}`);
        this.i++;
      }
      return new FlowReader(parts.join(" "), no, breaks).all();
    }
    return scalarNode(text, no);
  }
}

/**
 * A folded block scalar's text (YAML 1.2, 8.1.3): a break between two plain lines becomes a space
 * (or the empty lines between them), breaks around more-indented lines stay.
 */
function fold(lines: readonly string[]): string {
  let out = "";
  let started = false;
  let pending = 0;
  let previousPlain = false;
  for (const line of lines) {
    if (!line) {
      pending++;
      continue;
    }
    const plain = line[0] !== " " && line[0] !== "\t";
    if (!started) out = "\n".repeat(pending) + line;
    else out += (previousPlain && plain ? (pending ? "\n".repeat(pending) : " ") : "\n".repeat(pending + 1)) + line;
    started = true;
    pending = 0;
    previousPlain = plain;
  }
  return out;
}

/** Whether the brackets of a flow collection are closed so far (quotes respected), read piece by piece. */
class Balance {
  depth = 0;
  quote = "";
  add(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s[i];
      if (this.quote) {
        if (c === this.quote) this.quote = "";
        else if (c === "\\" && this.quote === '"') i++;
      } else if (c === '"' || c === "'") this.quote = c;
      else if (c === "[" || c === "{") this.depth++;
      else if (c === "]" || c === "}") this.depth--;
    }
  }
  closed(): boolean {
    return this.depth <= 0 && !this.quote;
  }
}

/** `"a"`, `'b'` or plain text as its string; a quote not closed on the line is outside the subset. */
function scalarText(text: string): string | null {
  const t = text.trim();
  if (t.startsWith('"') || t.startsWith("'")) {
    const whole = t.startsWith('"') ? /^"(?:[^"\\]|\\.)*"$/ : /^'(?:[^']|'')*'$/;
    const value = whole.test(t) ? unescapeQuoted(t) : undefined;
    if (value === undefined) throw new Unsupported();
    return value;
  }
  if (t === "" || t === "~" || t === "null" || t === "Null" || t === "NULL") return null;
  return t;
}

function scalarNode(text: string, line: number): ScalarNode {
  const node: ScalarNode = { kind: "scalar", line, value: scalarText(text) };
  if (text[0] === '"' || text[0] === "'") node.quoted = true;
  return node;
}

function unquoteKey(key: string): string {
  return key.startsWith('"') || key.startsWith("'") ? (scalarText(key) ?? "") : key;
}

/** One-line flow collections: `[a, "b"]`, `{ k: v, k2: [x] }`. */
class FlowReader {
  readonly s: string;
  readonly first: number;
  readonly breaks: readonly number[];
  at = 0;
  constructor(s: string, first: number, breaks: readonly number[] = []) {
    this.s = s;
    this.first = first;
    this.breaks = breaks;
  }

  /** The line of the text at the reading position. */
  /** Breaks passed so far: the reading position only moves forward, so each is counted once. */
  private passed = 0;
  get no(): number {
    while (this.passed < this.breaks.length && this.breaks[this.passed]! <= this.at) this.passed++;
    return this.first + this.passed;
  }

  all(): TreeNode {
    const node = this.node(0);
    this.space();
    if (this.at !== this.s.length) throw new Unsupported();
    return node;
  }

  space(): void {
    while (this.s[this.at] === " ") this.at++;
  }

  node(depth: number): TreeNode {
    if (depth > MAX_TREE_DEPTH) throw new Unsupported();
    this.space();
    const c = this.s[this.at];
    const line = this.no;
    if (c === "[") {
      this.at++;
      const items: TreeNode[] = [];
      for (;;) {
        this.space();
        if (this.s[this.at] === "]") break;
        items.push(this.node(depth + 1));
        this.space();
        if (this.s[this.at] === ":") throw new Unsupported();
        if (this.s[this.at] === ",") this.at++;
        else if (this.s[this.at] !== "]") throw new Unsupported();
      }
      this.at++;
      return { kind: "seq", line, items };
    }
    if (c === "{") {
      this.at++;
      const entries: MapNode["entries"] = [];
      for (;;) {
        this.space();
        if (this.s[this.at] === "}") break;
        const keyLine = this.no;
        const key = this.scalar(true);
        this.space();
        if (this.s[this.at] !== ":") throw new Unsupported();
        this.at++;
        this.space();
        const value = this.s[this.at] === "," || this.s[this.at] === "}" ? ({ kind: "scalar", line: this.no, value: null } as ScalarNode) : this.node(depth + 1);
        entries.push({ key: key ?? "", line: keyLine, value });
        this.space();
        if (this.s[this.at] === ",") this.at++;
        else if (this.s[this.at] !== "}") throw new Unsupported();
      }
      this.at++;
      return { kind: "map", line, entries };
    }
    const quoted = c === '"' || c === "'";
    const node: ScalarNode = { kind: "scalar", line, value: this.scalar(false) };
    if (quoted) node.quoted = true;
    return node;
  }

  scalar(key: boolean): string | null {
    const start = this.at;
    const c = this.s[this.at];
    if (c === '"' || c === "'") {
      const m = (c === '"' ? /^"(?:[^"\\]|\\.)*"/ : /^'(?:[^']|'')*'/).exec(this.s.slice(this.at));
      if (!m) throw new Unsupported();
      this.at += m[0].length;
      return scalarText(m[0]);
    }
    if (c === "&" || c === "*" || c === "!" || c === "[" || c === "{") throw new Unsupported();
    // A plain flow scalar ends at "," "]" "}" (and at ": " for a key).
    while (this.at < this.s.length) {
      const ch = this.s[this.at]!;
      if (ch === "," || ch === "]" || ch === "}") break;
      if (ch === ":" && (this.s[this.at + 1] === " " || this.at + 1 === this.s.length || this.s[this.at + 1] === ",")) {
        // A pair inside a flow sequence ("[cron: x]") is a mapping of its own: the full parser reads it.
        if (!key) throw new Unsupported();
        break;
      }
      this.at++;
    }
    return scalarText(this.s.slice(start, this.at));
  }
}

/** The full parser, for what the subset does not cover; aliases resolved and merge keys merged. */
function fullTree(text: string, firstLine: number): ParsedTree {
  const Y = yaml();
  const counter: LineCounter = new Y.LineCounter();
  let docs: Document.Parsed[];
  try {
    const parsed = Y.parseAllDocuments(text, { lineCounter: counter, logLevel: "error", uniqueKeys: false });
    docs = Array.isArray(parsed) ? parsed : [parsed as unknown as Document.Parsed];
  } catch (error) {
    return { error: (error as Error).message };
  }
  const doc = docs[0];
  if (!doc) return { root: null };
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    return { error: e.code, line: e.linePos?.[0]?.line ? e.linePos[0].line + firstLine - 1 : undefined };
  }
  // Aliases are copied into the tree, so nested ones ("billion laughs") would grow it exponentially.
  // Without aliases a node takes at least one character: no alias-free document reaches the cap.
  const maxNodes = Math.max(1_000_000, text.length);
  let budget = maxNodes;
  const lineOf = (n: YamlNode | null | undefined) => (n?.range ? counter.linePos(n.range[0]).line + firstLine - 1 : firstLine);
  const convert = (input: unknown, depth: number): TreeNode => {
    let n = input as YamlNode | null;
    if (Y.isAlias(n)) n = (n.resolve(doc) as YamlNode | undefined) ?? null;
    if (--budget < 0) throw new TooLarge();
    if (depth > MAX_TREE_DEPTH || !n) return { kind: "scalar", line: lineOf(n), value: null };
    if (Y.isMap(n)) {
      const entries: MapNode["entries"] = [];
      for (const pair of n.items) {
        const keyNode = pair.key as YamlNode | null;
        const key = Y.isScalar(keyNode) ? String(keyNode.value) : "";
        const value = convert(pair.value, depth + 1);
        if (key === "<<" && value.kind === "map") for (const e of value.entries) entries.push(e);
        else entries.push({ key, line: lineOf(keyNode), value });
      }
      return { kind: "map", line: lineOf(n), entries };
    }
    if (Y.isSeq(n)) return { kind: "seq", line: lineOf(n), items: n.items.map((item) => convert(item, depth + 1)) };
    if (Y.isScalar(n)) {
      const v = n.value;
      // A plain scalar as written ("3.10", "True"), as the fast reader gives it; workflows compare text.
      const written = n.type === "PLAIN" && typeof n.source === "string" ? n.source : undefined;
      const node: ScalarNode = { kind: "scalar", line: lineOf(n), value: v === null || v === undefined ? null : (written ?? String(v)) };
      if (n.type === "BLOCK_LITERAL" || n.type === "BLOCK_FOLDED") node.contentLine = node.line + 1;
      else if (n.type === "QUOTE_DOUBLE" || n.type === "QUOTE_SINGLE") node.quoted = true;
      return node;
    }
    return { kind: "scalar", line: lineOf(n), value: null };
  };
  try {
    return { root: convert(doc.contents, 0) };
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    return { error: `more than ${maxNodes} nodes once aliases are expanded` };
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
