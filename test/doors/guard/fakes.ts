// Stand-ins for the real installers, for the guard's tests: each records its argv, then runs the
// shell command in $dir/hook once if there is one (a lifecycle script), and exits 7.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { CliRun } from "../cli/run.ts";

export interface FakeTools {
  bin: string;
  /** Lines "tool argv..." of every real-tool run, in order. */
  calls(): string[];
  /** A shell command the next real-tool run executes before it exits (as a postinstall script would). */
  hook(command: string): void;
}

export function fakeTools(tools: readonly string[]): FakeTools {
  const root = mkdtempSync(path.join(tmpdir(), "fake-tools-"));
  const bin = path.join(root, "bin");
  const log = path.join(root, "calls.log");
  const hook = path.join(root, "hook");
  mkdirSync(bin);
  for (const tool of tools) {
    writeFileSync(
      path.join(bin, tool),
      [
        "#!/bin/sh",
        `echo "${tool} $*" >> ${JSON.stringify(log)}`,
        // npm exec -c / npx -c run their command in a shell, as the real tools do.
        `if [ "$1" = exec ] && [ "$2" = -c ]; then sh -c "$3"; exit $?; fi`,
        `if [ -f ${JSON.stringify(hook)} ]; then h=$(cat ${JSON.stringify(hook)}); rm ${JSON.stringify(hook)}; sh -c "$h" || exit $?; fi`,
        "exit 7",
        "",
      ].join("\n"),
    );
    chmodSync(path.join(bin, tool), 0o755);
  }
  return {
    bin,
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n").filter(Boolean) : []),
    hook: (command) => writeFileSync(hook, command),
  };
}

/** Runs a file (a shim) as the shell would. */
export function sh(file: string, args: string[], env: Record<string, string>, cwd?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
