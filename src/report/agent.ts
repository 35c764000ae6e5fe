// Bouncer's answer written for a coding agent's model: what was found, where, and what to do
// instead, in a few plain lines it can act on (no CLI flags, no colour, no tables).
import { excerpt } from "../core/excerpt.ts";
import type { NotEvaluated, PackageResult } from "../core/model.ts";

/** At most this many packages are named; the rest are counted. */
const MAX_LISTED = 10;

function place(r: PackageResult): string {
  const l = r.locations[0];
  if (!l || l.file.startsWith("<")) return "";
  return ` (${l.file}${l.line ? `:${l.line}` : ""})`;
}

/** Other names the package was probably meant as (the engine lists a real name it could not verify first, as itself). */
const otherNames = (r: PackageResult) => r.didYouMean.filter((n) => n !== r.name);

/** Refused only because it could not be checked: a fact is missing, not a wrong name. */
const onlyUnverified = (r: PackageResult) => r.findings.length > 0 && r.findings.every((f) => f.code === "unverifiable" || f.code === "incomplete-facts");

function line(r: PackageResult): string {
  const what = r.purl.endsWith("/unknown") ? r.name : `${r.ecosystem} package "${r.name}"${r.version ? ` ${r.version}` : ""}`;
  const why = r.findings.filter((f) => f.code !== "denied-by-policy" || r.findings.length === 1).map((f) => f.message);
  const meant = otherNames(r);
  const fix = meant.length ? ` Did you mean ${meant.map((n) => `"${n}"`).join(" or ")}?` : "";
  return `- ${r.verdict === "block" ? "BLOCKED" : "WARNING"}: ${what}${place(r)}: ${why.join("; ") || "refused by policy"}.${fix}`;
}

export interface AgentVerdictText {
  /** What the call is, for the first line ("this command", "this edit of package.json"). */
  action: string;
  results: readonly PackageResult[];
  /** Dependency files the change leaves unreadable: they fail the check too. */
  unreadable?: readonly NotEvaluated[];
  /** Dependency files a command writes in a way that cannot be read before it runs (`sed -i`, a download), and how. */
  unseen?: ReadonlyArray<{ file: string; how: string }>;
  /** Settings the change adds (or the command line sets, with no file) that choose where packages are fetched from (`registry=…` in .npmrc, pip's index-url). */
  registry?: ReadonlyArray<{ file?: string; setting: string }>;
  /** Changes to the guard itself: Bouncer's policy, data or configuration, an agent's hook settings. */
  guard?: ReadonlyArray<{ file?: string; what: string; how: string }>;
}

/** The reasons for a block or a warning, for the model; the caller decides which. */
export function renderForAgent(v: AgentVerdictText, verdict: "block" | "warn"): string {
  const shown = v.results.filter((r) => r.verdict === verdict);
  const unseen = v.unseen ?? [];
  const registry = v.registry ?? [];
  const guard = v.guard ?? [];
  const what = shown.length
    ? verdict === "warn"
      ? "it adds dependencies with warnings"
      : "it adds dependencies that failed verification"
    : unseen.length
      ? "it may change dependencies in a way Bouncer cannot check before it runs"
      : guard.length
        ? "it changes Bouncer's own protection"
        : registry.length
          ? "it changes where packages are installed from"
          : "it adds dependencies that failed verification";
  const lines = [`Bouncer ${verdict === "warn" ? "flagged" : "blocked"} ${v.action}: ${what}.`];
  for (const r of shown.slice(0, MAX_LISTED)) lines.push(line(r));
  if (shown.length > MAX_LISTED) lines.push(`- and ${shown.length - MAX_LISTED} more`);
  for (const n of (v.unreadable ?? []).slice(0, MAX_LISTED)) lines.push(`- BLOCKED: ${n.file} could not be read after this change (${n.reason}), so its dependencies cannot be verified.`);
  for (const u of unseen.slice(0, MAX_LISTED)) lines.push(`- BLOCKED: ${u.file}: this command ${u.how}, and what that adds cannot be seen before it runs.`);
  for (const g of guard.slice(0, MAX_LISTED)) lines.push(`- PROTECTED: ${g.file ? `${g.file} (${g.what}): this call ${g.how}` : `this command ${g.how} (${g.what})`}.`);
  for (const r of registry.slice(0, MAX_LISTED)) {
    const setting = `\`${excerpt(r.setting, 200).replace(/`/g, "'")}\``;
    lines.push(`- REGISTRY: ${r.file ? `${r.file} gets ${setting}` : `the command sets ${setting}`}: installers would fetch packages from there.`);
  }
  const suggested = shown.some((r) => otherNames(r).length);
  const unverifiedOnly = shown.length > 0 && shown.every(onlyUnverified);
  if (guard.length) lines.push("Bouncer's settings and the agent's hooks are the user's to change: ask the user to make or confirm this change, and do not work around it.");
  if (registry.length) lines.push("Where packages are installed from is the user's decision: ask the user to make or confirm this change, and do not work around it.");
  if (verdict === "warn") {
    if (shown.length) lines.push("Make sure these are the packages you intend to add before going on.");
  } else {
    if (unseen.length) lines.push("Make changes to dependency files with your file-editing tool, or add packages with the package manager's install command, so Bouncer can check what they add.");
    if (unverifiedOnly) {
      lines.push("Bouncer could not verify these packages, so it does not let them in: tell the user what is missing (the reasons above); do not retry the same call or work around it.");
    } else if (shown.length || (!unseen.length && !registry.length && !guard.length)) {
      lines.push(
        suggested
          ? "Use the suggested package if it is the one you meant, then retry; do not add a package that does not exist or that Bouncer blocked."
          : "Do not add these packages. Choose a well-known package that exists on the registry, or ask the user.",
      );
    }
  }
  return lines.join("\n");
}

/**
 * Wording written for people at a terminal, said to an agent: what to ask the user for, not which
 * command or flag to type. The MCP door applies it to every text it returns.
 */
const FOR_AGENT: Array<[RegExp, string]> = [
  [/,? or pass --ecosystem/g, ', or give the "ecosystem" argument (npm or pypi)'],
  [/\s*\(load one with `bouncer feeds import`\)/g, " (the user can import one into Bouncer)"],
  [/\s*\(run `bouncer index build`\)/g, " (the user can build Bouncer's offline index)"],
  [/;? rebuild it with [`"]bouncer index build[`"]/g, "; the user must rebuild Bouncer's offline index"],
];

export function forAgent(text: string): string {
  let out = text;
  for (const [from, to] of FOR_AGENT) out = out.replace(from, to);
  return out;
}
