// Line numbers for values of TOML and JSON documents that another parser has already accepted
// (smol-toml, JSON.parse give no positions). One linear scan, no values built: keys and array
// elements are recorded by path, up to a depth, so a 5,000-package lockfile stays cheap.
// Never throws; on text it does not understand it records less.

const SEP = "\u0000";

/** The map key for a path of table keys and array indices. */
export function pathKey(...segments: Array<string | number>): string {
  return segments.join(SEP);
}

export type Positions = Map<string, number>;

/** Lines (1-based) of TOML keys, table headers and array elements, by path (see pathKey). */
export function tomlPositions(text: string, maxDepth = 4): Positions {
  return new TomlScanner(text, maxDepth).scan();
}

class TomlScanner {
  readonly s: string;
  readonly maxDepth: number;
  readonly out: Positions = new Map();
  readonly arrayTables = new Map<string, number>();
  i = 0;
  line = 1;

  constructor(text: string, maxDepth: number) {
    this.s = text;
    this.maxDepth = maxDepth;
  }

  record(path: string, depth: number, line: number): void {
    if (depth <= this.maxDepth && !this.out.has(path)) this.out.set(path, line);
  }

  scan(): Positions {
    let table = "";
    let depth = 0;
    const s = this.s;
    while (this.i < s.length) {
      this.skipBlank(true);
      if (this.i >= s.length) break;
      if (s[this.i] === "[") {
        const array = s[this.i + 1] === "[";
        this.i += array ? 2 : 1;
        const line = this.line;
        const keys = this.keyPath();
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
        [table, depth] = this.resolveHeader(keys, array);
        this.record(table, depth, line);
        continue;
      }
      const start = this.i;
      this.keyValue(table, depth);
      if (this.i === start) this.i++;
    }
    return this.out;
  }

  resolveHeader(keys: string[], array: boolean): [string, number] {
    let path = "";
    let depth = 0;
    keys.forEach((key, index) => {
      path = depth === 0 ? key : path + SEP + key;
      depth++;
      const count = this.arrayTables.get(path);
      const last = index === keys.length - 1;
      if (last && array) {
        const next = (count ?? 0) + 1;
        this.arrayTables.set(path, next);
        path += SEP + (next - 1);
        depth++;
      } else if (count !== undefined && !last) {
        path += SEP + (count - 1);
        depth++;
      }
    });
    return [path, depth];
  }

  /** Spaces, tabs, comments and (when allowed) line breaks. */
  skipBlank(newlines: boolean): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i];
      if (c === " " || c === "\t" || c === "\r") this.i++;
      else if (c === "\n" && newlines) {
        this.i++;
        this.line++;
      } else if (c === "#") {
        while (this.i < s.length && s[this.i] !== "\n") this.i++;
      } else break;
    }
  }

  keyPath(): string[] {
    const keys: string[] = [];
    const s = this.s;
    for (;;) {
      this.skipBlank(false);
      const c = s[this.i];
      if (c === '"' || c === "'") {
        keys.push(this.quotedKey(c));
      } else {
        const start = this.i;
        while (this.i < s.length && /[A-Za-z0-9_-]/.test(s[this.i]!)) this.i++;
        if (this.i === start) break;
        keys.push(s.slice(start, this.i));
      }
      this.skipBlank(false);
      if (s[this.i] !== ".") break;
      this.i++;
    }
    return keys;
  }

  quotedKey(quote: string): string {
    const s = this.s;
    this.i++;
    let out = "";
    while (this.i < s.length && s[this.i] !== quote && s[this.i] !== "\n") {
      if (quote === '"' && s[this.i] === "\\") {
        const next = s[this.i + 1] ?? "";
        const simple: Record<string, string> = { b: "\b", t: "\t", n: "\n", f: "\f", r: "\r", '"': '"', "\\": "\\" };
        if (next in simple) {
          out += simple[next];
          this.i += 2;
          continue;
        }
        const width = next === "u" ? 4 : next === "U" ? 8 : 0;
        const cp = Number.parseInt(s.slice(this.i + 2, this.i + 2 + width), 16);
        if (width && Number.isFinite(cp) && cp <= 0x10ffff) {
          out += String.fromCodePoint(cp);
          this.i += 2 + width;
          continue;
        }
      }
      out += s[this.i];
      this.i++;
    }
    this.i++;
    return out;
  }

  keyValue(parent: string, depth: number): void {
    const line = this.line;
    const keys = this.keyPath();
    if (keys.length === 0) return;
    let path = parent;
    let d = depth;
    for (const key of keys) {
      path = d === 0 ? key : path + SEP + key;
      d++;
    }
    this.record(path, d, line);
    this.skipBlank(false);
    if (this.s[this.i] !== "=") return;
    this.i++;
    this.skipBlank(false);
    this.value(path, d);
  }

  value(path: string, depth: number): void {
    const s = this.s;
    const c = s[this.i];
    if (c === '"' || c === "'") {
      this.string(c);
    } else if (c === "[") {
      this.i++;
      let index = 0;
      for (;;) {
        this.skipBlank(true);
        if (this.i >= s.length || s[this.i] === "]") break;
        const elementPath = path + SEP + index;
        this.record(elementPath, depth + 1, this.line);
        const start = this.i;
        this.value(elementPath, depth + 1);
        index++;
        this.skipBlank(true);
        if (s[this.i] === ",") this.i++;
        else if (this.i === start) this.i++;
      }
      this.i++;
    } else if (c === "{") {
      this.i++;
      for (;;) {
        this.skipBlank(true);
        if (this.i >= s.length || s[this.i] === "}") break;
        const start = this.i;
        this.keyValue(path, depth);
        this.skipBlank(true);
        if (s[this.i] === ",") this.i++;
        else if (this.i === start) this.i++;
      }
      this.i++;
    } else {
      while (this.i < s.length && !",]}#\n".includes(s[this.i]!)) this.i++;
    }
  }

  string(quote: string): void {
    const s = this.s;
    if (s.startsWith(quote.repeat(3), this.i)) {
      this.i += 3;
      for (;;) {
        if (this.i >= s.length) return;
        const c = s[this.i];
        if (c === "\n") this.line++;
        if (c === "\\" && quote === '"') {
          if (s[this.i + 1] === "\n") this.line++;
          this.i += 2;
          continue;
        }
        if (s.startsWith(quote.repeat(3), this.i)) {
          this.i += 3;
          // Up to two more quotes belong to the content ("""a"""" ends with a quote).
          for (let extra = 0; extra < 2 && s[this.i] === quote; extra++) this.i++;
          return;
        }
        this.i++;
      }
    }
    this.i++;
    while (this.i < s.length && s[this.i] !== quote && s[this.i] !== "\n") {
      this.i += quote === '"' && s[this.i] === "\\" ? 2 : 1;
    }
    if (s[this.i] === quote) this.i++;
  }
}

/** Lines (1-based) of object keys and array elements of a JSON document, by path (see pathKey). */
export function jsonPositions(text: string, maxDepth = 3): Positions {
  const out: Positions = new Map();
  const s = text;
  let i = 0;
  let line = 1;
  const blank = () => {
    while (i < s.length && (s[i] === " " || s[i] === "\t" || s[i] === "\r" || s[i] === "\n")) {
      if (s[i] === "\n") line++;
      i++;
    }
  };
  const string = (): string => {
    const start = i;
    i++;
    while (i < s.length && s[i] !== '"' && s[i] !== "\n") i += s[i] === "\\" ? 2 : 1;
    i++;
    try {
      return JSON.parse(s.slice(start, i)) as string;
    } catch {
      return s.slice(start + 1, i - 1);
    }
  };
  // An explicit stack instead of recursion: deep nesting cannot overflow.
  type Frame = { path: string; depth: number; object: boolean; index: number };
  const stack: Frame[] = [];
  const record = (path: string, depth: number) => {
    if (depth <= maxDepth && !out.has(path)) out.set(path, line);
  };
  const child = (frame: Frame | undefined, key: string): [string, number] =>
    frame ? [frame.depth === 0 ? key : frame.path + SEP + key, frame.depth + 1] : ["", 0];
  let pendingPath = "";
  let pendingDepth = 0;
  while (i < s.length) {
    blank();
    const c = s[i];
    const top = stack[stack.length - 1];
    if (c === undefined) break;
    if (top && !top.object && c !== "]" && c !== ",") {
      [pendingPath, pendingDepth] = child(top, String(top.index));
      record(pendingPath, pendingDepth);
    }
    if (c === "{" || c === "[") {
      stack.push({ path: pendingPath, depth: pendingDepth, object: c === "{", index: 0 });
      i++;
    } else if (c === "}" || c === "]") {
      stack.pop();
      i++;
    } else if (c === ",") {
      if (top && !top.object) top.index++;
      i++;
    } else if (c === '"') {
      const value = string();
      blank();
      if (top?.object && s[i] === ":") {
        [pendingPath, pendingDepth] = child(top, value);
        record(pendingPath, pendingDepth);
        i++;
      }
    } else {
      while (i < s.length && !",}] \t\r\n".includes(s[i]!)) i++;
    }
  }
  return out;
}
