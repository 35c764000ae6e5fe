// bouncer npm|npx|pnpm|yarn|pip|uv|... ARGS: check what the command adds, then run the real tool.
import { homedir } from "node:os";
import type { Finding } from "../../../core/findings.ts";
import type { EcosystemId, PackageResult } from "../../../core/model.ts";
import type { Policy } from "../../../core/policy.ts";
import { finding } from "../../../core/signals.ts";
import { checkPackages } from "../../../engine/check.ts";
import { nonRegistryResult } from "../../../engine/scan.ts";
import type { EngineOptions } from "../../../engine/setup.ts";
import { buildReport } from "../../../report/json.ts";
import { styleFor } from "../../../report/style.ts";
import { renderText } from "../../../report/text.ts";
import { blocked, findRealTool, planInstall, readConfigFile, runTool } from "../../guard/guard.ts";
import { checkAcrossIndexes, withFindings } from "../../guard/indexes.ts";
import { type InstallRegistries, installRegistries, shown } from "../../guard/registries.ts";
import { engineOptions } from "../config.ts";
import { type CliIO, UsageError } from "../io.ts";
import { openDoorGate } from "../store.ts";
import type { Command } from "./types.ts";

/** Command lines go to the log: credentials in URLs are not kept. */
export function redact(argv: readonly string[]): string {
  return argv.map(shown).join(" ");
}

/** The registries the real tool will fetch from replace Bouncer's own; credentials only where the user set them. */
function judgeAgainst(options: EngineOptions, registries: InstallRegistries): void {
  const { npm, pypi } = registries;
  if (npm) {
    options.registries.npm = npm.registry;
    options.npmScopes = npm.scopes;
    options.npmAuthorization = npm.authorization;
  }
  if (pypi?.[0]) {
    options.registries.pypi = pypi[0].base;
    options.pypiAuthorization = pypi[0].authorization;
  }
}

/** A result for something that is not one package, judged on the finding given. */
function lone(ecosystem: EcosystemId, what: string, f: Finding, policy: Policy): PackageResult {
  const result: PackageResult = { purl: `pkg:${ecosystem}/unknown`, ecosystem, name: what, version: null, verdict: "allow", findings: [], didYouMean: [], locations: [] };
  return withFindings(result, [f], policy);
}

async function guard(tool: string, args: string[], io: CliIO): Promise<number> {
  const real = findRealTool(tool, io.env.PATH, io.env.BOUNCER_SHIM_DIR ? [io.env.BOUNCER_SHIM_DIR] : []);
  if (!real) throw new UsageError(`cannot find ${tool} on PATH`, `install ${tool}, or check PATH`);
  const argv = [tool, ...args];
  const plan = planInstall(argv, io.cwd);
  if (!plan.requests.length && !plan.unverifiable.length && !plan.problems.length) return runTool(real, args, io.env, io.cwd);

  const options = engineOptions({ offline: io.env.BOUNCER_OFFLINE === "1", policy: io.env.BOUNCER_POLICY }, io, [io.cwd], { installFromProject: true });
  const registries = installRegistries(plan.commands, {
    cwd: io.cwd,
    home: io.env.HOME || homedir(),
    env: io.env,
    defaults: { npm: options.registries.npm, pypi: options.registries.pypi },
    readFile: readConfigFile,
  });
  judgeAgainst(options, registries);
  const indexes = registries.pypi ?? [];
  if (indexes.length > 1 && options.offline) registries.unjudged.push({ ecosystem: "pypi", reason: "offline: the other indexes this install merges were not asked" });

  const gate = await openDoorGate(options, io);
  try {
    let results =
      indexes.length > 1 && !options.offline
        ? await checkAcrossIndexes(plan.requests, indexes, gate.engine, options.fetch ?? fetch)
        : await checkPackages(plan.requests, gate.engine);
    // What the tool may fetch from where Bouncer cannot look: every package of that ecosystem is unverifiable.
    for (const { ecosystem, reason } of registries.unjudged) {
      const f = finding("unverifiable", { reason });
      const hit = results.some((r) => r.ecosystem === ecosystem);
      results = results.map((r) => (r.ecosystem === ecosystem ? withFindings(r, [f], options.policy) : r));
      if (!hit) results.push(lone(ecosystem, reason, f, options.policy));
    }
    const others = plan.unverifiable.map((d) => nonRegistryResult(d, gate.engine));
    for (const { ecosystem, reason, unreadable } of plan.problems) {
      const f = unreadable ? finding("unverifiable", { reason }) : finding("invalid-name", { name: reason, registry: ecosystem, reason: "not understood" });
      others.push(lone(ecosystem, reason, f, options.policy));
    }
    await gate.record([...results, ...others], "guard", redact(argv));
    const report = buildReport([...results, ...others], [], gate.engine.notices);
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
