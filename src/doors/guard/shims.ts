// Wrappers that route the plain installer commands through Bouncer when their folder is first on PATH.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { installsNothing } from "../../ecosystems/installers.ts";
import { isShim, SHIM_MARKER } from "./guard.ts";

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

export function shimScript(tool: string, dir: string, node: string, entry: string): string {
  const fast = installsNothing(tool);
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
    if (existsSync(file) && !isShim(file)) {
      result.skipped.push(file);
      continue;
    }
    writeFileSync(file, shimScript(tool, path.resolve(dir), node, entry));
    chmodSync(file, 0o755);
    result.written.push(file);
  }
  return result;
}
