// The human-readable report: blocks first, then warnings; allowed packages as one summary line.
import type { Verdict } from "../core/findings.ts";
import type { PackageResult, Report } from "../core/model.ts";
import { PLAIN, type Style } from "./style.ts";

const MARK: Record<Verdict, string> = { block: "✗ block", warn: "! warn ", allow: "✓ allow" };

function paint(verdict: Verdict, s: string, style: Style): string {
  return verdict === "block" ? style.red(s) : verdict === "warn" ? style.yellow(s) : style.green(s);
}

function where(r: PackageResult): string {
  const l = r.locations[0];
  if (!l) return "";
  const more = r.locations.length > 1 ? ` (+${r.locations.length - 1} more)` : "";
  return `  ${l.file}${l.line ? `:${l.line}` : ""}${more}`;
}

export function renderResult(r: PackageResult, style: Style = PLAIN): string {
  const lines = [`${paint(r.verdict, MARK[r.verdict], style)}  ${style.bold(r.purl)}${style.dim(where(r))}`];
  for (const f of r.findings) lines.push(`    ${style.dim(f.code.padEnd(16))} ${f.message}`);
  if (r.didYouMean.length) lines.push(`    ${style.dim("did you mean".padEnd(16))} ${r.didYouMean.join(", ")}`);
  return lines.join("\n");
}

export interface TextOptions {
  style?: Style;
  /** Also list allowed packages (they are summarised otherwise). */
  verbose?: boolean;
}

export function renderText(report: Report, options: TextOptions = {}): string {
  const style = options.style ?? PLAIN;
  const order: Verdict[] = options.verbose ? ["block", "warn", "allow"] : ["block", "warn"];
  const out: string[] = [];
  for (const verdict of order) {
    for (const r of report.results) if (r.verdict === verdict) out.push(renderResult(r, style));
  }
  for (const n of report.notEvaluated) out.push(`${style.yellow("? not evaluated")}  ${n.file}: ${n.reason}`);
  const s = report.summary;
  out.push(
    `${report.results.length} package${report.results.length === 1 ? "" : "s"}: ` +
      `${style.red(`${s.block} blocked`)}, ${style.yellow(`${s.warn} warned`)}, ${style.green(`${s.allow} allowed`)}` +
      (report.notEvaluated.length ? `, ${report.notEvaluated.length} not evaluated` : ""),
  );
  return `${out.join("\n")}\n`;
}
