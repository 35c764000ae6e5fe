// Finding the files a scan reads: folders walked with .gitignore honoured, dependency and
// virtual-environment folders skipped.
import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const SKIP_DIRS = new Set([".git", ".hg", ".svn", "node_modules", "__pycache__", ".tox", ".nox", ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".venv", "venv", ".yarn", ".pnpm-store", "bower_components"]);

interface Rule {
  regex: RegExp;
  negate: boolean;
  dirOnly: boolean;
}

function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") {
      if (glob[i + 1] === "*") {
        const slash = glob[i + 2] === "/";
        out += slash ? "(?:.*/)?" : ".*";
        i += slash ? 2 : 1;
      } else out += "[^/]*";
    } else if (c === "?") out += "[^/]";
    else if (c === "[") {
      const end = glob.indexOf("]", i + 1);
      if (end < 0) out += "\\[";
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, "^").replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "\\" && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else out += c.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return out;
}

/** Parses one .gitignore; patterns match paths relative to the folder holding it. */
export function parseGitignore(text: string): Rule[] {
  const rules: Rule[] = [];
  for (let line of text.split(/\r?\n/)) {
    if (!line || line.startsWith("#")) continue;
    line = line.replace(/(?<!\\)\s+$/, "");
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
    const body = globToRegex(line);
    rules.push({ regex: new RegExp(`^${anchored ? "" : "(?:.*/)?"}${body}(?:/.*)?$`), negate, dirOnly });
  }
  return rules;
}

interface Ignorer {
  base: string;
  rules: Rule[];
}

function ignored(stack: readonly Ignorer[], full: string, isDir: boolean): boolean {
  let result = false;
  for (const { base, rules } of stack) {
    const rel = path.relative(base, full).split(path.sep).join("/");
    for (const r of rules) {
      // Folders are tested on the way down, so a folder-only rule never needs to look at files.
      if (r.dirOnly && !isDir) continue;
      if (r.regex.test(rel)) result = !r.negate;
    }
  }
  return result;
}

export interface WalkOptions {
  /** Called for each file; return true to keep it. */
  want(file: string): boolean;
}

function isVirtualEnv(dir: string, entries: Dirent[]): boolean {
  return entries.some((e) => e.name === "pyvenv.cfg" && e.isFile()) || (existsSync(path.join(dir, "bin", "activate")) && existsSync(path.join(dir, "lib")));
}

/** Files under `root` that `want` keeps, honouring .gitignore files on the way down. */
export function walk(root: string, options: WalkOptions): string[] {
  const out: string[] = [];
  const visit = (dir: string, stack: Ignorer[]) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    let here = stack;
    if (entries.some((e) => e.name === ".gitignore" && e.isFile())) {
      try {
        here = [...stack, { base: dir, rules: parseGitignore(readFileSync(path.join(dir, ".gitignore"), "utf8")) }];
      } catch {
        // an unreadable .gitignore ignores nothing
      }
    }
    if (dir !== root && isVirtualEnv(dir, entries)) return;
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (SKIP_DIRS.has(e.name) || ignored(here, full, true)) continue;
        visit(full, here);
      } else if (e.isFile() && options.want(full) && !ignored(here, full, false)) {
        out.push(full);
      }
    }
  };
  visit(root, []);
  return out.sort();
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
