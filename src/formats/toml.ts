// Line numbers for values of TOML documents that another parser has already accepted
// (smol-toml gives no positions). One linear scan, no values built: keys and array
// elements are recorded by path, up to a depth, so a 5,000-package lockfile stays cheap.
// Never throws; on text it does not understand it records less.

const SEP = "\u0000";

/** The map key for a path of table keys and array indices. */
export function pathKey(...segments: Array<string | number>): string {
  return segments.join(SEP);
}

export type Positions = Map<string, number>;

export interface TomlPositionOptions {
  /** Deepest path recorded (a [[package]] entry's keys are at depth 3). */
  maxDepth?: number;
  /** At maxDepth, only these keys (all when absent): fewer entries, less time. */
  leafKeys?: ReadonlySet<string>;
}

/** Lines (1-based) of TOML keys, table headers and array elements, by path (see pathKey). */
export function tomlPositions(text: string, options: TomlPositionOptions | number = {}): Positions {
  const opts = typeof options === "number" ? { maxDepth: options } : options;
  return new TomlScanner(text, opts.maxDepth ?? 4, opts.leafKeys).scan();
}


class TomlScanner {
  readonly s: string;
  readonly maxDepth: number;
  readonly leafKeys: ReadonlySet<string> | undefined;
  readonly out: Positions = new Map();
  readonly arrayTables = new Map<string, number>();
  i = 0;
  // Records come in increasing offsets: the line is found by walking forward, once over the text.
  lineOffset = 0;
  line = 1;

  constructor(text: string, maxDepth: number, leafKeys: ReadonlySet<string> | undefined) {
    this.s = text;
    this.maxDepth = maxDepth;
    this.leafKeys = leafKeys;
  }

  lineAt(offset: number): number {
    for (let nl = this.s.indexOf("\n", this.lineOffset); nl >= 0 && nl < offset; nl = this.s.indexOf("\n", nl + 1)) {
      this.line++;
      this.lineOffset = nl + 1;
    }
    return this.line;
  }

  record(path: string | null, depth: number, offset: number): void {
    if (path !== null && depth <= this.maxDepth && !this.out.has(path)) this.out.set(path, this.lineAt(offset));
  }

  /** The child path, or null once deeper than anything recorded (saves building strings). */
  child(path: string | null, depth: number, key: string | number): string | null {
    if (path === null || depth + 1 > this.maxDepth) return null;
    if (depth + 1 === this.maxDepth && this.leafKeys && !this.leafKeys.has(String(key))) return null;
    return depth === 0 ? String(key) : path + SEP + key;
  }

  /** Spaces, tabs and carriage returns. */
  blank(): void {
    const s = this.s;
    let i = this.i;
    for (let c = s.charCodeAt(i); c === 32 || c === 9 || c === 13; c = s.charCodeAt(++i));
    this.i = i;
  }

  /** Blanks, line breaks and comments. */
  blankLines(): void {
    const s = this.s;
    let i = this.i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 9 || c === 13 || c === 10) i++;
      else if (c === 35 /* # */) {
        const nl = s.indexOf("\n", i);
        i = nl < 0 ? s.length : nl;
      } else break;
    }
    this.i = i;
  }

  scan(): Positions {
    let table: string | null = "";
    let depth = 0;
    const s = this.s;
    while (this.i < s.length) {
      this.blankLines();
      if (this.i >= s.length) break;
      if (s.charCodeAt(this.i) === 91 /* [ */) {
        const start = this.i;
        const array = s.charCodeAt(this.i + 1) === 91;
        this.i += array ? 2 : 1;
        const keys: string[] = [];
        for (let key = this.key(true); key !== null; key = this.key(true)) {
          keys.push(key);
          this.blank();
          if (s.charCodeAt(this.i) !== 46 /* . */) break;
          this.i++;
        }
        const eol = s.indexOf("\n", this.i);
        this.i = eol < 0 ? s.length : eol;
        [table, depth] = this.resolveHeader(keys, array, start);
        this.record(table, depth, start);
        continue;
      }
      const start = this.i;
      this.keyValue(table, depth);
      if (this.i === start) this.i++;
    }
    return this.out;
  }

  /** The header's path; the tables it defines implicitly (`tool` of `[tool.x]`) get its line if they have none. */
  resolveHeader(keys: string[], array: boolean, start: number): [string, number] {
    let path = "";
    let depth = 0;
    keys.forEach((key, index) => {
      if (depth > 0) this.record(path, depth, start);
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

  /** One key (bare or quoted) after blanks; its text only when `want` (else ""); null when none. */
  key(want: boolean): string | null {
    this.blank();
    const s = this.s;
    const start = this.i;
    const c = s.charCodeAt(start);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      this.string();
      return want ? unquoteKey(s.slice(start, this.i)) : "";
    }
    let i = start;
    for (let d = s.charCodeAt(i); isBareKeyChar(d); d = s.charCodeAt(++i));
    if (i === start) return null;
    this.i = i;
    return want ? s.slice(start, i) : "";
  }

  keyValue(parent: string | null, depth: number): void {
    const start = this.i;
    const s = this.s;
    let path = parent;
    let d = depth;
    let found = false;
    for (;;) {
      const key = this.key(path !== null && d + 1 <= this.maxDepth);
      if (key === null) break;
      found = true;
      path = this.child(path, d, key);
      d++;
      this.blank();
      if (s.charCodeAt(this.i) !== 46 /* . */) break;
      this.i++;
    }
    if (!found) return;
    this.record(path, d, start);
    this.blank();
    if (s.charCodeAt(this.i) !== 61 /* = */) return;
    this.i++;
    this.blank();
    this.value(path, d);
  }

  value(path: string | null, depth: number): void {
    const s = this.s;
    const c = s.charCodeAt(this.i);
    if (c === 34 || c === 39) {
      this.string();
    } else if (c === 91 /* [ */) {
      this.i++;
      let index = 0;
      for (;;) {
        this.blankLines();
        if (this.i >= s.length || s.charCodeAt(this.i) === 93 /* ] */) break;
        const element = this.child(path, depth, index);
        this.record(element, depth + 1, this.i);
        const start = this.i;
        this.value(element, depth + 1);
        index++;
        this.blankLines();
        if (s.charCodeAt(this.i) === 44 /* , */) this.i++;
        else if (this.i === start) this.i++;
      }
      this.i++;
    } else if (c === 123 /* { */) {
      this.i++;
      for (;;) {
        this.blankLines();
        if (this.i >= s.length || s.charCodeAt(this.i) === 125 /* } */) break;
        const start = this.i;
        this.keyValue(path, depth);
        this.blankLines();
        if (s.charCodeAt(this.i) === 44) this.i++;
        else if (this.i === start) this.i++;
      }
      this.i++;
    } else {
      // A number, date or boolean: up to a delimiter.
      let i = this.i;
      for (; i < s.length; i++) {
        const d = s.charCodeAt(i);
        if (d === 44 || d === 93 || d === 125 || d === 35 || d === 10) break;
      }
      this.i = i;
    }
  }

  /** Moves past a basic, literal or multi-line string starting at this.i. */
  string(): void {
    const s = this.s;
    const basic = s.charCodeAt(this.i) === 34;
    const triple = basic ? '"""' : "'''";
    const multi = s.startsWith(triple, this.i);
    const close = multi ? triple : basic ? '"' : "'";
    let from = this.i + close.length;
    for (;;) {
      const end = s.indexOf(close, from);
      if (end < 0) {
        this.i = s.length;
        return;
      }
      if (basic && escaped(s, end)) {
        from = end + 1;
        continue;
      }
      this.i = end + close.length;
      // Up to two more quotes belong to a multi-line string's content ("""a"""" ends in a quote).
      if (multi) for (let extra = 0; extra < 2 && s[this.i] === close[0]; extra++) this.i++;
      return;
    }
  }
}

function isBareKeyChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/** Whether the character at `at` is escaped by an odd run of backslashes. */
function escaped(s: string, at: number): boolean {
  let n = 0;
  while (at - n - 1 >= 0 && s.charCodeAt(at - n - 1) === 92) n++;
  return n % 2 === 1;
}

/** The text of a quoted key (basic strings with their escapes, literal strings as they are). */
function unquoteKey(token: string): string {
  if (token.startsWith("'")) return token.slice(1, -1);
  try {
    return JSON.parse(token.replace(/\\U([0-9a-fA-F]{8})/g, (_, h: string) => {
      const cp = Number.parseInt(h, 16);
      return cp <= 0x10ffff ? JSON.stringify(String.fromCodePoint(cp)).slice(1, -1) : "";
    })) as string;
  } catch {
    return token.slice(1, -1);
  }
}
