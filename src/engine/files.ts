// Finding the files a scan reads: folders walked with .gitignore honoured, dependency and
// virtual-environment folders skipped. Everything is read through the scan's file system (fs.ts).
import path from "node:path";
import { type DirEntry, isRefused, readText, type ScanFs } from "./fs.ts";

const SKIP_DIRS = new Set([".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".venv", "venv", ".yarn", ".pnpm-store", "bower_components"]);

/** A .gitignore larger than this is not honoured (the walk then reads more, never less). */
const MAX_GITIGNORE_BYTES = 1024 * 1024;
/** Longer patterns are not honoured: git's own paths are shorter. */
const MAX_PATTERN_CHARS = 4096;

// A glob compiled to the states of a non-deterministic automaton, run over the path one character
// at a time with a set of live states: time is (path length × pattern length) for every pattern,
// where a backtracking regex is exponential on chains of `**/` and `*`.
type Token =
  /** One character (never "/" for ?, [..]). */
  | { kind: "char"; test: (c: string) => boolean }
  /** `*` (no "/") or `**` and the tail after a match (any character): zero or more. */
  | { kind: "star"; slash: boolean }
  // "**" before a "/", that is (?:.*/)?, zero or more whole folders: it matches nothing itself, and
  // leads to the any-character star and the "/" after it, or past both.
  | { kind: "dirs" };

interface Rule {
  tokens: Token[];
  closure: number[][];
  /** The state where the pattern itself is matched (a "/…" tail may follow). */
  bodyEnd: number;
  negate: boolean;
  dirOnly: boolean;
}

const literal = (ch: string): Token => ({ kind: "char", test: (c) => c === ch });

function charClass(glob: string, start: number): { token: Token; end: number } | null {
  const end = glob.indexOf("]", start + 2);
  if (end < 0) return null;
  const body = glob.slice(start + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\");
  try {
    const re = new RegExp(`^[${body}]$`);
    return { token: { kind: "char", test: (c) => c !== "/" && re.test(c) }, end };
  } catch {
    return null;
  }
}

function compile(glob: string, anchored: boolean): { tokens: Token[]; bodyEnd: number } {
  const tokens: Token[] = [];
  // Unanchored patterns match at any depth: an implicit leading `**/`.
  const dirs = () => tokens.push({ kind: "dirs" }, { kind: "star", slash: true }, literal("/"));
  if (!anchored) dirs();
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        if (glob[i + 2] === "/") {
          dirs();
          i += 2;
        } else {
          tokens.push({ kind: "star", slash: true });
          i += 1;
        }
      } else tokens.push({ kind: "star", slash: false });
    } else if (c === "?") tokens.push({ kind: "char", test: (ch) => ch !== "/" });
    else if (c === "[") {
      const cls = charClass(glob, i);
      if (cls) {
        tokens.push(cls.token);
        i = cls.end;
      } else tokens.push(literal("["));
    } else if (c === "\\" && i + 1 < glob.length) tokens.push(literal(glob[++i]!));
    else tokens.push(literal(c));
  }
  const bodyEnd = tokens.length;
  // A matched folder matches everything below it.
  tokens.push(literal("/"), { kind: "star", slash: true });
  return { tokens, bodyEnd };
}

/** Each state with the states it reaches by matching nothing (stars and folder chains may be empty). */
function closures(tokens: readonly Token[]): number[][] {
  const out: number[][] = [];
  for (let s = tokens.length; s >= 0; s--) {
    const t = tokens[s];
    const reach = new Set([s]);
    if (t?.kind === "star") for (const r of out[s + 1]!) reach.add(r);
    else if (t?.kind === "dirs") for (const r of [...out[s + 1]!, ...out[s + 3]!]) reach.add(r);
    out[s] = [...reach];
  }
  return out;
}

/** Whether the compiled pattern matches the whole of `text`. */
function matches(rule: Rule, text: string): boolean {
  const { tokens, closure } = rule;
  const mark = new Int32Array(tokens.length + 1).fill(-1);
  let live = closure[0]!.slice();
  let next: number[] = [];
  for (let i = 0; i < text.length && live.length; i++) {
    const c = text[i]!;
    next.length = 0;
    const enter = (state: number) => {
      for (const r of closure[state]!) {
        if (mark[r] === i) continue;
        mark[r] = i;
        next.push(r);
      }
    };
    for (const s of live) {
      const t = tokens[s];
      if (!t) continue;
      if (t.kind === "char") {
        if (t.test(c)) enter(s + 1);
      } else if (t.kind === "star" && (t.slash || c !== "/")) enter(s);
    }
    [live, next] = [next, live];
  }
  return live.includes(rule.bodyEnd) || live.includes(tokens.length);
}

/** Parses one .gitignore; patterns match paths relative to the folder holding it. */
export function parseGitignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (!line || line.startsWith("#") || line.length > MAX_PATTERN_CHARS) continue;
    line = trimTrailingSpace(line);
    let negate = false;
    if (line.startsWith("!")) {
      negate = true;
      line = line.slice(1);
    }
    const dirOnly = line.endsWith("/");
    if (dirOnly) line = line.slice(0, -1);
    if (!line) continue;
    const anchored = line.includes("/");
    if (line.startsWith("/")) line = line.slice(1);
    const { tokens, bodyEnd } = compile(line, anchored);
    rules.push({ tokens, closure: closures(tokens), bodyEnd, negate, dirOnly });
  }
  return rules;
}

/** Trailing spaces are dropped unless escaped with a backslash. */
function trimTrailingSpace(line: string): string {
  let end = line.length;
  while (end > 0 && /\s/.test(line[end - 1]!) && line[end - 2] !== "\\") end--;
  return line.slice(0, end);
}

/** Whether the parsed rules match `rel` (a "/"-separated path): the last matching rule wins. */
export function gitignoreMatches(rules: readonly Rule[], rel: string, isDir: boolean): boolean | undefined {
  let result: boolean | undefined;
  for (const r of rules) {
    // Folders are tested on the way down, so a folder-only rule never needs to look at files.
    if (r.dirOnly && !isDir) continue;
    if (matches(r, rel)) result = !r.negate;
  }
  return result;
}

interface Ignorer {
  base: string;
  rules: Rule[];
}

function ignored(stack: readonly Ignorer[], full: string, isDir: boolean): boolean {
  let result = false;
  for (const { base, rules } of stack) {
    const rel = path.relative(base, full).split(path.sep).join("/");
    result = gitignoreMatches(rules, rel, isDir) ?? result;
  }
  return result;
}

export interface WalkOptions {
  /** Called for each file; return true to keep it. */
  want(file: string): boolean;
  /** A file `want` keeps that cannot be read (a link leading outside the root, a device): why. */
  skipped(file: string, reason: string): void;
}

function isVirtualEnv(fs: ScanFs, dir: string, entries: DirEntry[]): boolean {
  if (entries.some((e) => e.name === "pyvenv.cfg" && e.kind === "file")) return true;
  const activate = fs.stat(path.join(dir, "bin", "activate"));
  const lib = fs.stat(path.join(dir, "lib"));
  return !isRefused(activate) && !isRefused(lib);
}

/**
 * Files under `root` that `want` keeps, honouring .gitignore files on the way down. Links to files
 * are followed through `fs` (so only inside its root); links to folders are not walked (their
 * target, if inside the root, is walked where it is).
 */
export function walk(fs: ScanFs, root: string, options: WalkOptions): string[] {
  const out: string[] = [];
  // An explicit stack: folder depth is the attacker's to choose.
  const pending: Array<{ dir: string; stack: Ignorer[] }> = [{ dir: root, stack: [] }];
  while (pending.length) {
    const { dir, stack } = pending.pop()!;
    const entries = fs.list(dir);
    if (isRefused(entries)) continue;
    let here = stack;
    if (entries.some((e) => e.name === ".gitignore" && e.kind === "file")) {
      const text = readText(fs, path.join(dir, ".gitignore"), MAX_GITIGNORE_BYTES);
      // An unreadable .gitignore ignores nothing.
      if (!isRefused(text)) here = [...stack, { base: dir, rules: parseGitignore(text) }];
    }
    if (dir !== root && isVirtualEnv(fs, dir, entries)) continue;
    for (const e of entries) {
      const full = path.join(dir, e.name);
      let kind = e.kind;
      if (kind === "link") {
        if (!options.want(full) || ignored(here, full, false)) continue;
        const target = fs.stat(full);
        if (isRefused(target)) {
          options.skipped(full, target.refused === "not found" ? "a broken symbolic link" : target.refused);
          continue;
        }
        kind = target.kind;
        if (kind === "directory") continue;
      }
      if (kind === "directory") {
        if (SKIP_DIRS.has(e.name) || ignored(here, full, true)) continue;
        pending.push({ dir: full, stack: here });
      } else if (options.want(full) && !ignored(here, full, false)) {
        if (kind === "file") out.push(full);
        else options.skipped(full, "not a regular file");
      }
    }
  }
  return out.sort();
}
