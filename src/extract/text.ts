// Install commands (and code imports) in free text: Markdown and agent instruction files, chat
// transcripts, shell scripts, Dockerfiles, CI YAML and Makefiles. Each dependency points at its line.
import type { LineCounter, Node as YamlNode } from "yaml";
import type { ExtractContext, ExtractResult, Extractor } from "../core/dependency.ts";
import { INSTALLER_NAMES, INSTALLER_WORDS } from "../ecosystems/installers.ts";
import { CONDA_TOOLS } from "./commands.ts";
import { parseJson } from "../formats/json.ts";
import { yamlLibrary } from "../formats/yaml.ts";
import { addCommands, addShell, safely, type Sink } from "./install-text.ts";
import { extractJsImports } from "./js-imports.ts";
import { extractPythonImports } from "./python-imports.ts";
import { type ShellOptions, stripPrompt } from "./shell.ts";

// Markdown, scripts, Dockerfiles and Makefiles are read line by line in linear time, whatever their
// size (reads are capped by the scan); a YAML document is parsed whole, so it has a limit of its own.
const MAX_YAML_TEXT = 4 * 1024 * 1024;

function tooLarge(sink: Sink, text: string): boolean {
  if (text.length <= MAX_YAML_TEXT) return false;
  sink.problems.push({ file: sink.file, reason: `YAML larger than ${MAX_YAML_TEXT / 1024 / 1024} MiB; not read` });
  return true;
}

// ---- Markdown and chat text ----

type BlockKind = "shell" | "console" | "powershell" | "python" | "js" | "docker" | "make" | "yaml" | "other";

function blockKind(info: string): BlockKind {
  // "bash title=x", "{code-block} bash", "sh{1,3}", "shell:install.sh", "python3"
  const words = info.replace(/^\{[^}]*\}\s*/, "").trim().split(/\s+/);
  const lang = (words[0] ?? "").replace(/[{:,[].*$/, "").toLowerCase();
  if (["", "bash", "sh", "shell", "zsh", "fish", "ksh", "text", "txt", "plaintext", "plain", "cli", "command", "commandline", "none", "nohighlight", "terminal-command"].includes(lang)) return "shell";
  if (["console", "shell-session", "shellsession", "sh-session", "bash-session", "terminal", "session", "term"].includes(lang)) return "console";
  if (["powershell", "ps1", "pwsh", "ps", "posh", "cmd", "bat", "batch", "doscon", "ps1con", "pwsh-session"].includes(lang)) return "powershell";
  if (["python", "py", "python3", "py3", "ipython", "ipython3", "jupyter", "pycon", "sage"].includes(lang)) return "python";
  if (["js", "javascript", "jsx", "ts", "typescript", "tsx", "mjs", "cjs", "node", "es6", "mts", "cts"].includes(lang)) return "js";
  if (["dockerfile", "docker", "containerfile"].includes(lang)) return "docker";
  if (["makefile", "make", "mk"].includes(lang)) return "make";
  if (["yaml", "yml"].includes(lang)) return "yaml";
  return "other";
}

interface Fence {
  kind: BlockKind;
  /** Content lines (indentation of the fence removed). */
  lines: string[];
  /** 1-based line of the first content line. */
  firstLine: number;
}

/** Splits Markdown into fenced blocks and the remaining (prose) lines, keeping line numbers. */
function splitMarkdown(text: string): { fences: Fence[]; prose: Array<{ text: string; line: number }> } {
  const lines = text.split(/\r?\n/);
  const fences: Fence[] = [];
  const prose: Array<{ text: string; line: number }> = [];
  let open: { marker: string; indent: number; fence: Fence; quote: string } | null = null;
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k]!;
    // Fences inside blockquotes ("> ```bash") are common in chat text.
    const quote = /^(?:\s*>)+\s?/.exec(raw)?.[0] ?? "";
    const l = open ? (raw.startsWith(open.quote) ? raw.slice(open.quote.length) : raw) : raw.slice(quote.length);
    if (open) {
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(l);
      if (close && close[1]![0] === open.marker[0] && close[1]!.length >= open.marker.length) {
        fences.push(open.fence);
        open = null;
        continue;
      }
      open.fence.lines.push(stripIndent(l, open.indent));
      continue;
    }
    const m = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(l);
    if (m && !(m[2]![0] === "`" && m[3]!.includes("`"))) {
      open = {
        marker: m[2]!,
        indent: m[1]!.replace(/\t/g, "    ").length,
        fence: { kind: blockKind(m[3]!), lines: [], firstLine: k + 2 },
        quote,
      };
      continue;
    }
    prose.push({ text: raw, line: k + 1 });
  }
  if (open) fences.push(open.fence); // unclosed fence runs to the end, as in CommonMark
  return { fences, prose };
}

function stripIndent(line: string, indent: number): string {
  let k = 0;
  let width = 0;
  while (k < line.length && width < indent && (line[k] === " " || line[k] === "\t")) {
    width += line[k] === "\t" ? 4 : 1;
    k++;
  }
  return line.slice(k);
}

// At most three bounded VAR=value words before the tool: a prose line is tried after each colon,
// and each try must cost a bounded number of characters for the line to be read in linear time.
const INSTALLER_START = new RegExp(`^(?:sudo\\s+|(?:[A-Za-z_]\\w{0,63}=\\S{0,256}\\s+){1,3})?(?:${INSTALLER_NAMES})(?:\\.exe)?(?:\\s|$)`, "i");

// A compound shell line whose first command prepares the shell (`cd app && pip install x`, `export
// X=1; npm i y`, `(cd web; pnpm add z)`, `source .venv/bin/activate && uv add w`, `bash -c "..."`):
// the line is split as shell and each simple command is read as prose. Lower case only, as shell
// commands are written; bounded like INSTALLER_START.
const SHELL_LEAD =
  /^(?:[({]\s*)?(?:sudo\s+)?(?:[A-Za-z_]\w{0,63}=\S{0,256}\s+){0,3}(?:cd|pushd|popd|export|source|\.|set|unset|mkdir|cp|mv|rm|touch|ln|git|conda|mamba|micromamba|nvm|fnm|volta|corepack|pyenv|asdf|mise|env|bash|sh|zsh|dash|ksh|deactivate|workon|virtualenv)(?=[\s;&|)]|$)/;

const commandStart = (s: string) => INSTALLER_START.test(s) || SHELL_LEAD.test(s);

/** A console transcript keeps only prompted lines (and their continuations): the rest is output. */
function consoleCommands(lines: string[]): string[] {
  const prompted = lines.map((l) => stripPrompt(l));
  if (!prompted.some((p) => p.prompted)) return lines;
  const out: string[] = [];
  let continuing = false;
  for (let k = 0; k < lines.length; k++) {
    const p = prompted[k]!;
    // A continuation line may carry the secondary prompt "> ".
    if (p.prompted || continuing) out.push(continuing ? lines[k]!.replace(/^\s*>\s?/, "") : p.rest);
    else out.push("");
    const kept = out[k]!;
    continuing = (p.prompted || continuing) && /[\\`]\s*$/.test(kept);
  }
  return out;
}

function scanFence(sink: Sink, fence: Fence): void {
  const { kind, lines, firstLine } = fence;
  const code = lines.join("\n");
  switch (kind) {
    case "shell":
    case "console":
    case "powershell": {
      const body = consoleCommands(lines).join("\n");
      const options: ShellOptions = {
        startLine: firstLine,
        prompts: true,
        dialect: kind === "powershell" ? "powershell" : "posix",
        multilineQuotes: false,
      };
      addShell(sink, body, options, "code");
      return;
    }
    case "python": {
      // Notebook cells: "!pip install x" / "%pip install x" lines are shell commands.
      const magics = lines.map((l) => (/^\s*[!%]/.test(l) ? l : "")).join("\n");
      addShell(sink, magics, { startLine: firstLine, prompts: true, multilineQuotes: false }, "code");
      addImports(sink, "python", code, firstLine - 1);
      return;
    }
    case "js":
      addImports(sink, "js", code, firstLine - 1);
      return;
    case "docker":
      scanDockerfile(sink, code, firstLine);
      return;
    case "make":
      scanMakefile(sink, code, firstLine);
      return;
    case "yaml":
      if (/^\s*-?\s*(?:run|script|before_script|after_script|command)\s*:/m.test(code)) scanCiYaml(sink, code, firstLine);
      return;
    default:
      return;
  }
}

/** Fenced code is handed to the code-import extractors; `lineOffset` is the line before the code. */
function addImports(sink: Sink, language: "python" | "js", code: string, lineOffset: number): void {
  const found = language === "js" ? extractJsImports(code, sink.file, lineOffset) : extractPythonImports(code, sink.file, lineOffset);
  for (const d of found) sink.dependencies.push(d);
}

/**
 * Inline code spans of one line: `pip install x`. As in CommonMark, a run of backticks opens a span
 * that the next run of the same length closes; a run never closed is text. Each length keeps a
 * cursor into its runs, so the line is read once however many backticks it holds.
 */
function codeSpans(line: string): Array<{ text: string; start: number; end: number }> {
  const runs: Array<{ at: number; length: number }> = [];
  for (let i = line.indexOf("`"); i >= 0; i = line.indexOf("`", i)) {
    let j = i;
    while (line[j] === "`") j++;
    runs.push({ at: i, length: j - i });
    i = j;
  }
  const byLength = new Map<number, number[]>();
  runs.forEach((run, k) => {
    const list = byLength.get(run.length);
    if (list) list.push(k);
    else byLength.set(run.length, [k]);
  });
  const cursor = new Map<number, number>();
  const spans: Array<{ text: string; start: number; end: number }> = [];
  for (let k = 0; k < runs.length; k++) {
    const open = runs[k]!;
    const list = byLength.get(open.length)!;
    let p = cursor.get(open.length) ?? 0;
    while (p < list.length && list[p]! <= k) p++;
    cursor.set(open.length, p);
    if (p === list.length) continue;
    const close = runs[list[p]!]!;
    spans.push({ text: line.slice(open.at + open.length, close.at).trim(), start: open.at, end: close.at + close.length });
    k = list[p]!;
  }
  return spans;
}

// Every installer name the command parser knows holds one of these, once quotes and backslashes
// (which the shell removes) are dropped: text without any is no install command.
const INSTALLER_HINT = new RegExp([...INSTALLER_WORDS, ...Object.keys(CONDA_TOOLS)].join("|"), "i");

/** Whether a span or cell of prose may hold an install command: a linear test before the tokenizer. */
function mayInstall(text: string): boolean {
  return INSTALLER_HINT.test(text) || (/['"\\]/.test(text) && INSTALLER_HINT.test(text.replace(/['"\\]/g, "")));
}

/** A prose line: its code spans are commands; the line itself is one if it plainly starts with one. */
function scanProseLine(sink: Sink, text: string, line: number): void {
  const spans = codeSpans(text);
  for (const span of spans) {
    if (!mayInstall(span.text)) continue;
    addShell(sink, span.text, { startLine: line, prompts: true, multilineQuotes: false }, "code");
  }
  // Cells of a table row, or the whole line, with code spans blanked out (pieces joined once: linear).
  const pieces: string[] = [];
  let from = 0;
  for (const span of spans) {
    pieces.push(text.slice(from, span.start), " ".repeat(span.end - span.start));
    from = span.end;
  }
  pieces.push(text.slice(from));
  const rest = pieces.join("");
  const cells = /^\s*\|/.test(rest) ? rest.split("|") : [rest];
  for (const cell of cells) {
    const candidate = mayInstall(cell) ? proseCommand(cell) : null;
    if (candidate) addShell(sink, candidate, { startLine: line, prompts: false, multilineQuotes: false }, "prose");
  }
}

/** The command a prose line holds: at its start (after list marks, quotes, prompts) or after a colon; an installer or a shell line leading to one. */
function proseCommand(cell: string): string | null {
  let s = cell
    .replace(/^\s*(?:>\s*)*(?:#{1,6}\s+)?/, "")
    .replace(/^(?:[-*+•]|\d{1,3}[.)])\s+/, "")
    .replace(/^\*\*|^__/, "")
    .trim();
  s = stripPrompt(s).rest;
  if (commandStart(s)) return s;
  for (const colon of s.matchAll(/:\s+(?=\S)/g)) {
    const after = stripPrompt(s.slice(colon.index + colon[0].length)).rest;
    if (commandStart(after)) return after;
  }
  return null;
}

/**
 * Markdown or chat text, split once: install commands of its fences and prose (by line), then what
 * the ecosystems' formats find in its YAML fences (`context.yamlFence`).
 */
function readMarkdown(text: string, file: string, context?: ExtractContext): ExtractResult {
  let fences: Fence[] = [];
  const result = safely(file, (sink) => {
    const split = splitMarkdown(text);
    fences = split.fences;
    for (const fence of fences) scanFence(sink, fence);
    for (const p of split.prose) scanProseLine(sink, p.text, p.line);
    sink.dependencies.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0));
  });
  const yamlFence = context?.yamlFence;
  if (yamlFence) for (const f of fences) if (f.kind === "yaml") for (const d of yamlFence(f.lines.join("\n"), f.firstLine, file)) result.dependencies.push(d);
  return result;
}

/**
 * A snippet (stdin, MCP, chat message): read like Markdown. Without fences, every line is tried as
 * a command: plain lines of text are handled as prose, so a sentence around a command is left out.
 */
export function extractFromText(text: string, file = "<text>", context?: ExtractContext): ExtractResult {
  return readMarkdown(text, file, context);
}

/** Install commands of single shell lines kept elsewhere (notebook `!pip install x` lines, with their file lines). */
// ---- shell scripts ----

function scanShell(sink: Sink, text: string): void {
  addShell(sink, text, { multilineQuotes: true }, "script");
}

// ---- Dockerfiles ----

const SHELL_NAMES = /^(?:\/(?:usr\/)?bin\/)?(?:sh|bash|dash|ash|zsh)$/;

function scanDockerfile(sink: Sink, text: string, firstLine = 1): void {
  const lines = text.split(/\r?\n/);
  let escapeChar = "\\";
  // Parser directives come first: "# escape=`".
  for (const l of lines) {
    const d = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(l);
    if (!d) break;
    if (d[1]!.toLowerCase() === "escape" && (d[2] === "`" || d[2] === "\\")) escapeChar = d[2]!;
  }
  let dialect: ShellOptions["dialect"] = escapeChar === "`" ? "powershell" : "posix";
  let k = 0;
  while (k < lines.length) {
    const start = k;
    const first = lines[k]!;
    if (/^\s*(?:#|$)/.test(first)) {
      k++;
      continue;
    }
    // Logical instruction: continuation lines; comment lines inside it are dropped (kept as blank
    // continuations so that line numbers stay exact).
    const parts = [first];
    while (endsWithEscape(parts[parts.length - 1]!, escapeChar) && k + 1 < lines.length) {
      k++;
      const next = lines[k]!;
      parts.push(/^\s*#/.test(next) ? escapeChar : next);
    }
    k++;
    const m = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(parts.join("\n"));
    if (!m) continue;
    let instruction = m[1]!.toUpperCase();
    let rest = m[2]!;
    const onbuild = /^ONBUILD\s+([A-Za-z]+)\s*(.*)$/is.exec(`${instruction} ${rest}`);
    if (onbuild) {
      instruction = onbuild[1]!.toUpperCase();
      rest = onbuild[2]!;
    }
    if (instruction === "SHELL") {
      const shell = jsonArgv(rest.trim());
      if (shell) dialect = /(?:pwsh|powershell|cmd)(?:\.exe)?$/i.test(shell[0]!) ? "powershell" : "posix";
      continue;
    }
    // Heredocs: their bodies follow the instruction.
    const delimiters = [...rest.matchAll(/(?<!<)<<(?!<)-?\s*(?:'([^']+)'|"([^"]+)"|([A-Za-z_][A-Za-z0-9_.-]*))/g)].map((d) => d[1] ?? d[2] ?? d[3]!);
    const bodyStart = k;
    for (const delimiter of delimiters) {
      while (k < lines.length && lines[k]!.replace(/^\t+/, "").trimEnd() !== delimiter) k++;
      k++;
    }
    if (instruction !== "RUN" && instruction !== "CMD" && instruction !== "ENTRYPOINT") continue;
    const line = firstLine + start;
    const flags = /^(?:--[a-z-]+(?:=\S*)?\s+)*/.exec(rest)?.[0] ?? "";
    rest = rest.slice(flags.length);
    const trimmed = rest.trim();
    if (trimmed.startsWith("[")) {
      const argv = jsonArgv(trimmed);
      if (argv) {
        const cIndex = argv.findIndex((a, i) => i > 0 && /^-[A-Za-z]*c$/.test(a));
        if (SHELL_NAMES.test(argv[0] ?? "") && cIndex > 0 && argv[cIndex + 1] !== undefined) {
          addShell(sink, argv[cIndex + 1]!, { startLine: line, multilineQuotes: true }, "script");
        } else {
          addCommands(sink, [{ argv, words: argv.map((t) => ({ text: t, line, dynamic: false })), line }], "script");
        }
        continue;
      }
    }
    let script = rest;
    if (delimiters.length) {
      // "RUN <<EOF" runs the body with the shell; "RUN python3 <<EOF" feeds it to python.
      if (/^\s*<</.test(script)) script = `sh ${script}`;
      script += `\n${lines.slice(bodyStart, k).join("\n")}`;
    }
    const lineOfRest = line + countNewlines(m[0].slice(0, m[0].length - rest.length));
    addShell(sink, script, { startLine: lineOfRest, multilineQuotes: true, dialect }, "script");
  }
}

function endsWithEscape(line: string, escapeChar: string): boolean {
  const t = line.trimEnd();
  return t.endsWith(escapeChar) && !t.endsWith(escapeChar + escapeChar);
}

function countNewlines(s: string): number {
  let c = 0;
  for (const ch of s) if (ch === "\n") c++;
  return c;
}

function jsonArgv(text: string): string[] | null {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string") ? value : null;
  } catch {
    return null;
  }
}

// ---- CI YAML ----

const SCRIPT_KEYS = new Set([
  "run", "script", "scripts", "before_script", "after_script", "command", "commands", "install", "before_install",
  "bash", "sh", "pwsh", "powershell", "inlineScript", "cmd",
]);

/** Install commands in one CI script (a workflow's `run:`) that a YAML reader found, from its first line. */
export function ciScriptCommands(script: string, file: string, startLine: number, powershell = false): ExtractResult {
  return safely(file, (sink) => addShell(sink, script, { startLine, multilineQuotes: true, dialect: powershell ? "powershell" : "posix" }, "script"));
}

function scanCiYaml(sink: Sink, text: string, firstLine = 1): void {
  if (tooLarge(sink, text)) return;
  const { LineCounter, parseAllDocuments } = yamlLibrary();
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    const error = doc.errors[0];
    if (error) {
      sink.problems.push({ file: sink.file, line: firstLine - 1 + counter.linePos(error.pos[0]).line, reason: `invalid YAML: ${error.message.split("\n")[0]}` });
      continue;
    }
    walkYaml(sink, doc.contents as YamlNode | null, counter, firstLine, 0, false);
  }
}

function walkYaml(sink: Sink, node: YamlNode | null, counter: LineCounter, firstLine: number, depth: number, powershell: boolean): void {
  const { isMap, isScalar, isSeq } = yamlLibrary();
  if (!node || depth > 64) return;
  if (isMap(node)) {
    const shell = node.items.find((p) => isScalar(p.key) && p.key.value === "shell");
    const ps = powershell || (shell !== undefined && isScalar(shell.value) && /pwsh|powershell|cmd/i.test(String(shell.value.value)));
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : "";
      const value = pair.value as YamlNode | null;
      if (SCRIPT_KEYS.has(key)) scanScriptValue(sink, value, counter, firstLine, ps || /^(?:pwsh|powershell)$/.test(key), depth);
      else walkYaml(sink, value, counter, firstLine, depth + 1, ps);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walkYaml(sink, item as YamlNode | null, counter, firstLine, depth + 1, powershell);
  }
}

function scanScriptValue(sink: Sink, node: YamlNode | null, counter: LineCounter, firstLine: number, powershell: boolean, depth: number): void {
  const { isMap, isScalar, isSeq, Scalar } = yamlLibrary();
  if (!node || depth > 64) return;
  if (isSeq(node)) {
    for (const item of node.items) scanScriptValue(sink, item as YamlNode | null, counter, firstLine, powershell, depth + 1);
    return;
  }
  if (isMap(node)) {
    walkYaml(sink, node, counter, firstLine, depth + 1, powershell);
    return;
  }
  if (!isScalar(node) || typeof node.value !== "string" || !node.range) return;
  let line = firstLine - 1 + counter.linePos(node.range[0]).line;
  // Block scalars ("run: |") start on the line after their header.
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) line++;
  const options: ShellOptions = { startLine: line, multilineQuotes: true, dialect: powershell ? "powershell" : "posix" };
  addShell(sink, node.value, options, "script");
}

// ---- Makefiles ----

function scanMakefile(sink: Sink, text: string, firstLine = 1): void {
  const lines = text.split(/\r?\n/);
  // Simple variables (PIP := $(PYTHON) -m pip, PYTHON ?= python3) are substituted into recipes.
  const vars = new Map<string, string>();
  for (const l of lines) {
    const v = /^(?:export\s+|override\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?::{1,3}|\?|\+)?=\s*([^#\n]*)$/.exec(l);
    const value = v?.[2]?.trimEnd();
    if (value && !/[`]|\$\(shell\b/.test(value)) vars.set(v![1]!, value);
  }
  const expand = (s: string) => {
    let out = s;
    for (let round = 0; round < 5 && /\$[({][A-Za-z_]/.test(out); round++) {
      out = out.replace(/\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]/g, (all, name: string) => vars.get(name) ?? all);
    }
    return out.replace(/\$\$/g, "$");
  };
  let k = 0;
  while (k < lines.length) {
    if (!lines[k]!.startsWith("\t")) {
      k++;
      continue;
    }
    const start = k;
    const parts = [lines[k]!.slice(1).replace(/^[@+-]+\s*/, "")];
    while (/\\\s*$/.test(parts[parts.length - 1]!) && k + 1 < lines.length) {
      k++;
      parts.push(lines[k]!.replace(/^\t/, ""));
    }
    k++;
    addShell(sink, expand(parts.join("\n")), { startLine: firstLine + start, multilineQuotes: true }, "script");
  }
}

// ---- the extractors ----

function base(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

const normalize = (path: string) => path.replace(/\\/g, "/");

export const markdownExtractor: Extractor = {
  id: "markdown",
  matches: (path) => {
    const name = base(path);
    return /\.(?:md|mdx|markdown|mdc|mkd)$/i.test(name) || /^\.(?:cursorrules|windsurfrules|clinerules)$/i.test(name);
  },
  extract: (text, path, context) => readMarkdown(text, path, context),
};

/** Chat transcripts and other plain text: only for files the user names explicitly (*.txt is also requirements). */
export const transcriptExtractor: Extractor = {
  id: "text",
  matches: (path) => /\.(?:txt|text|log)$/i.test(base(path)) && !/(?:^|[-_.])(?:requirements|constraints|reqs)(?:[-_.]|$)/i.test(base(path)),
  extract: (text, path, context) => readMarkdown(text, path, context),
};

export const shellScriptExtractor: Extractor = {
  id: "shell-script",
  matches: (path) => /\.(?:sh|bash|zsh|ksh)$/i.test(base(path)),
  extract: (text, path) => safely(path, (sink) => scanShell(sink, text)),
};

export const dockerfileExtractor: Extractor = {
  id: "dockerfile",
  matches: (path) => /^(?:Dockerfile|Containerfile)(?:[.-].*)?$/i.test(base(path)) || /\.(?:dockerfile|containerfile)$/i.test(base(path)),
  extract: (text, path) => safely(path, (sink) => scanDockerfile(sink, text)),
};

/**
 * CI configurations of other services. GitHub workflows and action.yml are the github ecosystem's
 * (its reader knows actions and hands its `run:` scripts to ciScriptCommands).
 */
export const ciYamlExtractor: Extractor = {
  id: "ci-yaml",
  matches: (path) => {
    const p = normalize(path);
    const name = base(p);
    return (
      /(?:^|\/)\.gitlab\/ci\/[^/]+\.ya?ml$/i.test(p) ||
      /(?:^|\/)\.circleci\/config\.ya?ml$/i.test(p) ||
      /^(?:\.gitlab-ci|\.travis|azure-pipelines|bitbucket-pipelines|\.drone|cloudbuild|\.woodpecker)\.ya?ml$/i.test(name)
    );
  },
  extract: (text, path) => safely(path, (sink) => scanCiYaml(sink, text)),
};

export const makefileExtractor: Extractor = {
  id: "makefile",
  matches: (path) => /^(?:GNUmakefile|makefile|Makefile)$/.test(base(path)) || /\.(?:mk|make)$/i.test(base(path)),
  extract: (text, path) => safely(path, (sink) => scanMakefile(sink, text)),
};

// ---- Dev containers ----

/** The commands a dev container runs: initializeCommand on the host, the others in the container. */
const DEVCONTAINER_COMMANDS = ["initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand", "postAttachCommand"];

/** A command as devcontainer.json writes it: a shell string, an argv array, or an object of either run in parallel. */
function devcontainerCommands(value: unknown): Array<{ shell: string } | { argv: string[] }> {
  if (typeof value === "string") return [{ shell: value }];
  if (Array.isArray(value)) return value.every((v) => typeof v === "string") ? [{ argv: value as string[] }] : [];
  if (value && typeof value === "object") return Object.values(value).flatMap((v) => (typeof v === "string" || Array.isArray(v) ? devcontainerCommands(v) : []));
  return [];
}

function scanDevcontainer(sink: Sink, text: string): void {
  if (tooLarge(sink, text)) return;
  let doc: ReturnType<typeof parseJson>;
  try {
    doc = parseJson(text, { jsonc: true });
  } catch (error) {
    sink.problems.push({ file: sink.file, reason: `invalid JSON: ${error instanceof Error ? error.message : String(error)}` });
    return;
  }
  const root = doc.value;
  if (!root || typeof root !== "object" || Array.isArray(root)) return;
  for (const key of DEVCONTAINER_COMMANDS) {
    const line = doc.keyLine(root, key) ?? 1;
    for (const command of devcontainerCommands((root as Record<string, unknown>)[key])) {
      if ("shell" in command) addShell(sink, command.shell, { startLine: line, multilineQuotes: true }, "script");
      else addCommands(sink, [{ argv: command.argv, words: command.argv.map((text) => ({ text, line, dynamic: false })), line }], "script");
    }
  }
}

export const devcontainerExtractor: Extractor = {
  id: "devcontainer",
  matches: (path) => /(?:^|\/)\.devcontainer(?:\/[^/]+)?\/devcontainer\.json$/.test(normalize(path)) || base(path) === ".devcontainer.json",
  extract: (text, path) => safely(path, (sink) => scanDevcontainer(sink, text)),
};

/** The free-text extractors a folder scan uses (the transcript one only for files named explicitly). */
export const textExtractors: readonly Extractor[] = [
  markdownExtractor,
  shellScriptExtractor,
  dockerfileExtractor,
  ciYamlExtractor,
  makefileExtractor,
  devcontainerExtractor,
];
