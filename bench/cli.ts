// One timed run of the CLI as users run it (bin/bouncer.js), shared by the end-to-end benchmarks.
import { spawn } from "node:child_process";
import path from "node:path";

export const MAIN = path.resolve(import.meta.dirname, "../bin/bouncer.js");

/** Wall time of one CLI run; asynchronous, since the registry it may talk to may live in this process. */
export async function run(args: string[], env: Record<string, string>, opts: { cwd?: string; pinned?: boolean } = {}): Promise<number> {
  const started = performance.now();
  const command = opts.pinned ? ["taskset", "-c", "0", process.execPath] : [process.execPath];
  const child = spawn(command[0]!, [...command.slice(1), MAIN, ...args], { env: { ...process.env, ...env }, cwd: opts.cwd, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0 && code !== 1) throw new Error(`bouncer ${args[0]} failed (${code}): ${stderr}`);
  return performance.now() - started;
}
