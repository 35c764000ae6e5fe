// Runs an MCP server over a pair of streams, one JSON-RPC message per line.
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { McpServer } from "./protocol.ts";

/** Serves until the input ends; responses are written in the order requests complete. */
export async function serveStdio(server: McpServer, input: Readable, output: { write(text: string): unknown }): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  const pending = new Set<Promise<void>>();
  for await (const line of lines) {
    const task = server.handleLine(line).then((out) => {
      for (const o of out) output.write(`${o}\n`);
    });
    pending.add(task);
    void task.finally(() => pending.delete(task));
  }
  await Promise.all(pending);
}
