// JSON with comments and trailing commas (VS Code-style settings), read with the position of every
// value, and edited as text: a member or an item is inserted or removed where it stands, so the rest
// of the file (its comments, order, indentation and blank lines) stays as the user wrote it.

export type JsonNode =
  | { kind: "object"; start: number; end: number; members: JsonMember[] }
  | { kind: "array"; start: number; end: number; items: JsonNode[] }
  | { kind: "value"; start: number; end: number; value: unknown };

export interface JsonMember {
  key: string;
  /** Where the key's opening quote is. */
  start: number;
  value: JsonNode;
}

export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Nesting deeper than this is not a settings file. */
const MAX_DEPTH = 200;

export function parseJsonc(text: string): JsonNode {
  let i = 0;
  const fail = (what: string): never => {
    const line = text.slice(0, i).split("\n").length;
    throw new SettingsError(`${what} at line ${line}`);
  };
  const skip = () => {
    for (;;) {
      while (i < text.length && /\s/.test(text[i]!)) i++;
      if (text.startsWith("//", i)) {
        const end = text.indexOf("\n", i);
        i = end < 0 ? text.length : end + 1;
      } else if (text.startsWith("/*", i)) {
        const end = text.indexOf("*/", i + 2);
        if (end < 0) fail("an unclosed comment");
        i = end + 2;
      } else return;
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") i++;
      if (text[i] === "\n") fail("a line break in a string");
      i++;
    }
    if (i >= text.length) fail("an unclosed string");
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail("an invalid string");
    }
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail("nesting too deep");
    skip();
    const start = i;
    const c = text[i];
    if (c === "{") {
      i++;
      const members: JsonMember[] = [];
      for (;;) {
        skip();
        if (text[i] === "}") break;
        if (text[i] !== '"') fail('a key (a "string") was expected');
        const keyStart = i;
        const key = string();
        skip();
        if (text[i] !== ":") fail('":" was expected');
        i++;
        members.push({ key, start: keyStart, value: value(depth + 1) });
        skip();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] !== "}") fail('"," or "}" was expected');
      }
      i++;
      return { kind: "object", start, end: i, members };
    }
    if (c === "[") {
      i++;
      const items: JsonNode[] = [];
      for (;;) {
        skip();
        if (text[i] === "]") break;
        items.push(value(depth + 1));
        skip();
        if (text[i] === ",") {
          i++;
          continue;
        }
        if (text[i] !== "]") fail('"," or "]" was expected');
      }
      i++;
      return { kind: "array", start, end: i, items };
    }
    if (c === '"') {
      const s = string();
      return { kind: "value", start, end: i, value: s };
    }
    const m = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!m) return fail("a value was expected");
    i += m[0].length;
    return { kind: "value", start, end: i, value: JSON.parse(m[0]) };
  };
  const root = value(0);
  skip();
  if (i < text.length) fail("text after the end");
  return root;
}

export function toValue(node: JsonNode): unknown {
  if (node.kind === "value") return node.value;
  if (node.kind === "array") return node.items.map(toValue);
  const out: Record<string, unknown> = {};
  for (const m of node.members) out[m.key] = toValue(m.value);
  return out;
}

export function member(node: JsonNode | undefined, key: string): JsonMember | undefined {
  return node?.kind === "object" ? node.members.find((m) => m.key === key) : undefined;
}

/** The file's indentation unit: the first indented line's leading whitespace (two spaces when none). */
export function indentUnit(text: string): string {
  const m = /\n([ \t]+)\S/.exec(text);
  return m ? m[1]! : "  ";
}

function lineIndent(text: string, at: number): string {
  const lineStart = text.lastIndexOf("\n", at - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))![0];
}

/** `value` as JSON, its lines after the first indented by `indent` (on one line when `unit` is empty). */
function render(value: unknown, unit: string, indent: string, nl: string): string {
  return unit ? JSON.stringify(value, null, unit).split("\n").join(`${nl}${indent}`) : JSON.stringify(value);
}

/** The file's line break: CRLF when it uses one. */
const newline = (text: string) => (text.includes("\r\n") ? "\r\n" : "\n");

/**
 * Inserts a new last element into a container: `"key": value` into an object, `value` into an array.
 * An empty `{}` or `[]` keeps to one line; a new container is laid out like the file. So no two files
 * give the same text, and what was added can always be told apart from what was there.
 */
function insertLast(text: string, container: JsonNode, body: (indent: string, unit: string, nl: string) => string): string {
  const unit = indentUnit(text);
  const nl = newline(text);
  const elements = container.kind === "object" ? container.members.map((m) => ({ start: m.start, end: m.value.end })) : container.kind === "array" ? container.items : [];
  const close = container.end - 1;
  if (!elements.length && container.end - container.start === 2) return `${text.slice(0, container.start + 1)} ${body("", "", nl)} ${text.slice(close)}`;
  if (!elements.length) {
    // Right after the opening brace; what the container held (a line break, a comment) stays after it.
    const inner = lineIndent(text, container.start) + unit;
    return `${text.slice(0, container.start + 1)}${nl}${inner}${body(inner, unit, nl)}${text.slice(container.start + 1)}`;
  }
  const last = elements[elements.length - 1]!;
  const first = elements[0]!;
  const sameLine = !text.slice(container.start, first.start).includes("\n");
  const indent = sameLine ? "" : lineIndent(text, first.start);
  const separator = sameLine ? ", " : `,${nl}${indent}`;
  return text.slice(0, last.end) + separator + body(indent || lineIndent(text, container.start) + unit, unit, nl) + text.slice(last.end);
}

export function insertMember(text: string, object: JsonNode, key: string, value: unknown): string {
  return insertLast(text, object, (indent, unit, nl) => `${JSON.stringify(key)}: ${render(value, unit, indent, nl)}`);
}

export function appendItem(text: string, array: JsonNode, value: unknown): string {
  return insertLast(text, array, (indent, unit, nl) => render(value, unit, indent, nl));
}

/** Removes element `index` of a container (a member or an item) with its comma and its line. */
export function removeAt(text: string, container: JsonNode, index: number): string {
  const elements = container.kind === "object" ? container.members.map((m) => ({ start: m.start, end: m.value.end })) : container.kind === "array" ? container.items : [];
  const el = elements[index]!;
  if (elements.length === 1) {
    // The container becomes empty. Comments and line breaks around the element stay; spaces alone go (`{}`).
    let to = el.end;
    const comma = /^\s*,/.exec(text.slice(to));
    if (comma) to += comma[0].length;
    const from = /^\s*$/.test(text.slice(container.start + 1, el.start)) ? container.start + 1 : el.start;
    const rest = text.slice(to, container.end - 1);
    return text.slice(0, from) + (/^[ \t]*$/.test(rest) && from === container.start + 1 ? "" : rest) + text.slice(container.end - 1);
  }
  if (index < elements.length - 1) {
    // From the start of the element's line (when it begins one) to the next element's.
    const lineStart = text.lastIndexOf("\n", el.start - 1) + 1;
    const from = /^[ \t]*$/.test(text.slice(lineStart, el.start)) ? lineStart : el.start;
    const next = elements[index + 1]!;
    const nextLine = text.lastIndexOf("\n", next.start - 1) + 1;
    const to = from === lineStart && /^[ \t]*$/.test(text.slice(nextLine, next.start)) ? nextLine : next.start;
    return text.slice(0, from) + text.slice(to);
  }
  // The last one: from the end of the one before, with the comma between them (a trailing comma stays).
  const prev = elements[index - 1]!;
  return text.slice(0, prev.end) + text.slice(el.end);
}
