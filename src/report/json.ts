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
  return [...jsonChunks(report)].join("");
}

const CHUNK = 2000;

/**
 * renderJson in pieces of a few thousand results, for writing as they are made: a large report
 * then never sits in memory twice (its lines and their join), which spares a full collection.
 */
export function* jsonChunks(report: Report): Generator<string> {
  const list = (items: readonly unknown[]) => (items.length ? `[\n    ${items.map((item) => JSON.stringify(item)).join(",\n    ")}\n  ]` : "[]");
  const { results } = report;
  yield `{\n  "schemaVersion": ${report.schemaVersion},\n  "results": `;
  if (!results.length) yield "[]";
  for (let i = 0; i < results.length; i += CHUNK) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(i + CHUNK, results.length); j++) lines.push(JSON.stringify(results[j]));
    yield `${i === 0 ? "[\n    " : ",\n    "}${lines.join(",\n    ")}${i + CHUNK >= results.length ? "\n  ]" : ""}`;
  }
  yield `,\n  "notEvaluated": ${list(report.notEvaluated)},\n  "summary": ${JSON.stringify(report.summary)}\n}\n`;
}
