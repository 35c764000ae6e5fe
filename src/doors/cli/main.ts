#!/usr/bin/env node
// The process door: wires the real process to runCli and sets the exit code (never process.exit).
import { enableCompileCache } from "node:module";

// Cache compiled code between runs: the guard and one-off checks start in a fraction of the time.
enableCompileCache?.();
const [{ runCli }, { processIO }] = await Promise.all([import("./run.ts"), import("./process-io.ts")]);

process.exitCode = await runCli(process.argv.slice(2), processIO());
