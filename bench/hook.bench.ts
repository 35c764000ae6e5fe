// The agent hook runs before every tool call: its cost end to end, process start included, for a
// shell command that installs nothing (the fast path) and for a 3-package install from a warm cache.
// The fast path is measured as users run it (the package built and installed, whose hook is one
// bundled file) and as the checkout runs it (the TypeScript sources), beside `node -e 0`.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, constants, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync, writeSync } from "node:fs";
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

const middle = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;

async function median(args: string[], env: Record<string, string>, stdin: string, runs: number, through: "socket" | "pipe" = "socket"): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once(args, env, stdin, through));
  return middle(times);
}

/** Medians of several variants run in turn, round after round, so the machine's drift hits them alike. */
async function medians(variants: Array<{ args: string[]; stdin: string; through?: "socket" | "pipe" }>, env: Record<string, string>, rounds: number): Promise<number[]> {
  const times: number[][] = variants.map(() => []);
  for (let round = -1; round < rounds; round++) {
    for (const [i, v] of variants.entries()) {
      const ms = await once(v.args, env, v.stdin, v.through);
      // The first round warms the disk cache and Node's compile cache.
      if (round >= 0) times[i]!.push(ms);
    }
  }
  return times.map(middle);
}

const ROOT = path.resolve(import.meta.dirname, "..");

/** The package built (scripts/build.ts) and installed in `root`/node_modules, as a user has it; its bin. */
function installPackage(root: string): string {
  const pkg = path.join(root, "node_modules", "bouncer");
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build.ts"), "--out", path.join(pkg, "dist")], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  for (const f of ["bin", "data", "package.json"]) cpSync(path.join(ROOT, f), path.join(pkg, f), { recursive: true });
  const { dependencies } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    mkdirSync(path.dirname(path.join(root, "node_modules", name)), { recursive: true });
    symlinkSync(path.join(ROOT, "node_modules", name), path.join(root, "node_modules", name), "dir");
  }
  return path.join(pkg, "bin", "bouncer.js");
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
    const installed = installPackage(root);
    const plain = bash(root, "git status && ls -la src && rg -n TODO");
    const [node, nothing, piped, nothingInstalled, pipedInstalled] = await medians(
      [
        { args: ["-e", "0"], stdin: "" },
        { args: [MAIN, "hook", "claude"], stdin: plain },
        { args: [MAIN, "hook", "claude"], stdin: plain, through: "pipe" },
        { args: [installed, "hook", "claude"], stdin: plain },
        { args: [installed, "hook", "claude"], stdin: plain, through: "pipe" },
      ],
      env,
      31,
    );
    const install = bash(root, "npm install react@19.2.0 @babel/core@7.26.0 left-pad@1.3.0");
    // Warm: the registry answers cached, the similarity tables built.
    for (let i = 0; i < 2; i++) await once([MAIN, "hook", "claude"], env, install);
    const warm = await median([MAIN, "hook", "claude"], env, install, 11);
    const ms = (name: string, value: number, target?: boolean) =>
      target === undefined ? { name, value: Number(value.toFixed(1)), unit: "ms" } : { name, value: Number(value.toFixed(1)), unit: "ms", target: "< 30 ms", ok: target };
    return [
      ms("node -e 0 on this machine (process start alone, median of 31, run in turn with the rows below)", node),
      ms("hook claude, installed package, a shell command that installs nothing, stdin a socket", nothingInstalled, nothingInstalled < 30),
      ms("  of which beyond Node's own start", nothingInstalled - node),
      ms("the same, stdin a pipe", pipedInstalled, pipedInstalled < 30),
      ms("  of which beyond Node's own start", pipedInstalled - node),
      ms("hook claude, checkout (TypeScript sources), the same command, stdin a socket", nothing, nothing < 30),
      ms("  of which beyond Node's own start", nothing - node),
      ms("the same, stdin a pipe", piped, piped < 30),
      ms("  of which beyond Node's own start", piped - node),
      { name: "hook claude, npm install of 3 packages, warm cache (median of 11)", value: Number(warm.toFixed(1)), unit: "ms", target: "< 150 ms", ok: warm < 150 },
    ];
  } finally {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}
