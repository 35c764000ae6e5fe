// The --json document (SPEC "Command-line contract").
import type { NotEvaluated, PackageResult, Report } from "../core/model.ts";
import { summarize } from "../core/model.ts";

export function buildReport(results: PackageResult[], notEvaluated: NotEvaluated[] = []): Report {
  return { schemaVersion: 1, results, notEvaluated, summary: summarize(results) };
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
