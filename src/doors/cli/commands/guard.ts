// bouncer npm|npx|pnpm|yarn|pip|uv|... ARGS: check what the command adds, then run the real tool.
import { baseFromIndexUrl } from "../../../ecosystems/pypi/pipconf.ts";
import { nonRegistryResult } from "../../../engine/scan.ts";
import { openGate } from "../../../engine/service.ts";
import { buildReport } from "../../../report/json.ts";
import { styleFor } from "../../../report/style.ts";
import { renderText } from "../../../report/text.ts";
import { finding } from "../../../core/signals.ts";
import { ACTIVE_VAR, blocked, findRealTool, planInstall, runTool } from "../../guard/guard.ts";
import { engineOptions } from "../config.ts";
import { type CliIO, UsageError } from "../io.ts";
import type { Command } from "./types.ts";

/** Command lines go to the log: credentials in URLs are not kept. */
export function redact(argv: readonly string[]): string {
  return argv.map((a) => a.replace(/\/\/[^/@\s]+@/g, "//***@")).join(" ");
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

async function guard(tool: string, args: string[], io: CliIO): Promise<number> {
  const real = findRealTool(tool, io.env.PATH, io.env.BOUNCER_SHIM_DIR ? [io.env.BOUNCER_SHIM_DIR] : []);
  if (!real) throw new UsageError(`cannot find ${tool} on PATH`, `install ${tool}, or check PATH`);
  if (io.env[ACTIVE_VAR]) return runTool(real, args, io.env, io.cwd);
  const argv = [tool, ...args];
  const plan = planInstall(argv, io.cwd);
  if (!plan.requests.length && !plan.unverifiable.length && !plan.problems.length) return runTool(real, args, io.env, io.cwd);

  const options = engineOptions({ offline: io.env.BOUNCER_OFFLINE === "1", policy: io.env.BOUNCER_POLICY }, io);
  // The command's own registry option wins: that is where the tool will fetch from.
  const registry = plan.command?.options.registry;
  if (Array.isArray(registry) && registry[0]) options.registries.npm = withSlash(registry[0]);
  const index = plan.command?.options["index-url"];
  if (Array.isArray(index) && index[0]) options.registries.pypi = baseFromIndexUrl(index[0]) ?? options.registries.pypi;

  const gate = await openGate(options);
  try {
    const results = await gate.check(plan.requests, "guard", redact(argv));
    const others = plan.unverifiable.map((d) => nonRegistryResult(d, gate.engine));
    for (const problem of plan.problems) {
      const eco = plan.command!.ecosystem!;
      others.push({
        purl: `pkg:${eco}/unknown`,
        ecosystem: eco,
        name: problem,
        version: null,
        verdict: "block",
        findings: [finding("invalid-name", { name: problem, registry: eco, reason: "not understood" })],
        didYouMean: [],
        locations: [],
      });
    }
    await gate.record(others, "guard", redact(argv));
    const report = buildReport([...results, ...others]);
    const style = styleFor(io.stderrIsTTY, io.env);
    if (blocked(report.results)) {
      io.stderr.write(renderText(report, { style }));
      io.stderr.write(`bouncer: refused to run \`${redact(argv)}\`: ${report.summary.block} package(s) blocked\n`);
      return 1;
    }
    if (report.summary.warn) io.stderr.write(renderText(report, { style }));
  } finally {
    await gate.close();
  }
  return runTool(real, args, io.env, io.cwd);
}

export function guardFor(tool: string): Command {
  return { run: (args: string[], io: CliIO) => guard(tool, args, io) };
}
