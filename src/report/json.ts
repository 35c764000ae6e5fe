// The --json document (SPEC "Command-line contract").
import type { NotEvaluated, Notice, PackageResult, Report, Summary } from "../core/model.ts";
import { summarize } from "../core/model.ts";

export function buildReport(results: PackageResult[], notEvaluated: NotEvaluated[] = [], notices: readonly Notice[] = []): Report {
  const report: Report = { schemaVersion: 1, results, notEvaluated, summary: summarize(results) };
  if (notices.length) report.notices = notices.slice();
  return report;
}

/**
 * One result or note per line: as readable as indented JSON for a few packages, greppable and
 * diffable for a hundred thousand, and a third the size and time of indenting every field.
 */
export function renderJson(report: Report): string {
  let text = "";
  const writer = new JsonReportWriter((chunk) => {
    text += chunk;
  });
  for (const result of report.results) writer.add(result);
  writer.end(report.notEvaluated, report.summary, report.notices);
  return text;
}

/**
 * The renderJson document written as results arrive, in pieces of a few thousand: a bulk check
 * then keeps no results, and never holds the report twice (its lines and their join).
 */
export class JsonReportWriter {
  private readonly write: (chunk: string) => void;
  private lines: string[] = [];
  private started = false;
  private readonly summary: Summary = { allow: 0, warn: 0, block: 0 };

  constructor(write: (chunk: string) => void) {
    this.write = write;
  }

  add(result: PackageResult): void {
    this.summary[result.verdict]++;
    this.lines.push(JSON.stringify(result));
    if (this.lines.length >= CHUNK) this.flush();
  }

  /** Counts of what was added so far. */
  counts(): Summary {
    return { ...this.summary };
  }

  /** `notices` (a report-level extension of the SPEC shape) are written only when there are some. */
  end(notEvaluated: readonly NotEvaluated[], summary: Summary = this.summary, notices: readonly Notice[] = []): void {
    this.flush();
    const list = (items: readonly object[]) => (items.length ? `[\n    ${items.map((n) => JSON.stringify(n)).join(",\n    ")}\n  ]` : "[]");
    const results = this.started ? "\n  ]" : `${HEAD}[]`;
    const extra = notices.length ? `,\n  "notices": ${list(notices)}` : "";
    this.write(`${results},\n  "notEvaluated": ${list(notEvaluated)},\n  "summary": ${JSON.stringify(summary)}${extra}\n}\n`);
  }

  private flush(): void {
    if (!this.lines.length) return;
    this.write(`${this.started ? ",\n    " : `${HEAD}[\n    `}${this.lines.join(",\n    ")}`);
    this.started = true;
    this.lines = [];
  }
}

const CHUNK = 2000;
const HEAD = '{\n  "schemaVersion": 1,\n  "results": ';
