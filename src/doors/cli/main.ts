#!/usr/bin/env node
// The process door: wires the real process to runCli and sets the exit code (never process.exit).
import { enableCompileCache } from "node:module";
import { text } from "node:stream/consumers";

// Cache compiled code between runs: the guard and one-off checks start in a fraction of the time.
enableCompileCache?.();
const { runCli } = await import("./run.ts");

// A reader that stops early (`bouncer check ... | head`) is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

process.exitCode = await runCli(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
  readStdin: () => text(process.stdin),
  stdin: process.stdin,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
});
