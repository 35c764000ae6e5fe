import { audit } from "./audit.ts";
import { check } from "./check.ts";
import type { Command } from "./types.ts";

export const COMMANDS: Record<string, Command> = { check, audit };

export function usage(): string {
  const lines = ["usage: bouncer <command> [options]", "", "commands:"];
  for (const c of Object.values(COMMANDS)) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push(
    "",
    "common options: --json, --format text|json|sarif|cyclonedx|markdown, --offline, --policy FILE,",
    "  --data-dir DIR (or BOUNCER_HOME), --strict; BOUNCER_NOW fixes the clock.",
    "exit codes: 0 nothing blocked, 1 something blocked (--strict: or warned), 2 usage or input error.",
  );
  return `${lines.join("\n")}\n`;
}
