// bouncer npm|npx|pnpm|yarn|pip|uv|... ARGS: check what the command adds, then run the real tool.
import { buildReport } from "../../../report/json.ts";
import { styleFor } from "../../../report/style.ts";
import { renderText } from "../../../report/text.ts";
import { blocked, findRealTool, planInstall, runTool } from "../../guard/guard.ts";
import { installOptions, judgeInstall } from "../../guard/judge.ts";
import { shown } from "../../guard/registries.ts";
import { type CliIO, UsageError } from "../io.ts";
import { openDoorGate } from "../store.ts";
import type { Command } from "./types.ts";

/** Command lines go to the log: credentials in URLs are not kept. */
export function redact(argv: readonly string[]): string {
  return argv.map(shown).join(" ");
}

async function guard(tool: string, args: string[], io: CliIO): Promise<number> {
  const real = findRealTool(tool, io.env.PATH, io.env.BOUNCER_SHIM_DIR ? [io.env.BOUNCER_SHIM_DIR] : []);
  if (!real) throw new UsageError(`cannot find ${tool} on PATH`, `install ${tool}, or check PATH`);
  const argv = [tool, ...args];
  const plan = planInstall(argv, io.cwd);
  if (!plan.requests.length && !plan.unverifiable.length && !plan.problems.length) return runTool(real, args, io.env, io.cwd);

  const { options, registries } = installOptions({ offline: io.env.BOUNCER_OFFLINE === "1", policy: io.env.BOUNCER_POLICY }, io, plan);
  const gate = await openDoorGate(options, io);
  try {
    const all = await judgeInstall(plan, gate, options, registries);
    await gate.record(all, "guard", redact(argv));
    const report = buildReport(all, [], gate.engine.notices);
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
