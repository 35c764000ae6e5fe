// Findings only GitHub references have: the ref, the action's inputs and runtime, runner labels, workflow commands.
import type { Finding } from "../../core/findings.ts";
import type { SourceLocation } from "../../core/findings.ts";
import type { PackageFacts, PackageRequest } from "../../core/model.ts";
import { finding } from "../../core/signals.ts";
import { nearestName } from "../../similarity/edits.ts";
import type { ReferenceContext } from "../types.ts";
import { type Advisory, actionsIndex } from "./data.ts";
import { DISCONTINUED } from "./discontinued.ts";
import { RUNNER, RUNNER_IMAGES, type RefFacts } from "./facts.ts";
import { versionOf } from "./names.ts";

/** Where a usage was written: "file:line". */
const at = (location: SourceLocation): string => (location.line !== undefined ? `${location.file}:${location.line}` : location.file);

const day = (iso: string | null | undefined): number => (iso ? Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) : Number.NaN);
const passed = (iso: string | null | undefined, now: Date): boolean => day(iso) <= now.getTime();

/** The runner labels GitHub currently offers in place of a retired one. */
function replacementLabel(label: string): string | undefined {
  if (label.startsWith("ubuntu-")) return "ubuntu-24.04 (or ubuntu-latest)";
  if (label.startsWith("windows-")) return "windows-2025 (or windows-latest)";
  if (label.startsWith("macos-")) return "macos-15 (or macos-latest)";
  return undefined;
}

function runnerFindings(facts: RefFacts, now: Date): Finding[] {
  const label = facts.runner;
  if (!label || !facts.ref) return [];
  const retired = label.status === "retired" || (label.unsupported !== null && passed(label.unsupported, now));
  if (retired) {
    return [finding("retired-runner", { label: facts.ref, date: label.unsupported ?? "an unrecorded date", replacement: replacementLabel(facts.ref) }, { details: { source: label.source } })];
  }
  if (label.status === "deprecated") return [finding("deprecated-runner", { label: facts.ref, date: label.unsupported }, { details: { source: label.source } })];
  return [];
}

function commandFindings(request: PackageRequest): Finding[] {
  const { commands } = actionsIndex();
  const lines = new Map<string, string[]>();
  for (const usage of request.usages ?? []) {
    for (const command of usage.values.commands ?? []) {
      const list = lines.get(command) ?? [];
      list.push(at(usage.location));
      lines.set(command, list);
    }
  }
  const out: Finding[] = [];
  for (const usage of request.usages ?? []) {
    for (const problem of usage.values.problems ?? []) out.push(finding("invalid-workflow", { problem, at: at(usage.location) }, { details: { file: usage.location.file, line: usage.location.line ?? null } }));
  }
  for (const [command, where] of lines) {
    const known = commands[command];
    if (!known) continue;
    const facts = { command, date: known.deprecated, replacement: known.replacement, at: where.slice(0, 5).join(", ") + (where.length > 5 ? ` and ${where.length - 5} more` : "") };
    out.push(finding(known.disabled ? "command-disabled" : "command-deprecated", facts, { details: { source: known.source } }));
  }
  return out;
}

const refWords: Record<string, string> = { tag: "tag", branch: "branch", commit: "commit" };

/** Input names as the runner compares them (case-insensitively), "_" and "-" alike for a did-you-mean. */
const inputKey = (name: string) => name.toLowerCase().replaceAll("_", "-");

function inputFindings(request: PackageRequest, facts: RefFacts): Finding[] {
  const meta = facts.meta;
  if (!meta || meta.error || !request.usages?.length) return [];
  const action = `${request.name}@${facts.ref}`;
  const declared = Object.keys(meta.inputs);
  const byLower = new Map(declared.map((n) => [n.toLowerCase(), n]));
  // The runner compares input names case-insensitively; container actions always take entryPoint and args.
  if (meta.using === "docker") for (const extra of ["entrypoint", "args"]) byLower.set(extra, extra);
  const out: Finding[] = [];
  const seen = new Set<string>();
  const once = (f: Finding, key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    out.push(f);
  };
  for (const usage of request.usages) {
    const given = usage.values.inputs;
    if (!given) continue;
    const line = usage.location.line ?? null;
    const where = at(usage.location);
    const supplied = new Set([...given, ...(usage.values.env ?? [])].map((k) => k.toLowerCase()));
    for (const key of given) {
      const name = byLower.get(key.toLowerCase());
      if (name === undefined) {
        const suggestion = nearestName(key, declared, 2, inputKey);
        once(finding("unknown-input", { action, input: key, at: where, suggestion }, { details: { input: key, file: usage.location.file, line, declared: declared.slice(0, 50) } }), `u${key}`);
        continue;
      }
      const deprecation = meta.inputs[name]?.[2];
      if (deprecation) once(finding("deprecated-input", { action, input: name, reason: deprecation }, { details: { input: name, line } }), `d${name}`);
    }
    // Required inputs are the action's word, not the runner's: many actions take an alternative input
    // or read the environment instead. Only a step that passes nothing at all is told.
    if (usage.values.dynamic || given.length || usage.values.env?.length) continue;
    for (const [name, [required, fallback]] of Object.entries(meta.inputs)) {
      if (required === 1 && fallback === null && !supplied.has(name.toLowerCase())) {
        once(finding("missing-input", { action, input: name, at: where }, { details: { input: name, file: usage.location.file, line } }), `m${name}`);
      }
    }
  }
  return out;
}

function runtimeFindings(request: PackageRequest, facts: RefFacts, now: Date): Finding[] {
  const using = facts.meta?.using;
  if (!using || !/^node\d+$/.test(using)) return [];
  const { runtimes, accepted } = actionsIndex();
  const action = `${request.name}@${facts.ref}`;
  const latest = facts.latest && facts.latest !== facts.ref ? facts.latest : undefined;
  const known = runtimes[using];
  if (!known) {
    if (accepted.includes(using)) return [];
    return [finding("runtime-removed", { action, using, latest })];
  }
  // The newest runtime the runner runs is what an older one is forced onto.
  const current = Object.keys(runtimes).filter((r) => !runtimes[r]!.removed || !passed(runtimes[r]!.removed, now));
  const forced = current.sort((a, b) => Number(b.slice(4)) - Number(a.slice(4)))[0];
  if (known.removed && passed(known.removed, now)) {
    return [finding("runtime-removed", { action, using, date: known.removed, forced: forced !== using ? forced : undefined, latest }, { details: { source: known.source } })];
  }
  if (known.deprecated && passed(known.deprecated, now)) {
    return [finding("runtime-deprecated", { action, using, date: known.deprecated, removal: known.removed }, { details: { source: known.source } })];
  }
  return [];
}

/**
 * Whether a ref missing from a snapshot may have been made after it: a commit, a branch, or a
 * version above the latest one up to two majors on. An older version that is missing, or a major
 * far beyond any release (`@v99`), was never made.
 */
function mayBeNewer(ref: string, latest: string | undefined): boolean {
  if (/^[0-9a-f]{40}$/i.test(ref)) return true;
  const wanted = versionOf(ref);
  if (!wanted) return true;
  const top = versionOf(latest);
  if (!top) return true;
  if (wanted[0]! > top[0]! + 2) return false;
  for (let i = 0; i < 3; i++) if ((wanted[i] ?? 0) !== (top[i] ?? 0)) return (wanted[i] ?? 0) > (top[i] ?? 0);
  return false;
}

/** Whether a moving ref was among those an advisory says were re-pointed (its refs, or every version up to its last). */
function affected(advisory: Advisory, ref: string | null): boolean {
  if (ref === null) return false;
  if (advisory.refs?.includes(ref)) return true;
  const last = versionOf(advisory.through);
  const wanted = versionOf(ref);
  if (!last || !wanted) return false;
  for (let i = 0; i < 3; i++) if (wanted[i] !== last[i]) return wanted[i]! < last[i]!;
  return true;
}

function refFindings(request: PackageRequest, facts: RefFacts, context: ReferenceContext): Finding[] {
  const out: Finding[] = [];
  const ref = facts.ref;
  // A known-malicious commit is that wherever it is (the compromise's commit is in no branch or tag).
  const malicious = (facts.advisories ?? []).filter((a) => a.commit && ref?.toLowerCase() === a.commit);
  for (const advisory of malicious) out.push(finding("known-malicious", { ids: advisory.id, summary: advisory.summary }, { details: { sources: advisory.sources } }));
  if (malicious.length) return out;
  if (ref !== null && facts.kind === "missing") {
    const what = /^[0-9a-f]{40}$/i.test(ref) ? "commit" : "tag or branch";
    const asOf = facts.asOf === "live" ? undefined : facts.asOf.slice(0, 10);
    const newer = asOf ? mayBeNewer(ref, facts.latest) : false;
    if (newer) {
      out.push(finding("unverifiable", { reason: `${facts.repo} had no ${what} "${ref}" when the shipped index was taken (${asOf}); it may be newer: check online` }));
    } else out.push(finding("ref-not-found", { repo: facts.repo, what, ref, asOf, latest: facts.latest }));
    return out;
  }
  if (ref !== null && facts.kind === "short-sha") {
    out.push(finding("short-sha", { ref }));
    return out;
  }
  // A reusable workflow (job-level uses of a .yml) has no action.yml; its inputs are the called workflow's.
  const action = !/\.ya?ml$/i.test(facts.path) && request.usages?.length;
  if (action && facts.meta === null && !facts.dockerfileOnly && ref !== null) {
    out.push(finding("no-action-metadata", { repo: facts.repo, path: facts.path, ref }));
  } else if (action && facts.meta?.noRuns) {
    out.push(finding("no-action-metadata", { repo: facts.repo, path: facts.path, ref, reason: "its action.yml has no runs: section" }));
  }
  for (const advisory of facts.advisories ?? []) {
    if ((facts.kind === "tag" || facts.kind === "branch") && affected(advisory, ref)) {
      out.push(finding("compromised-action", { id: advisory.id, summary: advisory.summary, pin: true }, { details: { sources: advisory.sources } }));
    }
  }
  const major = versionOf(facts.kind === "commit" ? facts.tag : (ref ?? undefined))?.[0] ?? null;
  const gone = DISCONTINUED.find((d) => d.action === request.name.toLowerCase() && major !== null && d.majors.includes(major));
  if (gone && passed(gone.date, context.now)) {
    out.push(finding("action-discontinued", { action: gone.action, major: `v${major}`, date: gone.date, replacement: gone.replacement }, { details: { source: gone.source } }));
  }
  // Pins are a policy's choice: only a policy that gives mutable-ref an action asks for them.
  if (context.codes["mutable-ref"] && ref !== null && (facts.kind === "tag" || facts.kind === "branch")) {
    const pin = facts.sha;
    out.push(finding("mutable-ref", { ref, kind: refWords[facts.kind], pin }, { details: { pin: pin ?? null, comment: ref } }));
  }
  if (facts.archived) out.push(finding("archived", { reason: facts.archived === true ? undefined : facts.archived[0] }));
  if (facts.movedTo) out.push(finding("deprecated", { version: null, reason: `moved: use ${facts.movedTo}` }, { target: facts.movedTo }));
  return out;
}

export function githubFindings(request: PackageRequest, facts: PackageFacts, context: ReferenceContext): Finding[] {
  const detail = facts.detail as RefFacts | undefined;
  if (facts.existence !== "exists" || !detail || typeof detail !== "object") return [];
  if (request.name === RUNNER_IMAGES) return runnerFindings(detail, context.now);
  if (request.name === RUNNER) return commandFindings(request);
  const out = refFindings(request, detail, context);
  // A git dependency on the repository (package.json, requirements) uses its code, not its action.
  if (request.via === "git-dependency") return out.filter((f) => !["action-discontinued", "no-action-metadata", "mutable-ref"].includes(f.code));
  if (out.some((f) => f.code === "ref-not-found" || f.code === "short-sha" || f.code === "no-action-metadata")) return out;
  if (/\.ya?ml$/i.test(detail.path)) return out;
  for (const f of inputFindings(request, detail)) out.push(f);
  for (const f of runtimeFindings(request, detail, context.now)) out.push(f);
  return out;
}
