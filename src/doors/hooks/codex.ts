// OpenAI Codex CLI's PreToolUse hook: Claude Code's wire format. Shell calls come as tool "Bash" with
// tool_input.command, file edits as "apply_patch" with the patch envelope in tool_input.command.
// permissionDecision "deny" blocks; "ask" is parsed but not supported (the call would run), so a warn
// is an allow with a systemMessage. A hook that fails or times out lets the call run.
import { claudeStyle, preToolUse } from "./claude.ts";
import { type AgentProtocol, commandText, fieldOf, type HookAnswer, type HookOutput, type ToolCall } from "./protocol.ts";

const PATCH = /^\s*(?:apply_?patch)\b[\s\S]*?(\*\*\* Begin Patch[\s\S]*?\*\*\* End Patch)/;

/** A shell call, unless it runs apply_patch (older Codex builds patch through the shell: `apply_patch <<'EOF'`). */
function shellOrPatch(value: unknown): ToolCall {
  if (Array.isArray(value) && /^apply_?patch$/.test(String(value[0])) && typeof value[1] === "string") return { kind: "files", changes: [{ op: "patch", patch: value[1] }] };
  const text = commandText(value);
  const patch = PATCH.exec(text);
  return patch ? { kind: "files", changes: [{ op: "patch", patch: patch[1]! }] } : { kind: "shell", command: text };
}

export const codex: AgentProtocol = {
  parse: claudeStyle("codex", {
    Bash: (i) => shellOrPatch(i.command),
    // Older and newer builds name the shell tools differently; the input is the same.
    shell: (i) => shellOrPatch(i.command),
    exec_command: (i) => shellOrPatch(i.cmd ?? i.command),
    apply_patch: (i) => ({ kind: "files", changes: [{ op: "patch", patch: fieldOf(i, ["command", "patch", "input"]) }] }),
  }),
  answer(a: HookAnswer): HookOutput {
    if (a.verdict === "allow") return { stdout: "", stderr: "", exitCode: 0 };
    if (a.verdict === "warn") return { stdout: `${JSON.stringify({ systemMessage: a.reason })}\n`, stderr: "", exitCode: 0 };
    return { stdout: preToolUse("deny", a.reason), stderr: "", exitCode: 0 };
  },
};
