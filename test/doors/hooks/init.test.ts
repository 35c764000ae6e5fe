// `bouncer init` and `bouncer agents` on real settings files of each agent, with other hooks and MCP
// servers present: the hook goes in without touching the rest, a second run changes nothing,
// --dry-run writes nothing, and uninstall gives back the files byte for byte.
import assert from "node:assert/strict";
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parse as parseToml } from "smol-toml";
import type { AgentId } from "../../../src/doors/hooks/agents.ts";
import { parseJsonc, toValue } from "../../../src/doors/hooks/settings/jsonc.ts";
import { matcherCovers } from "../../../src/doors/hooks/install.ts";
import { cli } from "../cli/run.ts";

const CLAUDE_SETTINGS = `{
  "$schema": "https://json.schemastore.org/claude-code-settings.json",
  "permissions": {
    "allow": ["Bash(npm run lint)", "Bash(npm test:*)"],
    "deny": ["Read(./.env)"]
  },
  "hooks": {
    "PreToolUse": [
      {
        "matcher": "Bash",
        "hooks": [
          { "type": "command", "command": "$CLAUDE_PROJECT_DIR/.claude/hooks/block-rm.sh" }
        ]
      }
    ],
    "PostToolUse": [
      {
        "matcher": "Edit|Write",
        "hooks": [{ "type": "command", "command": "npx prettier --write \\"$CLAUDE_FILE_PATHS\\"" }]
      }
    ]
  }
}
`;
const CLAUDE_MCP = `{
  "mcpServers": {
    "github": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-github"] }
  }
}
`;
const CODEX_HOOKS = `{
  "hooks": {
    "SessionStart": [{ "hooks": [{ "type": "command", "command": "python3 .codex/hooks/context.py", "timeout": 5 }] }],
    "PreToolUse": [
      { "matcher": "Bash", "hooks": [{ "type": "command", "command": "./.codex/hooks/no-force-push.sh" }] }
    ]
  }
}
`;
const CODEX_CONFIG = `# Codex settings for this repository
model = "gpt-5-codex"
approval_policy = "on-request"

[mcp_servers.context7]
command = "npx"
args = ["-y", "@upstash/context7-mcp"]   # docs lookups
`;
const GEMINI_SETTINGS = `// Gemini CLI project settings
{
  "general": { "vimMode": false },
  /* hooks the team relies on */
  "hooks": {
    "BeforeTool": [
      {
        "matcher": "write_file|replace",
        "hooks": [
          { "name": "secret-scan", "type": "command", "command": "$GEMINI_PROJECT_DIR/.gemini/hooks/secrets.sh", "timeout": 5000 },
        ],
      },
    ],
  },
  "mcpServers": {},
}
`;
const COPILOT_OTHER = `{
  "version": 1,
  "hooks": {
    "sessionStart": [{ "type": "command", "bash": "echo started >> .github/hooks/audit.log" }]
  }
}
`;
const COPILOT_MCP = `{
  "mcpServers": {
    "playwright": { "type": "local", "command": "npx", "args": ["@playwright/mcp@latest"], "tools": ["*"] }
  }
}
`;
const CURSOR_HOOKS = `{
  "version": 1,
  "hooks": {
    "afterFileEdit": [{ "command": "./hooks/format.sh" }],
    "beforeShellExecution": [{ "command": "./hooks/audit.sh" }]
  }
}
`;
const WINDSURF_HOOKS = `{
  "hooks": {
    "pre_run_command": [
      {
        "command": "python3 .windsurf/hooks/block_dangerous.py",
        "show_output": true
      }
    ]
  }
}
`;

/** The project files of each agent, as found before Bouncer. */
const PROJECT: Record<AgentId, Record<string, string>> = {
  claude: { ".claude/settings.json": CLAUDE_SETTINGS, ".mcp.json": CLAUDE_MCP },
  codex: { ".codex/hooks.json": CODEX_HOOKS, ".codex/config.toml": CODEX_CONFIG },
  gemini: { ".gemini/settings.json": GEMINI_SETTINGS },
  copilot: { ".github/hooks/security.json": COPILOT_OTHER, ".github/mcp.json": COPILOT_MCP },
  cursor: { ".cursor/hooks.json": CURSOR_HOOKS },
  windsurf: { ".windsurf/hooks.json": WINDSURF_HOOKS },
};

function setUp(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "init-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const read = (dir: string, rel: string) => readFileSync(path.join(dir, rel), "utf8");
// biome-ignore lint/suspicious/noExplicitAny: settings are checked field by field
type Settings = Record<string, any>;
const json = (dir: string, rel: string) => toValue(parseJsonc(read(dir, rel))) as Settings;

/** What each agent's settings hold once Bouncer is in (checked on the parsed files). */
const INSTALLED: Record<AgentId, (dir: string) => void> = {
  claude(dir) {
    const s = json(dir, ".claude/settings.json");
    assert.equal(s.hooks.PreToolUse.length, 2);
    assert.equal(s.hooks.PreToolUse[0].hooks[0].command, "$CLAUDE_PROJECT_DIR/.claude/hooks/block-rm.sh");
    assert.deepEqual(s.hooks.PreToolUse[1], { matcher: "Bash|Write|Edit|MultiEdit|NotebookEdit|mcp__.*__write_file|mcp__.*__edit_file", hooks: [{ type: "command", command: "bouncer hook claude", timeout: 30 }] });
    assert.deepEqual(Object.keys(json(dir, ".mcp.json").mcpServers), ["github", "bouncer"]);
    assert.deepEqual(json(dir, ".mcp.json").mcpServers.bouncer, { command: "bouncer", args: ["mcp"] });
  },
  codex(dir) {
    const h = json(dir, ".codex/hooks.json");
    assert.deepEqual(h.hooks.PreToolUse[1], { matcher: "Bash|apply_patch", hooks: [{ type: "command", command: "bouncer hook codex", timeout: 30 }] });
    const config = read(dir, ".codex/config.toml");
    assert.ok(config.startsWith(CODEX_CONFIG), "the TOML is appended to, never rewritten");
    assert.deepEqual({ ...(parseToml(config).mcp_servers as Record<string, object>).bouncer }, { command: "bouncer", args: ["mcp"] });
  },
  gemini(dir) {
    const text = read(dir, ".gemini/settings.json");
    assert.match(text, /^\/\/ Gemini CLI project settings\n/);
    assert.match(text, /\/\* hooks the team relies on \*\//);
    const s = toValue(parseJsonc(text)) as Settings;
    assert.equal(s.hooks.BeforeTool[0].hooks[0].name, "secret-scan");
    assert.deepEqual(s.hooks.BeforeTool[1], {
      matcher: "run_shell_command|write_file|replace",
      hooks: [{ name: "bouncer", type: "command", command: "bouncer hook gemini", timeout: 30000 }],
    });
    assert.deepEqual(s.mcpServers, { bouncer: { command: "bouncer", args: ["mcp"] } });
  },
  copilot(dir) {
    assert.equal(read(dir, ".github/hooks/security.json"), COPILOT_OTHER);
    assert.deepEqual(json(dir, ".github/hooks/bouncer.json"), { version: 1, hooks: { preToolUse: [{ type: "command", bash: "bouncer hook copilot", timeoutSec: 30 }] } });
    assert.deepEqual(Object.keys(json(dir, ".github/mcp.json").mcpServers), ["playwright", "bouncer"]);
  },
  cursor(dir) {
    const h = json(dir, ".cursor/hooks.json");
    assert.deepEqual(h.hooks.beforeShellExecution, [{ command: "./hooks/audit.sh" }, { command: "bouncer hook cursor", timeout: 30, failClosed: true }]);
    assert.deepEqual(h.hooks.preToolUse, [{ command: "bouncer hook cursor", matcher: "Write|StrReplace|Edit|MultiEdit", timeout: 30, failClosed: true }]);
    assert.deepEqual(h.hooks.afterFileEdit, [{ command: "./hooks/format.sh" }]);
    assert.deepEqual(json(dir, ".cursor/mcp.json"), { mcpServers: { bouncer: { command: "bouncer", args: ["mcp"] } } });
  },
  windsurf(dir) {
    const h = json(dir, ".windsurf/hooks.json");
    assert.equal(h.hooks.pre_run_command.length, 2);
    assert.deepEqual(h.hooks.pre_run_command[1], { command: "bouncer hook windsurf", show_output: true });
    assert.deepEqual(h.hooks.pre_write_code, [{ command: "bouncer hook windsurf", show_output: true }]);
  },
};

for (const agent of Object.keys(PROJECT) as AgentId[]) {
  test(`${agent}: init round-trips on real settings with other hooks present`, async () => {
    const dir = setUp(PROJECT[agent]);
    const env = { HOME: mkdtempSync(path.join(tmpdir(), "home-")), PATH: process.env.PATH };
    const before = Object.fromEntries(Object.keys(PROJECT[agent]).map((rel) => [rel, read(dir, rel)]));

    const dry = await cli(["init", "--dry-run"], env, { cwd: dir });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`${agent}: would change `));
    assert.match(dry.stdout, new RegExp(`\\+ .*bouncer hook ${agent}`));
    for (const [rel, text] of Object.entries(before)) assert.equal(read(dir, rel), text, "a dry run writes nothing");

    // Found by its settings, without naming it.
    const run = await cli(["init"], env, { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`${agent}: updated .*hook added`));
    INSTALLED[agent](dir);

    const again = await cli(["init"], env, { cwd: dir });
    assert.equal(again.stdout.split("\n")[0], `${agent}: already installed`);

    const list = await cli(["agents", "list", "--json", "--agent", agent], env, { cwd: dir });
    const status = JSON.parse(list.stdout)[0];
    assert.deepEqual([status.detected.project, status.hook.project], [true, "yes"]);

    const out = await cli(["agents", "uninstall", "--agent", agent], env, { cwd: dir });
    assert.equal(out.code, 0, out.stderr);
    for (const [rel, text] of Object.entries(before)) assert.equal(read(dir, rel), text, `${rel} is back byte for byte`);
    for (const created of [".github/hooks/bouncer.json", ".cursor/mcp.json"]) {
      if (!(created in before)) assert.equal(existsSync(path.join(dir, created)), false, `${created} was Bouncer's and is gone`);
    }
  });
}

test("--user installs into the user's settings; nothing set up is said plainly; broken settings are not touched", async () => {
  const home = mkdtempSync(path.join(tmpdir(), "home-"));
  mkdirSync(path.join(home, ".claude"));
  mkdirSync(path.join(home, ".codeium", "windsurf"), { recursive: true });
  const project = mkdtempSync(path.join(tmpdir(), "bare-"));
  const env = { HOME: home, PATH: process.env.PATH };
  const bare = await cli(["init"], env, { cwd: project });
  assert.match(bare.stdout, /no coding agent is set up in/);
  const user = await cli(["init", "--user"], env, { cwd: project });
  assert.equal(user.code, 0, user.stderr);
  assert.match(user.stdout, /claude: updated ~\/\.claude\/settings\.json/);
  assert.match(user.stdout, /windsurf: updated ~\/\.codeium\/windsurf\/hooks\.json/);
  assert.match(user.stdout, /windsurf: updated ~\/\.codeium\/windsurf\/mcp_config\.json/);
  assert.match(user.stdout, /claude: to register `bouncer mcp` here: claude mcp add --scope user bouncer -- bouncer mcp/);
  assert.match(user.stdout, /Claude Code: \/etc\/claude-code\/managed-settings\.json/);
  assert.match(user.stdout, /Windsurf \(Cascade\): \/etc\/windsurf\/hooks\.json/);
  const off = await cli(["agents", "uninstall", "--user"], env, { cwd: project });
  assert.equal(off.code, 0, off.stderr);
  assert.equal(existsSync(path.join(home, ".claude", "settings.json")), false);

  const broken = setUp({ ".cursor/hooks.json": '{ "version": 1, "hooks": ' });
  const refused = await cli(["init", "--agent", "cursor"], env, { cwd: broken });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /\.cursor\/hooks\.json is not valid JSON .*nothing was changed/);
  assert.equal(read(broken, ".cursor/hooks.json"), '{ "version": 1, "hooks": ');
});

test("a project's link that leads outside it is refused, nothing written; a user's settings link is edited where it points", async () => {
  const home = mkdtempSync(path.join(tmpdir(), "home-"));
  const env = { HOME: home, PATH: process.env.PATH };
  // A checked-in .cursor that is a link to a folder outside the project (~/.cursor, say).
  const outside = mkdtempSync(path.join(tmpdir(), "outside-"));
  const project = mkdtempSync(path.join(tmpdir(), "linked-"));
  symlinkSync(outside, path.join(project, ".cursor"));
  const refused = await cli(["init", "--agent", "cursor"], env, { cwd: project });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /\.cursor\/hooks\.json leads outside the project .*nothing was changed/);
  assert.deepEqual(readdirSync(outside), []);
  // A settings file that is a link out of the project: refused too, the target untouched.
  const victim = path.join(outside, "victim.json");
  writeFileSync(victim, "{}\n");
  const second = mkdtempSync(path.join(tmpdir(), "linked-"));
  mkdirSync(path.join(second, ".claude"));
  symlinkSync(victim, path.join(second, ".claude", "settings.json"));
  assert.equal((await cli(["init", "--agent", "claude"], env, { cwd: second })).code, 2);
  assert.equal(readFileSync(victim, "utf8"), "{}\n");
  assert.equal(existsSync(path.join(second, ".mcp.json")), false, "no file written when one is refused");

  // A user's dotfiles kept in a repository and linked: the file is edited there, the link stays.
  const dotfiles = mkdtempSync(path.join(tmpdir(), "dotfiles-"));
  writeFileSync(path.join(dotfiles, "claude-settings.json"), '{ "permissions": {} }\n');
  mkdirSync(path.join(home, ".claude"));
  symlinkSync(path.join(dotfiles, "claude-settings.json"), path.join(home, ".claude", "settings.json"));
  const user = await cli(["init", "--user", "--agent", "claude"], env, { cwd: project });
  assert.equal(user.code, 0, user.stderr);
  assert.ok(lstatSync(path.join(home, ".claude", "settings.json")).isSymbolicLink());
  assert.match(readFileSync(path.join(dotfiles, "claude-settings.json"), "utf8"), /bouncer hook claude/);
});

test("`agents list` counts a Bouncer hook only where it gates: not commented out, under the wrong event, another agent's; partly behind a narrow matcher, which init widens", async () => {
  const env = { HOME: mkdtempSync(path.join(tmpdir(), "home-")), PATH: process.env.PATH };
  const hook = (agent: string) => ({ type: "command", command: `bouncer hook ${agent}` });
  const cases: Array<[string, string, string]> = [
    ["commented out", '{\n  "hooks": {\n    "PreToolUse": [\n      { "matcher": "Bash|Write|Edit|MultiEdit", "hooks": [\n        // { "type": "command", "command": "bouncer hook claude" }\n      ] }\n    ]\n  }\n}\n', "unreadable"],
    ["after the tool", JSON.stringify({ hooks: { PostToolUse: [{ matcher: "*", hooks: [hook("claude")] }] } }), "no"],
    ["another agent's", JSON.stringify({ hooks: { PreToolUse: [{ hooks: [hook("codex")] }] } }), "no"],
    ["narrow matcher", JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [hook("claude")] }] } }), "partial"],
    ["every tool", JSON.stringify({ hooks: { PreToolUse: [{ hooks: [hook("claude")] }] } }), "yes"],
  ];
  for (const [what, text, expected] of cases) {
    const dir = setUp({ ".claude/settings.json": text });
    const list = await cli(["agents", "list", "--json", "--agent", "claude"], env, { cwd: dir });
    assert.equal(JSON.parse(list.stdout)[0].hook.project, expected, what);
  }
  const dir = setUp({ ".claude/settings.json": cases[3]![1] });
  const list = await cli(["agents", "list", "--agent", "claude"], env, { cwd: dir });
  assert.match(list.stdout, /project: set up, hook partly installed \(file edits are not hooked\)/);
  const run = await cli(["init", "--agent", "claude", "--no-mcp"], env, { cwd: dir });
  assert.match(run.stdout, /claude: updated .*hook added/);
  assert.equal(JSON.parse((await cli(["agents", "list", "--json", "--agent", "claude"], env, { cwd: dir })).stdout)[0].hook.project, "yes");
  // Replaced, not doubled: a Bash call runs the hook once.
  assert.equal(readFileSync(path.join(dir, ".claude/settings.json"), "utf8").split("bouncer hook claude").length, 2);
  // Sharing a group with another hook: only Bouncer's hook leaves it; the other stays where it was.
  const shared = setUp({ ".claude/settings.json": JSON.stringify({ hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./audit.sh" }, hook("claude")] }] } }) });
  await cli(["init", "--agent", "claude", "--no-mcp"], env, { cwd: shared });
  const after = JSON.parse(readFileSync(path.join(shared, ".claude/settings.json"), "utf8")) as { hooks: { PreToolUse: Array<{ matcher: string; hooks: unknown[] }> } };
  assert.deepEqual(after.hooks.PreToolUse[0], { matcher: "Bash", hooks: [{ type: "command", command: "./audit.sh" }] });
  assert.equal(after.hooks.PreToolUse.length, 2);
  assert.equal(after.hooks.PreToolUse[1]!.matcher, "Bash|Write|Edit|MultiEdit|NotebookEdit|mcp__.*__write_file|mcp__.*__edit_file");
  await cli(["agents", "uninstall", "--agent", "claude"], env, { cwd: shared });
  assert.deepEqual(JSON.parse(readFileSync(path.join(shared, ".claude/settings.json"), "utf8")), { hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./audit.sh" }] }] } });
  // Gemini's hook under AfterTool runs after the tool: not installed; init adds it under BeforeTool.
  const gemini = setUp({ ".gemini/settings.json": JSON.stringify({ hooks: { AfterTool: [{ hooks: [hook("gemini")] }] } }) });
  assert.equal(JSON.parse((await cli(["agents", "list", "--json", "--agent", "gemini"], env, { cwd: gemini })).stdout)[0].hook.project, "no");
});

test("Claude Code's matcher rule: names alone are an exact list, anything else an unanchored regular expression", () => {
  assert.equal(matcherCovers("Bash|Edit|MultiEdit", "NotebookEdit", "claude"), "no");
  assert.equal(matcherCovers("Bash, Write", "Write", "claude"), "yes");
  assert.equal(matcherCovers("Notebook.*", "NotebookEdit", "claude"), "yes");
  assert.equal(matcherCovers("*", "NotebookEdit", "claude"), "yes");
  // Agents whose rule is not documented: a partial match cannot be told.
  assert.equal(matcherCovers("Edit", "MultiEdit"), "unknown");
});
