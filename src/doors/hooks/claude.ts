// Claude Code's PreToolUse hook: input {session_id, cwd, hook_event_name, tool_name, tool_input}; an
// answer is JSON on stdout with exit 0 (hookSpecificOutput.permissionDecision allow|deny|ask). Exit 2
// also blocks, but any other failure (exit 1, a crash, a timeout) lets the tool run: Bouncer always
// answers with exit 0 and a decision. Codex reads the same wire format (./codex.ts).
import type { AgentId } from "./agents.ts";
import {
  type AgentProtocol,
  asObject,
  asString,
  commandText,
  editList,
  field,
  folder,
  type HookAnswer,
  type HookOutput,
  InputError,
  parsing,
  type ToolCall,
} from "./protocol.ts";

/** The Claude-style envelope (Claude Code, Codex): tool calls are built by `tools` from tool_input. */
export function claudeStyle(agent: AgentId, tools: Record<string, (input: Record<string, unknown>) => ToolCall>): AgentProtocol["parse"] {
  return (input, cwd) => {
    const o = asObject(input);
    if (!o) return { ok: false, reason: "the hook input is not a JSON object", session: null, tool: "unknown" };
    const session = asString(o.session_id) ?? null;
    const event = o.hook_event_name;
    const tool = asString(o.tool_name);
    if (event !== undefined && event !== "PreToolUse") return { ok: true, request: { agent, session, tool: tool ?? String(event), cwd, call: { kind: "pass" } } };
    if (!tool) return { ok: false, reason: `the hook input has no "tool_name"`, session, tool: "unknown" };
    const build = Object.hasOwn(tools, tool) ? tools[tool] : mcpFileTool(tool);
    return parsing(agent, session, tool, folder(o.cwd, cwd), () => {
      if (!build) return { kind: "pass" };
      const toolInput = asObject(o.tool_input);
      if (!toolInput) throw new InputError(`the hook input has no "tool_input" object`);
      return build(toolInput);
    });
  };
}

export const CLAUDE_TOOLS: Record<string, (input: Record<string, unknown>) => ToolCall> = {
  Bash: (i) => ({ kind: "shell", command: commandText(i.command) }),
  Write: (i) => ({ kind: "files", changes: [{ op: "write", file: field(i, "file_path"), content: field(i, "content") }] }),
  Edit: (i) => ({
    kind: "files",
    changes: [{ op: "edit", file: field(i, "file_path"), edits: [{ old: field(i, "old_string"), new: field(i, "new_string"), all: i.replace_all === true }] }],
  }),
  MultiEdit: (i) => ({ kind: "files", changes: [{ op: "edit", file: field(i, "file_path"), edits: editList(i.edits) }] }),
  // A deleted cell adds nothing; a replaced or inserted one adds its new source.
  NotebookEdit: (i) =>
    i.edit_mode === "delete"
      ? { kind: "pass" }
      : { kind: "files", changes: [{ op: "notebook-cell", file: field(i, "notebook_path"), source: field(i, "new_source"), cellType: i.cell_type === "markdown" ? "markdown" : "code" }] },
};

/**
 * The writes of an MCP filesystem server (the reference one's `write_file {path, content}` and
 * `edit_file {path, edits: [{oldText, newText}]}`), whatever the server is named: an agent that
 * writes a manifest through one edits it as with its own tools.
 */
function mcpFileTool(tool: string): ((input: Record<string, unknown>) => ToolCall) | undefined {
  const m = /^mcp__.+__(write_file|edit_file)$/.exec(tool);
  if (!m) return undefined;
  if (m[1] === "write_file") return (i) => ({ kind: "files", changes: [{ op: "write", file: field(i, "path"), content: field(i, "content") }] });
  return (i) => {
    if (!Array.isArray(i.edits)) throw new InputError(`the tool input has no "edits" list`);
    const edits = i.edits.map((e) => {
      const edit = asObject(e);
      if (!edit) throw new InputError(`an edit in "edits" is not an object`);
      return { old: field(edit, "oldText", "edit"), new: field(edit, "newText", "edit") };
    });
    return { kind: "files", changes: [{ op: "edit", file: field(i, "path"), edits }] };
  };
}

/** The PreToolUse answer both Claude Code and Codex read. */
export function preToolUse(decision: "deny" | "ask", reason: string): string {
  return `${JSON.stringify({ hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: decision, permissionDecisionReason: reason } })}\n`;
}

export const claude: AgentProtocol = {
  parse: claudeStyle("claude", CLAUDE_TOOLS),
  answer(a: HookAnswer): HookOutput {
    // An allow says nothing: the user's own permission rules still apply.
    if (a.verdict === "allow") return { stdout: "", stderr: "", exitCode: 0 };
    return { stdout: preToolUse(a.verdict === "block" ? "deny" : "ask", a.reason), stderr: "", exitCode: 0 };
  },
};
