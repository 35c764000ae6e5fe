// The install guard: work out what an installer command would add, check it, then run the real tool
// with the same arguments and streams, or refuse with the reasons.
import { spawn } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import path from "node:path";
import type { PackageRequest, PackageResult } from "../../core/model.ts";
import { getEcosystem } from "../../ecosystems/index.ts";
import { parseInstallCommand, type InstallCommand } from "../../extract/commands.ts";
import { diskFs } from "../../engine/fs.ts";
import { gather, toRequests } from "../../engine/scan.ts";
import { makeRequest } from "../../engine/requests.ts";
import type { ExtractedDependency } from "../../extract/types.ts";

export const SHIM_MARKER = "bouncer-shim";
/** Set for the real tool's process tree: nested installer calls are not checked twice, and a shim never loops. */
export const ACTIVE_VAR = "BOUNCER_GUARD_ACTIVE";

export interface Plan {
  command: InstallCommand | null;
  requests: PackageRequest[];
  /** Dependencies from git, URLs or paths: not looked up, reported. */
  unverifiable: ExtractedDependency[];
  /** Operands that could not be understood. */
  problems: string[];
}

/** What `argv` (tool name first) would add, as requests for the engine. */
export function planInstall(argv: readonly string[], cwd: string): Plan {
  const command = parseInstallCommand(argv);
  const plan: Plan = { command, requests: [], unverifiable: [], problems: [] };
  if (!command?.ecosystem) return plan;
  const eco = getEcosystem(command.ecosystem);
  if (!eco) return plan;
  const where = { file: `<${argv[0]} command line>` };
  for (const t of command.adds) {
    if (t.source !== "registry") {
      plan.unverifiable.push({ ecosystem: eco.id, name: t.name ?? t.spec, version: t.version, source: t.source, kind: "install-command", location: where, spec: t.spec });
      continue;
    }
    if (!t.name) {
      plan.problems.push(`cannot tell which package "${t.spec}" names${t.error ? `: ${t.error}` : ""}`);
      continue;
    }
    const r = makeRequest(eco, t.name, t.version, [where]);
    r.via = "install-command";
    plan.requests.push(r);
  }
  const files = [...command.requirementFiles, ...command.constraintFiles];
  if (files.length) {
    // Confined to the working folder: a requirements file cannot make the guard read outside it.
    const found = gather({ cwd, paths: files, fs: diskFs(cwd) });
    for (const n of found.notEvaluated) plan.problems.push(`${n.file}: ${n.reason}`);
    const { requests, nonRegistry } = toRequests(found.dependencies, found.local, [], found.localImports);
    for (const r of requests) plan.requests.push(r);
    for (const n of nonRegistry) plan.unverifiable.push(n.dep);
  }
  return plan;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isShim(file: string): boolean {
  try {
    return readFileSync(file, "utf8").slice(0, 200).includes(SHIM_MARKER);
  } catch {
    return false;
  }
}

/** The real tool on PATH: never a Bouncer shim, never a folder in `skip`. */
export function findRealTool(tool: string, envPath: string | undefined, skip: readonly string[] = []): string | undefined {
  const skipped = new Set(skip.map((d) => path.resolve(d)));
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir || skipped.has(path.resolve(dir))) continue;
    const candidate = path.join(dir, tool);
    if (isExecutable(candidate) && !isShim(candidate)) return candidate;
  }
  return undefined;
}

/** Runs the real tool with the same arguments and standard streams; resolves to its exit code. */
export function runTool(file: string, args: readonly string[], env: Record<string, string | undefined>, cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: "inherit", env: { ...env, [ACTIVE_VAR]: "1" }, cwd });
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 128 + (signalNumber(signal) ?? 1) : 1)));
  });
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  return ({ SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal];
}

export function blocked(results: readonly PackageResult[]): boolean {
  return results.some((r) => r.verdict === "block");
}
