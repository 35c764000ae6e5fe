// The install guard: work out what an installer command would add, check it, then run the real tool
// with the same arguments and streams, or refuse with the reasons.
import { spawn } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import type { EcosystemId, PackageRequest, PackageResult } from "../../core/model.ts";
import { getEcosystem } from "../../ecosystems/index.ts";
import { parseInstallCommand } from "../../extract/commands.ts";
import type { InstallCommand } from "../../core/dependency.ts";
import { diskFs } from "../../engine/fs.ts";
import { readRegularFile } from "../../sources/files.ts";
import { gather, toRequests } from "../../engine/scan.ts";
import { makeRequest } from "../../engine/requests.ts";
import { type ShellWord, splitShellCommands } from "../../extract/shell.ts";
import type { ExtractedDependency } from "../../core/dependency.ts";

export const SHIM_MARKER = "bouncer-shim";
/** Larger than any shim Bouncer writes: a larger file (a real tool's binary) is not one. */
const MAX_SHIM_BYTES = 64 * 1024;
/** Runners inside runners (`npx npx pnpm add x`) are followed this deep; deeper ones are refused. */
const MAX_NESTING = 4;

export interface Plan {
  command: InstallCommand | null;
  /** Every install command the line runs: the command itself, then the ones its runners start. */
  commands: InstallCommand[];
  requests: PackageRequest[];
  /** Dependencies from git, URLs or paths: not looked up, reported. */
  unverifiable: ExtractedDependency[];
  /** What could not be understood (an operand) or read (a file, a value known only at run time), per ecosystem. */
  problems: Array<{ ecosystem: EcosystemId; reason: string; unreadable?: boolean }>;
}

/** What `argv` (tool name first) would add, as requests for the engine. */
export function planInstall(argv: readonly string[], cwd: string): Plan {
  const command = parseInstallCommand(argv);
  const plan: Plan = { command, commands: [], requests: [], unverifiable: [], problems: [] };
  if (command) addCommand(plan, argv, command, cwd, 0);
  return plan;
}

/** Operands the shell fills in only when the command runs (`npm i $PKG`): they cannot be judged now. */
export function dynamicOperands(plan: Plan, command: InstallCommand, words: readonly ShellWord[] | undefined): void {
  if (!command.ecosystem || !words) return;
  for (const t of command.adds) {
    if (words[t.argIndex]?.dynamic) plan.problems.push({ ecosystem: command.ecosystem, reason: `"${t.spec}" is only known when the command runs`, unreadable: true });
  }
}

function addCommand(plan: Plan, argv: readonly string[], command: InstallCommand, cwd: string, depth: number): void {
  plan.commands.push(command);
  const eco = command.ecosystem ? getEcosystem(command.ecosystem) : undefined;
  // What a runner starts may itself install (`npx pnpm add x`, `npm exec -c 'npm i x'`): judged now, too.
  const nested = (program: readonly string[], words?: ShellWord[]) => {
    // `npx npm@9 install x` runs npm.
    const inner = [program[0]!.replace(/^([a-z0-9][\w.-]*)@[^/]*$/i, "$1"), ...program.slice(1)];
    const parsed = parseInstallCommand(inner);
    if (!parsed) return;
    if (depth + 1 >= MAX_NESTING) {
      plan.problems.push({ ecosystem: parsed.ecosystem ?? eco?.id ?? "npm", reason: `runners nested more than ${MAX_NESTING} deep` });
      return;
    }
    dynamicOperands(plan, parsed, words);
    addCommand(plan, inner, parsed, cwd, depth + 1);
  };
  if (command.program) nested(command.program);
  // What a script it runs holds beyond the tokenizer's limits may install anything: not a pass.
  const cut = (what: string) => plan.problems.push({ ecosystem: eco?.id ?? "npm", reason: `the shell command it runs cannot be read whole (${what})`, unreadable: true });
  for (const call of command.calls ?? []) for (const c of splitShellCommands(call, { onLimit: cut })) nested(c.argv, c.words);
  if (!eco) return;
  const where = { file: `<${argv[0]} command line>` };
  for (const t of command.adds) {
    if (t.source !== "registry") {
      plan.unverifiable.push({ ecosystem: eco.id, name: t.name ?? t.spec, version: t.version, source: t.source, kind: "install-command", location: where, spec: t.spec });
      continue;
    }
    if (!t.name) {
      plan.problems.push({ ecosystem: eco.id, reason: `cannot tell which package "${t.spec}" names${t.error ? `: ${t.error}` : ""}` });
      continue;
    }
    const r = makeRequest(eco, t.name, t.version, [where]);
    r.via = "install-command";
    plan.requests.push(r);
  }
  // Requirements files, and the manifest and lockfile of each project the command installs.
  const files = [...command.requirementFiles, ...command.constraintFiles];
  for (const project of command.projects) {
    const found = project.files.map((f) => path.join(project.dir, f)).filter((file) => isRegularFile(path.resolve(cwd, file)));
    files.push(...found);
    // A setup.py runs to say what it needs: Bouncer does not run it, so it cannot vouch for it.
    if (!found.length && isRegularFile(path.resolve(cwd, project.dir, "setup.py"))) {
      plan.problems.push({ ecosystem: eco.id, reason: `${path.join(project.dir, "setup.py")}: dependencies declared only in setup.py cannot be read`, unreadable: true });
    }
  }
  if (files.length) {
    // Confined to the working folder: a requirements file cannot make the guard read outside it.
    // pip reads a -r/-c file as requirements whatever its name.
    const requirements = new Set([...command.requirementFiles, ...command.constraintFiles].map((f) => path.resolve(cwd, f)));
    const formatOf = (file: string) => (requirements.has(path.resolve(cwd, file)) ? "requirements.txt" : undefined);
    const found = gather({ cwd, paths: files, fs: diskFs(cwd), formatOf });
    for (const n of found.notEvaluated) plan.problems.push({ ecosystem: eco.id, reason: `${n.file}: ${n.reason}`, unreadable: true });
    const { requests, nonRegistry } = toRequests(found.dependencies, found.local, [], found.localImports);
    for (const r of requests) plan.requests.push(r);
    for (const n of nonRegistry) plan.unverifiable.push(n.dep);
  }
}

function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Whether `file` is a shim Bouncer wrote (its marker near the top). */
export function isShim(file: string): boolean {
  try {
    // A shim is a small script; a FIFO or a device on PATH is not read (it would block), nor a large binary.
    return readRegularFile(file, { limit: MAX_SHIM_BYTES }).toString("utf8", 0, 200).includes(SHIM_MARKER);
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
    // No marker in the environment: whatever the tool starts is checked again (a marker could be set by anyone).
    const child = spawn(file, args, { stdio: "inherit", env, cwd });
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
