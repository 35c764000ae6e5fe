// Cursor's hooks (.cursor/hooks.json): beforeShellExecution {conversation_id, generation_id, command,
// cwd, workspace_roots} and preToolUse {tool_name, tool_input} for file writes. The answer is JSON on
// stdout: {"permission": "allow"|"deny"|"ask", "user_message", "agent_message"}. Exit 2 also blocks; a
// hook that fails lets the action run unless it is declared failClosed (Bouncer's declaration is).
import { type AgentProtocol, asObject, asString, editList, fieldOf, folder, type HookAnswer, type HookOutput, InputError, parsing, type ToolCall } from "./protocol.ts";

const PATH = ["file_path", "path", "target_file"];

const TOOLS: Record<string, (i: Record<string, unknown>) => ToolCall> = {
  Shell: (i) => ({ kind: "shell", command: fieldOf(i, ["command"]) }),
  Write: (i) => ({ kind: "files", changes: [{ op: "write", file: fieldOf(i, PATH), content: fieldOf(i, ["contents", "content"]) }] }),
  StrReplace: (i) => ({
    kind: "files",
    changes: [{ op: "edit", file: fieldOf(i, PATH), edits: [{ old: fieldOf(i, ["old_string"]), new: fieldOf(i, ["new_string"]), all: i.replace_all === true }] }],
  }),
  MultiEdit: (i) => ({ kind: "files", changes: [{ op: "edit", file: fieldOf(i, PATH), edits: editList(i.edits) }] }),
};
TOOLS.Edit = TOOLS.StrReplace!;

export const cursor: AgentProtocol = {
  parse(input, base) {
    const o = asObject(input);
    if (!o) return { ok: false, reason: "the hook input is not a JSON object", session: null, tool: "unknown" };
    const session = asString(o.conversation_id) ?? null;
    const roots = Array.isArray(o.workspace_roots) ? o.workspace_roots : [];
    const cwd = folder(o.cwd ?? roots[0], base);
    const event = asString(o.hook_event_name);
    if (event === "beforeShellExecution" || (event === undefined && typeof o.command === "string")) {
      return parsing("cursor", session, "Shell", cwd, () => ({ kind: "shell", command: fieldOf(o, ["command"], "hook input") }));
    }
    if (event !== "preToolUse") return { ok: true, request: { agent: "cursor", session, tool: event ?? "unknown", cwd, call: { kind: "pass" } } };
    const tool = asString(o.tool_name);
    if (!tool) return { ok: false, reason: `the hook input has no "tool_name"`, session, tool: "unknown" };
    const build = Object.hasOwn(TOOLS, tool) ? TOOLS[tool] : undefined;
    return parsing("cursor", session, tool, cwd, () => {
      if (!build) return { kind: "pass" };
      const toolInput = asObject(o.tool_input);
      if (!toolInput) throw new InputError(`the hook input has no "tool_input" object`);
      return build(toolInput);
    });
  },
  answer(a: HookAnswer): HookOutput {
    if (a.verdict === "allow") return { stdout: `${JSON.stringify({ permission: "allow" })}\n`, stderr: "", exitCode: 0 };
    const permission = a.verdict === "block" ? "deny" : "ask";
    const user = a.verdict === "block" ? "Bouncer blocked this: a dependency it adds failed the check." : "Bouncer asks: a dependency this adds raised warnings.";
    return { stdout: `${JSON.stringify({ permission, user_message: user, agent_message: a.reason })}\n`, stderr: "", exitCode: 0 };
  },
};
