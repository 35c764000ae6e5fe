// Every agent lets a tool call run when its hook fails or is slow, so Bouncer's hook never fails: bad,
// huge or incomplete payloads and a broken data directory all come out as a deny in the agent's own
// protocol, never as a crash. (A registry that never answers: agents.slow.test.ts.)
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { MAX_HOOK_INPUT_BYTES } from "../../../src/doors/hooks/fast.ts";
import { AGENT_IDS, type AgentId } from "../../../src/doors/hooks/agents.ts";
import { loadProtocol } from "../../../src/doors/hooks/protocols.ts";
import type { AgentProtocol } from "../../../src/doors/hooks/protocol.ts";
import { type CliEnv, startCliEnv } from "../../support/cli-env.ts";
import { mutate, random } from "../../support/fuzz.ts";
import { cli, cliProcess } from "../cli/run.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/agent-hooks");

let env: CliEnv;
before(async () => {
  env = await startCliEnv();
});
after(() => env.server.close());

/** The verdict an output carries, checked to be well formed for the agent. */
function verdictOf(agent: AgentId, run: { code: number; stdout: string; stderr: string }): { verdict: "allow" | "ask" | "deny"; reason: string } {
  assert.doesNotMatch(run.stderr, /internal error|at .*\.ts:\d+/, "no crash");
  if (agent === "windsurf") {
    assert.ok(run.code === 0 || run.code === 2, `exit ${run.code}`);
    return run.code === 2 ? { verdict: "deny", reason: run.stderr } : { verdict: run.stdout ? "ask" : "allow", reason: run.stdout };
  }
  assert.equal(run.code, 0, run.stderr);
  if (!run.stdout) return { verdict: "allow", reason: "" };
  const out = JSON.parse(run.stdout) as Record<string, string> & { hookSpecificOutput?: Record<string, string> };
  const decision = out.hookSpecificOutput?.permissionDecision ?? out.permissionDecision ?? out.permission ?? out.decision ?? (out.systemMessage ? "ask" : "allow");
  const reason = out.hookSpecificOutput?.permissionDecisionReason ?? out.permissionDecisionReason ?? out.agent_message ?? out.reason ?? out.systemMessage ?? "";
  assert.ok(["allow", "ask", "deny"].includes(decision), decision);
  return { verdict: decision as "allow" | "ask" | "deny", reason };
}

const BROKEN: Array<[string, string, RegExp]> = [
  ["empty", "", /the hook input is empty/],
  ["not JSON", "{'tool_name': 'Bash'", /the hook input is not JSON/],
  ["a JSON array", "[1, 2, 3]", /not a JSON object/],
  ["null", "null", /not a JSON object/],
  ["nested too deep", `${"[".repeat(200_000)}${"]".repeat(200_000)}`, /not JSON|not a JSON object/],
];

for (const agent of AGENT_IDS) {
  test(`${agent}: unreadable payloads are denied with a clear reason`, async () => {
    for (const [what, stdin, reason] of BROKEN) {
      const run = await cli(["hook", agent], env.env, { stdin });
      const got = verdictOf(agent, run);
      assert.equal(got.verdict, "deny", what);
      assert.match(got.reason, /^Bouncer could not read this tool call/, what);
      assert.match(got.reason, reason, what);
    }
  });
}

test("missing or mistyped fields are denied with the field named; other events and tools pass", async () => {
  const cases: Array<[AgentId, unknown, "allow" | "deny", RegExp?]> = [
    ["claude", { hook_event_name: "PreToolUse", tool_input: { command: "npm i x" } }, "deny", /no "tool_name"/],
    ["claude", { hook_event_name: "PreToolUse", tool_name: "Bash" }, "deny", /no "tool_input" object/],
    ["claude", { hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: 5 } }, "deny", /no "command"/],
    ["claude", { hook_event_name: "PreToolUse", tool_name: "Write", tool_input: { file_path: "package.json" } }, "deny", /no "content" string/],
    ["claude", { hook_event_name: "PreToolUse", tool_name: "MultiEdit", tool_input: { file_path: "a.py", edits: [{ old_string: "a" }] } }, "deny", /edit 1 has no "new_string"/],
    ["claude", { hook_event_name: "PostToolUse", tool_name: "Bash", tool_input: {} }, "allow"],
    ["claude", { hook_event_name: "PreToolUse", tool_name: "mcp__github__create_issue", tool_input: {} }, "allow"],
    ["codex", { hook_event_name: "PreToolUse", tool_name: "apply_patch", tool_input: {} }, "deny", /"command" or "patch" or "input"/],
    ["codex", { hook_event_name: "PreToolUse", tool_name: "apply_patch", tool_input: { command: "*** Begin Patch\nhello\n*** End Patch" } }, "deny", /before its first file header/],
    ["gemini", { hook_event_name: "BeforeTool", tool_name: "replace", tool_input: { file_path: "x" } }, "deny", /no "old_string"/],
    ["gemini", { hook_event_name: "AfterTool", tool_name: "replace" }, "allow"],
    ["copilot", { toolName: "bash", toolArgs: "{not json" }, "deny", /toolArgs is not a JSON object/],
    ["copilot", { toolArgs: "{}" }, "deny", /no "toolName"/],
    ["copilot", { toolName: "view", toolArgs: { path: "package.json" } }, "allow"],
    ["cursor", { hook_event_name: "beforeShellExecution" }, "deny", /no "command"/],
    ["cursor", { hook_event_name: "preToolUse", tool_name: "Write", tool_input: { file_path: "package.json" } }, "deny", /"contents" or "content"/],
    ["cursor", { hook_event_name: "beforeReadFile", file_path: "x" }, "allow"],
    ["windsurf", { tool_info: {} }, "deny", /no "agent_action_name"/],
    ["windsurf", { agent_action_name: "pre_run_command" }, "deny", /no "tool_info" object/],
    ["windsurf", { agent_action_name: "pre_write_code", tool_info: { file_path: "x" } }, "deny", /no "edits" list/],
    ["windsurf", { agent_action_name: "post_run_command", tool_info: {} }, "allow"],
  ];
  for (const [agent, payload, verdict, reason] of cases) {
    const got = verdictOf(agent, await cli(["hook", agent], env.env, { stdin: JSON.stringify(payload) }));
    assert.equal(got.verdict, verdict, `${agent} ${JSON.stringify(payload)}`);
    if (reason) assert.match(got.reason, reason);
  }
});

test("fuzzed payloads (recorded ones with a value replaced) never crash and always answer well-formed", async () => {
  const rand = random(11);
  const dir = mkdtempSync(path.join(tmpdir(), "fuzz-project-"));
  writeFileSync(path.join(dir, "package.json"), '{\n  "name": "demo-app",\n  "version": "1.0.0",\n  "dependencies": {}\n}\n');
  const fixtures = AGENT_IDS.flatMap((agent) => {
    const folder = path.join(FIXTURES, agent);
    return ["edit-hallucinated", "apply_patch-hallucinated", "replace-hallucinated", "preToolUse-write-hallucinated", "pre_write_code-hallucinated", "bash-install", "pre_run_command-install"]
      .map((name) => path.join(folder, `${name}.json`))
      .filter((file) => {
        try {
          readFileSync(file);
          return true;
        } catch {
          return false;
        }
      })
      .map((file) => ({ agent, doc: JSON.parse(readFileSync(file, "utf8").replaceAll("__CWD__", dir)) as unknown }));
  });
  for (let i = 0; i < 60; i++) {
    const { agent, doc } = fixtures[i % fixtures.length]!;
    const run = await cli(["hook", agent], { ...env.env, BOUNCER_OFFLINE: "1" }, { stdin: JSON.stringify(mutate(rand, doc)), cwd: dir });
    verdictOf(agent, run);
  }
});

test("a payload larger than the hook reads is denied, by the real process, without reading all of it", async () => {
  const huge = `{"tool_name":"Bash","tool_input":{"command":"${"x".repeat(MAX_HOOK_INPUT_BYTES)}"}}`;
  const run = await cliProcess(["hook", "copilot"], env.env, huge);
  const got = verdictOf("copilot", run);
  assert.equal(got.verdict, "deny");
  assert.match(got.reason, /larger than 32 MiB/);
});

test("a data directory that cannot be used is a deny with the reason, in every agent's protocol", async () => {
  const home = mkdtempSync(path.join(tmpdir(), "broken-data-"));
  writeFileSync(path.join(home, "index.bin"), "not an index");
  for (const agent of AGENT_IDS) {
    const payloads: Record<AgentId, unknown> = {
      claude: { hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "npm install reactt" } },
      codex: { hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command: "npm install reactt" } },
      gemini: { hook_event_name: "BeforeTool", tool_name: "run_shell_command", tool_input: { command: "npm install reactt" } },
      copilot: { toolName: "bash", toolArgs: JSON.stringify({ command: "npm install reactt" }) },
      cursor: { hook_event_name: "beforeShellExecution", command: "npm install reactt" },
      windsurf: { agent_action_name: "pre_run_command", tool_info: { command_line: "npm install reactt" } },
    };
    const run = await cliProcess(["hook", agent], { ...env.env, BOUNCER_HOME: home }, JSON.stringify(payloads[agent]));
    const got = verdictOf(agent, run);
    assert.equal(got.verdict, "deny", agent);
    assert.match(got.reason, /not set up to check this call: the offline index .* is unusable/, agent);
    // Said to the model: what to ask the user for, not a command to type.
    assert.match(got.reason, /the user must rebuild Bouncer's offline index/, agent);
    assert.doesNotMatch(got.reason, /`bouncer /, agent);
  }
});

test("Copilot's editor tool: an inserted requirement is judged in place", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "copilot-editor-"));
  writeFileSync(path.join(dir, "requirements.txt"), "requests==2.31.0\n");
  const stdin = readFileSync(path.join(FIXTURES, "copilot", "str_replace_editor-insert.json"), "utf8").replaceAll("__CWD__", dir);
  const run = await cli(["hook", "copilot"], env.env, { stdin });
  const got = verdictOf("copilot", run);
  assert.equal(got.verdict, "deny");
  assert.match(got.reason, /pypi package "fastapi-secure-auth-extension" \(requirements\.txt:2\)/);
  assert.doesNotMatch(got.reason, /"requests"/);
});

test("a hook declared wrongly still answers in its agent's protocol; an unknown agent is a usage error", async () => {
  const wrong = await cli(["hook", "copilot", "--budget-ms", "soon"], env.env, { stdin: "{}" });
  const got = verdictOf("copilot", wrong);
  assert.equal(got.verdict, "deny");
  assert.match(got.reason, /declared wrongly \(the hook budget must be a whole number of milliseconds/);
  const unknownOption = await cli(["hook", "windsurf", "--fast"], env.env, { stdin: "{}" });
  assert.equal(verdictOf("windsurf", unknownOption).verdict, "deny");
  const nobody = await cli(["hook", "vim"], env.env, { stdin: "{}" });
  assert.deepEqual([nobody.code, nobody.stderr.split("\n")[0]], [2, 'bouncer: no agent "vim"']);
});

test("protocol answers are exact for each verdict", async () => {
  const reason = "R";
  const protocols = Object.fromEntries(await Promise.all(AGENT_IDS.map(async (a) => [a, await loadProtocol(a)] as const))) as Record<AgentId, AgentProtocol>;
  const out = (agent: AgentId, verdict: "allow" | "warn" | "block") => protocols[agent].answer({ verdict, reason: verdict === "allow" ? "" : reason });
  assert.deepEqual(out("claude", "warn"), { stdout: '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"ask","permissionDecisionReason":"R"}}\n', stderr: "", exitCode: 0 });
  assert.deepEqual(out("codex", "warn"), { stdout: '{"systemMessage":"R"}\n', stderr: "", exitCode: 0 });
  assert.deepEqual(out("codex", "block"), { stdout: '{"hookSpecificOutput":{"hookEventName":"PreToolUse","permissionDecision":"deny","permissionDecisionReason":"R"}}\n', stderr: "", exitCode: 0 });
  assert.deepEqual(out("gemini", "warn"), { stdout: '{"systemMessage":"R"}\n', stderr: "", exitCode: 0 });
  assert.deepEqual(out("copilot", "warn"), { stdout: '{"permissionDecision":"ask","permissionDecisionReason":"R"}\n', stderr: "", exitCode: 0 });
  assert.deepEqual(out("cursor", "warn").stdout, '{"permission":"ask","user_message":"Bouncer asks: a dependency this adds raised warnings.","agent_message":"R"}\n');
  assert.deepEqual(out("windsurf", "warn"), { stdout: "R\n", stderr: "", exitCode: 0 });
  assert.deepEqual(out("windsurf", "block"), { stdout: "", stderr: "R\n", exitCode: 2 });
});

test("an edit that adds an invented action or ref to a workflow is denied with the did-you-mean; the corrected edit passes", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hook-workflow-"));
  const file = path.join(dir, ".github", "workflows", "ci.yml");
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n");
  const edit = (added: string) => ({
    session_id: "s1",
    cwd: dir,
    hook_event_name: "PreToolUse",
    tool_name: "Edit",
    tool_input: { file_path: file, old_string: "      - run: echo hi", new_string: `${added}      - run: echo hi` },
  });
  const offline = { ...env.env, BOUNCER_OFFLINE: "1", BOUNCER_NOW: "2026-11-23T12:00:00Z" };
  const bad = verdictOf("claude", await cli(["hook", "claude"], offline, { stdin: JSON.stringify(edit("      - uses: action/checkout@v4\n")), cwd: dir }));
  assert.equal(bad.verdict, "deny");
  assert.match(bad.reason, /action\/checkout/);
  assert.match(bad.reason, /Did you mean "actions\/checkout"/);
  const good = verdictOf("claude", await cli(["hook", "claude"], offline, { stdin: JSON.stringify(edit("      - uses: actions/checkout@v6\n")), cwd: dir }));
  assert.notEqual(good.verdict, "deny", good.reason);
});

test("a command line Bouncer cannot read whole is denied, not judged on the part it read", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hook-limits-"));
  writeFileSync(path.join(dir, "package.json"), '{ "name": "p", "version": "1.0.0" }\n');
  const quote = (s: string) => `'${s.replace(/'/g, `'"'"'`)}'`;
  let nested = "npm install expresss";
  for (let i = 0; i < 6; i++) nested = `bash -c ${quote(nested)}`;
  const lines: Array<[string, string, RegExp]> = [
    ["an install after 50,000 harmless commands", `${Array(50_001).fill("true").join(" && ")} && npm install expresss`, /more than 50000 commands/],
    ["an install inside shells nested 6 deep", nested, /shells nested more than 4 deep/],
    ["an install of more than 5,000 names", `npm install ${Array.from({ length: 5_000 }, () => "react").join(" ")} expresss`, /more than 5000 words/],
  ];
  for (const [what, command, why] of lines) {
    const stdin = JSON.stringify({ session_id: "s", cwd: dir, hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command } });
    const got = verdictOf("claude", await cli(["hook", "claude"], { ...env.env, BOUNCER_OFFLINE: "1" }, { stdin, cwd: dir }));
    assert.equal(got.verdict, "deny", what);
    assert.match(got.reason, /cannot read it whole/, what);
    assert.match(got.reason, why, what);
  }
});

test("a call that adds more packages than can be checked in the agent's time is denied at once", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "hook-many-"));
  const names = (from: number, count: number) => Array.from({ length: count }, (_, i) => `pkg-${from + i}`).join(" ");
  const call = (tool: string, toolInput: object) => JSON.stringify({ session_id: "s", cwd: dir, hook_event_name: "PreToolUse", tool_name: tool, tool_input: toolInput });
  const line = Array.from({ length: 21 }, (_, k) => `npm install ${names(k * 4900, 4900)}`).join(" && ");
  const lines = Array.from({ length: 100_001 }, (_, i) => `pkg-${i}==1.0`).join("\n");
  for (const stdin of [call("Bash", { command: line }), call("Write", { file_path: path.join(dir, "requirements.txt"), content: lines })]) {
    const got = verdictOf("claude", await cli(["hook", "claude"], { ...env.env, BOUNCER_OFFLINE: "1" }, { stdin, cwd: dir }));
    assert.equal(got.verdict, "deny");
    assert.match(got.reason, /Bouncer checks at most 100000 in one call/);
  }
});
