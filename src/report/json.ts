// The --json document (SPEC "Command-line contract").
import type { NotEvaluated, PackageResult, Report } from "../core/model.ts";
import { summarize } from "../core/model.ts";

export function buildReport(results: PackageResult[], notEvaluated: NotEvaluated[] = []): Report {
  return { schemaVersion: 1, results, notEvaluated, summary: summarize(results) };
}

/**
 * One result or note per line: as readable as indented JSON for a few packages, greppable and
 * diffable for a hundred thousand, and a third the size and time of indenting every field.
 */
export function renderJson(report: Report): string {
  const list = (items: readonly unknown[]) => (items.length ? `[\n    ${items.map((item) => JSON.stringify(item)).join(",\n    ")}\n  ]` : "[]");
  return `{\n  "schemaVersion": ${report.schemaVersion},\n  "results": ${list(report.results)},\n  "notEvaluated": ${list(report.notEvaluated)},\n  "summary": ${JSON.stringify(report.summary)}\n}\n`;
}
