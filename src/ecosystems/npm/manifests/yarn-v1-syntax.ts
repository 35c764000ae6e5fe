// The yarn classic (v1) lockfile syntax: `key value` lines and `key:` blocks by indentation.
import { textLines } from "../../../formats/lines.ts";
import { FormatSyntaxError } from "../../../formats/errors.ts";

export interface YarnV1Entry {
  /** The descriptors of the entry's header (`a@^1, "b@npm:c@^2"`), unquoted. */
  descriptors: string[];
  line: number;
  fields: Record<string, unknown>;
}

export class YarnSyntaxError extends FormatSyntaxError {
  override name = "YarnSyntaxError";
  declare readonly line: number;
  constructor(message: string, line: number) {
    super(message, line);
  }
}

/** Splits a line into tokens: quoted strings (unquoted), words, and a trailing ':' as its own token. */
function tokens(text: string, no: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === " " || c === "\t") {
      i++;
    } else if (c === "#") {
      break;
    } else if (c === '"') {
      let j = i + 1;
      let s = "";
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && j + 1 < text.length) {
          j++;
          const e = text[j];
          s += e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e;
        } else {
          s += text[j];
        }
      }
      if (j >= text.length) throw new YarnSyntaxError("unterminated string", no);
      out.push(`"${s}`); // a leading quote marks "was quoted" for the caller
      i = j + 1;
    } else if (c === ":" && (i + 1 === text.length || text[i + 1] === " ")) {
      out.push(":");
      i++;
    } else if (c === ",") {
      out.push(",");
      i++;
    } else {
      let j = i;
      while (j < text.length && text[j] !== " " && text[j] !== "\t" && text[j] !== ",") {
        if (text[j] === ":" && (j + 1 === text.length || text[j + 1] === " ")) break;
        j++;
      }
      out.push(text.slice(i, j));
      i = j;
    }
  }
  return out;
}

function unq(token: string): string {
  return token.startsWith('"') ? token.slice(1) : token;
}

function scalar(token: string): unknown {
  if (token.startsWith('"')) return token.slice(1);
  if (token === "true") return true;
  if (token === "false") return false;
  if (/^-?\d+(?:\.\d+)?$/.test(token) && !/^0\d/.test(token)) return Number(token);
  return token;
}

/** `key "value"` or `key value` without escapes, quotes inside or a trailing ':'; else undefined. */
function simpleField(body: string): [string, unknown] | undefined {
  const space = body.indexOf(" ");
  if (space <= 0) return undefined;
  let key = body.slice(0, space);
  const value = body.slice(space + 1);
  if (key.charCodeAt(0) === 34) {
    if (key.length < 2 || key.charCodeAt(key.length - 1) !== 34 || key.indexOf('"', 1) !== key.length - 1) return undefined;
    key = key.slice(1, -1);
  } else if (key.includes('"') || key.endsWith(":") || key.includes(",")) {
    return undefined;
  }
  if (key.includes("\\")) return undefined;
  if (value.charCodeAt(0) === 34) {
    if (value.indexOf('"', 1) !== value.length - 1 || value.includes("\\")) return undefined;
    return [key, value.slice(1, -1)];
  }
  if (value.includes(" ") || value.includes('"') || value.includes("#") || value.endsWith(":")) return undefined;
  return [key, scalar(value)];
}

/** Parses a yarn v1 lockfile into its top-level entries. Throws YarnSyntaxError on bad input. */
export function parseYarnV1(text: string): YarnV1Entry[] {
  const entries: YarnV1Entry[] = [];
  // Stack of open blocks by indentation.
  const stack: Array<{ indent: number; obj: Record<string, unknown> }> = [];
  for (const { no, indent, body } of textLines(text)) {
    const first = body.charCodeAt(0);
    if (body === "" || first === 35) continue;
    if ((first === 60 || first === 61 || first === 62) && /^(?:<<<<<<<|=======|>>>>>>>)/.test(body)) {
      throw new YarnSyntaxError("merge conflict marker", no);
    }
    if (indent > 0 && stack.length > 0) {
      // Fast path for the usual `key "value"` and `key value` field lines.
      const simple = simpleField(body);
      if (simple) {
        while (stack.length > 1 && indent <= stack[stack.length - 1].indent) stack.pop();
        set(stack[stack.length - 1].obj, simple[0], simple[1]);
        continue;
      }
    }
    const toks = tokens(body, no);
    if (toks.length === 0) continue;
    const isBlock = toks[toks.length - 1] === ":";

    if (indent === 0) {
      if (!isBlock) {
        // Top-level `key value` (e.g. a "__metadata"-less header line): not a package.
        stack.length = 0;
        continue;
      }
      const descriptors: string[] = [];
      for (const t of toks.slice(0, -1)) if (t !== ",") descriptors.push(unq(t));
      const fields: Record<string, unknown> = {};
      entries.push({ descriptors, line: no, fields });
      stack.length = 0;
      stack.push({ indent: 0, obj: fields });
      continue;
    }
    while (stack.length > 1 && indent <= stack[stack.length - 1].indent) stack.pop();
    const top = stack[stack.length - 1];
    if (!top) throw new YarnSyntaxError("indented line outside an entry", no);
    if (stack.length > 64) throw new YarnSyntaxError("nesting too deep", no);
    const key = unq(toks[0]);
    if (isBlock) {
      const obj: Record<string, unknown> = {};
      set(top.obj, key, obj);
      stack.push({ indent, obj });
    } else {
      if (toks.length < 2) throw new YarnSyntaxError(`no value for "${key}"`, no);
      set(top.obj, key, scalar(toks[1]));
    }
  }
  return entries;
}

function set(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
