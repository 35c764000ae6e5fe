// requirements*.txt, *.in and constraints*.txt, read the way pip reads them (pip's req_file.py):
// backslash continuations, " #" comments, options (unknown ones are problems), per-requirement
// options (--hash, -C ...), -r/-c includes followed through context.readFile (each file at most
// once, so cycles end), editables, URLs, local paths and "name @ url", environment markers split
// off at ";" as pip does. `${VAR}` cannot be expanded here: such a version is unknown (null).
//
// Includes: context.readFile receives the include's path resolved against the including file and
// expressed relative to the directory of the file passed to extract() (absolute paths stay
// absolute). Dependencies from an included file carry that file's path in location.file.
import { excerpt } from "../../../core/excerpt.ts";
import type { ExtractContext, ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../../../core/dependency.ts";
import { PY_WS, parseMarker, parseRequirement, pyStrip } from "../pep508.ts";
import { dependency, dirname, isArchive, nameFromLocation, result, sourceOfUrl, versionFromSpecifier } from "./common.ts";
import { basename } from "../../../core/guards.ts";

export const requirementsTxtExtractor: Extractor = {
  id: "pypi-requirements",
  matches(path: string): boolean {
    const base = basename(path).toLowerCase();
    if (!/\.(?:txt|in)$/.test(base)) return false;
    if (/requirements|constraints/.test(base)) return true;
    return basename(dirname(path)).toLowerCase() === "requirements";
  },
  extract(text: string, path: string, context?: ExtractContext): ExtractResult {
    const state: State = { deps: [], problems: [], seen: new Set(), rootDir: dirname(path), context };
    state.seen.add(normalizePosix(path));
    parseFile(state, typeof text === "string" ? text : "", path, basename(path), false);
    return result(state.deps, state.problems);
  },
};

interface State {
  deps: ExtractedDependency[];
  problems: ExtractProblem[];
  /** Files already parsed, as normalised paths in the form of the root file's path. */
  seen: Set<string>;
  rootDir: string;
  context: ExtractContext | undefined;
}

const LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;
const COMMENT_LINE = new RegExp(`^${PY_WS}*#`);
const SPACE = new RegExp(`^${PY_WS}$`);

/** The line without its " #" comment (a "#" at the start or after whitespace), found in one pass. */
function withoutComment(text: string): string {
  for (let at = text.indexOf("#"); at >= 0; at = text.indexOf("#", at + 1)) {
    if (at === 0 || SPACE.test(text[at - 1]!)) return text.slice(0, at);
  }
  return text;
}

/** Backslashes trimmed from both ends of a continued line. */
function trimBackslashes(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === "\\") start++;
  while (end > start && text[end - 1] === "\\") end--;
  return text.slice(start, end);
}
const ENV_VAR = /\$\{[A-Z0-9_]+\}/g;
const PIP_URL_SCHEMES = new Set(["http", "https", "file", "ftp", "git"]);

/** pip's is_url: a scheme pip knows (web, file, or VCS "git+https" style). */
function isPipUrl(text: string): boolean {
  const colon = text.indexOf(":");
  if (colon < 0) return false;
  const scheme = text.slice(0, colon).toLowerCase();
  return PIP_URL_SCHEMES.has(scheme) || /^(?:git|hg|svn|bzr)\+[a-z-]+$/.test(scheme);
}

/** pip's _looks_like_path: a separator, or a leading dot. */
function looksLikePath(text: string): boolean {
  return text.includes("/") || text.includes("\\") || text.startsWith(".");
}

function isAbsolute(path: string): boolean {
  return path.startsWith("/") || path.startsWith("\\") || /^[A-Za-z]:[\\/]/.test(path);
}

function normalizePosix(path: string): string {
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.replace(/\\/g, "/").split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (part !== ".." || !absolute) out.push(part);
  }
  return (absolute ? "/" : "") + out.join("/");
}

/** Logical lines with the number of their first physical line (pip's join_lines + ignore_comments). */
export function logicalLines(text: string): Array<{ line: number; text: string }> {
  const physical = text.replace(/^\uFEFF/, "").split(LINE_BREAK);
  const joined: Array<{ line: number; text: string }> = [];
  let pending: string[] | null = null;
  let primary = 0;
  physical.forEach((raw, index) => {
    const comment = COMMENT_LINE.test(raw);
    if (!raw.endsWith("\\") || comment) {
      const piece = comment ? ` ${raw}` : raw;
      if (pending) {
        pending.push(piece);
        joined.push({ line: primary, text: pending.join("") });
        pending = null;
      } else {
        joined.push({ line: index + 1, text: piece });
      }
    } else {
      if (!pending) {
        pending = [];
        primary = index + 1;
      }
      pending.push(trimBackslashes(raw));
    }
  });
  if (pending) joined.push({ line: primary, text: (pending as string[]).join("") });
  const out: Array<{ line: number; text: string }> = [];
  for (const entry of joined) {
    const clean = pyStrip(withoutComment(entry.text));
    if (clean) out.push({ line: entry.line, text: clean });
  }
  return out;
}

function parseFile(state: State, text: string, display: string, rel: string, constraint: boolean): void {
  for (const { line, text: content } of logicalLines(text)) {
    const problem = (reason: string) => state.problems.push({ file: display, line, reason });
    // pip: words up to the first one starting with "-" are the requirement, the rest options.
    const tokens = content.split(" ");
    const firstOption = tokens.findIndex((t) => t.startsWith("-"));
    const args = (firstOption < 0 ? tokens : tokens.slice(0, firstOption)).join(" ");
    const optionText = firstOption < 0 ? "" : tokens.slice(firstOption).join(" ");
    const words = shellSplit(optionText);
    if (words === null) {
      problem(`cannot split options "${excerpt(optionText)}" (unbalanced quote or trailing backslash)`);
      continue;
    }
    const options = parseOptions(words);
    if ("error" in options) problem(options.error);
    const opts = "error" in options ? options.partial : options;
    if (args) {
      handleRequirement(state, args, display, line, constraint, false);
    } else if (opts.editable.length) {
      handleRequirement(state, opts.editable[0]!, display, line, constraint, true);
    } else if (opts.requirement.length || opts.constraint.length) {
      // As in pip, a -r inside a constraints file is read as requirements again.
      const nestedConstraint = opts.requirement.length === 0;
      include(state, (opts.requirement[0] ?? opts.constraint[0])!, display, rel, line, nestedConstraint);
    }
  }
}

function include(state: State, target: string, display: string, rel: string, line: number, constraint: boolean): void {
  const problem = (reason: string) => state.problems.push({ file: display, line, reason });
  if (isPipUrl(target)) {
    problem(`included file "${excerpt(target)}" is remote and was not read`);
    return;
  }
  const nextRel = isAbsolute(target) ? target : normalizePosix(`${dirname(rel) || "."}/${target}`);
  const nextDisplay = isAbsolute(nextRel) || !state.rootDir ? nextRel : normalizePosix(`${state.rootDir}/${nextRel}`);
  const key = normalizePosix(nextDisplay);
  if (state.seen.has(key)) return;
  state.seen.add(key);
  const content = state.context?.readFile?.(nextRel);
  if (content === undefined) {
    const why = state.context?.whyUnread?.(nextRel);
    problem(`cannot read included file "${excerpt(target)}"${why ? `: ${why}` : ""}`);
    return;
  }
  parseFile(state, content, nextDisplay, nextRel, constraint);
}

function handleRequirement(state: State, raw: string, file: string, line: number, constraint: boolean, editable: boolean): void {
  const problem = (reason: string) => state.problems.push({ file, line, reason });
  const extra = constraint ? { group: "constraints" } : {};
  const hasEnv = ENV_VAR.test(raw);
  ENV_VAR.lastIndex = 0;
  // Parse with a placeholder where pip would substitute the variable; the version is then unknown.
  const text = hasEnv ? raw.replace(ENV_VAR, "0") : raw;
  const url = isPipUrl(text);
  const sep = url ? "; " : ";";
  const at = text.indexOf(sep);
  const reqPart = pyStrip(at < 0 ? text : text.slice(0, at));
  const markerPart = at < 0 ? "" : pyStrip(text.slice(at + sep.length));
  if (markerPart) {
    const marker = parseMarker(markerPart);
    if ("error" in marker) {
      problem(`invalid environment marker "${excerpt(markerPart)}": ${marker.error}`);
      return;
    }
  }
  const rawAt = raw.indexOf(sep);
  const spec = pyStrip(rawAt < 0 ? raw : raw.slice(0, rawAt));
  if (url) {
    const found = nameFromLocation(reqPart);
    const name = found?.name ?? reqPart;
    const version = hasEnv ? null : (found?.version ?? null);
    state.deps.push(dependency(file, line, name, version, sourceOfUrl(reqPart), "manifest", { spec, ...extra }));
    return;
  }
  const withoutExtras = /^(.+)(\[[^\]]+\])$/.exec(reqPart)?.[1] ?? reqPart;
  const atSign = reqPart.split("@");
  const pep508Url = atSign.length >= 2 && !looksLikePath(atSign[0]!);
  if (editable || (isArchive(withoutExtras) && !pep508Url)) {
    // A local project is named by its `#egg=` fragment when it has one, else by its archive or folder.
    const found = isArchive(withoutExtras) || /[#&]egg=/.test(withoutExtras) ? nameFromLocation(withoutExtras) : null;
    const name = found?.name ?? localName(withoutExtras.replace(/#.*$/, ""));
    const version = hasEnv ? null : (found?.version ?? null);
    state.deps.push(dependency(file, line, name, version, "path", "manifest", { spec, ...extra }));
    return;
  }
  const parsed = parseRequirement(reqPart);
  if ("error" in parsed) {
    if (looksLikePath(reqPart)) {
      state.deps.push(dependency(file, line, localName(withoutExtras), null, "path", "manifest", { spec, ...extra }));
      return;
    }
    problem(`invalid requirement "${excerpt(pyStrip(raw))}": ${parsed.error}`);
    return;
  }
  if (hasEnv && !pyStrip(raw).startsWith(parsed.name)) {
    problem(`the package name in "${excerpt(pyStrip(raw))}" comes from an environment variable`);
    return;
  }
  if (parsed.url !== null) {
    state.deps.push(dependency(file, line, parsed.name, null, sourceOfUrl(parsed.url), "manifest", { spec, ...extra }));
    return;
  }
  const version = hasEnv ? null : versionFromSpecifier(parsed.specifier);
  const depExtra = hasEnv ? { spec, ...extra } : extra;
  state.deps.push(dependency(file, line, parsed.name, version, "registry", "manifest", depExtra));
}

/** A local project is named by its directory (the path itself stays in `spec`). */
function localName(path: string): string {
  return basename(path.replace(/[\\/]+$/, "")) || path;
}

/** POSIX shlex.split: quotes and backslashes; null where Python raises (open quote, lone backslash). */
export function shellSplit(text: string): string[] | null {
  const out: string[] = [];
  let token: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\r" || c === "\n") {
      if (token !== null) out.push(token);
      token = null;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return null;
      token = (token ?? "") + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      token ??= "";
      let closed = false;
      for (i++; i < text.length; i++) {
        const d = text[i]!;
        if (d === '"') {
          closed = true;
          break;
        }
        if (d === "\\" && (text[i + 1] === '"' || text[i + 1] === "\\")) {
          token += text[++i];
        } else {
          token += d;
        }
      }
      if (!closed) return null;
    } else if (c === "\\") {
      if (i + 1 >= text.length) return null;
      token = (token ?? "") + text[++i];
    } else {
      token = (token ?? "") + c;
    }
  }
  if (token !== null) out.push(token);
  return out;
}

interface Options {
  requirement: string[];
  constraint: string[];
  editable: string[];
}

// pip's requirements-file options (req_file.SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ).
const LONG_OPTIONS: Record<string, { takesValue: boolean; dest?: keyof Options }> = {
  "--index-url": { takesValue: true },
  "--pypi-url": { takesValue: true },
  "--extra-index-url": { takesValue: true },
  "--no-index": { takesValue: false },
  "--constraint": { takesValue: true, dest: "constraint" },
  "--requirement": { takesValue: true, dest: "requirement" },
  "--editable": { takesValue: true, dest: "editable" },
  "--find-links": { takesValue: true },
  "--no-binary": { takesValue: true },
  "--only-binary": { takesValue: true },
  "--prefer-binary": { takesValue: false },
  "--require-hashes": { takesValue: false },
  "--pre": { takesValue: false },
  "--trusted-host": { takesValue: true },
  "--use-feature": { takesValue: true },
  "--global-option": { takesValue: true },
  "--hash": { takesValue: true },
  "--config-settings": { takesValue: true },
};
const SHORT_OPTIONS: Record<string, string> = {
  "-i": "--index-url",
  "-c": "--constraint",
  "-r": "--requirement",
  "-e": "--editable",
  "-f": "--find-links",
  "-C": "--config-settings",
};

/** optparse over pip's options: unique long prefixes, "--opt=value", "-rFILE"; unknown ones are an error. */
function parseOptions(words: string[]): Options | { error: string; partial: Options } {
  const opts: Options = { requirement: [], constraint: [], editable: [] };
  const fail = (error: string) => ({ error, partial: opts });
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === "--") break;
    let long: string | undefined;
    let value: string | undefined;
    if (word.startsWith("--")) {
      const eq = word.indexOf("=");
      const given = eq < 0 ? word : word.slice(0, eq);
      if (eq >= 0) value = word.slice(eq + 1);
      const exact = given in LONG_OPTIONS ? [given] : Object.keys(LONG_OPTIONS).filter((o) => o.startsWith(given));
      if (exact.length !== 1) return fail(`${exact.length ? "ambiguous" : "unknown"} option ${given}`);
      long = exact[0]!;
    } else if (word.startsWith("-") && word.length > 1) {
      long = SHORT_OPTIONS[word.slice(0, 2)];
      if (!long) return fail(`unknown option ${word.slice(0, 2)}`);
      if (word.length > 2) value = word.slice(2);
    } else {
      continue;
    }
    const option = LONG_OPTIONS[long]!;
    if (option.takesValue) {
      if (value === undefined) {
        if (i + 1 >= words.length) return fail(`option ${word} needs a value`);
        value = words[++i]!;
      }
      if (option.dest) opts[option.dest].push(value);
    } else if (value !== undefined) {
      return fail(`option ${long} takes no value`);
    }
  }
  return opts;
}
