// What a shell command line writes to dependency files. An agent can add a dependency without an
// install or an edit tool: `echo fastapi-auth >> requirements.txt`, `cat > package.json <<EOF`,
// `cp template/package.json .`, `sed -i ... pyproject.toml`. Where the text written is plain from the
// command line (echo, printf, cat of a here-document or of project files, tee), the write becomes a
// file change judged as an edit is; where it is not (sed -i, a download, a program's output), the
// write is reported as unseen, and the hook refuses it: the agent has tools Bouncer can read.
import path from "node:path";
import { echoOutput, printfOutput } from "../../extract/printed.ts";
import type { Redirect, ShellWord, SimpleCommand } from "../../extract/shell.ts";
import type { FileChange } from "./protocol.ts";

export interface UnseenWrite {
  /** Absolute. */
  file: string;
  /** How the command writes it, for the reason ("edits it in place with sed"). */
  how: string;
}

/** A path a command removes or moves away (`rm`, `unlink`, `truncate`, the sources of `mv`). */
export interface Removal {
  /** Absolute. */
  path: string;
  /** Whatever lies under it goes too (`rm -r`, `mv` of a folder). */
  recursive: boolean;
  how: string;
}

export interface ShellWrites {
  /** Writes whose text is known: judged as the edit tool's would be. */
  changes: FileChange[];
  unseen: UnseenWrite[];
  removals: Removal[];
}

/** A command and the folder it runs in. */
export interface PlacedCommand {
  command: SimpleCommand;
  dir: string;
}

export interface WriteContext {
  /** The home folder, for `~/…` paths. */
  home?: string;
  /** Whether the hook judges a change to this file (absolute): one `scan` reads dependencies from, or a registry configuration. */
  isJudged(file: string): boolean;
  /** A file's text when it is inside the project and readable; undefined otherwise. */
  readProjectFile(file: string): string | undefined;
  isFolder(file: string): boolean;
  /**
   * Whether a write to this file whose text cannot be known is refused: a manifest, lockfile, script
   * or registry configuration. A source file's imports install nothing, so `sed -i` there passes.
   */
  mustSee(file: string): boolean;
}

/**
 * Whether a path may name a file the hook judges (one `scan` reads dependencies from, or a registry
 * configuration), by its name alone: a superset of the extractors' and ecosystems' own tests (a test
 * holds it to that), cheap enough to run before the engine loads.
 */
export function mayBeDependencyFile(file: string): boolean {
  const name = file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
  return (
    /^(?:Pipfile|Dockerfile|Containerfile|GNUmakefile|makefile|Makefile|npmrc)(?:[.-].*)?$/i.test(name) ||
    /\.(?:json|jsonc|json5|lock|lockb|toml|txt|in|cfg|conf|ini|npmrc|yarnrc|ya?ml|py|pyi|pyw|ipynb|[cm]?[jt]sx?|vue|svelte|astro|sh|bash|zsh|ksh|mk|make|dockerfile|containerfile|xml|spdx|cdx|rdf|bom)$/i.test(name)
  );
}

const IN_PLACE_EDITORS = new Set(["ed", "ex", "vi", "vim", "nvim", "nano", "emacs", "pico", "micro", "kak", "hx"]);
const COPIERS = new Set(["cp", "mv", "install", "ln", "rsync", "ditto"]);
/** Commands that remove the paths they name (mv moves them away: one of the copiers). */
export const REMOVERS: ReadonlySet<string> = new Set(["rm", "unlink", "rmdir", "shred", "truncate"]);

/** Whether a removal takes whatever lies under the paths it names (`rm -r`, `rmdir`, `mv` of a folder). */
export function removesRecursively(c: SimpleCommand): boolean {
  const name = path.basename(c.argv[0] ?? "");
  return name === "rmdir" || name === "mv" || c.words.some((w) => /^-[A-Za-z]*[rR]/.test(w.text) || w.text === "--recursive");
}

/** Commands that write files named among their arguments. */
export const FILE_WRITERS: ReadonlySet<string> = new Set(["tee", "sed", "perl", "awk", "gawk", "ruby", "dd", "curl", "wget", "patch", ...IN_PLACE_EDITORS, ...COPIERS, ...REMOVERS]);

/** Options of the copiers that take a value (the rest of the words are sources and a destination). */
const COPIER_VALUES = new Set(["-t", "--target-directory", "-S", "--suffix", "-m", "--mode", "-o", "--owner", "-g", "--group", "-e", "--rsh"]);

const isOption = (w: ShellWord) => w.text.startsWith("-") && w.text !== "-";
/** A path as the shell resolves it: `~/…` in the home folder, else against the command's folder. */
const resolveIn = (dir: string, w: ShellWord, home?: string) => (home && (w.text === "~" || w.text.startsWith("~/")) ? path.join(home, w.text.slice(1)) : path.resolve(dir, w.text));

/** The most text a command line is taken to write: more is not guessed (a format repeated over many arguments). */
export const MAX_WRITTEN_CHARS = 4 * 1024 * 1024;

/** What the command prints on standard output, when it is plain from the command line. */
function printed(c: SimpleCommand, dir: string, ctx: WriteContext): string | undefined {
  const [name, ...rest] = c.words;
  if (!name || c.words.some((w) => w.dynamic)) return undefined;
  const args = rest.map((w) => w.text);
  switch (path.basename(name.text)) {
    case "echo":
      return echoOutput(args, true);
    case "printf":
      return args.length && !args[0]!.startsWith("-") ? printfOutput(args[0]!, args.slice(1), MAX_WRITTEN_CHARS) : undefined;
    case "true":
    case ":":
      return "";
    case "cat": {
      if (rest.some(isOption)) return undefined;
      const files = rest.filter((w) => w.text !== "-");
      if (!files.length || files.length < rest.length) return standardInput(c, dir, ctx);
      let out = "";
      for (const f of files) {
        const text = ctx.readProjectFile(resolveIn(dir, f, ctx.home));
        if (text === undefined) return undefined;
        out += text;
      }
      return out;
    }
    case "tee":
      return standardInput(c, dir, ctx);
    default:
      return undefined;
  }
}

/** The command's standard input when it is a here-document, a here-string or a project file; undefined for a pipe. */
function standardInput(c: SimpleCommand, dir: string, ctx: WriteContext): string | undefined {
  if (c.input !== undefined) return c.input;
  const from = c.redirects?.findLast((r) => r.op === "<");
  return from && !from.target.dynamic ? ctx.readProjectFile(resolveIn(dir, from.target, ctx.home)) : undefined;
}

/** An output redirection to a file (not `2>&1`, `>&2`, `>&-`). */
export function writesFile(r: Redirect): boolean {
  if (!r.op.includes(">")) return false;
  if ((r.op === ">&" || r.op === "<&") && /^(?:\d+|-)$/.test(r.target.text)) return false;
  return true;
}

/** The text a change leaves to be judged: the whole new text, or what an append adds. */
function change(file: string, text: string, append: boolean): FileChange {
  return append ? { op: "edit", file, edits: [{ old: "", new: text }] } : { op: "write", file, content: text };
}

/** Every dependency file the command line writes, with what it writes when that is known. */
export function shellWrites(commands: Iterable<PlacedCommand>, ctx: WriteContext): ShellWrites {
  const out: ShellWrites = { changes: [], unseen: [], removals: [] };
  const unseen = (file: string, how: string) => {
    if (ctx.mustSee(file)) out.unseen.push({ file, how });
  };
  for (const { command: c, dir } of commands) {
    const name = path.basename(c.argv[0] ?? "");
    for (const r of c.redirects ?? []) {
      if (!writesFile(r)) continue;
      const file = resolveIn(dir, r.target, ctx.home);
      if (!ctx.isJudged(file)) continue;
      if (r.target.dynamic) {
        unseen(file, "writes to a path known only when it runs");
        continue;
      }
      // Only standard output is known (stderr of these commands is empty; `&>` is both).
      const text = r.fd === undefined || r.fd === 1 || r.op.startsWith("&") ? printed(c, dir, ctx) : undefined;
      if (text === undefined) unseen(file, `writes the output of \`${name}\` to it`);
      else out.changes.push(change(file, text, r.op.includes(">>")));
    }
    const operands = c.words.slice(1).filter((w) => !isOption(w));
    if (name === "tee") {
      const input = standardInput(c, dir, ctx);
      const append = c.words.some((w) => /^-[a-z]*a/.test(w.text) || w.text === "--append");
      for (const w of operands) {
        const file = resolveIn(dir, w, ctx.home);
        if (!ctx.isJudged(file)) continue;
        if (input === undefined || w.dynamic) unseen(file, "writes what `tee` reads from a pipe to it");
        else out.changes.push(change(file, input, append));
      }
    } else if (name === "sed" || name === "perl" || name === "gawk" || name === "awk" || name === "ruby") {
      const inPlace = c.words.some((w) => /^-[A-Za-z]*i/.test(w.text) || w.text.startsWith("--in-place") || w.text === "inplace");
      if (inPlace) for (const w of operands) if (ctx.isJudged(resolveIn(dir, w, ctx.home))) unseen(resolveIn(dir, w, ctx.home), `edits it in place with ${name}`);
    } else if (IN_PLACE_EDITORS.has(name)) {
      for (const w of operands) if (ctx.isJudged(resolveIn(dir, w, ctx.home))) unseen(resolveIn(dir, w, ctx.home), `edits it with ${name}`);
    } else if (REMOVERS.has(name)) {
      const recursive = removesRecursively(c);
      const how = name === "truncate" ? "empties it with truncate" : `removes it with ${name}`;
      // truncate's -s takes a value; rm's options take none.
      const paths = name === "truncate" ? c.words.slice(1).filter((w, k, all) => !isOption(w) && !/^-(?:s|r|-size|-reference)$/.test(all[k - 1]?.text ?? "")) : operands;
      for (const w of paths) out.removals.push({ path: resolveIn(dir, w, ctx.home), recursive, how });
    } else if (COPIERS.has(name)) {
      copies(c, dir, ctx, out);
      if (name === "mv") for (const w of operands.slice(0, -1)) out.removals.push({ path: resolveIn(dir, w, ctx.home), recursive: true, how: "moves it away with mv" });
    }
    else if (name === "curl" || name === "wget") downloads(c, dir, ctx, unseen);
    else if ((name === "git" && (c.argv[1] === "apply" || c.argv[1] === "am")) || name === "patch") patches(c, dir, ctx, unseen);
    else if (name === "dd") {
      for (const w of c.words) if (w.text.startsWith("of=") && ctx.isJudged(path.resolve(dir, w.text.slice(3)))) unseen(path.resolve(dir, w.text.slice(3)), "writes it with dd");
    } else inlineScript(c, dir, ctx, unseen);
  }
  return out;
}

/** cp, mv, install, ln: the destination gets the source's text (a single project file), else it is unseen. */
function copies(c: SimpleCommand, dir: string, ctx: WriteContext, out: ShellWrites): void {
  const name = path.basename(c.argv[0]!);
  const paths: ShellWord[] = [];
  let targetDir: ShellWord | undefined;
  for (let k = 1; k < c.words.length; k++) {
    const w = c.words[k]!;
    if (w.text === "-t" || w.text === "--target-directory") targetDir = c.words[++k];
    else if (w.text.startsWith("--target-directory=")) targetDir = { ...w, text: w.text.slice("--target-directory=".length) };
    else if (COPIER_VALUES.has(w.text)) k++;
    else if (!isOption(w)) paths.push(w);
  }
  const sources = targetDir ? paths : paths.slice(0, -1);
  const dest = targetDir ?? paths.at(-1);
  if (!dest || !sources.length) return;
  const destPath = resolveIn(dir, dest, ctx.home);
  // Into a folder (named with -t, with a trailing slash, or one that exists): each source by its name.
  const intoFolder = Boolean(targetDir) || dest.text.endsWith("/") || sources.length > 1 || ctx.isFolder(destPath);
  for (const s of sources) {
    const file = intoFolder ? path.join(destPath, path.basename(s.text)) : destPath;
    if (!ctx.isJudged(file)) continue;
    const text = s.dynamic || dest.dynamic ? undefined : ctx.readProjectFile(resolveIn(dir, s, ctx.home));
    if (text === undefined) {
      if (ctx.mustSee(file)) out.unseen.push({ file, how: `${name === "ln" ? "links" : name === "mv" ? "moves" : "copies"} a file from outside the project, or one Bouncer cannot read, to it` });
    }
    else out.changes.push({ op: "write", file, content: text });
  }
}

/** Interpreters that take a script on the command line (`python -c`, `node -e`, `perl -e`, `ruby -e`). */
const INLINE_SCRIPT_RUNNERS = /^(?:python\d*(?:\.\d+)?|pypy3?|node|nodejs|bun|deno|perl|ruby|php)(?:\.exe)?$/i;
const INLINE_SCRIPT_FLAG = /^(?:-c|-e|-E|-p|-r|--eval|--print|eval)$/;
/** What a script writes files with. */
const WRITES = /write|append|open\s*\(|dump|save|>>?|sink|copy|rename/i;

/** The script of `python -c '…'`, `node -e '…'` and the like when it may write files; undefined otherwise. */
export function writingScriptOf(c: SimpleCommand): ShellWord | undefined {
  if (!INLINE_SCRIPT_RUNNERS.test(path.basename(c.argv[0] ?? ""))) return undefined;
  const flag = c.words.findIndex((w, k) => k > 0 && INLINE_SCRIPT_FLAG.test(w.text));
  const script = flag > 0 ? c.words[flag + 1] : undefined;
  return script && WRITES.test(script.text) ? script : undefined;
}

/**
 * `python -c '…'`, `node -e '…'` and the like: a script that names a dependency file or registry
 * configuration and writes files may change it, with a text not known here: refused with the way out.
 */
function inlineScript(c: SimpleCommand, dir: string, ctx: WriteContext, unseen: (file: string, how: string) => void): void {
  const script = writingScriptOf(c);
  if (!script) return;
  const seen = new Set<string>();
  for (const m of script.text.matchAll(/[\w~./@-]+/g)) {
    const file = resolveIn(dir, { text: m[0], line: script.line, dynamic: false }, ctx.home);
    if (seen.has(file) || !mayBeDependencyFile(file) || !ctx.isJudged(file)) continue;
    seen.add(file);
    unseen(file, `may write it with a ${path.basename(c.argv[0]!)} script`);
  }
}

/**
 * `git apply`, `git am`, `patch`: the files a patch changes, when the patch is known (a here-document,
 * or a project file named or redirected in); its result is not computed here, so a dependency file it
 * changes is refused with the way out (the edit tool). A patch read from a pipe is not known.
 */
function patches(c: SimpleCommand, dir: string, ctx: WriteContext, unseen: (file: string, how: string) => void): void {
  // Only a look at the patch (`git apply --check`, `--stat`, `patch --dry-run`) writes nothing.
  if (c.argv.some((w) => /^--(?:check|stat|numstat|summary|dry-run)$/.test(w)) && !c.argv.includes("--apply")) return;
  const named = c.argv[0] === "patch" ? undefined : c.words.slice(2).find((w) => !isOption(w));
  const text = named && !named.dynamic ? ctx.readProjectFile(resolveIn(dir, named, ctx.home)) : standardInput(c, dir, ctx);
  if (text === undefined) return;
  const how = `changes it with a patch (${c.argv[0] === "patch" ? "patch" : `git ${c.argv[1]}`})`;
  const seen = new Set<string>();
  for (const m of text.matchAll(/^(?:\+\+\+|---) (?:[ab]\/)?([^\s]+)/gm)) {
    if (m[1] === "/dev/null" || seen.has(m[1]!)) continue;
    seen.add(m[1]!);
    const file = path.resolve(dir, m[1]!);
    if (ctx.isJudged(file)) unseen(file, how);
  }
}

/** curl -o FILE / -O, wget -O FILE / the URL's own name: what a download writes is not known here. */
function downloads(c: SimpleCommand, dir: string, ctx: WriteContext, unseen: (file: string, how: string) => void): void {
  const name = path.basename(c.argv[0]!);
  const named: string[] = [];
  const urls: string[] = [];
  let remoteName = name === "wget";
  for (let k = 1; k < c.words.length; k++) {
    const w = c.words[k]!.text;
    if ((name === "curl" && (w === "-o" || w === "--output")) || (name === "wget" && (w === "-O" || w === "--output-document"))) {
      const next = c.words[++k]?.text;
      if (next) named.push(next);
      remoteName = false;
    } else if (name === "curl" && /^-o./.test(w)) named.push(w.slice(2));
    else if (w.startsWith("--output=") || w.startsWith("--output-document=")) named.push(w.slice(w.indexOf("=") + 1));
    else if (name === "curl" && (w === "-O" || w === "--remote-name")) remoteName = true;
    else if (/^https?:\/\//i.test(w)) urls.push(w);
  }
  const files = [...named, ...(remoteName ? urls.map((u) => u.replace(/[?#].*$/, "").split("/").pop() ?? "") : [])];
  for (const f of files) if (f && f !== "-" && ctx.isJudged(path.resolve(dir, f))) unseen(path.resolve(dir, f), `downloads it with ${name}`);
}
