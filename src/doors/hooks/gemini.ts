// Gemini CLI's BeforeTool hook: input {session_id, cwd, hook_event_name, tool_name, tool_input}; the
// answer is JSON on stdout with exit 0: {"decision": "deny", "reason"} blocks and the reason goes to
// the model. Exit 2 also blocks; any other exit code is a warning and the tool runs. No "ask": a warn
// is an allow with a systemMessage.
import { asObject, asString, type AgentProtocol, field, folder, type HookAnswer, type HookOutput, InputError, parsing, type ToolCall } from "./protocol.ts";

const TOOLS: Record<string, (i: Record<string, unknown>, cwd: string) => { call: ToolCall; cwd?: string }> = {
  run_shell_command: (i, cwd) => ({ call: { kind: "shell", command: field(i, "command") }, cwd: folder(i.directory ?? i.dir_path, cwd) }),
  write_file: (i) => ({ call: { kind: "files", changes: [{ op: "write", file: field(i, "file_path"), content: field(i, "content") }] } }),
  replace: (i) => {
    const count = typeof i.expected_replacements === "number" ? i.expected_replacements : 1;
    return { call: { kind: "files", changes: [{ op: "edit", file: field(i, "file_path"), edits: [{ old: field(i, "old_string"), new: field(i, "new_string"), all: count > 1 }] }] } };
  },
};

export const gemini: AgentProtocol = {
  parse(input, base) {
    const o = asObject(input);
    if (!o) return { ok: false, reason: "the hook input is not a JSON object", session: null, tool: "unknown" };
    const session = asString(o.session_id) ?? null;
    const tool = asString(o.tool_name);
    if (o.hook_event_name !== undefined && o.hook_event_name !== "BeforeTool") {
      return { ok: true, request: { agent: "gemini", session, tool: tool ?? String(o.hook_event_name), cwd: base, call: { kind: "pass" } } };
    }
    if (!tool) return { ok: false, reason: `the hook input has no "tool_name"`, session, tool: "unknown" };
    const cwd = folder(o.cwd, base);
    const build = Object.hasOwn(TOOLS, tool) ? TOOLS[tool] : undefined;
    let where = cwd;
    const parsed = parsing("gemini", session, tool, cwd, () => {
      if (!build) return { kind: "pass" };
      const toolInput = asObject(o.tool_input);
      if (!toolInput) throw new InputError(`the hook input has no "tool_input" object`);
      const built = build(toolInput, cwd);
      where = built.cwd ?? cwd;
      return built.call;
    });
    if (parsed.ok) parsed.request.cwd = where;
    return parsed;
  },
  answer(a: HookAnswer): HookOutput {
    if (a.verdict === "allow") return { stdout: "{}\n", stderr: "", exitCode: 0 };
    if (a.verdict === "warn") return { stdout: `${JSON.stringify({ systemMessage: a.reason })}\n`, stderr: "", exitCode: 0 };
    return { stdout: `${JSON.stringify({ decision: "deny", reason: a.reason })}\n`, stderr: "", exitCode: 0 };
  },
};
