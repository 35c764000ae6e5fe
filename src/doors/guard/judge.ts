// Judging a planned install: at the registries the real tool will fetch from (the project's own
// configuration included, asked without secrets), across every index it merges, with what cannot be
// looked up reported as such. Shared by the install guard and the agent hooks.
import { homedir } from "node:os";
import type { Finding } from "../../core/findings.ts";
import type { EcosystemId, PackageResult } from "../../core/model.ts";
import type { Policy } from "../../core/policy.ts";
import { finding } from "../../core/signals.ts";
import { checkPackages } from "../../engine/check.ts";
import { nonRegistryResult } from "../../engine/scan.ts";
import type { Gate } from "../../engine/service.ts";
import type { EngineOptions } from "../../engine/setup.ts";
import { type CommonFlags, engineOptions, readOnce } from "../cli/config.ts";
import type { CliIO } from "../cli/io.ts";
import type { Plan } from "./guard.ts";
import { checkAcrossIndexes, unaskedIndexes, withFindings } from "./indexes.ts";
import { INDEX_ECOSYSTEM, type InstallRegistries, installRegistries } from "./registries.ts";

/** The registries the real tool will fetch from replace Bouncer's own; credentials only where the user set them. */
function judgeAgainst(options: EngineOptions, registries: InstallRegistries): void {
  const { npm, pypi } = registries;
  if (npm) {
    options.registries.npm = npm.registry;
    options.npmScopes = npm.scopes;
    options.npmFencedScopes = npm.fenced;
    options.npmAuthorization = npm.authorization;
  }
  if (pypi?.[0]) {
    options.registries.pypi = pypi[0].base;
    options.pypiAuthorization = pypi[0].authorization;
  }
}

/** A result for something that is not one package, judged on the finding given. */
export function lone(ecosystem: EcosystemId, what: string, f: Finding, policy: Policy): PackageResult {
  const result: PackageResult = { purl: `pkg:${ecosystem}/unknown`, ecosystem, name: what, version: null, verdict: "allow", findings: [], didYouMean: [], locations: [] };
  return withFindings(result, [f], policy);
}

/**
 * Engine options for judging an install run in `io.cwd` (the project's registries count). `readFile`
 * reads each configuration file once (~/.npmrc serves the engine options and the install's registries);
 * pass the same one for every install of a command line.
 */
export function installOptions(
  flags: CommonFlags,
  io: CliIO,
  plan: Plan,
  readFile: (file: string) => string | undefined = readOnce(),
): { options: EngineOptions; registries: InstallRegistries } {
  const options = engineOptions(flags, io, [io.cwd], { installFromProject: true, readFile });
  const registries = installRegistries(plan.commands, {
    cwd: io.cwd,
    home: io.env.HOME || homedir(),
    env: io.env,
    defaults: { npm: options.registries.npm, pypi: options.registries.pypi },
    readFile,
    trustedHosts: options.policy.lockfileHosts,
  });
  judgeAgainst(options, registries);
  return { options, registries };
}

/**
 * Every result of a planned install (packages, then what could not be understood or looked up),
 * judged by `gate` opened on `options`. Logging is the caller's.
 */
export async function judgeInstall(plan: Plan, gate: Gate, options: EngineOptions, registries: InstallRegistries): Promise<PackageResult[]> {
  const indexes = registries.pypi ?? [];
  const unjudged = [...registries.unjudged];
  const unasked = options.offline ? unaskedIndexes(INDEX_ECOSYSTEM, indexes) : undefined;
  if (unasked) unjudged.push(unasked);
  let results =
    indexes.length > 1 && !options.offline
      ? await checkAcrossIndexes(INDEX_ECOSYSTEM, plan.requests, indexes, gate.engine, options.fetch ?? fetch)
      : await checkPackages(plan.requests, gate.engine);
  // What the tool may fetch from where Bouncer cannot look: every package of that ecosystem is unverifiable.
  for (const { ecosystem, reason } of unjudged) {
    const f = finding("unverifiable", { reason });
    const hit = results.some((r) => r.ecosystem === ecosystem);
    results = results.map((r) => (r.ecosystem === ecosystem ? withFindings(r, [f], options.policy) : r));
    if (!hit) results.push(lone(ecosystem, reason, f, options.policy));
  }
  for (const d of plan.unverifiable) results.push(nonRegistryResult(d, gate.engine));
  for (const { ecosystem, reason, unreadable } of plan.problems) {
    const f = unreadable ? finding("unverifiable", { reason }) : finding("invalid-name", { name: reason, registry: ecosystem, reason: "not understood" });
    results.push(lone(ecosystem, reason, f, options.policy));
  }
  return results;
}
