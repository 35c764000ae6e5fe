// Everything the CLI touches of the outside world, so tests can run it in process.
import type { Readable } from "node:stream";
import { BouncerError } from "../../core/errors.ts";

export interface Output {
  write(text: string): unknown;
}

export interface CliIO {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: Output;
  stderr: Output;
  readStdin(): Promise<string>;
  /** Standard input as a stream (line protocols such as MCP). */
  stdin: Readable;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
}

/** A user's mistake: one line on stderr, a hint, exit code 2. */
export class UsageError extends BouncerError {
  override name = "UsageError";
  constructor(message: string, hint?: string) {
    super(message, hint === undefined ? {} : { hint });
  }
}
