// The real process as the CLI sees it (CliIO): its environment, folder and standard streams.
import type { Readable } from "node:stream";
import type { CliIO } from "./io.ts";

/** `stdin`: standard input as the caller has it (the hook's entry hands over what it read already). */
export function processIO(stdin?: Readable): CliIO {
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
  const input = () => stdin ?? process.stdin;
  return {
    env: process.env,
    cwd: process.cwd(),
    get stdout() {
      return stdout();
    },
    get stderr() {
      return process.stderr;
    },
    readStdin: async () => (await import("node:stream/consumers")).text(input()),
    get stdin() {
      return input();
    },
    get stdoutIsTTY() {
      return Boolean(stdout().isTTY);
    },
    get stderrIsTTY() {
      return Boolean(process.stderr.isTTY);
    },
  };
}
