// From shell command lines to dependencies: the install commands in a text's shell (scripts, code
// blocks, prose, notebook `!pip` lines), with what makes an operand not a package name.
import { makeDependency } from "../core/dependency.ts";
import type { ExtractedDependency, ExtractProblem, ExtractResult, InstallCommand } from "../core/dependency.ts";
import { errorMessage } from "../core/guards.ts";
import { getEcosystem } from "../ecosystems/index.ts";
import { excerpt } from "../core/excerpt.ts";
import { parseInstallCommand } from "./commands.ts";
import { type ShellOptions, type SimpleCommand, splitShellCommands } from "./shell.ts";

/**
 * How much a command's context vouches for it. "script": real shell (scripts, Dockerfiles, CI): an
 * operand we cannot read is reported. "code": a fenced block or code span. "prose": a line of text,
 * where the command ends at the first word that reads as English.
 */
export type Trust = "script" | "code" | "prose";

/**
 * Why an operand that an installer would accept is still not taken for a package name in text:
 * numbers, versions, hashes, list numbering glued to a word, placeholders, and what the ecosystem
 * itself rules out (file names, characters npm no longer allows). null when it reads as a name.
 */
export function junkReason(name: string, ecosystem: string): string | null {
  if (!/[A-Za-z]/.test(name)) return "a number, not a package name";
  // Each suffix part ("-rc1", ".beta.2") can be split only one way: no backtracking blow-up.
  if (/^v?\d+(?:\.(?:\d+|x|\*))+(?:[-.+]?[A-Za-z]+(?![A-Za-z])(?:\.?\d+)?)*$/i.test(name)) return "a version, not a package name";
  if (/^0[xo][0-9a-f]+$/i.test(name) || (/^[0-9a-f]{7,}$/i.test(name) && /\d/.test(name) && /[a-f]/i.test(name))) {
    return "a number or hash, not a package name";
  }
  if (/^\d+x\d+$/i.test(name)) return "a size, not a package name";
  // "1.lodash", "2-packaging", "19-to": list numbering or a quantity glued to a word.
  if (/^\d+[-.][A-Za-z]/.test(name)) return "list numbering glued to a word";
  // Documentation placeholders: PACKAGE_NAME, <pkg> (a redirection anyway), your-package, package-name.
  if (
    (!/[a-z]/.test(name) && /NAME|PACKAGE|PKG|MODULE|LIB|DEPENDENCY|VERSION/.test(name)) ||
    /^(?:(?:your|some|my|the)[-_]?)?(?:package|pkg|module|library|lib|dependency)(?:[-_]?names?)?$/i.test(name) ||
    /^(?:your|some)[-_]/i.test(name)
  ) {
    return "a placeholder, not a package name";
  }
  return getEcosystem(ecosystem)?.notAName?.(name) ?? null;
}

// Words after which a command in a sentence is over ("pip install flask and then run ...").
const STOP_WORDS = new Set(
  (
    "a an and are as at be because before but by can command commands could e.g each etc first for from here i.e if in " +
    "instead into is it its library libraries like module modules may might must next now of on once or package " +
    "packages should since so than that the their them then there these this those to too until use using via was we " +
    "when where which while will with within would you your"
  ).split(" "),
);

const SENTENCE_PUNCTUATION = new Set([...".,;:!?)]\"'…"]);

/** Where the punctuation that ends a word starts (its length when there is none): one pass from the end. */
function trailingPunctuation(word: string): number {
  let at = word.length;
  while (at > 0 && SENTENCE_PUNCTUATION.has(word[at - 1]!)) at--;
  return at;
}

/** In prose, keeps the command up to the first English word or sentence punctuation. */
function trimProse(cmd: SimpleCommand): SimpleCommand {
  const words = [];
  for (let k = 0; k < cmd.words.length; k++) {
    const w = cmd.words[k]!;
    const cut = trailingPunctuation(w.text);
    const bare = w.text.slice(0, cut);
    if (k >= 2 && STOP_WORDS.has(bare.toLowerCase())) break;
    if (cut < w.text.length && k >= 1) {
      // "pip install flask." / "npm i foo, bar": the punctuation belongs to the sentence.
      if (bare) words.push({ ...w, text: bare });
      if (w.text[cut] !== ",") break;
      continue;
    }
    words.push(w);
  }
  return { argv: words.map((w) => w.text), words, line: cmd.line };
}

export interface Sink {
  file: string;
  dependencies: ExtractedDependency[];
  problems: ExtractProblem[];
}

function newSink(file: string): Sink {
  return { file, dependencies: [], problems: [] };
}

/** Splits shell text into commands and adds their installs; a size limit of the tokenizer is reported. */
export function addShell(sink: Sink, text: string, options: ShellOptions, trust: Trust): void {
  const onLimit = (what: string, line: number) => sink.problems.push({ file: sink.file, line, reason: `${what}; the rest was not read` });
  addCommands(sink, splitShellCommands(text, { ...options, onLimit }), trust);
}

export function addCommands(sink: Sink, commands: SimpleCommand[], trust: Trust): void {
  for (const raw of commands) {
    const cmd = trust === "prose" ? trimProse(raw) : raw;
    const parsed = parseInstallCommand(cmd.argv);
    if (!parsed || parsed.ecosystem === null) continue;
    addInstall(sink, cmd, parsed, trust);
  }
}

function addInstall(sink: Sink, cmd: SimpleCommand, parsed: InstallCommand, trust: Trust): void {
  // Once per command, not per operand: a command may have thousands.
  const shown = excerpt(cmd.argv.join(" "));
  for (const add of parsed.adds) {
    const word = cmd.words[add.argIndex];
    const line = word?.line ?? cmd.line;
    if (word?.dynamic) {
      if (trust === "script") {
        sink.problems.push({ file: sink.file, line, reason: `"${excerpt(add.spec)}" in "${shown}" is only known when the script runs; not checked` });
      }
      continue;
    }
    if (add.error || add.name === null) {
      if (add.source !== "registry") {
        // git, URL or path without a name: reported with its spec, never looked up.
        sink.dependencies.push(dependency(sink.file, parsed, add.spec, null, add.source, line, add.spec));
      } else if (trust === "script") {
        sink.problems.push({ file: sink.file, line, reason: `cannot read "${excerpt(add.spec)}" in "${shown}": ${add.error ?? "no package name"}` });
      }
      continue;
    }
    const junk = add.source === "registry" ? junkReason(add.name, parsed.ecosystem!) : null;
    if (junk) {
      if (trust === "script") sink.problems.push({ file: sink.file, line, reason: `"${excerpt(add.spec)}" in "${shown}" is ${junk}; not checked` });
      continue;
    }
    const spec = add.source !== "registry" || (add.spec !== add.name && add.spec.includes(":")) ? add.spec : undefined;
    sink.dependencies.push(dependency(sink.file, parsed, add.name, add.version, add.source, line, spec));
  }
}

export function safely(file: string, run: (sink: Sink) => void): ExtractResult {
  const sink = newSink(file);
  try {
    run(sink);
  } catch (error) {
    sink.problems.push({ file, reason: `could not read the text: ${errorMessage(error)}` });
  }
  return { dependencies: sink.dependencies, problems: sink.problems };
}

function dependency(
  file: string,
  parsed: InstallCommand,
  name: string,
  version: string | null,
  source: ExtractedDependency["source"],
  line: number,
  spec: string | undefined,
): ExtractedDependency {
  return makeDependency(parsed.ecosystem!, "install-command", file, line, name, version, source, {
    ...(spec === undefined ? {} : { spec }),
    ...(parsed.dev ? { dev: true } : {}),
    ...(parsed.group === undefined ? {} : { group: parsed.group }),
  });
}

export function installCommandsInLines(lines: ReadonlyArray<{ text: string; line: number }>, file: string): ExtractResult {
  return safely(file, (sink) => {
    for (const l of lines) {
      addShell(sink, l.text, { startLine: l.line, prompts: true, multilineQuotes: false }, "code");
    }
  });
}
