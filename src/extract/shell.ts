// A POSIX-ish shell tokenizer for finding install commands in scripts, docs and chat text.
// It never runs or expands anything: words holding $VAR, $( ), `...` are kept raw and marked dynamic.
// Every scan is linear or bounded, so hostile input costs time proportional to its length.
import { basename } from "../core/guards.ts";
import { echoOutput, printfOutput } from "./printed.ts";

export interface ShellWord {
  /** The word with quotes and escapes removed (expansions left as written). */
  text: string;
  /** 1-based line the word starts on. */
  line: number;
  /** Holds an expansion ($VAR, $( ), backticks): its value is unknown. */
  dynamic: boolean;
}

/** A redirection of one command: `>`, `>>`, `>|`, `&>`, `&>>`, `<`, `<<<` (a here-string) and the like. */
export interface Redirect {
  /** The operator as written, without a file descriptor number. */
  op: string;
  /** The descriptor number written before it (`2>`), if any. */
  fd?: number;
  target: ShellWord;
}

export interface SimpleCommand {
  argv: string[];
  words: ShellWord[];
  /** 1-based line the command starts on. */
  line: number;
  /** Its redirections, when it has any (what a command writes to files: see doors/hooks/shell-writes.ts). */
  redirects?: Redirect[];
  /** The text its standard input gets from a here-document or here-string, when it has one. */
  input?: string;
  /** Variables set for it alone (`VAR=1 cmd`, `env VAR=1 cmd`, and those of an enclosing `VAR=1 bash -c '…'`), as written. */
  assignments?: string[];
}

export interface ShellOptions {
  /** Line number of the text's first line (default 1). */
  startLine?: number;
  /** Strip interactive prompts ("$ ", "PS C:\>", "(venv) user@host:~$ ") at line starts. */
  prompts?: boolean;
  /** "powershell": backtick escapes, backslash is literal (also used for cmd.exe). */
  dialect?: "posix" | "powershell";
  /** Quotes may span lines (real scripts); false keeps an unmatched quote in prose from eating later lines. */
  multilineQuotes?: boolean;
  /** Told when a size limit cuts the text short (what was cut, and the line), so it is reported, not skipped. */
  onLimit?: (what: string, line: number) => void;
}

const MAX_DEPTH = 4;
const MAX_COMMANDS = 50_000;
const MAX_WORDS = 5_000;

interface RawCommand {
  words: ShellWord[];
  /** Bodies of here-documents attached to this command (their text and first line). */
  heredocs: Array<{ text: string; line: number }>;
  redirects: Redirect[];
  /** The command whose output this one reads (`a | b`: b's is a). */
  pipedFrom?: RawCommand;
}

const PROMPT_PATTERNS: RegExp[] = [
  /^In \[\d*\]:\s?/, // IPython / Jupyter
  /^PS(?: [^>\n]*)?>\s?/, // PowerShell
  /^[A-Za-z]:\\[^>\n]*>\s?/, // cmd.exe
  /^[\w.-]+@[\w.-]+(?::[^\s$#%>]*)?\s?[$#%>]\s/, // user@host:~/dir$
  /^[^\s$#%>'"`]*\$\s/, // ~/project$ , $
  /^\$$/,
  /^[%>❯λ»](?:\s|$)/,
  /^➜\s+\S*\s*(?:git:\([^)]*\)\s*)?(?:✗\s*)?/,
];

/**
 * Removes one interactive prompt from the start of a line, with an optional "(venv) " in front.
 * Returns the rest and whether a prompt was there.
 */
export function stripPrompt(line: string): { rest: string; prompted: boolean } {
  let s = line.replace(/^[ \t]+/, "");
  const env = /^\((?:[\w.@/-]{1,64})\)\s+/.exec(s);
  let prompted = false;
  if (env) s = s.slice(env[0].length);
  for (const re of PROMPT_PATTERNS) {
    const m = re.exec(s);
    if (m) {
      s = s.slice(m[0].length);
      prompted = true;
      break;
    }
  }
  // Notebook shell escapes and magics: !pip, %pip, %%bash.
  const magic = /^(?:!|%{1,2})(?=[A-Za-z])/.exec(s);
  if (magic) {
    s = s.slice(magic[0].length);
    prompted = true;
  }
  if (!prompted && env) return { rest: line, prompted: false };
  return { rest: s, prompted };
}

/** Splits shell text into simple commands, with prefixes (sudo, env, VAR=1, time...) removed. */
export function splitShellCommands(text: string, options: ShellOptions = {}): SimpleCommand[] {
  const out: SimpleCommand[] = [];
  collect(text, options, 0, out);
  return out;
}

function collect(text: string, options: ShellOptions, depth: number, out: SimpleCommand[], inherited: readonly string[] = []): void {
  for (const raw of tokenize(text, options)) {
    if (out.length >= MAX_COMMANDS) {
      options.onLimit?.(`more than ${MAX_COMMANDS} commands`, raw.words[0]?.line ?? options.startLine ?? 1);
      return;
    }
    unwrap(raw, options, depth, out, inherited);
  }
}

/** The tokenizer proper: quotes, escapes, continuations, comments, operators, redirections, heredocs. */
function tokenize(text: string, options: ShellOptions): RawCommand[] {
  return new ShellLexer(text, options).run();
}

interface PendingHeredoc {
  delimiter: string;
  stripTabs: boolean;
  owner: RawCommand["heredocs"];
}

/** One pass over shell text: each construct has its method, which consumes it and says whether it did. */
class ShellLexer {
  private readonly text: string;
  private readonly n: number;
  private readonly options: ShellOptions;
  private readonly ps: boolean;
  private readonly escapeChar: string;
  private readonly multiline: boolean;
  private readonly commands: RawCommand[] = [];
  private words: ShellWord[] = [];
  private heredocs: RawCommand["heredocs"] = [];
  private pendingHeredocs: PendingHeredoc[] = [];
  /** The word being read (null between words), its line, and whether it holds an expansion. */
  private cur: string | null = null;
  private curLine = 0;
  private curDynamic = false;
  /** The next word is a redirection target: of this operator (and descriptor). */
  private dropNext = false;
  private pendingRedirect: { op: string; fd?: number } | null = null;
  private redirects: Redirect[] = [];
  private wordsCut = false;
  private commandsCut = false;
  /** The command a `|` just ended: the next one reads its output. */
  private pipeFrom: RawCommand | null = null;
  private i = 0;
  private line: number;
  private atLineStart = true;
  // Ranges in which a closing delimiter is known to be missing, and the last "}" found: they keep
  // rescans linear on hostile input (an opener inside a failed range is taken literally).
  private readonly noParen = { from: -1, until: -1 };
  private readonly noDquote = { from: -1, until: -1 };
  private noBacktickAfter = Number.POSITIVE_INFINITY;
  private readonly brace = { from: -1, at: -1 };
  private readonly lineCache = { from: -1, end: -1 };

  constructor(text: string, options: ShellOptions) {
    this.text = text;
    this.n = text.length;
    this.options = options;
    this.ps = options.dialect === "powershell";
    this.escapeChar = this.ps ? "`" : "\\";
    this.multiline = options.multilineQuotes !== false;
    this.line = options.startLine ?? 1;
  }

  run(): RawCommand[] {
    while (this.i < this.n) {
      if (this.atLineStart) {
        this.atLineStart = false;
        if (this.prompt()) continue;
      }
      const c = this.text[this.i]!;
      if (this.magic(c) || this.newline(c) || this.blank(c) || this.escape(c) || this.quoted(c) || this.operator(c)) continue;
      this.append(c);
      this.i++;
    }
    this.endCommand();
    return this.commands;
  }

  // ---- constructs ----

  /** An interactive prompt at the start of a line (when asked for). */
  private prompt(): boolean {
    if (!this.options.prompts || this.words.length !== 0 || this.cur !== null) return false;
    const end = this.lineEnd(this.i);
    const { rest } = stripPrompt(this.text.slice(this.i, end));
    this.i = end - rest.length;
    return true;
  }

  /** Notebook magics (!pip, %pip) and `!cmd` at the start of a command. */
  private magic(c: string): boolean {
    if (this.cur !== null || this.words.length !== 0 || (c !== "!" && c !== "%") || !/[A-Za-z%]/.test(this.text[this.i + 1] ?? "")) return false;
    this.i += this.text[this.i + 1] === "%" ? 2 : 1;
    return true;
  }

  /** A line break ends the command; here-document bodies start on the next line. */
  private newline(c: string): boolean {
    if (c !== "\n") return false;
    this.endCommand();
    this.line++;
    this.i++;
    if (this.pendingHeredocs.length) this.i = this.readHeredocs(this.i);
    this.atLineStart = true;
    return true;
  }

  private blank(c: string): boolean {
    if (c !== " " && c !== "\t" && c !== "\r" && c !== "\f" && c !== "\v") return false;
    this.endWord();
    this.i++;
    return true;
  }

  /** An escaped character, or a line continuation (the word, if any, goes on). */
  private escape(c: string): boolean {
    if (c !== this.escapeChar) return false;
    const next = this.text[this.i + 1];
    if (next === "\n" || (next === "\r" && this.text[this.i + 2] === "\n")) {
      this.i += next === "\n" ? 2 : 3;
      this.line++;
    } else if (next === undefined) {
      this.i++;
    } else {
      this.append(next);
      this.i += 2;
    }
    return true;
  }

  /** Quotes and expansions; an opener without its closer is not one (the caller takes it literally). */
  private quoted(c: string): boolean {
    if (c === "'") return this.singleQuoted();
    if (c === '"') return this.doubleQuoted();
    if (c === "`" && !this.ps) return this.backticks();
    if (c === "$") return this.dollar();
    return false;
  }

  private singleQuoted(): boolean {
    const close = this.text.indexOf("'", this.i + 1);
    if (close < 0 || !(this.multiline || close < this.lineEnd(this.i))) return false;
    this.append(this.text.slice(this.i + 1, close));
    this.skipTo(close);
    return true;
  }

  private doubleQuoted(): boolean {
    const close = this.matchDquote(this.i);
    if (close < 0) return false;
    this.appendDquoted(this.text.slice(this.i + 1, close));
    this.skipTo(close);
    return true;
  }

  private backticks(): boolean {
    const close = this.i > this.noBacktickAfter ? -1 : this.text.indexOf("`", this.i + 1);
    if (close >= 0 && (this.multiline || close < this.lineEnd(this.i))) {
      this.appendDynamic(close);
      return true;
    }
    if (close < 0) this.noBacktickAfter = this.i;
    return false;
  }

  /** $NAME, ${...}, $(...), $1 $@ $? ..., PowerShell's $env:NAME, and $'...' (ANSI-C quoting). */
  private dollar(): boolean {
    const { text, i } = this;
    const next = text[i + 1] ?? "";
    let end = -1;
    if (next === "(") end = this.matchParen(i + 1);
    else if (next === "{") end = this.closingBrace(i);
    else if (/[A-Za-z_]/.test(next)) end = this.variableEnd(i);
    else if (/[0-9@*#?!$-]/.test(next)) end = i + 1;
    else if (next === "'" && !this.ps) {
      // Contents taken literally (escapes are rare in install commands).
      const close = text.indexOf("'", i + 2);
      if (close < 0 || !(this.multiline || close < this.lineEnd(i))) return false;
      this.append(text.slice(i + 2, close));
      this.skipTo(close);
      return true;
    }
    if (end < 0) return false;
    this.appendDynamic(end);
    return true;
  }

  /** Comments, command separators, pipes and lists, redirections and here-documents. */
  private operator(c: string): boolean {
    if (c === "#" && this.cur === null) {
      this.i = this.lineEnd(this.i);
      return true;
    }
    if (c === ";" || c === "(" || c === ")") {
      this.endCommand();
      this.i++;
      return true;
    }
    if (c === "&" || c === "|") return this.andOr(c);
    if (c === "<" || c === ">") return this.redirection(c);
    return false;
  }

  private andOr(c: string): boolean {
    const { text, i } = this;
    if (c === "&" && text[i + 1] === ">") {
      // &> file, &>> file
      this.endWord();
      this.dropNext = true;
      this.pendingRedirect = { op: text[i + 2] === ">" ? "&>>" : "&>" };
      this.i += text[i + 2] === ">" ? 3 : 2;
      return true;
    }
    const pipe = c === "|" && text[i + 1] !== "|";
    const before = this.commands.length;
    this.endCommand();
    this.pipeFrom = pipe && this.commands.length > before ? this.commands.at(-1)! : null;
    this.i += text[i + 1] === c || (c === "|" && text[i + 1] === "&") ? 2 : 1;
    return true;
  }

  private redirection(c: string): boolean {
    const { text, i } = this;
    if (text[i + 1] === "(") {
      // Process substitution <( ) / >( ): one opaque word.
      const close = this.matchParen(i + 1);
      if (close >= 0) {
        this.appendDynamic(close);
        return true;
      }
    }
    // A word of digits right before is a file descriptor (2>&1), not an argument.
    let fd: number | undefined;
    if (this.cur !== null && /^\d{1,4}$/.test(this.cur)) {
      fd = Number(this.cur);
      this.cur = null;
    } else this.endWord();
    if (c === "<" && text[i + 1] === "<" && text[i + 2] !== "<") {
      this.i = this.readHeredocStart(i + 2);
      return true;
    }
    let k = i + 1;
    while (k < this.n && (text[k] === "<" || text[k] === ">" || text[k] === "&" || text[k] === "|")) k++;
    this.dropNext = true;
    this.pendingRedirect = fd === undefined ? { op: text.slice(i, k) } : { op: text.slice(i, k), fd };
    this.i = k;
    return true;
  }

  /** After "<<": reads the delimiter word and queues the body for the next newline. */
  private readHeredocStart(from: number): number {
    const text = this.text;
    let k = from;
    let stripTabs = false;
    if (text[k] === "-") {
      stripTabs = true;
      k++;
    }
    while (text[k] === " " || text[k] === "\t") k++;
    const m = /^(?:'([^'\n]*)'|"([^"\n]*)"|\\?([A-Za-z0-9_.-]+))/.exec(text.slice(k, k + 200));
    if (!m) return k;
    this.pendingHeredocs.push({ delimiter: m[1] ?? m[2] ?? m[3] ?? "", stripTabs, owner: this.heredocs });
    return k + m[0].length;
  }

  /** At the start of the line after a heredoc operator: consumes the bodies, attaching them to their command. */
  private readHeredocs(from: number): number {
    let k = from;
    for (const h of this.pendingHeredocs) k = this.readHeredoc(h, k);
    this.pendingHeredocs = [];
    return k;
  }

  private readHeredoc(h: PendingHeredoc, from: number): number {
    const { text, n } = this;
    let k = from;
    const bodyLine = this.line;
    let bodyEnd = n;
    while (k < n) {
      const e = this.lineEnd(k);
      let l = text.slice(k, e).replace(/\r$/, "");
      if (h.stripTabs) l = l.replace(/^\t+/, "");
      const next = Math.min(e + 1, n);
      if (l === h.delimiter) {
        bodyEnd = k;
        k = next;
        this.line++;
        break;
      }
      k = next;
      if (e < n) this.line++;
    }
    h.owner.push({ text: text.slice(from, bodyEnd), line: bodyLine });
    return k;
  }

  // ---- words and commands ----

  private append(part: string): void {
    if (this.cur === null) {
      this.cur = "";
      this.curLine = this.line;
      this.curDynamic = false;
    }
    this.cur += part;
  }

  /** The text from here to `end` (inclusive) as an expansion, kept as written. */
  private appendDynamic(end: number): void {
    this.append(this.text.slice(this.i, end + 1));
    this.curDynamic = true;
    this.skipTo(end);
  }

  /** Moves past `end`, counting the line breaks on the way. */
  private skipTo(end: number): void {
    this.line += this.countLines(this.i, end);
    this.i = end + 1;
  }

  /** Double-quoted content: escapes resolved, expansions kept raw and flagged. */
  private appendDquoted(body: string): void {
    const { escapeChar, ps } = this;
    let s = "";
    let dynamic = false;
    for (let k = 0; k < body.length; k++) {
      const ch = body[k]!;
      if (ch === escapeChar && k + 1 < body.length) {
        const next = body[k + 1]!;
        if (ps) s += next === "n" ? "\n" : next;
        else if (next === "\n") {
          /* continuation inside quotes */
        } else if ('$`"\\'.includes(next)) s += next;
        else s += ch + next;
        k++;
      } else {
        if ((ch === "$" && /[A-Za-z_{(0-9@*#?!$-]/.test(body[k + 1] ?? "")) || (ch === "`" && !ps)) dynamic = true;
        s += ch;
      }
    }
    this.append(s);
    if (dynamic) this.curDynamic = true;
  }

  private endWord(): void {
    if (this.cur === null) return;
    if (this.dropNext) {
      this.dropNext = false;
      if (this.pendingRedirect) this.redirects.push({ ...this.pendingRedirect, target: { text: this.cur, line: this.curLine, dynamic: this.curDynamic } });
      this.pendingRedirect = null;
    } else if (this.words.length < MAX_WORDS) this.words.push({ text: this.cur, line: this.curLine, dynamic: this.curDynamic });
    else if (this.words.length === MAX_WORDS && !this.wordsCut) {
      this.wordsCut = true;
      this.options.onLimit?.(`a command of more than ${MAX_WORDS} words`, this.words[0]!.line);
    }
    this.cur = null;
  }

  private endCommand(): void {
    this.endWord();
    this.dropNext = false;
    this.pendingRedirect = null;
    this.wordsCut = false;
    const { words, commands } = this;
    if (words.length && commands.length === MAX_COMMANDS && !this.commandsCut) {
      this.commandsCut = true;
      this.options.onLimit?.(`more than ${MAX_COMMANDS} commands`, words[0]!.line);
    }
    if (words.length && commands.length < MAX_COMMANDS) {
      const command: RawCommand = { words, heredocs: this.heredocs, redirects: this.redirects };
      if (this.pipeFrom) command.pipedFrom = this.pipeFrom;
      commands.push(command);
    }
    this.pipeFrom = null;
    this.words = [];
    this.heredocs = [];
    this.redirects = [];
  }

  // ---- scanning ahead (bounded: each failed search is remembered) ----

  private lineEnd(from: number): number {
    const cache = this.lineCache;
    if (from >= cache.from && from <= cache.end) return cache.end;
    const e = this.text.indexOf("\n", from);
    cache.from = from;
    cache.end = e < 0 ? this.n : e;
    return cache.end;
  }

  private countLines(from: number, to: number): number {
    let c = 0;
    for (let k = from; k < to; k++) if (this.text.charCodeAt(k) === 10) c++;
    return c;
  }

  /** Index of the ")" closing the "(" at `open`, or -1; skips quotes. */
  private matchParen(open: number): number {
    const { text, noParen } = this;
    if (knownMissing(noParen, open)) return -1;
    let depth = 0;
    const limit = this.multiline ? this.n : this.lineEnd(open);
    for (let k = open; k < limit; k++) {
      const ch = text[k];
      if (ch === this.escapeChar) k++;
      else if (ch === "'" && !this.ps) {
        const q = text.indexOf("'", k + 1);
        if (q < 0 || q >= limit) break;
        k = q;
      } else if (ch === "(") depth++;
      else if (ch === ")" && --depth === 0) return k;
    }
    noParen.from = open;
    noParen.until = limit;
    return -1;
  }

  /** Index of the '"' closing the one at `open`, or -1. */
  private matchDquote(open: number): number {
    const { text, noDquote } = this;
    if (knownMissing(noDquote, open)) return -1;
    const limit = this.multiline ? this.n : this.lineEnd(open);
    for (let k = open + 1; k < limit; k++) {
      const ch = text[k];
      if (ch === this.escapeChar) k++;
      else if (ch === '"') return k;
    }
    noDquote.from = open;
    noDquote.until = limit;
    return -1;
  }

  /** The "}" closing "${" at `dollar` on its line, or -1 (one search serves every "${" before that "}"). */
  private closingBrace(dollar: number): number {
    const brace = this.brace;
    if (!(brace.from >= 0 && dollar + 2 >= brace.from && (brace.at < 0 || dollar + 2 <= brace.at))) {
      brace.from = dollar + 2;
      brace.at = this.text.indexOf("}", dollar + 2);
    }
    return brace.at >= 0 && brace.at < this.lineEnd(dollar) ? brace.at : -1;
  }

  /** The last character of $NAME (or PowerShell's $env:NAME) starting at `dollar`. */
  private variableEnd(dollar: number): number {
    const text = this.text;
    let end = dollar + 1;
    while (end + 1 < this.n && /[A-Za-z0-9_]/.test(text[end + 1]!)) end++;
    if (this.ps && text[end + 1] === ":") {
      end++;
      while (end + 1 < this.n && /[A-Za-z0-9_]/.test(text[end + 1]!)) end++;
    }
    return end;
  }
}

function knownMissing(range: { from: number; until: number }, open: number): boolean {
  return open > range.from && open < range.until;
}

// Commands that run the rest of their arguments as another command, with their options that take a value.
// `operandsAtRunTime`: it adds operands it reads from its input (xargs, parallel's `:::`).
const WRAPPERS: Record<string, { values: string[]; skipPositional?: number; operandsAtRunTime?: boolean }> = {
  sudo: { values: ["-u", "-g", "-p", "-C", "-D", "-r", "-t", "-U", "-T", "-h", "--user", "--group", "--prompt"] },
  doas: { values: ["-u", "-C"] },
  env: { values: ["-u", "-C", "--unset", "--chdir"] },
  time: { values: ["-f", "-o", "--format", "--output"] },
  nohup: { values: [] },
  exec: { values: ["-a"] },
  command: { values: [] },
  builtin: { values: [] },
  nice: { values: ["-n", "--adjustment"] },
  ionice: { values: ["-c", "-n", "-p"] },
  timeout: { values: ["-s", "-k", "--signal", "--kill-after"], skipPositional: 1 },
  stdbuf: { values: ["-i", "-o", "-e"] },
  chronic: { values: [] },
  unbuffer: { values: [] },
  winpty: { values: [] },
  xargs: { values: ["-I", "-i", "-n", "-P", "-d", "-L", "-a", "-E", "-s", "--max-args", "--max-procs", "--delimiter", "--replace", "--arg-file"], operandsAtRunTime: true },
  parallel: { values: ["-j", "--jobs", "-S", "--sshlogin", "--delay", "--timeout", "-I"], operandsAtRunTime: true },
  watch: { values: ["-n", "--interval", "-d", "--differences"] },
  setsid: { values: [] },
  flock: { values: ["-w", "--timeout", "-E", "--conflict-exit-code"], skipPositional: 1 },
  runuser: { values: ["-u", "-g", "-G", "--user", "--group"] },
  call: { values: [] },
};
// Project runners: `poetry run pip install x` installs like `pip install x`.
const RUNNERS: Record<string, { values: string[] }> = {
  poetry: { values: ["-C", "--directory", "-P", "--project"] },
  pipenv: { values: [] },
  pdm: { values: ["-p", "--project"] },
  conda: { values: ["-n", "--name", "-p", "--prefix", "--cwd"] },
  mamba: { values: ["-n", "--name", "-p", "--prefix", "--cwd"] },
  micromamba: { values: ["-n", "--name", "-p", "--prefix", "--cwd"] },
  hatch: { values: [] },
  rye: { values: [] },
};
const SHELLS = new Set(["sh", "bash", "zsh", "dash", "ksh", "ash", "fish", "busybox"]);
const PS_SHELLS = new Set(["pwsh", "powershell", "pwsh.exe", "powershell.exe"]);
const KEYWORDS = new Set(["if", "then", "else", "elif", "do", "while", "until", "!", "{", "}"]);

/** Strips prefixes and recurses into `bash -c`, `eval` and shell heredocs, pushing the real commands. */
function unwrap(raw: RawCommand, options: ShellOptions, depth: number, out: SimpleCommand[], inherited: readonly string[]): void {
  const { heredocs, redirects } = raw;
  let words = raw.words;
  const assigned = [...inherited];
  // Set by a wrapper that adds operands only known when it runs (xargs): the command gets one more, dynamic.
  let runtimeOperand = false;
  // A script run by a shell or eval whose output goes to a file: the file gets what the script prints,
  // which is not known here; the wrapper stays, with its redirections, for readers of writes.
  const keepWrapper = () => {
    if (redirects.some((r) => r.op.includes(">"))) out.push(simple(raw.words.slice(0, 1), raw));
  };
  for (let guard = 0; guard < 32 && words.length; guard++) {
    const first = words[0]!.text;
    const name = basename(first);
    if (KEYWORDS.has(first) || /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(first)) {
      if (!KEYWORDS.has(first)) assigned.push(first);
      words = words.slice(1);
      continue;
    }
    const wrapper = Object.hasOwn(WRAPPERS, name) ? WRAPPERS[name] : undefined;
    if (wrapper) {
      let k = 1;
      let positionalsToSkip = wrapper.skipPositional ?? 0;
      while (k < words.length) {
        const w = words[k]!.text;
        if (w === "--") {
          k++;
          break;
        }
        if (wrapper.values.includes(w)) k += 2;
        else if (w.startsWith("-") && w.length > 1) k++;
        // env takes any NAME=VALUE before the command (npm_config_@corp:registry=… included).
        else if (name === "env" && /^[^=-][^=]*=/.test(w)) {
          assigned.push(w);
          k++;
        }
        else if (positionalsToSkip > 0) {
          positionalsToSkip--;
          k++;
        } else break;
      }
      words = words.slice(k);
      if (wrapper.operandsAtRunTime) {
        runtimeOperand = true;
        // parallel's arguments after ::: fill the command's placeholders.
        const args = words.findIndex((w) => w.text === ":::" || w.text === "::::");
        if (args >= 0) words = words.slice(0, args);
      }
      continue;
    }
    // `find … -exec CMD … {} ;` runs CMD with the paths it finds.
    if (name === "find") {
      const exec = words.findIndex((w) => /^-(?:exec|execdir|ok|okdir)$/.test(w.text));
      if (exec < 0) break;
      const end = words.findIndex((w, k) => k > exec && (w.text === ";" || w.text === "+"));
      words = words.slice(exec + 1, end < 0 ? undefined : end).map((w) => (w.text === "{}" ? { ...w, dynamic: true } : w));
      continue;
    }
    const runner = Object.hasOwn(RUNNERS, name) ? RUNNERS[name] : undefined;
    if (runner && words[1]?.text === "run") {
      let k = 2;
      while (k < words.length && words[k]!.text.startsWith("-")) {
        k += runner.values.includes(words[k]!.text) ? 2 : 1;
      }
      words = words.slice(k);
      continue;
    }
    if (name === "eval" && depth < MAX_DEPTH) {
      const rest = words.slice(1);
      if (rest.length) collect(rest.map((w) => w.text).join(" "), { ...options, startLine: rest[0]!.line, prompts: false }, depth + 1, out, assigned);
      keepWrapper();
      return;
    }
    const shell = SHELLS.has(name) || PS_SHELLS.has(name) || /^cmd(\.exe)?$/i.test(name) || name === "su";
    if ((shell || name === "eval") && depth >= MAX_DEPTH) options.onLimit?.(`shells nested more than ${MAX_DEPTH} deep`, words[0]!.line);
    if (shell && depth < MAX_DEPTH) {
      const script = shellScript(name, words);
      if (script) {
        const dialect = PS_SHELLS.has(name) || /^cmd/i.test(name) ? "powershell" : "posix";
        collect(script.text, { ...options, startLine: script.line, prompts: false, dialect, multilineQuotes: true }, depth + 1, out, assigned);
        keepWrapper();
        return;
      }
      if (SHELLS.has(name) && !words.slice(1).some((w) => !w.text.startsWith("-"))) {
        // The script is its standard input: a here-document, or what `echo …` / `printf …` pipes in.
        const piped = raw.pipedFrom && printedText(raw.pipedFrom);
        const scripts = [...heredocs, ...(piped ? [{ text: piped, line: words[0]!.line }] : [])];
        for (const h of scripts) collect(h.text, { ...options, startLine: h.line, prompts: false, multilineQuotes: true }, depth + 1, out, assigned);
        keepWrapper();
        return;
      }
    }
    // `source <(echo …)`, `bash <(echo …)`: the script is what the substituted command prints.
    if ((name === "source" || name === "." || SHELLS.has(name)) && depth < MAX_DEPTH) {
      const substituted = words.slice(1).find((w) => w.text.startsWith("<(") && w.text.endsWith(")"));
      if (substituted) {
        const inner = splitShellCommands(substituted.text.slice(2, -1), { ...options, prompts: false });
        const text = inner.length === 1 ? printedText({ words: inner[0]!.words, heredocs: [], redirects: [] }) : undefined;
        // Another program's output is a script not read here, as `curl … | sh` is not.
        if (text !== undefined) collect(text, { ...options, startLine: substituted.line, prompts: false, multilineQuotes: true }, depth + 1, out, assigned);
        return;
      }
    }
    break;
  }
  if (runtimeOperand && words.length) words = [...words, { text: "{}", line: words[0]!.line, dynamic: true }];
  if (words.length) out.push(simple(words, raw, assigned));
}

/** The most text a printf repeating its format over arguments is taken to print as a script. */
const MAX_SCRIPT_CHARS = 1024 * 1024;

/** What `echo …` or `printf FORMAT …` with static words prints; undefined for anything else. */
function printedText(raw: RawCommand): string | undefined {
  const [head, ...rest] = raw.words;
  if (!head || rest.some((w) => w.dynamic)) return undefined;
  const name = basename(head.text);
  const args = rest.map((w) => w.text);
  if (name === "echo") return echoOutput(args, false);
  return name === "printf" && args.length && !args[0]!.startsWith("-") ? printfOutput(args[0]!, args.slice(1), MAX_SCRIPT_CHARS) : undefined;
}

/** The command of `words`, with the redirections, the input and the assignments of the raw command they came from. */
function simple(words: ShellWord[], raw: RawCommand, assigned: readonly string[] = []): SimpleCommand {
  const command: SimpleCommand = { argv: words.map((w) => w.text), words, line: words[0]!.line };
  if (assigned.length) command.assignments = [...assigned];
  if (raw.redirects.length) command.redirects = raw.redirects;
  // A here-document, else a here-string, is what standard input reads (both at once: rare, and either is judged).
  const hereString = raw.redirects.findLast((r) => r.op === "<<<");
  const heredoc = raw.heredocs.at(-1);
  if (heredoc) command.input = heredoc.text;
  else if (hereString) command.input = `${hereString.target.text}\n`;
  return command;
}

/** The command string of `bash -c "..."`, `sh -ec '...'`, `su -c "..."`, `pwsh -Command "..."`, `cmd /c ...`. */
function shellScript(name: string, words: ShellWord[]): ShellWord | null {
  if (/^cmd(\.exe)?$/i.test(name)) {
    const k = words.findIndex((w) => /^\/[ck]$/i.test(w.text));
    if (k < 0 || k + 1 >= words.length) return null;
    const rest = words.slice(k + 1);
    return { text: rest.map((w) => w.text).join(" "), line: rest[0]!.line, dynamic: false };
  }
  for (let k = 1; k < words.length; k++) {
    const w = words[k]!.text;
    const isCommandFlag = PS_SHELLS.has(name)
      ? /^-(c|command)$/i.test(w)
      : /^-[A-Za-z]*c[A-Za-z]*$/.test(w) || w === "--command";
    if (isCommandFlag) {
      const script = words[k + 1];
      return script ?? null;
    }
    if (!w.startsWith("-") && name !== "su") return null;
  }
  return null;
}
