// One-pass JSON (and JSONC: comments, trailing commas) parser that remembers the line of every
// object key, so extractors can point at the entry without a second pass over the text.
import { FormatSyntaxError } from "./errors.ts";

export interface JsonDocument {
  value: unknown;
  /** Line (1-based) where `key` stands in `object`, if the object came from this document. */
  keyLine(object: object, key: string): number | undefined;
}

export interface JsonOptions {
  /** Accept `//` and block comments and trailing commas (bun.lock, tsconfig style). */
  jsonc?: boolean;
  /** Deeper nesting is an error rather than a stack overflow. */
  maxDepth?: number;
}

export class JsonSyntaxError extends FormatSyntaxError {
  override name = "JsonSyntaxError";
  declare readonly line: number;
  constructor(message: string, line: number) {
    super(message, line);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

/** Parses `text`; throws JsonSyntaxError (with a line) on bad input and nothing else. */
export function parseJson(text: string, options: JsonOptions = {}): JsonDocument {
  const jsonc = options.jsonc === true;
  const maxDepth = options.maxDepth ?? 512;
  const lines = new WeakMap<object, Map<string, number>>();
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;

  const fail = (message: string): never => {
    throw new JsonSyntaxError(message, line);
  };

  const skip = (): void => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 10) {
        line++;
        pos++;
      } else if (c === 32 || c === 9 || c === 13) {
        pos++;
      } else if (c === 47 && jsonc) {
        const next = text.charCodeAt(pos + 1);
        if (next === 47) {
          const end = text.indexOf("\n", pos);
          pos = end < 0 ? text.length : end;
        } else if (next === 42) {
          const end = text.indexOf("*/", pos + 2);
          if (end < 0) fail("unterminated comment");
          for (let i = pos; i < end; i++) if (text.charCodeAt(i) === 10) line++;
          pos = end + 2;
        } else {
          return;
        }
      } else {
        return;
      }
    }
  };

  const string = (): string => {
    const start = ++pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 34) {
        pos++;
        return text.slice(start, pos - 1);
      }
      if (c === 92) break;
      if (c < 32 || Number.isNaN(c)) fail(Number.isNaN(c) ? "unterminated string" : "control character in string");
      pos++;
    }
    let out = text.slice(start, pos);
    for (;;) {
      const c = text.charCodeAt(pos);
      if (Number.isNaN(c)) fail("unterminated string");
      if (c === 34) {
        pos++;
        return out;
      }
      if (c < 32) fail("control character in string");
      if (c === 92) {
        const e = text[pos + 1];
        if (e === "u") {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail("bad \\u escape");
          out += String.fromCharCode(Number.parseInt(hex, 16));
          pos += 6;
        } else {
          const mapped = e === undefined ? undefined : ESCAPES[e];
          if (mapped === undefined) fail("bad escape");
          out += mapped;
          pos += 2;
        }
      } else {
        out += text[pos];
        pos++;
      }
    }
  };

  const value = (depth: number): unknown => {
    skip();
    const c = text.charCodeAt(pos);
    if (c === 123) return object(depth + 1);
    if (c === 91) return array(depth + 1);
    if (c === 34) return string();
    if (c === 116 && text.startsWith("true", pos)) {
      pos += 4;
      return true;
    }
    if (c === 102 && text.startsWith("false", pos)) {
      pos += 5;
      return false;
    }
    if (c === 110 && text.startsWith("null", pos)) {
      pos += 4;
      return null;
    }
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (m && m[0].length > 0) {
      pos += m[0].length;
      return Number(m[0]);
    }
    return fail(Number.isNaN(c) ? "unexpected end of input" : `unexpected character ${JSON.stringify(text[pos])}`);
  };

  const object = (depth: number): Record<string, unknown> => {
    if (depth > maxDepth) fail("nesting too deep");
    pos++;
    const out: Record<string, unknown> = {};
    const keyLines = new Map<string, number>();
    lines.set(out, keyLines);
    for (let first = true; ; first = false) {
      skip();
      if (text.charCodeAt(pos) !== 34) {
        // `{}`, or (JSONC) a trailing comma.
        if ((first || jsonc) && text.charCodeAt(pos) === 125) {
          pos++;
          return out;
        }
        fail("expected a string key");
      }
      const keyLine = line;
      const key = string();
      skip();
      if (text.charCodeAt(pos) !== 58) fail("expected ':'");
      pos++;
      const v = value(depth);
      // A "__proto__" key must stay data, never become the prototype.
      if (key === "__proto__") Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
      keyLines.set(key, keyLine);
      skip();
      const c = text.charCodeAt(pos);
      pos++;
      if (c === 125) return out;
      if (c !== 44) fail("expected ',' or '}'");
    }
  };

  const array = (depth: number): unknown[] => {
    if (depth > maxDepth) fail("nesting too deep");
    pos++;
    const out: unknown[] = [];
    for (let first = true; ; first = false) {
      skip();
      // `[]`, or (JSONC) a trailing comma.
      if ((first || jsonc) && text.charCodeAt(pos) === 93) {
        pos++;
        return out;
      }
      out.push(value(depth));
      skip();
      const c = text.charCodeAt(pos);
      pos++;
      if (c === 93) return out;
      if (c !== 44) fail("expected ',' or ']'");
    }
  };

  const result = value(0);
  skip();
  if (pos < text.length) fail("unexpected text after the JSON value");
  return { value: result, keyLine: (obj, key) => lines.get(obj)?.get(key) };
}
