// GitHub Actions workflows and composite actions: every `uses:` (with its `with:` keys), every hosted
// runner label, the workflow commands of `run:` scripts, and the basics of the workflow syntax.
import type { Document, LineCounter, Node as YamlNode, Pair, YAMLMap } from "yaml";
import { ciYamlExtractor } from "../../extract/text.ts";
import type { ExtractedDependency, ExtractProblem, ExtractResult, Extractor } from "../../extract/types.ts";
import { actionsIndex } from "./data.ts";
import { RUNNER, RUNNER_IMAGES } from "./facts.ts";
import { yaml } from "./metadata.ts";

const MAX_TEXT = 4 * 1024 * 1024;
const MAX_ITEMS = 5000;

const WORKFLOW_KEYS = new Set(["name", "run-name", "on", "permissions", "env", "defaults", "concurrency", "jobs"]);
const JOB_KEYS = new Set([
  "name", "permissions", "needs", "if", "runs-on", "environment", "concurrency", "outputs", "env", "defaults", "steps",
  "timeout-minutes", "strategy", "continue-on-error", "container", "services", "uses", "with", "secrets", "snapshot",
]);
const STEP_KEYS = new Set(["id", "if", "name", "uses", "run", "shell", "with", "env", "continue-on-error", "timeout-minutes", "working-directory"]);
const COMMAND = /::(set-env|add-path|set-output|save-state)\b/g;

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
  /** Schema problems and workflow commands, gathered per line for the runner pseudo-reference. */
  lineOf(node: YamlNode | Pair | null | undefined): number | undefined;
  source: string;
  lines: LineCounter;
}

let currentDoc: Document.Parsed | undefined;
/** A node with its alias (`*anchor`) resolved: workflows reuse steps that way. */
const deref = (n: unknown): unknown => (yaml().isAlias(n) && currentDoc ? (n.resolve(currentDoc) ?? n) : n);
const isMap = (n: unknown): n is YAMLMap => yaml().isMap(deref(n));
const scalarValue = (n: unknown): unknown => (yaml().isScalar(n) ? n.value : undefined);
const asText = (n: unknown): string | undefined => {
  const v = scalarValue(n);
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : undefined;
};

function pairs(node: YAMLMap): Array<{ key: string; value: unknown; pair: Pair }> {
  const map = deref(node) as YAMLMap;
  const out: Array<{ key: string; value: unknown; pair: Pair }> = [];
  for (const pair of map.items.slice(0, MAX_ITEMS)) {
    const key = asText(pair.key);
    // A merge key (`<<: *defaults`) brings the anchored mapping's keys.
    if (key === "<<" && isMap(pair.value)) {
      for (const merged of pairs(deref(pair.value) as YAMLMap)) out.push(merged);
    } else if (key !== undefined) out.push({ key, value: deref(pair.value), pair });
  }
  return out;
}

function problem(sink: Sink, node: YamlNode | Pair | null | undefined, text: string): void {
  sink.dependencies.push({
    ecosystem: "github",
    name: RUNNER,
    version: null,
    source: "registry",
    kind: "manifest",
    location: { file: sink.file, line: sink.lineOf(node) },
    usage: { problems: [text] },
  });
}

/** `owner/repo[/path]@ref`; local (`./`) and Docker (`docker://`) references name no repository. */
function addUses(sink: Sink, value: unknown, withNode: unknown, job: boolean, envNode?: unknown): void {
  const text = asText(value)?.trim();
  if (!text || text.startsWith("./") || text.startsWith(".\\") || /^docker:\/\//i.test(text) || text.includes("${{")) return;
  const at = text.indexOf("@");
  const name = at < 0 ? text : text.slice(0, at);
  const ref = at < 0 ? null : text.slice(at + 1);
  const usage: Record<string, string[]> = job ? { workflow: ["true"] } : {};
  if (!job) {
    if (withNode === undefined || withNode === null || scalarValue(withNode) === null) usage.inputs = [];
    else if (isMap(withNode)) usage.inputs = pairs(withNode).map((p) => p.key);
    else usage.dynamic = ["true"];
    if (isMap(withNode) && !usage.inputs!.length && (deref(withNode) as YAMLMap).items.length) usage.dynamic = ["true"];
    // Docker and some JavaScript actions read their settings from the environment as well.
    if (isMap(envNode)) usage.env = pairs(envNode).map((p) => p.key);
  }
  sink.dependencies.push({
    ecosystem: "github",
    name,
    version: ref,
    source: "registry",
    kind: "manifest",
    location: { file: sink.file, line: sink.lineOf(value as YamlNode) },
    usage,
  });
}

function addRunsOn(sink: Sink, node: unknown): void {
  const { runners } = actionsIndex();
  const labels: YamlNode[] = [];
  const collect = (n: unknown) => {
    n = deref(n);
    if (yaml().isSeq(n)) for (const item of n.items.slice(0, MAX_ITEMS)) collect(item);
    else if (isMap(n)) {
      for (const p of pairs(n)) if (p.key === "labels") collect(p.value);
    } else if (yaml().isScalar(n)) labels.push(n);
  };
  collect(node);
  for (const n of labels) {
    const label = asText(n);
    // Only GitHub-hosted labels: self-hosted ones and expressions are the owner's to name.
    if (!label || !Object.hasOwn(runners, label)) continue;
    sink.dependencies.push({ ecosystem: "github", name: RUNNER_IMAGES, version: label, source: "registry", kind: "manifest", location: { file: sink.file, line: sink.lineOf(n) } });
  }
}

function addRun(sink: Sink, node: unknown): void {
  const range = (node as YamlNode | null)?.range;
  if (!range || !yaml().isScalar(node)) return;
  const raw = sink.source.slice(range[0], range[1]);
  for (const m of raw.matchAll(COMMAND)) {
    sink.dependencies.push({
      ecosystem: "github",
      name: RUNNER,
      version: null,
      source: "registry",
      kind: "manifest",
      location: { file: sink.file, line: sink.lines.linePos(range[0] + m.index).line },
      usage: { commands: [m[1]!] },
    });
  }
}

function scanSteps(sink: Sink, steps: unknown, where: string): void {
  if (steps === undefined || steps === null) return;
  steps = deref(steps);
  if (!yaml().isSeq(steps)) {
    problem(sink, steps as YamlNode, `${where}: steps must be a list`);
    return;
  }
  for (const item of steps.items.slice(0, MAX_ITEMS)) {
    const step = deref(item);
    if (!isMap(step)) {
      problem(sink, step as YamlNode, `${where}: a step must be a mapping`);
      continue;
    }
    const fields = new Map(pairs(step).map((p) => [p.key, p]));
    for (const [key, p] of fields) if (!STEP_KEYS.has(key)) problem(sink, p.pair, `${where}: unknown step key "${key}"`);
    const uses = fields.get("uses");
    const run = fields.get("run");
    if (uses && run) problem(sink, uses.pair, `${where}: a step has both uses and run`);
    if (!uses && !run) problem(sink, step, `${where}: a step needs uses or run`);
    if (uses) addUses(sink, uses.value, fields.get("with")?.value, false, fields.get("env")?.value);
    if (run) addRun(sink, run.value);
  }
}

function scanWorkflow(sink: Sink, root: YAMLMap): void {
  const top = new Map(pairs(root).map((p) => [p.key, p]));
  for (const [key, p] of top) if (!WORKFLOW_KEYS.has(key)) problem(sink, p.pair, `unknown top-level key "${key}"`);
  if (!top.has("on")) problem(sink, root, 'a workflow needs "on" (its triggers)');
  const jobs = top.get("jobs")?.value;
  if (!isMap(jobs)) {
    problem(sink, (jobs as YamlNode) ?? root, '"jobs" must be a mapping of job ids');
    return;
  }
  for (const { key: id, value: job } of pairs(jobs)) {
    if (!isMap(job)) {
      problem(sink, job as YamlNode, `job "${id}" must be a mapping`);
      continue;
    }
    const fields = new Map(pairs(job).map((p) => [p.key, p]));
    for (const [key, p] of fields) if (!JOB_KEYS.has(key)) problem(sink, p.pair, `job "${id}": unknown key "${key}"`);
    const uses = fields.get("uses");
    if (uses) {
      // A reusable workflow: the repository and ref exist; its inputs are the called workflow's.
      addUses(sink, uses.value, undefined, true);
      continue;
    }
    if (!fields.has("runs-on")) problem(sink, job, `job "${id}": "runs-on" is missing`);
    else addRunsOn(sink, fields.get("runs-on")!.value);
    scanSteps(sink, fields.get("steps")?.value, `job "${id}"`);
  }
}

/** Reads one YAML text (a workflow, an action.yml, or a fenced block); `firstLine` is the line it starts on. */
export function extractWorkflow(text: string, file: string, firstLine = 1): ExtractResult {
  const sink: Sink = { file, dependencies: [], problems: [], source: text, lines: undefined as unknown as LineCounter, lineOf: () => undefined };
  if (text.length > MAX_TEXT) return { dependencies: [], problems: [{ file, reason: "too large to read as a workflow" }] };
  const Y = yaml();
  const lines = new Y.LineCounter();
  sink.lines = { linePos: (offset: number) => ({ line: lines.linePos(offset).line + firstLine - 1, col: lines.linePos(offset).col }) } as LineCounter;
  sink.lineOf = (node) => {
    const at = node && "range" in node ? node.range?.[0] : node && "key" in node ? (node.key as YamlNode | null)?.range?.[0] : undefined;
    return at === undefined ? undefined : sink.lines.linePos(at).line;
  };
  let doc: Document.Parsed;
  try {
    doc = Y.parseDocument(text, { lineCounter: lines, logLevel: "error", uniqueKeys: false });
  } catch (error) {
    return { dependencies: [], problems: [{ file, reason: `could not be parsed (${(error as Error).message})` }] };
  }
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    return { dependencies: [], problems: [{ file, line: e.linePos?.[0]?.line ? e.linePos[0].line + firstLine - 1 : undefined, reason: `not valid YAML: ${e.code}` }] };
  }
  currentDoc = doc;
  try {
    return readDocument(sink, doc);
  } finally {
    currentDoc = undefined;
  }
}

function readDocument(sink: Sink, doc: Document.Parsed): ExtractResult {
  const root = doc.contents;
  if (!isMap(root)) return { dependencies: [], problems: [] };
  const top = new Map(pairs(root).map((p) => [p.key, p.value]));
  if (top.has("jobs")) scanWorkflow(sink, root);
  else if (isMap(top.get("runs"))) {
    const runs = new Map(pairs(top.get("runs") as YAMLMap).map((p) => [p.key, p.value]));
    if (asText(runs.get("using")) === "composite") scanSteps(sink, runs.get("steps"), "composite action");
  }
  return { dependencies: sink.dependencies, problems: sink.problems };
}

/** Whether a YAML text reads as a workflow or an action (for fenced blocks of free text). */
export const looksLikeWorkflow = (code: string): boolean => /^\s*jobs\s*:/m.test(code) || /^\s*-?\s*uses\s*:\s*[\w.-]+\/[\w.-]+/m.test(code) || /^\s*runs-on\s*:/m.test(code);

export const workflowExtractor: Extractor = {
  id: "github-workflow",
  matches: isWorkflowFile,
  extract(text, path, context) {
    const own = extractWorkflow(text, path);
    // Install commands in `run:` scripts, as the CI YAML reader finds them.
    const commands = ciYamlExtractor.extract(text, path, context);
    return { dependencies: [...own.dependencies, ...commands.dependencies], problems: [...own.problems, ...commands.problems] };
  },
  extractFence(code, firstLine, file) {
    if (!looksLikeWorkflow(code)) return [];
    // A fragment (a job or some steps) is read inside the smallest workflow that holds it.
    if (/^\s*jobs\s*:/m.test(code)) return extractWorkflow(code, file, firstLine).dependencies.filter((d) => d.name !== RUNNER || d.usage?.commands);
    const indent = (t: string, n: number) => t.replace(/^/gm, " ".repeat(n));
    const wrapped = /^steps\s*:/m.test(code)
      ? { text: `jobs:\n  fragment:\n${indent(code, 4)}`, lines: 2 }
      : /^\s*-\s/m.test(code)
        ? { text: `jobs:\n  fragment:\n    steps:\n${indent(code, 6)}`, lines: 3 }
        : { text: `jobs:\n  fragment:\n    steps:\n      -\n${indent(code, 8)}`, lines: 4 };
    const doc = extractWorkflow(wrapped.text, file, firstLine - wrapped.lines);
    return doc.dependencies.filter((d) => d.name !== RUNNER || d.usage?.commands);
  },
};
