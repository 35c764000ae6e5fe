// Slow: about 25 spawned hook processes against a local registry (CI runs it with test:all).
// The agent door end to end, per agent, at the protocol level: recorded hook payloads go into a
// spawned `bin/bouncer.js hook <agent>`; the exact answer and exit code come out. A session per agent:
// an edit that adds a hallucinated dependency is denied with the right did-you-mean, the corrected
// edit is allowed, and the install that follows is allowed.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { AGENT_IDS, type AgentId } from "../../../src/doors/hooks/agents.ts";
import { readEntries } from "../../../src/ledger/ledger.ts";
import { type CliEnv, startCliEnv } from "../../support/cli-env.ts";
import { HOSTILE } from "../../support/registry-server.ts";
import { cliProcess } from "../cli/run.ts";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/agent-hooks");
const BASE_MANIFEST = '{\n  "name": "demo-app",\n  "version": "1.0.0",\n  "dependencies": {}\n}\n';
const CORRECTED_MANIFEST = '{\n  "name": "demo-app",\n  "version": "1.0.0",\n  "dependencies": {\n    "react": "19.2.0"\n  }\n}\n';

let cli: CliEnv;
before(async () => {
  cli = await startCliEnv();
});
after(() => cli.server.close());

function project(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "agent-project-"));
  writeFileSync(path.join(dir, "package.json"), BASE_MANIFEST);
  return dir;
}

function payload(agent: AgentId, name: string, cwd: string): string {
  return readFileSync(path.join(FIXTURES, agent, `${name}.json`), "utf8").replaceAll("__CWD__", cwd);
}

async function hook(agent: AgentId, name: string, cwd: string) {
  return cliProcess(["hook", agent], { ...cli.env, BOUNCER_HOME: path.join(cwd, ".data") }, payload(agent, name, cwd));
}

/** The exact output of an allow, per agent. */
const ALLOW: Record<AgentId, string> = {
  claude: "",
  codex: "",
  gemini: "{}\n",
  copilot: "",
  cursor: '{"permission":"allow"}\n',
  windsurf: "",
};

/** The reason a deny gives to the model, after checking the deny's exact shape and exit code. */
function denied(agent: AgentId, run: { code: number; stdout: string; stderr: string }): string {
  if (agent === "windsurf") {
    assert.equal(run.code, 2, run.stderr);
    assert.equal(run.stdout, "");
    return run.stderr;
  }
  assert.equal(run.code, 0, run.stderr);
  const out = JSON.parse(run.stdout) as Record<string, string> & { hookSpecificOutput: Record<string, string> };
  switch (agent) {
    case "claude":
    case "codex":
      assert.deepEqual(Object.keys(out), ["hookSpecificOutput"]);
      assert.deepEqual(Object.keys(out.hookSpecificOutput), ["hookEventName", "permissionDecision", "permissionDecisionReason"]);
      assert.equal(out.hookSpecificOutput.hookEventName, "PreToolUse");
      assert.equal(out.hookSpecificOutput.permissionDecision, "deny");
      return out.hookSpecificOutput.permissionDecisionReason;
    case "gemini":
      assert.deepEqual(Object.keys(out), ["decision", "reason"]);
      assert.equal(out.decision, "deny");
      return out.reason;
    case "copilot":
      assert.deepEqual(Object.keys(out), ["permissionDecision", "permissionDecisionReason"]);
      assert.equal(out.permissionDecision, "deny");
      return out.permissionDecisionReason;
    case "cursor":
      assert.deepEqual(Object.keys(out), ["permission", "user_message", "agent_message"]);
      assert.equal(out.permission, "deny");
      return out.agent_message;
  }
}

const SESSION: Record<AgentId, { bad: string; good: string; install: string; session: string; tool: string }> = {
  claude: { bad: "edit-hallucinated", good: "edit-corrected", install: "bash-install", session: "9f2c1e7a-5b1d-4c8e-a0f3-2d6b8e4c1a90", tool: "Edit" },
  codex: { bad: "apply_patch-hallucinated", good: "apply_patch-corrected", install: "bash-install", session: "0199a3f1-7c2e-7d10-b6a4-5f3e2c1d0b9a", tool: "apply_patch" },
  gemini: { bad: "replace-hallucinated", good: "replace-corrected", install: "run_shell_command-install", session: "c5a0e2a4-8f7b-4b8e-9d0c-1f2e3d4c5b6a", tool: "replace" },
  copilot: { bad: "edit-hallucinated", good: "edit-corrected", install: "bash-install", session: "b7c1d2e3-f4a5-4b6c-8d9e-0f1a2b3c4d5e", tool: "edit" },
  cursor: { bad: "preToolUse-write-hallucinated", good: "preToolUse-strreplace-corrected", install: "beforeShellExecution-install", session: "3f6e2b1a-9c8d-4e7f-a6b5-c4d3e2f1a0b9", tool: "Write" },
  windsurf: { bad: "pre_write_code-hallucinated", good: "pre_write_code-corrected", install: "pre_run_command-install", session: "d2c1b0a9-8f7e-4d6c-b5a4-3e2d1c0b9a8f", tool: "pre_write_code" },
};

for (const agent of AGENT_IDS) {
  test(`${agent}: a hallucinated dependency is denied with its did-you-mean, the corrected edit and the install pass`, async () => {
    const dir = project();
    const s = SESSION[agent];
    const bad = await hook(agent, s.bad, dir);
    const reason = denied(agent, bad);
    assert.match(reason, /^Bouncer blocked this change to package\.json/);
    assert.match(reason, /- BLOCKED: npm package "reactt" 19\.2\.0 \(package\.json:5\): the npm registry has no package named "reactt"/);
    assert.match(reason, /Did you mean "react"/);

    const good = await hook(agent, s.good, dir);
    assert.deepEqual({ code: good.code, stdout: good.stdout }, { code: 0, stdout: ALLOW[agent] }, good.stderr);
    // The agent's tool writes the file; then it installs.
    writeFileSync(path.join(dir, "package.json"), CORRECTED_MANIFEST);
    const install = await hook(agent, s.install, dir);
    assert.deepEqual({ code: install.code, stdout: install.stdout }, { code: 0, stdout: ALLOW[agent] }, install.stderr);

    const entries = readEntries(path.join(dir, ".data")).map((l) => JSON.parse(l));
    assert.ok(entries.length >= 3, "every decision is logged");
    for (const e of entries) {
      assert.equal(e.door, "agent");
      assert.equal(e.agent.name, agent);
      assert.equal(e.agent.session, s.session);
    }
    assert.deepEqual(
      entries.filter((e) => e.name === "reactt").map((e) => [e.verdict, e.agent.tool]),
      [["block", s.tool]],
    );
    assert.ok(entries.some((e) => e.name === "react" && e.verdict === "allow"));
    const verify = await cliProcess(["audit", "verify"], { ...cli.env, BOUNCER_HOME: path.join(dir, ".data") });
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  });
}

test("a command that installs nothing, and a tool that writes no dependency, pass at once and are not logged", async () => {
  const dir = project();
  for (const [agent, name] of [
    ["claude", "bash-nothing"],
    ["claude", "read"],
    ["codex", "bash-nothing"],
    ["gemini", "run_shell_command-nothing"],
    ["cursor", "beforeShellExecution-nothing"],
    ["windsurf", "pre_read_code"],
  ] as const) {
    const run = await hook(agent, name, dir);
    assert.deepEqual({ code: run.code, stdout: run.stdout, stderr: run.stderr }, { code: 0, stdout: ALLOW[agent], stderr: "" }, `${agent} ${name}`);
  }
  assert.equal(readEntries(path.join(dir, ".data")).length, 0);
});

test("sudo, python -m pip and bash -c are read with the guard's grammar; a -r file written by the agent is judged", async () => {
  const dir = project();
  const pip = await hook("codex", "bash-sudo-python-pip", dir);
  const reason = denied("codex", pip);
  assert.match(reason, /pypi package "fastapi-secure-auth-extension"/);
  assert.doesNotMatch(reason, /"requests"/);

  const requirements = await hook("gemini", "write_file-requirements", dir);
  assert.match(denied("gemini", requirements), /fastapi-secure-auth-extension.*\(requirements\.txt:2\)/);
  const created = await hook("copilot", "create-requirements", dir);
  assert.match(denied("copilot", created), /fastapi-secure-auth-extension/);

  const dlx = await hook("copilot", "bash-vscode-format", dir);
  assert.match(denied("copilot", dlx), /npm package "create-vite-app-pro"/);
});

test("a patch Codex applies through the shell is judged as the edit it is", async () => {
  const dir = project();
  const run = await hook("codex", "bash-apply_patch-heredoc", dir);
  const reason = denied("codex", run);
  assert.match(reason, /^Bouncer blocked this change to package\.json/);
  assert.match(reason, /npm package "expresss" 4\.21\.2 \(package\.json:5\)/);
});

test("a source file's new imports are judged; a MultiEdit of the manifest is judged as a whole", async () => {
  const dir = project();
  const source = await hook("claude", "write-source", dir);
  const reason = denied("claude", source);
  assert.match(reason, /this change to fetch_data\.py/);
  assert.match(reason, /pypi package "reqeusts"/);
  assert.match(reason, /Did you mean "requests"/);
  // A deprecated package: warned, so Claude asks the user.
  const multi = await hook("claude", "multiedit", dir);
  assert.equal(multi.code, 0);
  const out = JSON.parse(multi.stdout);
  assert.equal(out.hookSpecificOutput.permissionDecision, "ask");
  assert.match(out.hookSpecificOutput.permissionDecisionReason, /^Bouncer flagged this change to package\.json.*\n- WARNING: npm package "left-pad" 1\.3\.0 \(package\.json:5\): .*deprecated/s);
});

test("a registry that never answers: the network is given up at 40% of the budget and offline facts answer in time", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "slow-"));
  mkdirSync(path.join(dir, "data"));
  const payload = { hook_event_name: "PreToolUse", session_id: "s", cwd: dir, tool_name: "Bash", tool_input: { command: `npm install ${HOSTILE.hang}` } };
  const run = await cliProcess(["hook", "claude", "--budget-ms", "10000"], { ...cli.env, BOUNCER_HOME: path.join(dir, "data") }, JSON.stringify(payload));
  // Judged on offline facts (not timed out): the package is named with what could not be verified.
  assert.equal(run.code, 0, run.stderr);
  const reason = JSON.parse(run.stdout).hookSpecificOutput.permissionDecisionReason as string;
  assert.match(reason, new RegExp(`npm package "${HOSTILE.hang}"`));
  assert.doesNotMatch(reason, /could not finish checking/);
});

test("claude: a notebook cell that installs and imports an invented package is denied, by the real process", async () => {
  const cwd = project();
  writeFileSync(path.join(cwd, "analysis.ipynb"), JSON.stringify({ cells: [{ id: "a1b2c3d4", cell_type: "code", metadata: {}, source: ["import json\n"] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  const reason = denied("claude", await hook("claude", "notebookedit", cwd));
  assert.match(reason, /^Bouncer blocked this change to analysis\.ipynb/);
  assert.match(reason, /fastapi-secure-auth-extension/);
});
