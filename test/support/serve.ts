// `bouncer serve` as a separate process, as deployed: resolved once it printed its first line.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const MAIN = path.resolve(import.meta.dirname, "../../bin/bouncer.js");

export interface Served {
  child: ChildProcess;
  /** The first line, newline included: `listening <url>` once it started. */
  line: string;
  /** The address it listens on, from that line. */
  base: string;
  exit: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

/** `bouncer serve <args>`; stderr is kept (for stderr()) unless passed through or ignored. */
export function serve(args: string[], env: Record<string, string | undefined>, stderrTo: "pipe" | "inherit" | "ignore" = "pipe"): Promise<Served> {
  const child = spawn(process.execPath, [MAIN, "serve", ...args], { env, stdio: ["ignore", "pipe", stderrTo] });
  let stdout = "";
  let stderr = "";
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr?.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout!.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      const nl = stdout.indexOf("\n");
      if (nl < 0) return;
      const line = stdout.slice(0, nl + 1);
      resolve({ child, line, base: line.replace(/^listening /, "").trim(), exit, stdout: () => stdout, stderr: () => stderr });
    });
    child.on("exit", (code) => reject(new Error(`bouncer serve exited with ${code}: ${stderr}`)));
  });
}
