// The engine side of the agent door, loaded only for calls that may add a dependency: every install
// in a shell command line (the guard's grammar), what a command line writes to dependency files
// (./shell-writes.ts), and what a file write, edit or patch adds to a manifest, lockfile, script or
// source file (its new text against the one on disk, as `scan --diff` judges).
import { statSync } from "node:fs";
import path from "node:path";
import type { NotEvaluated, PackageResult } from "../../core/model.ts";
import { checkPackages } from "../../engine/check.ts";
import { diskFs, isInside, isRefused, readText, type ScanFs } from "../../engine/fs.ts";
import { allExtractors, gateFailures, gather, nonRegistryResult, scanRoot, toRequests } from "../../engine/scan.ts";
import { openGate } from "../../engine/service.ts";
import type { EngineOptions } from "../../engine/setup.ts";
import { excerpt, MAX_REASON_CHARS } from "../../core/excerpt.ts";
import { PYTHON_ECOSYSTEM } from "../../extract/python-imports.ts";
import { splitShellCommands } from "../../extract/shell.ts";
import { markdownExtractor, transcriptExtractor } from "../../extract/text.ts";
import { buildReport } from "../../report/json.ts";
import { renderForAgent } from "../../report/agent.ts";
import type { Fetcher } from "../../sources/http.ts";
import { sharedNodeFetcher } from "../../sources/node-fetch.ts";
import { type CommonFlags, dataDir, engineOptions, readOnce, trustedPolicyFiles } from "../cli/config.ts";
import type { CliIO } from "../cli/io.ts";
import { dynamicOperands, type Plan, planInstall } from "../guard/guard.ts";
import { installOptions, judgeInstall } from "../guard/judge.ts";
import { shown } from "../guard/registries.ts";
import { REGISTRY_COMMANDS } from "../../ecosystems/installers.ts";
import { finding } from "../../core/signals.ts";
import { AGENTS } from "./agents.ts";
import { EditError, type NewText, newTexts, touchedFiles } from "./edits.ts";
import { commandChanges, type GuardChange, type RegistryChange, SHELL_ENV_FILE, shellEnvSettings, unknownPrograms } from "./command-changes.ts";
import { type GuardedPaths, guardedPaths } from "./guarded.ts";
import type { FileChange, HookAnswer, ToolCallRequest } from "./protocol.ts";
import { MAX_WRITTEN_CHARS, type PlacedCommand, shellWrites, type UnseenWrite, type WriteContext } from "./shell-writes.ts";

export interface JudgeInput {
  request: ToolCallRequest;
  io: CliIO;
  flags: CommonFlags;
  /** Aborted when the network is too slow: every lookup stops, and offline facts (cache, index, feed) answer. */
  network: AbortSignal;
}

const ALLOW: HookAnswer = { verdict: "allow", reason: "" };

/**
 * The most packages one tool call is checked for. A hook still working when the agent's timeout comes
 * lets the call through, and checking is CPU-bound past the network budget: a bound on the work keeps
 * the answer in time (100,000 names offline take about 2.5 s of a budget of 20 s; the largest
 * monorepo lockfiles hold a few tens of thousands).
 */
export const MAX_CALL_PACKAGES = 100_000;

class TooManyPackages extends Error {}

function bounded(count: number): void {
  if (count > MAX_CALL_PACKAGES) throw new TooManyPackages(`it adds ${count} packages, and Bouncer checks at most ${MAX_CALL_PACKAGES} in one call`);
}

/** Every fetch of the engine stops when `signal` is aborted. */
function abortable(base: Fetcher, signal: AbortSignal): Fetcher {
  return (url, init = {}) => base(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, signal]) : signal });
}

interface Found {
  results: readonly PackageResult[];
  unreadable?: readonly NotEvaluated[];
  unseen?: readonly UnseenWrite[];
  registry?: readonly RegistryChange[];
  guard?: readonly GuardChange[];
}

/** The verdict a registry or guard change gets: asked where the agent can ask, refused elsewhere. */
const registryVerdict = (request: ToolCallRequest): "warn" | "block" => (AGENTS[request.agent].supportsAsk ? "warn" : "block");

/**
 * Decision-log entries for what a call does that is not one package (a write Bouncer cannot see, a
 * registry change), so that every refusal and question of the hook is in the log.
 */
async function recordCallEntries(found: Found, input: JudgeInput, what: string): Promise<void> {
  const { request, io, flags } = input;
  const entry = (ecosystem: string, name: string, verdict: PackageResult["verdict"], reason: string): PackageResult => ({
    purl: `pkg:${ecosystem}/unknown`,
    ecosystem,
    name: excerpt(name, 200),
    version: null,
    verdict,
    findings: [finding("unverifiable", { reason })],
    didYouMean: [],
    locations: [],
  });
  const entries = [
    ...(found.unseen ?? []).map((u) => entry("generic", u.file, "block", `the command ${u.how}`)),
    ...(found.registry ?? []).map((r) => entry(r.ecosystem, r.file ? `${r.file}: ${r.setting}` : r.setting, registryVerdict(request), "it changes where packages are installed from")),
    ...(found.guard ?? []).map((g) => entry("generic", g.file ?? g.what, registryVerdict(request), `it ${g.how}: ${g.what}`)),
  ];
  if (!entries.length) return;
  const options = engineOptions(flags, { ...io, cwd: request.cwd }, [request.cwd]);
  options.offline = true;
  const gate = await openGate(options);
  try {
    await gate.record(entries, "agent", excerpt(what, MAX_REASON_CHARS), { name: request.agent, session: request.session, tool: request.tool });
  } finally {
    await gate.close();
  }
}

/**
 * The answer to what a call adds. A change of where packages come from is the user's to make: the
 * agent asks where it can, and is refused where it cannot ask.
 */
function answer(action: string, found: Found, request: ToolCallRequest): HookAnswer {
  const { results, unreadable = [], unseen = [], registry = [], guard = [] } = found;
  const usersCall = registry.length + guard.length > 0;
  const blocked = unreadable.length || unseen.length || results.some((r) => r.verdict === "block") || (usersCall && registryVerdict(request) === "block");
  const verdict = blocked ? "block" : usersCall || results.some((r) => r.verdict === "warn") ? "warn" : "allow";
  if (verdict === "allow") return ALLOW;
  return { verdict, reason: renderForAgent({ action, results, unreadable, unseen, registry, guard }, verdict) };
}

/** The guard's own files, for the call's folder and the user's configuration. */
function guardOf(input: JudgeInput): GuardedPaths {
  const { request, io, flags } = input;
  const at = { ...io, cwd: request.cwd };
  return guardedPaths({
    cwd: request.cwd,
    home: io.env.HOME || "/",
    env: io.env,
    policyFiles: trustedPolicyFiles(flags, at).map((f) => f.file),
    dataDir: dataDir(flags, at, { write: false }),
    logKeyFile: flags["log-key"] ?? (io.env.BOUNCER_LOG_KEY_FILE || undefined),
  });
}

const relativeTo = (cwd: string, file: string) => path.relative(cwd, file) || file;

const quoted = (text: string) => `\`${excerpt(text.replace(/\s+/g, " ").trim(), 200)}\``;

function merge(into: Plan, plan: Plan): void {
  for (const c of plan.commands) into.commands.push(c);
  for (const r of plan.requests) into.requests.push(r);
  for (const u of plan.unverifiable) into.unverifiable.push(u);
  for (const p of plan.problems) into.problems.push(p);
}

/** Each command of a line with the folder it runs in (`cd app && npm i x`); `limits`: what made the tokenizer stop short. */
function placed(command: string, cwd: string, home: string, limits: string[] = []): PlacedCommand[] {
  const out: PlacedCommand[] = [];
  let dir = cwd;
  for (const c of splitShellCommands(command, { onLimit: (what) => limits.push(what) })) {
    if (c.argv[0] === "cd" || c.argv[0] === "pushd") {
      const target = c.argv[1];
      // A folder known only at run time leaves the guess where it was; the installs are still judged.
      if (c.argv.length === 2 && target && !c.words[1]?.dynamic && target !== "-") dir = target.startsWith("~") ? path.join(home, target.slice(1)) : path.resolve(dir, target);
      continue;
    }
    out.push({ command: c, dir });
  }
  return out;
}

/** The installs a command line runs, grouped by the folder each runs in (`cd app && npm i x`). */
export function planLine(command: string, cwd: string, home: string): Map<string, Plan> {
  return plansOf(placed(command, cwd, home));
}

function plansOf(commands: readonly PlacedCommand[]): Map<string, Plan> {
  const plans = new Map<string, Plan>();
  for (const { command: c, dir } of commands) {
    const plan = planInstall(c.argv, dir);
    if (!plan.command) continue;
    dynamicOperands(plan, plan.command, c.words);
    if (!plan.requests.length && !plan.unverifiable.length && !plan.problems.length) continue;
    const into = plans.get(dir) ?? { command: null, commands: [], requests: [], unverifiable: [], problems: [] };
    merge(into, plan);
    plans.set(dir, into);
  }
  return plans;
}

/** What the shell-writes reader may look at: files inside the project only (nothing else is read, or sent for lookup). */
function writeContext(cwd: string, guarded: GuardedPaths, home: string | undefined): WriteContext {
  const project = diskFs(cwd);
  // All the files one command line names are read within one budget (`cat big big big … >> x`).
  let budget = MAX_WRITTEN_CHARS;
  return {
    home,
    // Only the project's own dependency files: a copy or note written elsewhere (`cp package-lock.json
    // /tmp/`) changes nothing this project installs. Registry configuration (~/.npmrc, /etc/pip.conf,
    // ~/.bashrc) and the guard's own files, wherever they are.
    isJudged: (file) =>
      guarded.describe(file) !== undefined || (isInside(project.root, file) ? judged(file) : REGISTRY_CONFIGS.some((c) => c.matches(file)) && !readsDependencies(file)),
    mustSee: (file) =>
      guarded.describe(file) !== undefined || !SOURCE_EXTRACTORS.some((e) => e.matches(file)) || EXTRACTORS.some((e) => !SOURCE_EXTRACTORS.includes(e) && e.matches(file)),
    readProjectFile: (file) => {
      if (!isInside(project.root, file) || budget <= 0) return undefined;
      const text = readText(project, file, budget);
      if (isRefused(text)) return undefined;
      budget -= text.length;
      return text;
    },
    isFolder: (file) => {
      try {
        return statSync(file).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

/** The engine options of each folder's installs; configuration files are read once for the whole line. */
export function* lineOptions(plans: ReadonlyMap<string, Plan>, flags: CommonFlags, io: CliIO): Generator<{ plan: Plan } & ReturnType<typeof installOptions>> {
  const readFile = readOnce();
  // One folder at a time, as it is judged (its notices on stderr before its results).
  for (const [dir, plan] of plans) yield { plan, ...installOptions(flags, { ...io, cwd: dir }, plan, readFile) };
}

async function judgeShell(command: string, input: JudgeInput): Promise<HookAnswer> {
  const { request, io, flags } = input;
  const limits: string[] = [];
  const commands = placed(command, request.cwd, io.env.HOME || "/", limits);
  // What was not read may install anything: the whole line is refused.
  if (limits.length) return refuseUnread(limits, input);
  const plans = plansOf(commands);
  const guarded = guardOf(input);
  const all = shellWrites(commands, writeContext(request.cwd, guarded, io.env.HOME));
  const simple = commands.map((p) => p.command);
  const { registry: chosen, guard } = commandChanges(simple);
  // Writes to the guard's own files are the user's to make; the rest are judged for what they add.
  const writes: { changes: FileChange[]; unseen: UnseenWrite[] } = { changes: [], unseen: [] };
  const onGuard = (file: string, how: string): boolean => {
    const what = guarded.describe(file);
    if (what) guard.push({ file: relativeTo(request.cwd, file), what, how });
    return what !== undefined;
  };
  for (const c of all.changes) if (!("file" in c) || !onGuard(path.resolve(request.cwd, c.file), "writes it")) writes.changes.push(c);
  for (const u of all.unseen) if (!onGuard(u.file, u.how)) writes.unseen.push(u);
  for (const r of all.removals) {
    const what = guarded.describe(r.path) ?? (r.recursive ? guarded.underneath(r.path) : undefined);
    if (what) guard.push({ file: relativeTo(request.cwd, r.path), what, how: r.how });
  }
  const unknown = unknownPrograms(simple);
  if (!plans.size && !writes.changes.length && !writes.unseen.length && !chosen.length && !guard.length && !unknown.length) return ALLOW;
  bounded([...plans.values()].reduce((n, p) => n + p.requests.length + p.unverifiable.length, 0));
  const results: PackageResult[] = [];
  const line = command.split(/\s+/).map(shown).join(" ");
  for (const { plan, options, registries } of lineOptions(plans, flags, io)) {
    options.fetch = abortable(sharedNodeFetcher(), input.network);
    const gate = await openGate(options);
    try {
      const judged = await judgeInstall(plan, gate, options, registries);
      await gate.record(judged, "agent", excerpt(line, 1000), { name: request.agent, session: request.session, tool: request.tool });
      for (const r of judged) results.push(r);
    } finally {
      await gate.close();
    }
  }
  const written = writes.changes.length ? await checkChanges(writes.changes, input, excerpt(line, 1000)) : undefined;
  if (written) for (const r of written.results) results.push(r);
  const unseen = [...writes.unseen.map((u) => ({ file: relativeTo(request.cwd, u.file), how: u.how })), ...unknown];
  const found: Found = { results, unreadable: written?.unreadable, unseen, registry: [...chosen, ...(written?.registry ?? [])], guard };
  await recordCallEntries(found, input, line);
  return answer(`this command (${quoted(command)})`, found, request);
}

/** A command line the tokenizer could not read whole (`limits`: why): refused, and logged. */
async function refuseUnread(limits: readonly string[], input: JudgeInput): Promise<HookAnswer> {
  const why = [...new Set(limits)].join("; ");
  await recordCallEntries({ results: [], unseen: [{ file: "the command line", how: `cannot be read whole (${why})` }] }, input, excerpt(`${input.request.tool}: ${why}`, MAX_REASON_CHARS));
  return {
    verdict: "block",
    reason: `Bouncer blocked this command: it cannot read it whole (${why}), so what it installs cannot be checked. Run the installs as separate, plainer commands.`,
  };
}

/** The disk with some files replaced by the text a change would leave in them. */
function overlayFs(base: ScanFs, texts: ReadonlyMap<string, string>): ScanFs {
  return {
    root: base.root,
    stat: (file) => {
      const text = texts.get(path.resolve(base.root, file));
      return text === undefined ? base.stat(file) : { kind: "file", size: Buffer.byteLength(text) };
    },
    list: (dir) => base.list(dir),
    readBytes: (file, limit) => {
      const text = texts.get(path.resolve(base.root, file));
      if (text === undefined) return base.readBytes(file, limit);
      const bytes = Buffer.from(text, "utf8");
      return limit !== undefined && bytes.length > limit ? { refused: "larger than the scan reads" } : bytes;
    },
  };
}

// Prose mentions packages without installing them; scripts, Dockerfiles, Makefiles and CI files run installs.
const PROSE = new Set([markdownExtractor, transcriptExtractor]);
const EXTRACTORS = allExtractors().filter((e) => !PROSE.has(e));
/** The extractors that read source code's imports (what a script, manifest or lockfile adds is installed; an import is not). */
const SOURCE_EXTRACTORS = EXTRACTORS.filter((e) => e.id === "js-imports" || e.id === "python-imports");

/** Files whose dependencies `scan` reads: manifests, lockfiles, SBOMs, and source code's imports (not prose). */
function readsDependencies(file: string): boolean {
  return EXTRACTORS.some((e) => e.matches(file));
}

const REGISTRY_CONFIGS = [
  ...REGISTRY_COMMANDS,
  // Shell startup files set variables for every later install.
  { matches: (file: string) => SHELL_ENV_FILE.test(file), settings: shellEnvSettings, ecosystem: "generic" },
];

/** Files a change to which the hook judges: those scan reads dependencies from, and registry configurations. */
function judged(file: string): boolean {
  return readsDependencies(file) || REGISTRY_CONFIGS.some((c) => c.matches(file));
}

function registryChanges(texts: readonly NewText[], cwd: string): RegistryChange[] {
  const out: RegistryChange[] = [];
  for (const t of texts) {
    for (const config of REGISTRY_CONFIGS) {
      if (!config.matches(t.file)) continue;
      const had = new Set(t.before === undefined ? [] : config.settings(t.before, t.file));
      for (const setting of config.settings(t.after, t.file)) if (!had.has(setting)) out.push({ file: path.relative(cwd, t.file) || t.file, setting, ecosystem: config.ecosystem });
    }
  }
  return out;
}

/** Python modules next to the changed files and at the project root: imports of them are the project's own. */
function neighbourModules(fs: ScanFs, dirs: Iterable<string>): string[] {
  const out: string[] = [];
  for (const dir of dirs) {
    const entries = fs.list(dir);
    if (isRefused(entries)) continue;
    for (const e of entries) {
      if (e.kind === "directory" && /^[A-Za-z_]\w*$/.test(e.name)) out.push(e.name);
      else if (e.kind === "file" && /^[A-Za-z_]\w*\.pyi?$/.test(e.name)) out.push(e.name.replace(/\.pyi?$/, ""));
    }
  }
  return out;
}

interface ChangesChecked {
  results: PackageResult[];
  /** Dependency files the changes leave unreadable. */
  unreadable: NotEvaluated[];
  /** Registry or index settings the changes add. */
  registry: RegistryChange[];
  /** The files judged, relative to the call's folder. */
  files: string[];
}

/** What file changes add, checked and recorded (`what`: the call, for the decision log); undefined when they touch no dependency. */
async function checkChanges(changes: readonly FileChange[], input: JudgeInput, what?: string): Promise<ChangesChecked | undefined> {
  const { request, io, flags } = input;
  const cwd = request.cwd;
  const roots = new Map<string, ScanFs>();
  const fsFor = (file: string) => {
    const root = scanRoot(cwd, file, false);
    if (!roots.has(root)) roots.set(root, diskFs(root));
    return roots.get(root)!;
  };
  const all = newTexts(changes, cwd, fsFor, judged);
  const registry = registryChanges(all, cwd);
  const texts = all.filter((t) => readsDependencies(t.file));
  const files = all.map((t) => path.relative(cwd, t.file) || t.file);
  if (!texts.length) return registry.length ? { results: [], unreadable: [], registry, files } : undefined;
  const fs = overlayFs(diskFs(cwd), new Map(texts.map((t) => [t.file, t.after])));
  const before = new Map(texts.map((t) => [t.file, t.before]));
  const found = gather({ cwd, paths: texts.map((t) => t.file), fs, changes: { changed: new Set(before.keys()), baseText: (f) => before.get(f) } });
  if (!found.dependencies.length && !found.notEvaluated.length) return registry.length ? { results: [], unreadable: [], registry, files } : undefined;
  bounded(found.dependencies.length);
  if (PYTHON_ECOSYSTEM !== undefined && texts.some((t) => /\.pyi?$/.test(t.file))) {
    const local = found.local.get(PYTHON_ECOSYSTEM);
    for (const m of neighbourModules(fs, new Set([cwd, ...texts.map((t) => path.dirname(t.file))]))) local?.add(m);
  }
  const project = { ...io, cwd };
  const options: EngineOptions = engineOptions(flags, project, [cwd]);
  options.fetch = abortable(sharedNodeFetcher(), input.network);
  const gate = await openGate(options);
  try {
    const { requests, nonRegistry } = toRequests(found.dependencies, found.local, Object.keys(options.npmScopes ?? {}), found.localImports);
    const results = await checkPackages(requests, gate.engine);
    for (const { dep } of nonRegistry) results.push(nonRegistryResult(dep, gate.engine));
    const report = buildReport(results, found.notEvaluated, gate.engine.notices);
    await gate.record(results, "agent", excerpt(what ?? `${request.tool} ${files.join(" ")}`, MAX_REASON_CHARS), { name: request.agent, session: request.session, tool: request.tool });
    return { results: report.results, unreadable: gateFailures(report, options.policy), registry, files };
  } finally {
    await gate.close();
  }
}

async function judgeFiles(changes: readonly FileChange[], input: JudgeInput): Promise<HookAnswer> {
  const { cwd } = input.request;
  const guarded = guardOf(input);
  const guard: GuardChange[] = [];
  for (const t of touchedFiles(changes, cwd)) {
    const what = guarded.describe(t.file);
    if (what) guard.push({ file: relativeTo(cwd, t.file), what, how: t.removed ? "removes it" : "changes it" });
  }
  const checked = await checkChanges(changes, input);
  if (guard.length) {
    const found: Found = { results: [], ...checked, guard };
    const files = [...new Set([...guard.flatMap((g) => (g.file ? [g.file] : [])), ...(checked?.files ?? [])])];
    await recordCallEntries(found, input, `${input.request.tool} ${files.join(" ")}`);
    return answer(`this change to ${files.join(", ")}`, found, input.request);
  }
  if (!checked) return ALLOW;
  const { files } = checked;
  const named = files.length > 3 ? `${files.slice(0, 3).join(", ")} and ${files.length - 3} more` : files.join(", ");
  await recordCallEntries(checked, input, `${input.request.tool} ${files.join(" ")}`);
  return answer(`this change to ${named}`, checked, input.request);
}

/** Judges a call that may add dependencies (the fast path has let through every other). */
export async function judge(input: JudgeInput): Promise<HookAnswer> {
  const { call } = input.request;
  try {
    if (call.kind === "shell") return await judgeShell(call.command, input);
    if (call.kind !== "files") return ALLOW;
    return await judgeFiles(call.changes, input);
  } catch (error) {
    if (error instanceof TooManyPackages) return { verdict: "block", reason: `Bouncer refused this call: ${error.message} within the agent's time. Split it into smaller changes or installs.` };
    if (!(error instanceof EditError)) throw error;
    return { verdict: "block", reason: `Bouncer could not tell what this change adds (${error.message}), so it refused it. Read the file again and send the change in the usual form.` };
  }
}
