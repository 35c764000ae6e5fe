// GitHub Actions workflows and composite actions: every `uses:` (with its `with:` keys), every hosted
// runner label, the workflow commands and install commands of `run:` scripts, and the basics of the
// workflow syntax.
import type { ExtractContext, ExtractedDependency, ExtractProblem, ExtractResult, Extractor } from "../../core/dependency.ts";
import { actionsIndex } from "./data.ts";
import { RUNNER, RUNNER_IMAGES } from "./facts.ts";
import { type MapNode, parseTree, type ScalarNode, type TreeNode } from "../../formats/yaml.ts";

const MAX_TEXT = 4 * 1024 * 1024;
const MAX_ITEMS = 5000;

const WORKFLOW_KEYS = new Set(["name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"]);
const JOB_KEYS = new Set([
  "name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs", "env", "defaults", "steps",
  "timeout-minutes", "strategy", "continue-on-error", "container", "services", "uses", "with", "secrets", "snapshot",
]);
const STEP_KEYS = new Set(["id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error", "timeout-minutes", "working-directory"]);
const COMMAND = /::(set-env|add-path|set-output|save-state)\b/g;
// GitHub's events that trigger workflows, and the GITHUB_TOKEN permission scopes (docs.github.com).
const EVENTS = new Set([
  "branch_protection_rule", "check_run", "check_suite", "create", "delete", "deployment", "deployment_status", "discussion",
  "discussion_comment", "fork", "gollum", "image_version", "issue_comment", "issues", "label", "merge_group", "milestone",
  "page_build", "project", "project_card", "project_column", "public", "pull_request", "pull_request_review",
  "pull_request_review_comment", "pull_request_target", "push", "registry_package", "release", "repository_dispatch",
  "schedule", "status", "watch", "workflow_call", "workflow_dispatch", "workflow_run",
]);
const PERMISSION_SCOPES = new Set([
  "actions", "artifact-metadata", "attestations", "checks", "contents", "deployments", "discussions", "id-token", "issues",
  "models", "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses",
]);
const isExpression = (v: string) => /^\$\{\{[\s\S]*\}\}$/.test(v.trim());
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
  /** Reads install commands of `run:` scripts (none for fenced blocks: the Markdown reader has them). */
  commands: ExtractContext["scriptCommands"];
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
  // GitHub resolves a remote action or workflow only with a ref: `owner/repo[/path]@ref`.
  if (at < 0 || at === value.length - 1) problem(sink, node.line, `"${value}" needs a ref: ${at < 0 ? value : value.slice(0, at)}@<tag, branch or SHA>`);
  dependency(sink, at < 0 ? value : value.slice(0, at), at < 0 || at === value.length - 1 ? null : value.slice(at + 1), node.line, usage);
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
    // Lines counted once over the script, whatever the number of commands.
    let line = first;
    let counted = 0;
    for (const m of script.matchAll(COMMAND)) {
      for (let i = script.indexOf("\n", counted); i >= 0 && i < m.index; i = script.indexOf("\n", i + 1)) {
        line++;
        counted = i + 1;
      }
      dependency(sink, RUNNER, null, line, { commands: [m[1]!] });
    }
  }
  if (!sink.commands) return;
  const found = sink.commands(script, sink.file, first, powershell);
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
    checkNumber(sink, f.get("timeout-minutes")?.value, `${where}: a step's timeout-minutes`);
    if (uses) addUses(sink, uses.value, f.get("with")?.value, false, f.get("env")?.value);
    if (run) addRun(sink, run.value, POWERSHELL.test(text(f.get("shell")?.value) ?? shell ?? ""));
  }
}

/** Triggers: an event name, a list of them, or a mapping by event. */
function checkEvents(sink: Sink, on: TreeNode): void {
  const names: Array<{ name: string; line: number }> =
    on.kind === "map" ? on.entries.map((e) => ({ name: e.key, line: e.line })) : on.kind === "seq" ? on.items.flatMap((i) => (i.kind === "scalar" && i.value ? [{ name: i.value, line: i.line }] : [])) : on.value ? [{ name: on.value, line: on.line }] : [];
  for (const { name, line } of names.slice(0, MAX_ITEMS)) if (!EVENTS.has(name)) problem(sink, line, `"${name}" is not an event that triggers workflows`);
}

/** `permissions:` read-all, write-all, {} or scopes with read, write or none. */
function checkPermissions(sink: Sink, node: TreeNode, where: string): void {
  if (node.kind === "scalar") {
    if (node.value !== null && !["read-all", "write-all"].includes(node.value) && !isExpression(node.value)) problem(sink, node.line, `${where}permissions: "${node.value}" is not read-all or write-all`);
    return;
  }
  if (node.kind !== "map") {
    problem(sink, node.line, `${where}permissions must be read-all, write-all or a mapping of scopes`);
    return;
  }
  for (const e of node.entries.slice(0, MAX_ITEMS)) {
    if (!PERMISSION_SCOPES.has(e.key)) problem(sink, e.line, `${where}permissions: "${e.key}" is not a permission scope`);
    else if (!["read", "write", "none"].includes(text(e.value) ?? "")) problem(sink, e.line, `${where}permissions: ${e.key} must be read, write or none`);
  }
}

/** A number (or an expression), as `timeout-minutes` takes. */
function checkNumber(sink: Sink, node: TreeNode | undefined, what: string): void {
  const v = node ? text(node) : undefined;
  if (node && (node.kind !== "scalar" || (v !== undefined && !/^\d+(?:\.\d+)?$/.test(v) && !isExpression(v)))) problem(sink, node.line, `${what} must be a number`);
}

function scanWorkflow(sink: Sink, root: MapNode, fragment: boolean): void {
  const top = fields(root);
  if (!fragment) {
    for (const [key, e] of top) if (!WORKFLOW_KEYS.has(key)) problem(sink, e.line, `unknown top-level key "${key}"`);
    const on = top.get("on");
    if (!on) problem(sink, root.line, 'a workflow needs "on" (its triggers)');
    else checkEvents(sink, on.value);
  }
  const permissions = top.get("permissions");
  if (permissions) checkPermissions(sink, permissions.value, "");
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
    const jobPermissions = f.get("permissions");
    if (jobPermissions) checkPermissions(sink, jobPermissions.value, `job "${id}": `);
    checkNumber(sink, f.get("timeout-minutes")?.value, `job "${id}": timeout-minutes`);
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
export function extractWorkflow(source: string, file: string, options: { firstLine?: number; fragment?: boolean; commands?: ExtractContext["scriptCommands"] } = {}): ExtractResult {
  if (source.length > MAX_TEXT) return { dependencies: [], problems: [{ file, reason: "too large to read as a workflow" }] };
  const sink: Sink = { file, dependencies: [], problems: [], commands: options.commands };
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
  const options = { firstLine, fragment: true };
  const whole = extractWorkflow(code, file, options);
  if (whole.dependencies.length || /^\s*(?:jobs|steps)\s*:/m.test(code)) return whole.dependencies;
  const indent = (t: string, n: number) => t.replace(/^/gm, " ".repeat(n));
  const wrapped = /^\s*-\s/m.test(code) ? `steps:\n${indent(code, 2)}` : `steps:\n  -\n${indent(code, 4)}`;
  return extractWorkflow(wrapped, file, { ...options, firstLine: firstLine - (wrapped.split("\n").length - code.split("\n").length) }).dependencies;
}

export const workflowExtractor: Extractor = {
  id: "github-workflow",
  matches: isWorkflowFile,
  extract: (source, path, context) => extractWorkflow(source, path, { commands: context?.scriptCommands }),
  extractFence,
};
