// OpenAI Codex CLI's PreToolUse hook: Claude Code's wire format. Shell calls come as tool "Bash" with
// tool_input.command, file edits as "apply_patch" with the patch envelope in tool_input.command.
// permissionDecision "deny" blocks; "ask" is parsed but not supported (the call would run), so a warn
// is an allow with a systemMessage. A hook that fails or times out lets the call run.
import { CLAUDE_TOOLS, claudeStyle, preToolUse } from "./claude.ts";
import { type AgentProtocol, commandText, fieldOf, type HookAnswer, type HookOutput } from "./protocol.ts";

export const codex: AgentProtocol = {
  parse: claudeStyle("codex", {
    Bash: CLAUDE_TOOLS.Bash!,
    // Older and newer builds name the shell tools differently; the input is the same.
    shell: CLAUDE_TOOLS.Bash!,
    exec_command: (i) => ({ kind: "shell", command: commandText(i.cmd ?? i.command) }),
    apply_patch: (i) => ({ kind: "files", changes: [{ op: "patch", patch: fieldOf(i, ["command", "patch", "input"]) }] }),
  }),
  answer(a: HookAnswer): HookOutput {
    if (a.verdict === "allow") return { stdout: "", stderr: "", exitCode: 0 };
    if (a.verdict === "warn") return { stdout: `${JSON.stringify({ systemMessage: a.reason })}\n`, stderr: "", exitCode: 0 };
    return { stdout: preToolUse("deny", a.reason), stderr: "", exitCode: 0 };
  },
};
