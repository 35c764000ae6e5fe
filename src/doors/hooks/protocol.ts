// The neutral form of an agent's tool call and of Bouncer's answer, shared by every agent protocol.
// Each agent module turns its hook input into a ToolCallRequest and a HookAnswer into its output.
import path from "node:path";
import { isRecord } from "../../core/guards.ts";
import type { AgentId } from "./agents.ts";

export interface TextEdit {
  old: string;
  new: string;
  /** Every occurrence (Claude's replace_all, Gemini's expected_replacements > 1). */
  all?: boolean;
}

export type FileChange =
  | { op: "write"; file: string; content: string }
  | { op: "edit"; file: string; edits: TextEdit[] }
  /** Text inserted after line `line` (0: at the top), as the coding agent's editor inserts. */
  | { op: "insert"; file: string; line: number; text: string }
  /** An apply_patch envelope (Codex): the files it touches are read from the patch. */
  | { op: "patch"; patch: string }
  /** A notebook cell's new source (Claude's NotebookEdit): judged as a cell added to the notebook. */
  | { op: "notebook-cell"; file: string; source: string; cellType: "code" | "markdown" };

export type ToolCall =
  | { kind: "shell"; command: string }
  | { kind: "files"; changes: FileChange[] }
  /** An event or a tool Bouncer does not judge (reads, searches, MCP calls): passes at once. */
  | { kind: "pass" };

export interface ToolCallRequest {
  agent: AgentId;
  session: string | null;
  /** The tool's name as the agent sent it. */
  tool: string;
  /** Absolute: the folder the call runs in (relative file paths are resolved against it). */
  cwd: string;
  call: ToolCall;
}

export type Parsed = { ok: true; request: ToolCallRequest } | { ok: false; reason: string; session: string | null; tool: string };

export type AnswerVerdict = "allow" | "warn" | "block";

export interface HookAnswer {
  verdict: AnswerVerdict;
  /** For the model (and the user): what was found and what to do instead. Empty for a plain allow. */
  reason: string;
}

/** What the hook process writes and exits with. */
export interface HookOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface AgentProtocol {
  /** `cwd`: the hook process's own folder, used when the input names none. */
  parse(input: unknown, cwd: string): Parsed;
  answer(answer: HookAnswer): HookOutput;
}

// Helpers for the protocol modules: every field of the input is checked, nothing is trusted.

export type Json = Record<string, unknown>;

export function asObject(value: unknown): Json | undefined {
  return isRecord(value) ? value : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** A missing or malformed field: the call is refused with this reason. */
export class InputError extends Error {
  override name = "InputError";
}

export function field(o: Json, name: string, what = "tool input"): string {
  const value = o[name];
  if (typeof value !== "string") throw new InputError(`the ${what} has no "${name}" string`);
  return value;
}

/** The first of several names a field goes by (agents and their versions differ). */
export function fieldOf(o: Json, names: readonly string[], what = "tool input"): string {
  for (const n of names) if (typeof o[n] === "string") return o[n] as string;
  throw new InputError(`the ${what} has no ${names.map((n) => `"${n}"`).join(" or ")} string`);
}

/** An absolute folder: the input's own when it names one, else the hook's. */
export function folder(value: unknown, base: string): string {
  return typeof value === "string" && value ? path.resolve(base, value) : base;
}

/** A tool input that some agents send as a JSON string (Copilot's toolArgs, Cursor's MCP input). */
export function objectOrJson(value: unknown, what: string): Json {
  const direct = asObject(value);
  if (direct) return direct;
  if (typeof value === "string") {
    try {
      const parsed = asObject(JSON.parse(value));
      if (parsed) return parsed;
    } catch {
      // reported below
    }
  }
  throw new InputError(`the ${what} is not a JSON object`);
}

/** Edits as Claude, Cursor and Windsurf send them: [{old_string, new_string, replace_all?}]. */
export function editList(value: unknown): TextEdit[] {
  if (!Array.isArray(value)) throw new InputError(`the tool input has no "edits" list`);
  return value.map((e, i) => {
    const o = asObject(e);
    if (!o) throw new InputError(`edit ${i + 1} is not an object`);
    return { old: field(o, "old_string", `edit ${i + 1}`), new: field(o, "new_string", `edit ${i + 1}`), all: o.replace_all === true };
  });
}

/** A shell command given as one string, or as argv (Codex's older exec input). */
export function commandText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length && value.every((w) => typeof w === "string")) {
    return (value as string[]).map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(" ");
  }
  throw new InputError(`the tool input has no "command"`);
}

/** Runs a protocol's parser, turning its input errors into a refusal with the reason. */
export function parsing(agent: AgentId, session: string | null, tool: string, cwd: string, build: () => ToolCall): Parsed {
  try {
    return { ok: true, request: { agent, session, tool, cwd, call: build() } };
  } catch (error) {
    if (error instanceof InputError) return { ok: false, reason: error.message, session, tool };
    throw error;
  }
}

/** The reason a refusal gives when the input itself is unusable. */
export function unreadable(reason: string): string {
  return `Bouncer could not read this tool call (${reason}), so it cannot vouch for what it installs. Retry the call in the usual form.`;
}
