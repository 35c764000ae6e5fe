// Renders a report in the chosen format and computes the exit code.
import type { Report, Summary } from "../../core/model.ts";
import { renderCycloneDx } from "../../report/cyclonedx.ts";
import { JsonReportWriter, renderJson } from "../../report/json.ts";
import { renderMarkdown } from "../../report/markdown.ts";
import { renderSarif } from "../../report/sarif.ts";
import { styleFor } from "../../report/style.ts";
import { renderText } from "../../report/text.ts";
import { type CliIO, UsageError } from "./io.ts";

export type Format = "text" | "json" | "sarif" | "cyclonedx" | "markdown";

export const OUTPUT_OPTIONS = {
  json: { type: "boolean" },
  format: { type: "string" },
  strict: { type: "boolean" },
  verbose: { type: "boolean" },
} as const;

export interface OutputFlags {
  json?: boolean;
  format?: string;
  strict?: boolean;
  verbose?: boolean;
}

const RENDERERS: Partial<Record<Format, (report: Report) => string>> = {
  json: renderJson,
  sarif: (r) => renderSarif(r),
  cyclonedx: (r) => renderCycloneDx(r),
  markdown: renderMarkdown,
};

export function chosenFormat(flags: OutputFlags): Format {
  if (flags.json) return "json";
  const f = flags.format ?? "text";
  if (f !== "text" && !RENDERERS[f as Format]) {
    throw new UsageError(`unknown format "${f}"`, `choose one of: text, ${Object.keys(RENDERERS).join(", ")}`);
  }
  return f as Format;
}

export function exitCodeFor(summary: Summary, strict: boolean | undefined): number {
  if (summary.block > 0) return 1;
  return strict && summary.warn > 0 ? 1 : 0;
}

export function writeReport(report: Report, flags: OutputFlags, io: CliIO, text: { byFile?: boolean } = {}): number {
  const format = chosenFormat(flags);
  if (format === "json") {
    const writer = new JsonReportWriter((chunk) => io.stdout.write(chunk));
    for (const result of report.results) writer.add(result);
    writer.end(report.notEvaluated, report.summary, report.notices);
    return exitCodeFor(report.summary, flags.strict);
  }
  const render = RENDERERS[format];
  io.stdout.write(
    render ? render(report) : renderText(report, { style: styleFor(io.stdoutIsTTY, io.env), verbose: flags.verbose, byFile: text.byFile }),
  );
  return exitCodeFor(report.summary, flags.strict);
}

/** A one-line progress indicator on stderr, only when stderr is a terminal and the run is long. */
export function progress(io: CliIO): ((done: number, total: number) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  let last = 0;
  return (done, total) => {
    if (total < 50) return;
    const now = Date.now();
    if (done < total && now - last < 100) return;
    last = now;
    io.stderr.write(done < total ? `\rchecking ${done}/${total}…` : "\r\u001b[K");
  };
}

/** A one-line status on stderr, only when stderr is a terminal: a long step starting, or (undefined) ended. */
export function status(io: CliIO): ((text: string | undefined) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  return (text) => io.stderr.write(text === undefined ? "\r\u001b[K" : `\r\u001b[K${text}`);
}
