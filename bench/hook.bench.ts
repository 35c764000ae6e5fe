// The agent hook runs before every tool call: its cost end to end, process start included, for a
// shell command that installs nothing (the fast path) and for a 3-package install from a warm cache.
import { execFileSync, spawn } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { cliEnvFor } from "../test/support/cli-env.ts";
import { startRegistryServer } from "../test/support/registry-server.ts";
import { MAIN } from "./cli.ts";
import type { BenchRow } from "./types.ts";

/**
 * One run with the payload on standard input as agents pass it: a socket (Node's child_process, as
 * Claude Code, Gemini CLI, Copilot and Cursor spawn hooks) or a pipe already written and closed
 * (Codex, a shell's `|`), here a named pipe.
 */
async function once(args: string[], env: Record<string, string>, stdin: string, through: "socket" | "pipe" = "socket"): Promise<number> {
  let input: number | "pipe" = "pipe";
  if (through === "pipe") {
    input = openSync(FIFO, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(FIFO, constants.O_WRONLY);
    writeSync(writer, stdin);
    closeSync(writer);
  }
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: [input, "ignore", "ignore"] });
  if (typeof input === "number") closeSync(input);
  else child.stdin?.end(stdin);
  await new Promise((resolve) => child.on("close", resolve));
  return performance.now() - started;
}

async function median(args: string[], env: Record<string, string>, stdin: string, runs: number, through: "socket" | "pipe" = "socket"): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once(args, env, stdin, through));
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

let FIFO = "";

const bash = (cwd: string, command: string) =>
  JSON.stringify({ session_id: "bench", cwd, hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command }, tool_use_id: "t" });

export default async function bench(): Promise<BenchRow[]> {
  const root = mkdtempSync(path.join(tmpdir(), "bench-hook-"));
  FIFO = path.join(root, "stdin.fifo");
  execFileSync("mkfifo", [FIFO]);
  writeFileSync(path.join(root, "package.json"), '{ "name": "bench", "version": "1.0.0" }\n');
  const server = await startRegistryServer();
  const env = cliEnvFor(server, root, { path: "/usr/bin:/bin" });
  try {
    const node = await median(["-e", "0"], env, "", 21);
    const plain = bash(root, "git status && ls -la src && rg -n TODO");
    const nothing = await median([MAIN, "hook", "claude"], env, plain, 21);
    const piped = await median([MAIN, "hook", "claude"], env, plain, 21, "pipe");
    const install = bash(root, "npm install react@19.2.0 @babel/core@7.26.0 left-pad@1.3.0");
    // Warm: the registry answers cached, the similarity tables built.
    for (let i = 0; i < 2; i++) await once([MAIN, "hook", "claude"], env, install);
    const warm = await median([MAIN, "hook", "claude"], env, install, 11);
    return [
      { name: "node -e 0 on this machine (process start alone, median of 21)", value: Number(node.toFixed(1)), unit: "ms" },
      { name: "hook claude, a shell command that installs nothing, stdin a socket (median of 21)", value: Number(nothing.toFixed(1)), unit: "ms", target: "< 30 ms", ok: nothing < 30 },
      { name: "  of which beyond Node's own start", value: Number((nothing - node).toFixed(1)), unit: "ms" },
      { name: "the same, stdin a pipe (median of 21)", value: Number(piped.toFixed(1)), unit: "ms", target: "< 30 ms", ok: piped < 30 },
      { name: "  of which beyond Node's own start", value: Number((piped - node).toFixed(1)), unit: "ms" },
      { name: "hook claude, npm install of 3 packages, warm cache (median of 11)", value: Number(warm.toFixed(1)), unit: "ms", target: "< 150 ms", ok: warm < 150 },
    ];
  } finally {
    await server.close();
  }
}
