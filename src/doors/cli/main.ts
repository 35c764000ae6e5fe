#!/usr/bin/env node
// The process door: wires the real process to runCli and sets the exit code (never process.exit).
import { enableCompileCache } from "node:module";

// Cache compiled code between runs: the guard and one-off checks start in a fraction of the time.
enableCompileCache?.();
const { runCli } = await import("./run.ts");

// The standard streams are made on first use: a command that never writes (the agent hook's usual
// "allow") does not pay for creating them.
let stdoutReady = false;
function stdout(): NodeJS.WriteStream {
  if (!stdoutReady) {
    stdoutReady = true;
    // A reader that stops early (`bouncer check ... | head`) is not an error worth a stack trace.
    process.stdout.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
  }
  return process.stdout;
}

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  get stdout() {
    return stdout();
  },
  get stderr() {
    return process.stderr;
  },
  readStdin: async () => (await import("node:stream/consumers")).text(process.stdin),
  get stdin() {
    return process.stdin;
  },
  get stdoutIsTTY() {
    return Boolean(stdout().isTTY);
  },
  get stderrIsTTY() {
    return Boolean(process.stderr.isTTY);
  },
});
