// What Bouncer knows about each coding agent: where its settings live (project, user, managed), how
// its hook is declared, what it does when a hook fails or is slow, and where it takes MCP servers.
// Pure data and paths: the hook protocols (one module per agent), `bouncer init` and `bouncer doctor`
// all read it from here. Sources are cited in test/fixtures/agent-hooks/README.md.
import path from "node:path";

export const AGENT_IDS = ["claude", "codex", "gemini", "copilot", "cursor", "windsurf"] as const;
export type AgentId = (typeof AGENT_IDS)[number];

export type SettingsFormat = "json" | "jsonc" | "toml";

/** What Bouncer's hook must run before: the agent's shell commands and its file writes. */
export type Door = "shell" | "edit";

/** Which hook events run before a tool, and which of the agent's tools each door is. */
export interface Gates {
  /** Each event that runs before a tool, and what it runs before: the tools its matcher names, one door, or every tool. */
  events: Readonly<Record<string, "matcher" | Door | "all">>;
  /** The agent's tools of each door, by the names its matchers see. */
  tools: Readonly<Record<Door, readonly string[]>>;
}
export type Scope = "project" | "user";

/** A settings file: relative to the project root (project) or to the home directory (user). */
export interface SettingsLocation {
  file: string;
  format: SettingsFormat;
}

export interface AgentInfo {
  id: AgentId;
  name: string;
  /** Where the agent reads hook declarations. */
  hooks: Partial<Record<Scope, SettingsLocation>>;
  /** Fleet-wide files an administrator manages (printed, never written by `bouncer init`). */
  managed: { linux?: string; darwin?: string; win32?: string; note?: string };
  /** What Bouncer's hook must be declared under to gate the agent's shell and file-write tools. */
  gates: Gates;
  /** Where the agent takes MCP servers, when it does. */
  mcp: Partial<Record<Scope, SettingsLocation>>;
  /** How to register `bouncer mcp` at a scope whose file Bouncer does not edit. */
  mcpHint?: Partial<Record<Scope, string>>;
  /** Files or folders whose presence says the agent is set up for a project or a user. */
  markers: Record<Scope, string[]>;
  /** The agent's own hook timeout, in seconds, unless the declaration sets one. */
  defaultTimeoutSeconds: number;
  /** The timeout Bouncer declares when it installs its hook (seconds). */
  installTimeoutSeconds: number;
  /** The agent can ask the user (a warn becomes "ask"); otherwise a warn is allowed with its reasons. */
  supportsAsk: boolean;
  /** What the agent does when a hook crashes, exits with an unexpected code, or times out. */
  onHookFailure: "tool-runs" | "tool-blocked";
}

/** Every agent Bouncer installs into: a hook that fails lets the tool run in all of them, so Bouncer answers a deny itself. */
export const AGENTS: Readonly<Record<AgentId, AgentInfo>> = {
  claude: {
    id: "claude",
    name: "Claude Code",
    hooks: { project: { file: ".claude/settings.json", format: "json" }, user: { file: ".claude/settings.json", format: "json" } },
    managed: { linux: "/etc/claude-code/managed-settings.json", darwin: "/Library/Application Support/ClaudeCode/managed-settings.json", win32: "C:\\Program Files\\ClaudeCode\\managed-settings.json" },
    // MCP tools are named mcp__<server>__<tool>; a filesystem server's writes are edits too.
    gates: { events: { PreToolUse: "matcher" }, tools: { shell: ["Bash"], edit: ["Write", "Edit", "MultiEdit", "NotebookEdit", "mcp__.*__write_file", "mcp__.*__edit_file"] } },
    mcp: { project: { file: ".mcp.json", format: "json" } },
    // ~/.claude.json is Claude Code's own state file: its CLI edits it.
    mcpHint: { user: "claude mcp add --scope user bouncer -- bouncer mcp" },
    markers: { project: [".claude", "CLAUDE.md", ".mcp.json"], user: [".claude"] },
    defaultTimeoutSeconds: 60,
    installTimeoutSeconds: 30,
    supportsAsk: true,
    onHookFailure: "tool-runs",
  },
  codex: {
    id: "codex",
    name: "OpenAI Codex CLI",
    hooks: { project: { file: ".codex/hooks.json", format: "json" }, user: { file: ".codex/hooks.json", format: "json" } },
    managed: { linux: "/etc/codex/managed_config.toml", note: "or an MDM-managed requirements.toml; managed hooks need no review" },
    gates: { events: { PreToolUse: "matcher" }, tools: { shell: ["Bash"], edit: ["apply_patch"] } },
    mcp: { project: { file: ".codex/config.toml", format: "toml" }, user: { file: ".codex/config.toml", format: "toml" } },
    markers: { project: [".codex", "AGENTS.md"], user: [".codex"] },
    defaultTimeoutSeconds: 600,
    installTimeoutSeconds: 30,
    // Codex parses permissionDecision "ask" but does not support it (the call would run).
    supportsAsk: false,
    onHookFailure: "tool-runs",
  },
  gemini: {
    id: "gemini",
    name: "Gemini CLI",
    hooks: { project: { file: ".gemini/settings.json", format: "jsonc" }, user: { file: ".gemini/settings.json", format: "jsonc" } },
    managed: { linux: "/etc/gemini-cli/settings.json", darwin: "/Library/Application Support/GeminiCli/settings.json", win32: "C:\\ProgramData\\gemini-cli\\settings.json" },
    gates: { events: { BeforeTool: "matcher" }, tools: { shell: ["run_shell_command"], edit: ["write_file", "replace"] } },
    mcp: { project: { file: ".gemini/settings.json", format: "jsonc" }, user: { file: ".gemini/settings.json", format: "jsonc" } },
    markers: { project: [".gemini", "GEMINI.md"], user: [".gemini"] },
    defaultTimeoutSeconds: 60,
    installTimeoutSeconds: 30,
    supportsAsk: false,
    onHookFailure: "tool-runs",
  },
  copilot: {
    id: "copilot",
    name: "GitHub Copilot (CLI and coding agent)",
    // A file of Bouncer's own: the hooks folder merges every *.json in it.
    hooks: { project: { file: ".github/hooks/bouncer.json", format: "json" }, user: { file: ".copilot/hooks/bouncer.json", format: "json" } },
    managed: { note: "commit .github/hooks/bouncer.json to each repository's default branch (the coding agent reads it from there)" },
    gates: { events: { preToolUse: "all" }, tools: { shell: ["bash"], edit: ["edit", "create"] } },
    mcp: { project: { file: ".github/mcp.json", format: "json" }, user: { file: ".copilot/mcp-config.json", format: "json" } },
    markers: { project: [".github/hooks", ".github/copilot-instructions.md", ".github/mcp.json"], user: [".copilot"] },
    defaultTimeoutSeconds: 30,
    installTimeoutSeconds: 30,
    supportsAsk: true,
    onHookFailure: "tool-runs",
  },
  cursor: {
    id: "cursor",
    name: "Cursor",
    hooks: { project: { file: ".cursor/hooks.json", format: "json" }, user: { file: ".cursor/hooks.json", format: "json" } },
    managed: { linux: "/etc/cursor/hooks.json", darwin: "/Library/Application Support/Cursor/hooks.json", win32: "C:\\ProgramData\\Cursor\\hooks.json" },
    gates: { events: { beforeShellExecution: "shell", preToolUse: "matcher" }, tools: { shell: ["Shell"], edit: ["Write", "StrReplace", "Edit", "MultiEdit"] } },
    mcp: { project: { file: ".cursor/mcp.json", format: "json" }, user: { file: ".cursor/mcp.json", format: "json" } },
    markers: { project: [".cursor", ".cursorrules"], user: [".cursor"] },
    defaultTimeoutSeconds: 60,
    installTimeoutSeconds: 30,
    supportsAsk: true,
    onHookFailure: "tool-runs",
  },
  windsurf: {
    id: "windsurf",
    name: "Windsurf (Cascade)",
    hooks: { project: { file: ".windsurf/hooks.json", format: "json" }, user: { file: ".codeium/windsurf/hooks.json", format: "json" } },
    managed: { linux: "/etc/windsurf/hooks.json", darwin: "/Library/Application Support/Windsurf/hooks.json", win32: "C:\\ProgramData\\Windsurf\\hooks.json" },
    gates: { events: { pre_run_command: "shell", pre_write_code: "edit" }, tools: { shell: [], edit: [] } },
    mcp: { user: { file: ".codeium/windsurf/mcp_config.json", format: "json" } },
    mcpHint: { project: "bouncer init --user --agent windsurf (Windsurf takes MCP servers per user only)" },
    markers: { project: [".windsurf", ".windsurfrules"], user: [".codeium/windsurf"] },
    defaultTimeoutSeconds: 30,
    installTimeoutSeconds: 30,
    // Pre-hooks answer by exit code only: 2 blocks, anything else lets the action run.
    supportsAsk: false,
    onHookFailure: "tool-runs",
  },
};

export function isAgentId(value: string): value is AgentId {
  return (AGENT_IDS as readonly string[]).includes(value);
}

export interface Places {
  /** The project root. */
  cwd: string;
  home: string;
}

/** The absolute path of a settings location in a scope. */
export function settingsPath(location: SettingsLocation, scope: Scope, places: Places): string {
  return path.join(scope === "project" ? places.cwd : places.home, location.file);
}

/** The managed (fleet-wide) hook file for this platform, if the agent has one. */
export function managedPath(agent: AgentInfo, platform: NodeJS.Platform = process.platform): string | undefined {
  return platform === "linux" || platform === "darwin" || platform === "win32" ? agent.managed[platform] : undefined;
}

/**
 * The time a check may take: the one chosen (`--budget-ms`, BOUNCER_HOOK_BUDGET_MS), else below the
 * timeout Bouncer declares for the agent, so the answer always arrives first. Undefined: the chosen
 * one is not a whole number of milliseconds >= 100.
 */
export function hookBudgetMs(agent: AgentId, chosen: string | undefined): number | undefined {
  if (chosen === undefined) return Math.round(AGENTS[agent].installTimeoutSeconds * 1000 * (2 / 3));
  const n = Number(chosen);
  return Number.isInteger(n) && n >= 100 ? n : undefined;
}

/** The command an agent runs for Bouncer's hook. */
export function hookCommand(agent: AgentId, bouncer = "bouncer"): string {
  return `${bouncer} hook ${agent}`;
}

/** Whether a hook command is Bouncer's hook for `agent` (whatever path or launcher runs Bouncer). */
export function isBouncerHook(command: unknown, agent: AgentId): boolean {
  return typeof command === "string" && new RegExp(`(?:^|[\\s/\\\\])bouncer(?:\\.js|\\.cmd)?["']?\\s+hook\\s+${agent}(?:\\s|$)`).test(command);
}
