// GitHub Copilot's preToolUse hook (Copilot CLI and the coding agent, .github/hooks/*.json):
// camelCase input {sessionId, timestamp, cwd, toolName, toolArgs} (toolArgs may be a JSON string), or
// the VS Code-compatible {hook_event_name, session_id, cwd, tool_name, tool_input}. The answer is JSON
// on stdout: {"permissionDecision": "deny"|"ask"|"allow", "permissionDecisionReason"}. A hook that
// exits non-zero or times out is logged and skipped (the tool runs): Bouncer always exits 0.
import { type AgentProtocol, asObject, asString, field, folder, type HookAnswer, type HookOutput, InputError, objectOrJson, parsing, type ToolCall } from "./protocol.ts";

const shell = (i: Record<string, unknown>): ToolCall => ({ kind: "shell", command: field(i, "command") });

const edit = (i: Record<string, unknown>): ToolCall => ({ kind: "files", changes: [{ op: "edit", file: field(i, "path"), edits: [{ old: field(i, "old_str"), new: field(i, "new_str") }] }] });
const create = (i: Record<string, unknown>): ToolCall => ({ kind: "files", changes: [{ op: "write", file: field(i, "path"), content: field(i, "file_text") }] });

const TOOLS: Record<string, (i: Record<string, unknown>) => ToolCall> = {
  bash: shell,
  powershell: shell,
  edit,
  create,
  // The coding agent's editor tool: one name, the operation in "command".
  str_replace_editor: (i) => {
    if (i.command === "create") return create(i);
    if (i.command === "str_replace") return edit(i);
    if (i.command === "insert") {
      const line = typeof i.insert_line === "number" ? i.insert_line : Number.NaN;
      if (!Number.isInteger(line) || line < 0) throw new InputError(`the tool input has no "insert_line" number`);
      return { kind: "files", changes: [{ op: "insert", file: field(i, "path"), line, text: field(i, "new_str") }] };
    }
    return { kind: "pass" };
  },
};

export const copilot: AgentProtocol = {
  parse(input, base) {
    const o = asObject(input);
    if (!o) return { ok: false, reason: "the hook input is not a JSON object", session: null, tool: "unknown" };
    const snake = o.tool_name !== undefined || o.hook_event_name !== undefined;
    const session = asString(snake ? o.session_id : o.sessionId) ?? null;
    const tool = asString(snake ? o.tool_name : o.toolName);
    if (snake && o.hook_event_name !== undefined && o.hook_event_name !== "PreToolUse") {
      return { ok: true, request: { agent: "copilot", session, tool: tool ?? String(o.hook_event_name), cwd: base, call: { kind: "pass" } } };
    }
    if (!tool) return { ok: false, reason: `the hook input has no "toolName"`, session, tool: "unknown" };
    const build = Object.hasOwn(TOOLS, tool) ? TOOLS[tool] : undefined;
    return parsing("copilot", session, tool, folder(o.cwd, base), () => (build ? build(objectOrJson(snake ? o.tool_input : o.toolArgs, "toolArgs")) : { kind: "pass" }));
  },
  answer(a: HookAnswer): HookOutput {
    if (a.verdict === "allow") return { stdout: "", stderr: "", exitCode: 0 };
    const decision = a.verdict === "block" ? "deny" : "ask";
    return { stdout: `${JSON.stringify({ permissionDecision: decision, permissionDecisionReason: a.reason })}\n`, stderr: "", exitCode: 0 };
  },
};
