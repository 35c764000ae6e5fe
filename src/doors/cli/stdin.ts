// Standard input read at once, without a stream, where that cannot block (the agent hook's entry
// uses it: a stream costs milliseconds to set up, on every tool call), and the stream that carries on
// from what was read.
import type { Readable } from "node:stream";

// Not `import … from "node:fs"`: its ES module facade costs milliseconds to build, on every tool call.
const { closeSync, constants, fstatSync, openSync, readSync } = process.getBuiltinModule("node:fs");

export interface Read {
  bytes: Buffer;
  /** The whole input was read; false: the rest (if any) must come from the stream. */
  whole: boolean;
}

export const NOTHING: Read = { bytes: Buffer.alloc(0), whole: false };

/**
 * Standard input, read at once where that cannot block: a regular file, or (Linux) a pipe opened
 * anew without blocking, so an agent that has written its payload and closed the pipe is read whole
 * and one still writing (or never closing) leaves the rest to the stream and its deadline.
 */
export function readAtOnce(input: number, limit: number): Read {
  let fd: number;
  try {
    const stat = fstatSync(input);
    if (stat.isFile()) fd = input;
    else if (stat.isFIFO() && process.platform === "linux") fd = openSync(`/proc/self/fd/${input}`, constants.O_RDONLY | constants.O_NONBLOCK);
    else return NOTHING;
  } catch {
    return NOTHING;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      let n: number;
      try {
        n = readSync(fd, chunk, 0, chunk.length, null);
      } catch {
        // EAGAIN: the writer has not finished; anything else, the stream meets again and reports.
        break;
      }
      if (n === 0) return { bytes: Buffer.concat(chunks, size), whole: true };
      chunks.push(chunk.subarray(0, n));
      size += n;
      // Too large: the full command counts it again and refuses it.
      if (size > limit) break;
    }
  } finally {
    if (fd !== input) closeSync(fd);
  }
  return { bytes: Buffer.concat(chunks, size), whole: false };
}

/** A stream read whole (`text`), or what was read before it stopped early, and why. */
export type StreamRead = { text: string } | { partial: Read; stopped: "large" | "late" | "failed"; error?: unknown };

/**
 * `stream` read whole, up to `limit` bytes and, with `ms`, within that time. Stopping early, it lets
 * go of the stream (listeners off, paused), so the rest can still be read from where it stopped.
 */
export function readStream(stream: Readable, limit: number, ms?: number): Promise<StreamRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (result: StreamRead) => {
      clearTimeout(timer);
      stream.removeListener("data", onData);
      stream.removeListener("end", onEnd);
      stream.removeListener("error", onError);
      stream.pause();
      resolve(result);
    };
    const early = (stopped: "large" | "late" | "failed", error?: unknown): StreamRead => ({ partial: { bytes: Buffer.concat(chunks, size), whole: false }, stopped, error });
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      chunks.push(bytes);
      size += bytes.length;
      if (size > limit) stop(early("large"));
    };
    const onEnd = () => stop({ text: Buffer.concat(chunks, size).toString("utf8") });
    const onError = (error: unknown) => stop(early("failed", error));
    const timer = ms === undefined ? undefined : setTimeout(() => stop(early("late")), ms);
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("error", onError);
  });
}

/** What was read, then the rest from `rest` (standard input); destroying it releases `rest`. */
export async function inputAfter(read: Read, rest: Readable): Promise<Readable> {
  const { Readable } = await import("node:stream");
  const input = new Readable({
    read: () => void rest.resume(),
    destroy(error, callback) {
      rest.destroy();
      callback(error);
    },
  });
  if (read.bytes.length) input.push(read.bytes);
  rest.on("data", (chunk: Buffer) => {
    if (!input.push(chunk)) rest.pause();
  });
  rest.on("end", () => input.push(null));
  rest.on("error", (error) => input.destroy(error));
  return input;
}
