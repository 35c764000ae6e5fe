// Where each coding agent keeps its hooks and MCP servers, and whether Bouncer is in them. The
// places `bouncer init` writes come from the agents' table (src/doors/hooks/agents.ts); doctor also
// looks where a user may have declared them by hand (local settings, config.toml, $CODEX_HOME, every
// file of a hooks folder).
import path from "node:path";
import { parse as parseToml } from "smol-toml";
import { isRecord } from "../../core/guards.ts";
import { parseJson } from "../../formats/json.ts";
import { AGENT_IDS, type AgentId, AGENTS as AGENT_INFO, type AgentInfo, type Scope } from "../hooks/agents.ts";
import { type HookReading, parseHookSettings, readHooks } from "../hooks/install.ts";
import type { DoctorReader } from "./reader.ts";

export type { Scope };

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
  id: AgentId;
  name: string;
  /** Folders or files whose presence says the agent is used here. */
  markers: Place[];
  hooks: Place[];
  mcp: Place[];
}

const codexHome = (env: Env) => env.CODEX_HOME || undefined;

/** Places beyond the ones `bouncer init` writes. */
const EXTRA: Partial<Record<AgentInfo["id"], Partial<Pick<AgentSpec, "markers" | "hooks" | "mcp">>>> = {
  claude: {
    markers: [{ scope: "user", rel: ".claude.json" }],
    hooks: [{ scope: "project", rel: ".claude/settings.local.json" }],
    mcp: [{ scope: "user", rel: ".claude.json" }],
  },
  codex: {
    markers: [{ scope: "user", rel: ".", base: codexHome }],
    hooks: [
      { scope: "project", rel: ".codex/config.toml" },
      { scope: "user", rel: ".codex/config.toml" },
      { scope: "user", rel: "hooks.json", base: codexHome },
      { scope: "user", rel: "config.toml", base: codexHome },
    ],
    mcp: [{ scope: "user", rel: "config.toml", base: codexHome }],
  },
  copilot: {
    hooks: [{ scope: "project", rel: ".github/hooks/*.json" }, { scope: "user", rel: ".copilot/hooks/*.json" }],
    mcp: [{ scope: "project", rel: ".vscode/mcp.json" }],
  },
};

function placesOf(locations: AgentInfo["hooks"]): Place[] {
  return (["project", "user"] as const).flatMap((scope) => {
    const at = locations[scope];
    return at ? [{ scope, rel: at.file }] : [];
  });
}

function unique(places: Place[]): Place[] {
  const seen = new Set<string>();
  return places.filter((p) => {
    const key = `${p.scope}:${p.base ? "base:" : ""}${p.rel}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export const AGENTS: readonly AgentSpec[] = AGENT_IDS.map((id) => {
  const info = AGENT_INFO[id];
  const extra = EXTRA[id] ?? {};
  return {
    id,
    name: info.name,
    markers: unique([...(["project", "user"] as const).flatMap((scope) => info.markers[scope].map((rel) => ({ scope, rel }))), ...(extra.markers ?? [])]),
    // A folder glob covers the single file init writes there.
    hooks: unique([...placesOf(info.hooks), ...(extra.hooks ?? [])]).filter(
      (p, _, all) => !all.some((q) => q !== p && q.scope === p.scope && q.rel.endsWith("/*.json") && path.dirname(p.rel) === q.rel.slice(0, -"/*.json".length)),
    ),
    mcp: unique([...placesOf(info.mcp), ...(extra.mcp ?? [])]),
  };
});

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
  /** What Bouncer's hook gates, over every hook file of the agent (the agent merges them). */
  hook: HookReading;
  /** Files whose own declarations run `bouncer hook` before some tool. */
  hookFiles: string[];
  /** Hook files that could not be parsed, with why. */
  unreadable: string[];
  /** Files that register `bouncer mcp` as a server. */
  mcpFiles: string[];
  /** The files looked at for each. */
  hookPlaces: string[];
  mcpPlaces: string[];
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
    // JSON with comments too: several agents (Gemini, VS Code) read their settings as JSONC.
    doc = file.shown.endsWith(".toml") ? parseToml(file.text) : parseJson(file.text, { jsonc: true }).value;
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
    const format = AGENT_INFO[agent.id].hooks.project?.format ?? "json";
    const docs: Array<{ file: Located; doc: unknown }> = [];
    const unreadable: string[] = [];
    for (const f of hooks) {
      try {
        docs.push({ file: f, doc: parseHookSettings(f.text, f.shown.endsWith(".toml") ? "toml" : format, f.shown) });
      } catch (error) {
        unreadable.push((error as Error).message);
      }
    }
    return {
      agent,
      present: present || hooks.length > 0,
      hook: readHooks(agent.id, docs.map((d) => d.doc)),
      hookFiles: docs.filter((d) => readHooks(agent.id, [d.doc]).state !== "open").map((d) => d.file.shown),
      unreadable,
      mcpFiles: mcp.filter(registersBouncer).map((f) => f.shown),
      hookPlaces: agent.hooks.map(shown),
      mcpPlaces: agent.mcp.map(shown),
    };
  });
}
