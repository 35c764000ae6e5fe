// bouncer mcp: the Model Context Protocol server on stdio.
import { parseArgs } from "node:util";
import { scanText } from "../../../engine/scan.ts";
import { McpServer } from "../../mcp/protocol.ts";
import { serveStdio } from "../../mcp/stdio.ts";
import { intentSearcher } from "../../mcp/intent.ts";
import { bouncerTools } from "../../mcp/tools.ts";
import { COMMON_OPTIONS, engineOptions } from "../config.ts";
import { openDoorGate } from "../store.ts";
import type { Command } from "./types.ts";

export const mcp: Command = {
  async run(args, io) {
    const { values } = parseArgs({ args, options: COMMON_OPTIONS, allowPositionals: false, strict: true });
    const gate = await openDoorGate(engineOptions(values, io), io);
    try {
      const searchIntent = intentSearcher({
        dataDir: gate.engine.dataDir,
        request: (ecosystem, name) => gate.request(ecosystem, name, null),
        check: (requests, context) => gate.check(requests, "mcp", context),
      });
      const server = new McpServer(
        bouncerTools({
          parseSpec: gate.parseSpec,
          notices: gate.engine.notices,
          check: (requests) => gate.check(requests, "mcp"),
          async scanText(text, file) {
            const report = await scanText(text, file, gate.engine);
            await gate.record(report.results, "mcp", `scan_snippet ${file}`);
            return report;
          },
          async suggest(ecosystem, name, limit) {
            const intel = gate.engine.intel(ecosystem);
            const own = gate.request(ecosystem, name, null);
            // A popular name comes back as itself, verified like any other.
            const candidates = intel?.suggest(own.name, limit + 2) ?? [];
            const results = await gate.check(candidates.map((c) => gate.request(ecosystem, c, null)), "mcp", `suggest_package ${name}`);
            return results.filter((r) => r.verdict !== "block").slice(0, limit);
          },
          searchIntent,
        }),
        undefined,
        (error) => io.stderr.write(`bouncer mcp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`),
      );
      await serveStdio(server, io.stdin, io.stdout);
      return 0;
    } finally {
      await gate.close();
    }
  },
};
