// Wrappers that route the plain installer commands through Bouncer when their folder is first on PATH.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SHIM_MARKER } from "./guard.ts";

const quote = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

export function shimScript(tool: string, dir: string, node: string, entry: string): string {
  return [
    "#!/bin/sh",
    `# ${SHIM_MARKER}: runs \`${tool}\` through Bouncer, which checks what it would install first. Delete this file to stop.`,
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
