// GitHub Actions workflows and composite actions: every `uses:` (with its `with:` keys), every hosted
// runner label, the workflow commands and install commands of `run:` scripts, and the basics of the
// workflow syntax.
import { ciScriptCommands } from "../../extract/text.ts";
import type { ExtractedDependency, ExtractProblem, ExtractResult, Extractor } from "../../extract/types.ts";
import { actionsIndex } from "./data.ts";
import { RUNNER, RUNNER_IMAGES } from "./facts.ts";
import { type MapNode, parseTree, type ScalarNode, type TreeNode } from "./yaml-tree.ts";

const MAX_TEXT = 4 * 1024 * 1024;
const MAX_ITEMS = 5000;

const WORKFLOW_KEYS = new Set(["name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"]);
const JOB_KEYS = new Set([
  "name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs", "env", "defaults", "steps",
  "timeout-minutes", "strategy", "continue-on-error", "container", "services", "uses", "with", "secrets", "snapshot",
]);
const STEP_KEYS = new Set(["id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error", "timeout-minutes", "working-directory"]);
const COMMAND = /::(set-env|add-path|set-output|save-state)\b/g;
const POWERSHELL = /^(?:pwsh|powershell)\b/i;

const normalize = (path: string) => path.replace(/\\/g, "/");

/** Workflow files, and action metadata files (composite actions run steps too). */
export function isWorkflowFile(path: string): boolean {
  const p = normalize(path);
  return /(?:^|\/)\.github\/workflows\/[^/]+\.ya?ml$/i.test(p) || /(?:^|\/)action\.ya?ml$/i.test(p);
}

interface Sink {
  file: string;
  dependencies: ExtractedDependency[];
  problems: ExtractProblem[];
  /** Install commands of `run:` scripts are read too (not for fenced blocks: the Markdown reader has them). */
  commands: boolean;
}

const asMap = (n: TreeNode | undefined): MapNode | undefined => (n?.kind === "map" ? n : undefined);
const text = (n: TreeNode | undefined): string | undefined => (n?.kind === "scalar" && n.value !== null ? n.value : undefined);

/** The entries of a mapping by key (the last of duplicates wins, as YAML readers do). */
function fields(map: MapNode): Map<string, { line: number; value: TreeNode }> {
  const out = new Map<string, { line: number; value: TreeNode }>();
  for (const e of map.entries.slice(0, MAX_ITEMS)) out.set(e.key, e);
  return out;
}

function dependency(sink: Sink, name: string, version: string | null, line: number, usage?: Record<string, string[]>): void {
  const d: ExtractedDependency = { ecosystem: "github", name, version, source: "registry", kind: "manifest", location: { file: sink.file, line } };
  if (usage) d.usage = usage;
  sink.dependencies.push(d);
}

/** A syntax problem, judged on the runner pseudo-reference (the workflow as GitHub reads it). */
function problem(sink: Sink, line: number, description: string): void {
  dependency(sink, RUNNER, null, line, { problems: [description] });
}

/**
 * `owner/repo[/path]@ref`. Local actions (`./path`, and `$/path`: the workflow's own repository at the
 * running commit), Docker images (`docker://`) and computed references name no other repository.
 */
function addUses(sink: Sink, node: TreeNode, withNode: TreeNode | undefined, job: boolean, envNode?: TreeNode): void {
  const value = text(node)?.trim();
  if (!value || /^(?:\.|\$)[/\\]/.test(value) || /^docker:\/\//i.test(value) || value.includes("${{")) return;
  const at = value.indexOf("@");
  const usage: Record<string, string[]> = {};
  if (job) usage.workflow = ["true"];
  else {
    if (!withNode || (withNode.kind === "scalar" && withNode.value === null)) usage.inputs = [];
    else if (withNode.kind === "map") usage.inputs = withNode.entries.slice(0, MAX_ITEMS).map((e) => e.key);
    // `with: ${{ fromJSON(...) }}`: the inputs are only known when the workflow runs.
    else usage.dynamic = ["true"];
    // Docker and some JavaScript actions read their settings from the environment as well.
    const env = asMap(envNode);
    if (env) usage.env = env.entries.slice(0, MAX_ITEMS).map((e) => e.key);
  }
  dependency(sink, at < 0 ? value : value.slice(0, at), at < 0 ? null : value.slice(at + 1), node.line, usage);
}

function addRunsOn(sink: Sink, node: TreeNode): void {
  const { runners } = actionsIndex();
  const labels: ScalarNode[] = [];
  const collect = (n: TreeNode, depth: number) => {
    if (depth > 3) return;
    if (n.kind === "seq") for (const item of n.items.slice(0, MAX_ITEMS)) collect(item, depth + 1);
    else if (n.kind === "map") {
      const labelsNode = fields(n).get("labels");
      if (labelsNode) collect(labelsNode.value, depth + 1);
    } else labels.push(n);
  };
  collect(node, 0);
  for (const n of labels) {
    // Only GitHub-hosted labels: self-hosted ones and expressions are the owner's to name.
    if (n.value && Object.hasOwn(runners, n.value)) dependency(sink, RUNNER_IMAGES, n.value, n.line);
  }
}

function addRun(sink: Sink, node: TreeNode, powershell: boolean): void {
  const script = text(node);
  if (!script || node.kind !== "scalar") return;
  const first = node.contentLine ?? node.line;
  if (script.includes("::")) {
    for (const m of script.matchAll(COMMAND)) {
      let line = first;
      for (let i = script.indexOf("\n"); i >= 0 && i < m.index; i = script.indexOf("\n", i + 1)) line++;
      dependency(sink, RUNNER, null, line, { commands: [m[1]!] });
    }
  }
  if (!sink.commands) return;
  const found = ciScriptCommands(script, sink.file, first, powershell);
  for (const d of found.dependencies) sink.dependencies.push(d);
  for (const p of found.problems) sink.problems.push(p);
}

/** The shell of `defaults: run: shell:` of a workflow or job. */
const defaultShell = (map: Map<string, { value: TreeNode }>): string | undefined => {
  const run = asMap(asMap(map.get("defaults")?.value) ? fields(asMap(map.get("defaults")!.value)!).get("run")?.value : undefined);
  return run ? text(fields(run).get("shell")?.value) : undefined;
};

function scanSteps(sink: Sink, steps: TreeNode | undefined, where: string, shell: string | undefined): void {
  if (!steps || (steps.kind === "scalar" && steps.value === null)) return;
  if (steps.kind !== "seq") {
    problem(sink, steps.line, `${where}: steps must be a list`);
    return;
  }
  for (const step of steps.items.slice(0, MAX_ITEMS)) {
    if (step.kind !== "map") {
      problem(sink, step.line, `${where}: a step must be a mapping`);
      continue;
    }
    const f = fields(step);
    for (const [key, e] of f) if (!STEP_KEYS.has(key)) problem(sink, e.line, `${where}: unknown step key "${key}"`);
    const uses = f.get("uses");
    const run = f.get("run");
    if (uses && run) problem(sink, uses.line, `${where}: a step has both uses and run`);
    if (!uses && !run) problem(sink, step.line, `${where}: a step needs uses or run`);
    if (uses) addUses(sink, uses.value, f.get("with")?.value, false, f.get("env")?.value);
    if (run) addRun(sink, run.value, POWERSHELL.test(text(f.get("shell")?.value) ?? shell ?? ""));
  }
}

function scanWorkflow(sink: Sink, root: MapNode, fragment: boolean): void {
  const top = fields(root);
  if (!fragment) {
    for (const [key, e] of top) if (!WORKFLOW_KEYS.has(key)) problem(sink, e.line, `unknown top-level key "${key}"`);
    if (!top.has("on")) problem(sink, root.line, 'a workflow needs "on" (its triggers)');
  }
  const jobs = top.get("jobs")!.value;
  if (jobs.kind !== "map") {
    problem(sink, jobs.line, '"jobs" must be a mapping of job ids');
    return;
  }
  const workflowShell = defaultShell(top);
  for (const { key: id, value: job } of jobs.entries.slice(0, MAX_ITEMS)) {
    if (job.kind !== "map") {
      problem(sink, job.line, `job "${id}" must be a mapping`);
      continue;
    }
    const f = fields(job);
    for (const [key, e] of f) if (!JOB_KEYS.has(key)) problem(sink, e.line, `job "${id}": unknown key "${key}"`);
    const uses = f.get("uses");
    if (uses) {
      // A reusable workflow: the repository and ref exist; its inputs are the called workflow's.
      addUses(sink, uses.value, undefined, true);
      continue;
    }
    const runsOn = f.get("runs-on");
    if (runsOn) addRunsOn(sink, runsOn.value);
    else if (!fragment) problem(sink, job.line, `job "${id}": "runs-on" is missing`);
    scanSteps(sink, f.get("steps")?.value, `job "${id}"`, defaultShell(f) ?? workflowShell);
  }
}

/**
 * Reads one YAML text (a workflow, an action.yml, or a fenced block); `firstLine` is the line it
 * starts on. A fragment (a job or steps from an answer) is not held to a whole workflow's keys.
 */
export function extractWorkflow(source: string, file: string, options: { firstLine?: number; fragment?: boolean; commands?: boolean } = {}): ExtractResult {
  if (source.length > MAX_TEXT) return { dependencies: [], problems: [{ file, reason: "too large to read as a workflow" }] };
  const sink: Sink = { file, dependencies: [], problems: [], commands: options.commands ?? true };
  const parsed = parseTree(source, options.firstLine ?? 1);
  if ("error" in parsed) return { dependencies: [], problems: [{ file, line: parsed.line, reason: `not valid YAML: ${parsed.error}` }] };
  const root = asMap(parsed.root ?? undefined);
  if (!root) return sink;
  const top = fields(root);
  if (top.has("jobs")) scanWorkflow(sink, root, options.fragment ?? false);
  else if (options.fragment && top.has("steps")) scanSteps(sink, top.get("steps")!.value, "steps", undefined);
  else {
    const runs = asMap(top.get("runs")?.value);
    if (runs && text(fields(runs).get("using")?.value) === "composite") scanSteps(sink, fields(runs).get("steps")?.value, "composite action", undefined);
  }
  return { dependencies: sink.dependencies, problems: sink.problems };
}

/** Whether a YAML text reads as a workflow or steps of one (for fenced blocks of free text). */
export const looksLikeWorkflow = (code: string): boolean => /^\s*jobs\s*:/m.test(code) || /^\s*-?\s*uses\s*:\s*[\w.-]+\/[\w.-]+/m.test(code) || /^\s*runs-on\s*:/m.test(code);

/** A fenced block's workflow, job or steps: a list of steps or one step is read as the steps of a job. */
function extractFence(code: string, firstLine: number, file: string): ExtractedDependency[] {
  if (!looksLikeWorkflow(code)) return [];
  const options = { firstLine, fragment: true, commands: false };
  const whole = extractWorkflow(code, file, options);
  if (whole.dependencies.length || /^\s*(?:jobs|steps)\s*:/m.test(code)) return whole.dependencies;
  const indent = (t: string, n: number) => t.replace(/^/gm, " ".repeat(n));
  const wrapped = /^\s*-\s/m.test(code) ? `steps:\n${indent(code, 2)}` : `steps:\n  -\n${indent(code, 4)}`;
  return extractWorkflow(wrapped, file, { ...options, firstLine: firstLine - (wrapped.split("\n").length - code.split("\n").length) }).dependencies;
}

export const workflowExtractor: Extractor = {
  id: "github-workflow",
  matches: isWorkflowFile,
  extract: (source, path) => extractWorkflow(source, path),
  extractFence,
};
