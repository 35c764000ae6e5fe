// A pull-request comment: what is blocked or warned, where, why, and what was probably meant; and
// what a waiver let through (never silently).
import type { PackageResult, Report } from "../core/model.ts";
import { waiverLine } from "./text.ts";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function row(r: PackageResult): string {
  const where = r.locations.map((l) => `${l.file}${l.line ? `:${l.line}` : ""}`);
  const shown = where.slice(0, 3).map(code).join(", ") + (where.length > 3 ? ` +${where.length - 3}` : "");
  const why = [...r.findings.map((f) => `**${f.code}**: ${f.message}`), ...(r.waiver ? [`**waived**: ${waiverLine(r.waiver)}`] : [])].join("<br>");
  const instead = r.didYouMean.map(code).join(", ");
  const verdict = r.waiver ? "✅ waived" : r.verdict === "block" ? "⛔ block" : "⚠️ warn";
  return `| ${verdict} | ${code(r.purl)} | ${cell(shown)} | ${cell(why)} | ${instead} |`;
}

export function renderMarkdown(report: Report): string {
  const { block, warn, allow } = report.summary;
  const skipped = report.notEvaluated.length;
  const lines = [`### Bouncer: ${block} blocked, ${warn} warned, ${allow} allowed${skipped ? `, ${skipped} not evaluated` : ""}`, ""];
  const rank = (r: PackageResult) => (r.verdict === "block" ? 0 : r.verdict === "warn" ? 1 : 2);
  const flagged = report.results.filter((r) => r.verdict !== "allow" || r.waiver).sort((a, b) => rank(a) - rank(b));
  if (flagged.length) {
    lines.push("| verdict | package | where | why | did you mean |", "|---|---|---|---|---|", ...flagged.map(row), "");
  } else if (skipped) {
    // Never "nothing is blocked" when part of the change was not read.
    lines.push(`No dependency that could be read is blocked or warned, but ${skipped === 1 ? "1 file was" : `${skipped} files were`} not evaluated (below): their dependencies are unchecked.`, "");
  } else {
    lines.push("No dependency in this change is blocked or warned.", "");
  }
  for (const n of report.notices ?? []) lines.push(`> **Note:** ${cell(n.message)}`, "");
  if (report.notEvaluated.length) {
    lines.push("<details><summary>Not evaluated (" + report.notEvaluated.length + ")</summary>", "");
    for (const n of report.notEvaluated) lines.push(`- ${code(n.file)}: ${cell(n.reason)}`);
    lines.push("", "</details>", "");
  }
  if (block) lines.push("Blocked packages must not be installed. Replace them with the suggested package, or have a maintainer add a reviewed exception to the trusted policy (a project's own `bouncer.policy.json` cannot allow packages).");
  return `${lines.join("\n")}\n`;
}
