// Each agent's hook protocol, by agent id: only the one a hook speaks is loaded (it runs on every call).
import type { AgentId } from "./agents.ts";
import type { AgentProtocol } from "./protocol.ts";

const LOADERS: Readonly<Record<AgentId, () => Promise<AgentProtocol>>> = {
  claude: async () => (await import("./claude.ts")).claude,
  codex: async () => (await import("./codex.ts")).codex,
  gemini: async () => (await import("./gemini.ts")).gemini,
  copilot: async () => (await import("./copilot.ts")).copilot,
  cursor: async () => (await import("./cursor.ts")).cursor,
  windsurf: async () => (await import("./windsurf.ts")).windsurf,
};

export function loadProtocol(agent: AgentId): Promise<AgentProtocol> {
  return LOADERS[agent]();
}
