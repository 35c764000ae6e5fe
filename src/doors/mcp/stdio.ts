// Runs an MCP server over a pair of streams, one JSON-RPC message per line.
import type { Readable } from "node:stream";
import { type McpServer, tooLarge } from "./protocol.ts";

/** No request needs more: a longer line is answered with an error and skipped, never buffered whole. */
export const MAX_LINE_BYTES = 1 << 20;

export type InputLine = { line: string } | { tooLong: true };

/**
 * Lines of at most `maxBytes` bytes; a longer one is reported once, as soon as it passes the cap, and
 * its remaining bytes are dropped up to the next newline, so memory stays near `maxBytes`.
 */
export async function* boundedLines(input: AsyncIterable<Buffer | string>, maxBytes = MAX_LINE_BYTES): AsyncGenerator<InputLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  const take = (): string => {
    const text = Buffer.concat(parts, size).toString("utf8");
    parts = [];
    size = 0;
    return text.endsWith("\r") ? text.slice(0, -1) : text;
  };
  for await (const raw of input) {
    const chunk = typeof raw === "string" ? Buffer.from(raw) : raw;
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl < 0 ? chunk.length : nl;
      if (!skipping && size + (end - start) > maxBytes) {
        skipping = true;
        parts = [];
        size = 0;
        yield { tooLong: true };
      }
      if (!skipping && end > start) {
        parts.push(chunk.subarray(start, end));
        size += end - start;
      }
      if (nl < 0) break;
      if (skipping) skipping = false;
      else yield { line: take() };
      start = nl + 1;
    }
  }
  if (!skipping && size) yield { line: take() };
}

/** Serves until the input ends; responses are written in the order requests complete. */
export async function serveStdio(server: McpServer, input: Readable, output: { write(text: string): unknown }): Promise<void> {
  const pending = new Set<Promise<void>>();
  for await (const item of boundedLines(input)) {
    if (!("line" in item)) {
      output.write(`${tooLarge(MAX_LINE_BYTES)}\n`);
      continue;
    }
    const task = server.handleLine(item.line).then((out) => {
      for (const o of out) output.write(`${o}\n`);
    });
    pending.add(task);
    void task.finally(() => pending.delete(task));
  }
  await Promise.all(pending);
}
