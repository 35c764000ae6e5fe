// Windsurf's Cascade hooks (hooks.json): pre_run_command {agent_action_name, trajectory_id,
// execution_id, timestamp, tool_info: {command_line, cwd}} and pre_write_code {tool_info: {file_path,
// edits: [{old_string, new_string}]}}. A pre-hook answers by exit code alone: 2 blocks (stderr is
// shown); anything else, a crash or a timeout included, lets the action run. No "ask".
import path from "node:path";
import { type AgentProtocol, asObject, asString, editList, fieldOf, folder, type HookAnswer, type HookOutput, InputError, parsing } from "./protocol.ts";

export const windsurf: AgentProtocol = {
  parse(input, base) {
    const o = asObject(input);
    if (!o) return { ok: false, reason: "the hook input is not a JSON object", session: null, tool: "unknown" };
    const session = asString(o.trajectory_id) ?? null;
    const action = asString(o.agent_action_name);
    if (!action) return { ok: false, reason: `the hook input has no "agent_action_name"`, session, tool: "unknown" };
    if (action !== "pre_run_command" && action !== "pre_write_code") return { ok: true, request: { agent: "windsurf", session, tool: action, cwd: base, call: { kind: "pass" } } };
    const info = asObject(o.tool_info);
    if (!info) return { ok: false, reason: `the hook input has no "tool_info" object`, session, tool: action };
    // pre_write_code names no folder: the hook's own (the workspace) when the file is in it, else the file's.
    const file = asString(info.file_path);
    const inside = file !== undefined && !path.relative(base, path.resolve(base, file)).startsWith("..");
    const cwd = info.cwd !== undefined || file === undefined || inside ? folder(info.cwd, base) : path.dirname(path.resolve(base, file));
    return parsing("windsurf", session, action, cwd, () => {
      if (action === "pre_run_command") return { kind: "shell", command: fieldOf(info, ["command_line", "command"], "tool_info") };
      const file = fieldOf(info, ["file_path"], "tool_info");
      if (!Array.isArray(info.edits)) throw new InputError(`the tool_info has no "edits" list`);
      return { kind: "files", changes: [{ op: "edit", file, edits: editList(info.edits) }] };
    });
  },
  answer(a: HookAnswer): HookOutput {
    if (a.verdict === "allow") return { stdout: "", stderr: "", exitCode: 0 };
    if (a.verdict === "warn") return { stdout: `${a.reason}\n`, stderr: "", exitCode: 0 };
    return { stdout: "", stderr: `${a.reason}\n`, exitCode: 2 };
  },
};
