// Where each coding agent keeps its hooks and MCP servers, and whether Bouncer is in them.
// Paths from each agent's documentation (Claude Code settings, Codex hooks and config.toml, Gemini
// CLI settings, GitHub Copilot hooks, Cursor hooks, Windsurf Cascade hooks).
// TODO(merge): src/doors/hooks/agents.ts (helper hD1) holds the same paths for `bouncer init`; one table should serve both.
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import type { DoctorReader } from "./reader.ts";

export type Scope = "project" | "user";

/** A settings file, relative to the project root or to a user folder (home, or the agent's own home). */
interface Place {
  scope: Scope;
  /** Relative path; a trailing "/*.json" means every JSON file in that folder. */
  rel: string;
  /** For user files: the base folder when it is not $HOME (e.g. $CODEX_HOME). */
  base?: (env: Env) => string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

export interface AgentSpec {
  id: string;
  name: string;
  /** Folders or files whose presence says the agent is used here. */
  markers: Place[];
  hooks: Place[];
  mcp: Place[];
}

const codexHome = (env: Env) => env.CODEX_HOME || undefined;

export const AGENTS: readonly AgentSpec[] = [
  {
    id: "claude-code",
    name: "Claude Code",
    markers: [{ scope: "project", rel: ".claude" }, { scope: "project", rel: ".mcp.json" }, { scope: "user", rel: ".claude" }, { scope: "user", rel: ".claude.json" }],
    hooks: [{ scope: "project", rel: ".claude/settings.json" }, { scope: "project", rel: ".claude/settings.local.json" }, { scope: "user", rel: ".claude/settings.json" }],
    mcp: [{ scope: "project", rel: ".mcp.json" }, { scope: "user", rel: ".claude.json" }],
  },
  {
    id: "codex",
    name: "OpenAI Codex CLI",
    markers: [{ scope: "project", rel: ".codex" }, { scope: "user", rel: ".codex" }, { scope: "user", rel: ".", base: codexHome }],
    hooks: [
      { scope: "project", rel: ".codex/hooks.json" },
      { scope: "project", rel: ".codex/config.toml" },
      { scope: "user", rel: ".codex/hooks.json" },
      { scope: "user", rel: ".codex/config.toml" },
      { scope: "user", rel: "hooks.json", base: codexHome },
      { scope: "user", rel: "config.toml", base: codexHome },
    ],
    mcp: [{ scope: "project", rel: ".codex/config.toml" }, { scope: "user", rel: ".codex/config.toml" }, { scope: "user", rel: "config.toml", base: codexHome }],
  },
  {
    id: "gemini",
    name: "Gemini CLI",
    markers: [{ scope: "project", rel: ".gemini" }, { scope: "user", rel: ".gemini" }],
    hooks: [{ scope: "project", rel: ".gemini/settings.json" }, { scope: "user", rel: ".gemini/settings.json" }],
    mcp: [{ scope: "project", rel: ".gemini/settings.json" }, { scope: "user", rel: ".gemini/settings.json" }],
  },
  {
    id: "copilot",
    name: "GitHub Copilot",
    markers: [{ scope: "project", rel: ".github/hooks" }, { scope: "project", rel: ".github/copilot-instructions.md" }, { scope: "user", rel: ".copilot" }],
    hooks: [{ scope: "project", rel: ".github/hooks/*.json" }, { scope: "user", rel: ".copilot/hooks/*.json" }],
    mcp: [{ scope: "project", rel: ".vscode/mcp.json" }, { scope: "user", rel: ".copilot/mcp-config.json" }],
  },
  {
    id: "cursor",
    name: "Cursor",
    markers: [{ scope: "project", rel: ".cursor" }, { scope: "user", rel: ".cursor" }],
    hooks: [{ scope: "project", rel: ".cursor/hooks.json" }, { scope: "user", rel: ".cursor/hooks.json" }],
    mcp: [{ scope: "project", rel: ".cursor/mcp.json" }, { scope: "user", rel: ".cursor/mcp.json" }],
  },
  {
    id: "windsurf",
    name: "Windsurf",
    markers: [{ scope: "project", rel: ".windsurf" }, { scope: "user", rel: ".codeium/windsurf" }],
    hooks: [{ scope: "project", rel: ".windsurf/hooks.json" }, { scope: "user", rel: ".codeium/windsurf/hooks.json" }],
    mcp: [{ scope: "user", rel: ".codeium/windsurf/mcp_config.json" }],
  },
];

/** A hook command that runs Bouncer's agent door: `bouncer hook <agent>` (also through npx or node bin/bouncer.js). */
const HOOK_COMMAND = /\bbouncer(?:\.js)?["']?\s+hook\b/;

export interface Located {
  /** Shown to the user: "~/.claude/settings.json" or ".claude/settings.json". */
  shown: string;
  text: string;
}

export interface Where {
  root: string;
  home: string;
  env: Env;
  reader: DoctorReader;
}

function baseOf(place: Place, where: Where): { base: string; shown: string } | undefined {
  if (place.scope === "project") return { base: where.root, shown: "" };
  if (place.base) {
    const b = place.base(where.env);
    return b ? { base: b, shown: `${b}/` } : undefined;
  }
  return { base: where.home, shown: "~/" };
}

/** The files a place names that exist and could be read. */
function filesAt(place: Place, where: Where): Located[] {
  const b = baseOf(place, where);
  if (!b) return [];
  const out: Located[] = [];
  if (place.rel.endsWith("/*.json")) {
    const dir = place.rel.slice(0, -"/*.json".length);
    for (const name of where.reader.list(b.base, dir)) {
      if (!name.endsWith(".json")) continue;
      const text = where.reader.read(b.base, path.join(dir, name));
      if (text !== undefined) out.push({ shown: `${b.shown}${dir}/${name}`, text });
    }
    return out;
  }
  const text = where.reader.read(b.base, place.rel);
  if (text !== undefined) out.push({ shown: `${b.shown}${place.rel}`, text });
  return out;
}

export interface AgentState {
  agent: AgentSpec;
  /** Settings files where the agent's presence was seen. */
  present: boolean;
  /** Files whose hooks run `bouncer hook`. */
  hookFiles: string[];
  /** Files that register `bouncer mcp` as a server. */
  mcpFiles: string[];
  /** The files looked at for each. */
  hookPlaces: string[];
  mcpPlaces: string[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A server entry (JSON or TOML) that starts `bouncer mcp`. */
function runsBouncerMcp(server: unknown): boolean {
  if (!isRecord(server)) return false;
  const args = Array.isArray(server.args) ? server.args.filter((a): a is string => typeof a === "string") : [];
  const line = [typeof server.command === "string" ? server.command : "", ...args].join(" ");
  return /\bbouncer(?:\.js)?\b.*\bmcp\b/.test(line);
}

/** MCP server tables the agents use: mcpServers (most), servers (VS Code), mcp_servers (Codex TOML), per-project ones in ~/.claude.json. */
function registersBouncer(file: Located): boolean {
  let doc: unknown;
  try {
    doc = file.shown.endsWith(".toml") ? parseToml(file.text) : JSON.parse(file.text);
  } catch {
    return false;
  }
  if (!isRecord(doc)) return false;
  const tables: unknown[] = [doc.mcpServers, doc.servers, doc.mcp_servers];
  if (isRecord(doc.projects)) for (const p of Object.values(doc.projects)) if (isRecord(p)) tables.push(p.mcpServers);
  return tables.some((t) => isRecord(t) && Object.values(t).some(runsBouncerMcp));
}

export function agentStates(where: Where): AgentState[] {
  return AGENTS.map((agent) => {
    const present = agent.markers.some((m) => {
      const b = baseOf(m, where);
      return b !== undefined && where.reader.exists(b.base, m.rel);
    });
    const hooks = agent.hooks.flatMap((p) => filesAt(p, where));
    const mcp = agent.mcp.flatMap((p) => filesAt(p, where));
    const shown = (p: Place) => `${baseOf(p, where)?.shown ?? ""}${p.rel}`;
    return {
      agent,
      present: present || hooks.length > 0,
      hookFiles: hooks.filter((f) => HOOK_COMMAND.test(f.text)).map((f) => f.shown),
      mcpFiles: mcp.filter(registersBouncer).map((f) => f.shown),
      hookPlaces: agent.hooks.map(shown),
      mcpPlaces: agent.mcp.map(shown),
    };
  });
}
