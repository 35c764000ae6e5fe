// Each agent's hook protocol, by agent id.
import type { AgentId } from "./agents.ts";
import { claude } from "./claude.ts";
import { codex } from "./codex.ts";
import { copilot } from "./copilot.ts";
import { cursor } from "./cursor.ts";
import { gemini } from "./gemini.ts";
import type { AgentProtocol } from "./protocol.ts";
import { windsurf } from "./windsurf.ts";

export const PROTOCOLS: Readonly<Record<AgentId, AgentProtocol>> = { claude, codex, gemini, copilot, cursor, windsurf };
