// Runs the CLI in process with a fake terminal, and as a real child process when pipes matter.
import { spawn } from "node:child_process";
import path from "node:path";
import { Readable } from "node:stream";
import { runCli } from "../../../src/doors/cli/run.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(
  argv: string[],
  env: Record<string, string | undefined>,
  options: { stdin?: string; cwd?: string; stdoutIsTTY?: boolean; stderrIsTTY?: boolean } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    env,
    cwd: options.cwd ?? process.cwd(),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: async () => options.stdin ?? "",
    stdin: Readable.from([options.stdin ?? ""]),
    stdoutIsTTY: options.stdoutIsTTY ?? false,
    stderrIsTTY: options.stderrIsTTY ?? false,
  });
  return { code, stdout, stderr };
}

export const MAIN = path.resolve(import.meta.dirname, "../../../bin/bouncer.js");

/** The real process: stdout through a pipe, exit code as the shell sees it. */
export function cliProcess(argv: string[], env: Record<string, string | undefined>, stdin = ""): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...argv], { env: env as NodeJS.ProcessEnv, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}
