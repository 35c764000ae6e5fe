import { audit } from "./audit.ts";
import { check } from "./check.ts";
import { feeds, index } from "./data.ts";
import { guardCommands } from "./guard.ts";
import { mcp } from "./mcp.ts";
import { scan } from "./scan.ts";
import { serve } from "./serve.ts";
import { shims } from "./shims.ts";
import type { Command } from "./types.ts";

export const COMMANDS: Record<string, Command> = { check, scan, index, feeds, serve, mcp, audit, shims, ...guardCommands };

export function usage(): string {
  const lines = ["usage: bouncer <command> [options]", "", "commands:"];
  for (const c of Object.values(COMMANDS)) if (c.usage) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push("  bouncer npm|npx|pnpm|yarn|bun|pip|uv|poetry|pipx ARGS...", "      check what the command would add, then run the real tool");
  lines.push(
    "",
    "common options: --json, --format text|json|sarif|cyclonedx|markdown, --offline, --policy FILE,",
    "  --data-dir DIR (or BOUNCER_HOME), --strict; BOUNCER_NOW fixes the clock.",
    "exit codes: 0 nothing blocked, 1 something blocked (--strict: or warned), 2 usage or input error.",
  );
  return `${lines.join("\n")}\n`;
}
