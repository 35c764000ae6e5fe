// The fast path: most tool calls an agent makes install nothing and write no dependency, and must be
// answered without loading the engine (the hook runs before every call). This module and the agent's
// protocol are all that load for them.
import type { AgentProtocol, HookAnswer, ToolCallRequest } from "./protocol.ts";
import { unreadable } from "./protocol.ts";

const INSTALLER_WORD =
  /(?:^|[^\w.-])(?:pip\d*(?:\.\d+)?|uvx?|npm|npx|pnpm|pnpx|yarn|bunx?|deno|poetry|pipx|pdm|pipenv|conda|mamba|micromamba|python\d*(?:\.\d+)?|py|pypy3?)(?:\.exe|\.cmd|\.bat|\.ps1)?(?![\w-])/i;

/** Commands that write or remove files they name (shell-writes.ts reads what they write), and any redirection but to a descriptor or /dev/null. */
const FILE_WRITER =
  /(?:^|[^\w.-])(?:tee|sed|perl|awk|gawk|ruby|dd|curl|wget|ed|ex|vim?|nvim|nano|emacs|pico|micro|kak|hx|cp|mv|install|ln|rsync|ditto|rm|unlink|rmdir|shred|truncate|patch|git\s+(?:apply|am))(?:\.exe)?(?![\w-])/i;
/**
 * A script given on an interpreter's command line (`node -e`, `perl -e`; python's -c is an installer
 * word already) may write files: an interpreter and an eval flag anywhere in the line (two tests, each
 * linear: one pattern spanning both backtracked quadratically over "node node node …").
 */
const INTERPRETER = /(?:^|[^\w.-])(?:node|nodejs|bun|deno|perl|ruby|php)(?:\.exe)?(?![\w-])/i;
const EVAL_FLAG = /(?:^|\s)(?:-[ceEpr]|--eval|--print|eval)(?=\s|$)/;
/** Bouncer itself, and the variables that choose where installers fetch from or how Bouncer judges (judge.ts reads them exactly). */
const GUARD_WORD = /(?:^|[^\w.-])bouncer(?![\w-])|npm_config_|YARN_|BUN_CONFIG_|PIP_|UV_|POETRY_|PDM_|PIPENV_|BOUNCER_/i;
// A digit run is read from its start only (the lookbehind): `\d*` tried at each of its digits was quadratic.
const HARMLESS_REDIRECT = /(?<!\d)\d*>&\s*(?:\d+|-)|&?>>?\s*\/dev\/null(?![\w/.-])/g;

/**
 * Whether the command line may run an installer or write a dependency file (then the guard's grammar
 * and the tokenizer read it); false means it does neither. A command passes only when no word in it
 * can name an installer or a file writer and it redirects nothing to a file, with quotes and escapes
 * removed first ('n'pm is npm).
 */
export function mayChangeDependencies(command: string): boolean {
  const plain = command.replace(/["'`\\]/g, "");
  return INSTALLER_WORD.test(plain) || FILE_WRITER.test(plain) || GUARD_WORD.test(plain) || (INTERPRETER.test(plain) && EVAL_FLAG.test(plain)) || plain.replace(HARMLESS_REDIRECT, "").includes(">");
}

/** The largest hook input read (a Write of a big file included); a larger one is refused. */
export const MAX_HOOK_INPUT_BYTES = 32 * 1024 * 1024;

const ALLOW: HookAnswer = { verdict: "allow", reason: "" };

/**
 * The hook input's first reading: an answer when one is plain from the input alone (unreadable: deny;
 * another event or tool, or a command that can neither install nor write a file: allow), else the request the
 * engine must judge.
 */
export function firstLook(text: string, protocol: AgentProtocol, cwd: string): { answer: HookAnswer } | { request: ToolCallRequest } {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const reason = text.trim() ? `the hook input is not JSON: ${error instanceof Error ? error.message : String(error)}` : "the hook input is empty";
    return { answer: { verdict: "block", reason: unreadable(reason) } };
  }
  const parsed = protocol.parse(input, cwd);
  if (!parsed.ok) return { answer: { verdict: "block", reason: unreadable(parsed.reason) } };
  const { call } = parsed.request;
  if (call.kind === "pass" || (call.kind === "shell" && !mayChangeDependencies(call.command))) return { answer: ALLOW };
  return { request: parsed.request };
}
