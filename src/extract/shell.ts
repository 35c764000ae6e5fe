// A POSIX-ish shell tokenizer for finding install commands in scripts, docs and chat text.
// It never runs or expands anything: words holding $VAR, $( ), `...` are kept raw and marked dynamic.
// Every scan is linear or bounded, so hostile input costs time proportional to its length.
import { basename } from "../core/guards.ts";

export interface ShellWord {
  /** The word with quotes and escapes removed (expansions left as written). */
  text: string;
  /** 1-based line the word starts on. */
  line: number;
  /** Holds an expansion ($VAR, $( ), backticks): its value is unknown. */
  dynamic: boolean;
}

export interface SimpleCommand {
  argv: string[];
  words: ShellWord[];
  /** 1-based line the command starts on. */
  line: number;
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

function collect(text: string, options: ShellOptions, depth: number, out: SimpleCommand[]): void {
  for (const raw of tokenize(text, options)) {
    if (out.length >= MAX_COMMANDS) {
      options.onLimit?.(`more than ${MAX_COMMANDS} commands`, raw.words[0]?.line ?? options.startLine ?? 1);
      return;
    }
    unwrap(raw.words, raw.heredocs, options, depth, out);
  }
}

/** The tokenizer proper: quotes, escapes, continuations, comments, operators, redirections, heredocs. */
function tokenize(text: string, options: ShellOptions): RawCommand[] {
  const ps = options.dialect === "powershell";
  const escapeChar = ps ? "`" : "\\";
  const multiline = options.multilineQuotes !== false;
  const commands: RawCommand[] = [];
  let words: ShellWord[] = [];
  let heredocs: RawCommand["heredocs"] = [];
  let pendingHeredocs: Array<{ delimiter: string; stripTabs: boolean; owner: RawCommand["heredocs"] }> = [];
  let cur: string | null = null;
  let curLine = 0;
  let curDynamic = false;
  let dropNext = false; // the next word is a redirection target
  let wordsCut = false;
  let commandsCut = false;
  let line = options.startLine ?? 1;
  let atLineStart = true;
  // Ranges in which a closing delimiter is known to be missing, and the last "}" found: they keep
  // rescans linear on hostile input (an opener inside a failed range is taken literally).
  const noParen = { from: -1, until: -1 };
  const noDquote = { from: -1, until: -1 };
  let noBacktickAfter = Number.POSITIVE_INFINITY;
  const brace = { from: -1, at: -1 };
  const lineCache = { from: -1, end: -1 };
  const n = text.length;

  const append = (part: string) => {
    if (cur === null) {
      cur = "";
      curLine = line;
      curDynamic = false;
    }
    cur += part;
  };
  const endWord = () => {
    if (cur === null) return;
    if (dropNext) dropNext = false;
    else if (words.length < MAX_WORDS) words.push({ text: cur, line: curLine, dynamic: curDynamic });
    else if (words.length === MAX_WORDS && !wordsCut) {
      wordsCut = true;
      options.onLimit?.(`a command of more than ${MAX_WORDS} words`, words[0]!.line);
    }
    cur = null;
  };
  const endCommand = () => {
    endWord();
    dropNext = false;
    wordsCut = false;
    if (words.length && commands.length === MAX_COMMANDS && !commandsCut) {
      commandsCut = true;
      options.onLimit?.(`more than ${MAX_COMMANDS} commands`, words[0]!.line);
    }
    if (words.length && commands.length < MAX_COMMANDS) commands.push({ words, heredocs });
    words = [];
    heredocs = [];
  };
  const lineEnd = (from: number) => {
    if (from >= lineCache.from && from <= lineCache.end) return lineCache.end;
    const e = text.indexOf("\n", from);
    lineCache.from = from;
    lineCache.end = e < 0 ? n : e;
    return lineCache.end;
  };
  const knownMissing = (range: { from: number; until: number }, open: number) => open > range.from && open < range.until;
  const countLines = (from: number, to: number) => {
    let c = 0;
    for (let k = from; k < to; k++) if (text.charCodeAt(k) === 10) c++;
    return c;
  };
  /** Index of the ")" closing the "(" at `open`, or -1; skips quotes. */
  const matchParen = (open: number): number => {
    if (knownMissing(noParen, open)) return -1;
    let depth = 0;
    const limit = multiline ? n : lineEnd(open);
    for (let k = open; k < limit; k++) {
      const ch = text[k];
      if (ch === escapeChar) k++;
      else if (ch === "'" && !ps) {
        const q = text.indexOf("'", k + 1);
        if (q < 0 || q >= limit) break;
        k = q;
      } else if (ch === "(") depth++;
      else if (ch === ")" && --depth === 0) return k;
    }
    noParen.from = open;
    noParen.until = limit;
    return -1;
  };
  /** Index of the '"' closing the one at `open`, or -1. */
  const matchDquote = (open: number): number => {
    if (knownMissing(noDquote, open)) return -1;
    const limit = multiline ? n : lineEnd(open);
    for (let k = open + 1; k < limit; k++) {
      const ch = text[k];
      if (ch === escapeChar) k++;
      else if (ch === '"') return k;
    }
    noDquote.from = open;
    noDquote.until = limit;
    return -1;
  };
  /** Double-quoted content: escapes resolved, expansions kept raw and flagged. */
  const appendDquoted = (body: string) => {
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
    append(s);
    if (dynamic) curDynamic = true;
  };

  let i = 0;
  while (i < n) {
    if (atLineStart) {
      atLineStart = false;
      if (options.prompts && words.length === 0 && cur === null) {
        const end = lineEnd(i);
        const { rest } = stripPrompt(text.slice(i, end));
        i = end - rest.length;
        continue;
      }
    }
    const c = text[i]!;
    // Notebook magics (!pip, %pip) and `!cmd` at the start of a command.
    if (cur === null && words.length === 0 && (c === "!" || c === "%") && /[A-Za-z%]/.test(text[i + 1] ?? "")) {
      i += text[i + 1] === "%" ? 2 : 1;
      continue;
    }
    if (c === "\n") {
      endCommand();
      line++;
      i++;
      if (pendingHeredocs.length) i = readHeredocs(i);
      atLineStart = true;
      continue;
    }
    if (c === " " || c === "\t" || c === "\r" || c === "\f" || c === "\v") {
      endWord();
      i++;
      continue;
    }
    if (c === escapeChar) {
      const next = text[i + 1];
      if (next === "\n" || (next === "\r" && text[i + 2] === "\n")) {
        // Line continuation: the word (if any) goes on.
        i += next === "\n" ? 2 : 3;
        line++;
        continue;
      }
      if (next === undefined) {
        i++;
        continue;
      }
      append(next);
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close >= 0 && (multiline || close < lineEnd(i))) {
        append(text.slice(i + 1, close));
        line += countLines(i, close);
        i = close + 1;
        continue;
      }
    } else if (c === '"') {
      const close = matchDquote(i);
      if (close >= 0) {
        appendDquoted(text.slice(i + 1, close));
        line += countLines(i, close);
        i = close + 1;
        continue;
      }
    } else if (c === "`" && !ps) {
      const close = i > noBacktickAfter ? -1 : text.indexOf("`", i + 1);
      if (close >= 0 && (multiline || close < lineEnd(i))) {
        append(text.slice(i, close + 1));
        curDynamic = true;
        line += countLines(i, close);
        i = close + 1;
        continue;
      }
      if (close < 0) noBacktickAfter = i;
    } else if (c === "$") {
      const next = text[i + 1] ?? "";
      let end = -1;
      if (next === "(") end = matchParen(i + 1);
      else if (next === "{") {
        if (!(brace.from >= 0 && i + 2 >= brace.from && (brace.at < 0 || i + 2 <= brace.at))) {
          brace.from = i + 2;
          brace.at = text.indexOf("}", i + 2);
        }
        end = brace.at >= 0 && brace.at < lineEnd(i) ? brace.at : -1;
      } else if (/[A-Za-z_]/.test(next)) {
        end = i + 1;
        while (end + 1 < n && /[A-Za-z0-9_]/.test(text[end + 1]!)) end++;
        if (ps && text[end + 1] === ":") {
          // $env:NAME
          end++;
          while (end + 1 < n && /[A-Za-z0-9_]/.test(text[end + 1]!)) end++;
        }
      } else if (/[0-9@*#?!$-]/.test(next)) end = i + 1;
      else if (next === "'" && !ps) {
        // ANSI-C quoting $'...': contents taken literally (escapes are rare in install commands).
        const close = text.indexOf("'", i + 2);
        if (close >= 0 && (multiline || close < lineEnd(i))) {
          append(text.slice(i + 2, close));
          line += countLines(i, close);
          i = close + 1;
          continue;
        }
      }
      if (end >= 0) {
        append(text.slice(i, end + 1));
        curDynamic = true;
        line += countLines(i, end);
        i = end + 1;
        continue;
      }
    } else if (c === "#" && cur === null) {
      i = lineEnd(i);
      continue;
    } else if (c === ";" || c === "(" || c === ")") {
      endCommand();
      i++;
      continue;
    } else if (c === "&" || c === "|") {
      if (c === "&" && text[i + 1] === ">") {
        // &> file, &>> file
        endWord();
        dropNext = true;
        i += text[i + 2] === ">" ? 3 : 2;
        continue;
      }
      endCommand();
      i += text[i + 1] === c || (c === "|" && text[i + 1] === "&") ? 2 : 1;
      continue;
    } else if (c === "<" || c === ">") {
      if (text[i + 1] === "(") {
        // Process substitution <( ) / >( ): one opaque word.
        const close = matchParen(i + 1);
        if (close >= 0) {
          append(text.slice(i, close + 1));
          curDynamic = true;
          line += countLines(i, close);
          i = close + 1;
          continue;
        }
      }
      // A word of digits right before is a file descriptor (2>&1), not an argument.
      if (cur !== null && /^\d+$/.test(cur)) cur = null;
      else endWord();
      if (c === "<" && text[i + 1] === "<" && text[i + 2] !== "<") {
        i = readHeredocStart(i + 2);
        continue;
      }
      let k = i + 1;
      while (k < n && (text[k] === "<" || text[k] === ">" || text[k] === "&" || text[k] === "|")) k++;
      dropNext = true;
      i = k;
      continue;
    }
    append(c);
    i++;
  }
  endCommand();
  return commands;

  /** After "<<": reads the delimiter word and queues the body for the next newline. */
  function readHeredocStart(from: number): number {
    let k = from;
    let stripTabs = false;
    if (text[k] === "-") {
      stripTabs = true;
      k++;
    }
    while (text[k] === " " || text[k] === "\t") k++;
    const m = /^(?:'([^'\n]*)'|"([^"\n]*)"|\\?([A-Za-z0-9_.-]+))/.exec(text.slice(k, k + 200));
    if (!m) return k;
    pendingHeredocs.push({ delimiter: m[1] ?? m[2] ?? m[3] ?? "", stripTabs, owner: heredocs });
    return k + m[0].length;
  }

  /** At the start of the line after a heredoc operator: consumes the bodies, attaching them to their command. */
  function readHeredocs(from: number): number {
    let k = from;
    for (const h of pendingHeredocs) {
      const bodyStart = k;
      const bodyLine = line;
      let bodyEnd = n;
      while (k < n) {
        const e = lineEnd(k);
        let l = text.slice(k, e).replace(/\r$/, "");
        if (h.stripTabs) l = l.replace(/^\t+/, "");
        const next = Math.min(e + 1, n);
        if (l === h.delimiter) {
          bodyEnd = k;
          k = next;
          line++;
          break;
        }
        k = next;
        if (e < n) line++;
      }
      h.owner.push({ text: text.slice(bodyStart, bodyEnd), line: bodyLine });
    }
    pendingHeredocs = [];
    return k;
  }
}

// Commands that run the rest of their arguments as another command, with their options that take a value.
const WRAPPERS: Record<string, { values: string[]; skipPositional?: number }> = {
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
  xargs: { values: ["-I", "-n", "-P", "-d", "-L", "-a", "-E", "-s", "--max-args", "--max-procs", "--delimiter"] },
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
function unwrap(
  input: ShellWord[],
  heredocs: RawCommand["heredocs"],
  options: ShellOptions,
  depth: number,
  out: SimpleCommand[],
): void {
  let words = input;
  for (let guard = 0; guard < 32 && words.length; guard++) {
    const first = words[0]!.text;
    const name = basename(first);
    if (KEYWORDS.has(first) || /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(first)) {
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
        else if (name === "env" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) k++;
        else if (positionalsToSkip > 0) {
          positionalsToSkip--;
          k++;
        } else break;
      }
      words = words.slice(k);
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
      if (rest.length) collect(rest.map((w) => w.text).join(" "), { ...options, startLine: rest[0]!.line, prompts: false }, depth + 1, out);
      return;
    }
    if ((SHELLS.has(name) || PS_SHELLS.has(name) || /^cmd(\.exe)?$/i.test(name) || name === "su") && depth < MAX_DEPTH) {
      const script = shellScript(name, words);
      if (script) {
        const dialect = PS_SHELLS.has(name) || /^cmd/i.test(name) ? "powershell" : "posix";
        collect(script.text, { ...options, startLine: script.line, prompts: false, dialect, multilineQuotes: true }, depth + 1, out);
        return;
      }
      if (SHELLS.has(name) && !words.slice(1).some((w) => !w.text.startsWith("-"))) {
        for (const h of heredocs) collect(h.text, { ...options, startLine: h.line, prompts: false, multilineQuotes: true }, depth + 1, out);
        return;
      }
    }
    break;
  }
  if (words.length) out.push({ argv: words.map((w) => w.text), words, line: words[0]!.line });
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
