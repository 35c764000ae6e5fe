// Wrappers that route the plain installer commands through Bouncer when their folder is first on PATH.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SHIM_MARKER } from "./guard.ts";

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/**
 * Subcommands that install nothing, per tool: the shim hands them to the real tool itself, with no
 * Node start-up in between. Anything not listed goes through Bouncer (which passes it on too when it
 * adds nothing). Runners whose first operand is a package (npx, uvx...) have none.
 */
const PASS_THROUGH: Record<string, string[]> = {
  npm: ["--version", "-v", "help", "test", "t", "run", "run-script", "ls", "list", "config", "outdated", "view", "whoami"],
  pnpm: ["--version", "-v", "help", "test", "run", "ls", "list", "outdated", "config"],
  yarn: ["--version", "-v", "help", "test", "run", "list", "info", "config"],
  bun: ["--version", "-v", "help", "test"],
  pip: ["--version", "-V", "help", "list", "show", "freeze", "check", "config"],
  pip3: ["--version", "-V", "help", "list", "show", "freeze", "check", "config"],
  uv: ["--version", "-V", "help"],
  poetry: ["--version", "-V", "help", "show"],
  pipx: ["--version", "help", "list"],
  pdm: ["--version", "-V", "help", "list", "show"],
  pipenv: ["--version", "--help", "graph", "check"],
};

export function shimScript(tool: string, dir: string, node: string, entry: string): string {
  const fast = PASS_THROUGH[tool] ?? [];
  return [
    "#!/bin/sh",
    `# ${SHIM_MARKER}: runs \`${tool}\` through Bouncer, which checks what it would install first. Delete this file to stop.`,
    ...(fast.length
      ? [
          `case "\${1-}" in ${fast.map((a) => a.replace(/[^\w-]/g, "")).join("|")})`,
          // The real tool: the first on PATH that is neither in this folder nor another Bouncer shim.
          "  old_ifs=$IFS; IFS=:",
          "  for d in $PATH; do",
          `    if [ "$d" != ${quote(dir)} ] && [ -x "$d/${tool}" ] && ! grep -q ${SHIM_MARKER} "$d/${tool}" 2>/dev/null; then IFS=$old_ifs; exec "$d/${tool}" "$@"; fi`,
          "  done",
          "  IFS=$old_ifs ;;",
          "esac",
        ]
      : []),
    `BOUNCER_SHIM_DIR=${quote(dir)} exec ${quote(node)} ${quote(entry)} ${quote(tool)} "$@"`,
    "",
  ].join("\n");
}

export interface ShimResult {
  written: string[];
  /** Files of the same name that are not Bouncer shims: left alone. */
  skipped: string[];
}

export function installShims(dir: string, tools: readonly string[], node: string, entry: string): ShimResult {
  mkdirSync(dir, { recursive: true });
  const result: ShimResult = { written: [], skipped: [] };
  for (const tool of tools) {
    const file = path.join(dir, tool);
    if (existsSync(file) && !readFileSync(file, "utf8").includes(SHIM_MARKER)) {
      result.skipped.push(file);
      continue;
    }
    writeFileSync(file, shimScript(tool, path.resolve(dir), node, entry));
    chmodSync(file, 0o755);
    result.written.push(file);
  }
  return result;
}
