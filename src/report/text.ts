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
  if (r.waiver) lines.push(`    ${style.dim("waived".padEnd(16))} ${waiverLine(r.waiver)}`);
  return lines.join("\n");
}

/** A waiver that let a package through, in words. */
export function waiverLine(w: NonNullable<PackageResult["waiver"]>): string {
  return `allowed by waiver ${w.id} of ${w.by} until ${w.expiresAt}: ${w.reason}`;
}

export interface TextOptions {
  style?: Style;
  /** Also list allowed packages (they are summarised otherwise). */
  verbose?: boolean;
  /** Group by the file each package was found in (scan), instead of by verdict (check). */
  byFile?: boolean;
}

/** One block per file, packages in line order, each at its line with what to do instead. */
function renderByFile(report: Report, style: Style, verbose: boolean | undefined): string[] {
  const groups = new Map<string, Array<{ line: number; result: PackageResult }>>();
  for (const r of report.results) {
    if (r.verdict === "allow" && !r.waiver && !verbose) continue;
    const places = r.locations.length ? r.locations : [{ file: "(command line)", line: undefined }];
    for (const l of places) {
      const list = groups.get(l.file) ?? [];
      list.push({ line: l.line ?? 0, result: r });
      groups.set(l.file, list);
    }
  }
  const out: string[] = [];
  for (const file of [...groups.keys()].sort()) {
    out.push(style.bold(file));
    const rank = (r: PackageResult) => (r.verdict === "block" ? 0 : r.verdict === "warn" ? 1 : 2);
    for (const { line, result: r } of groups.get(file)!.sort((a, b) => a.line - b.line || rank(a.result) - rank(b.result))) {
      const fix = r.didYouMean.length ? `  did you mean ${r.didYouMean.join(", ")}?` : "";
      out.push(`  ${style.dim(`${line || "-"}`.padStart(5))}  ${paint(r.verdict, MARK[r.verdict], style)}  ${r.purl}${style.green(fix)}`);
      for (const f of r.findings) out.push(`${" ".repeat(18)}${style.dim(f.code.padEnd(16))} ${f.message}`);
      if (r.waiver) out.push(`${" ".repeat(18)}${style.dim("waived".padEnd(16))} ${waiverLine(r.waiver)}`);
    }
  }
  return out;
}

export function renderText(report: Report, options: TextOptions = {}): string {
  const style = options.style ?? PLAIN;
  const out: string[] = [];
  if (options.byFile) for (const line of renderByFile(report, style, options.verbose)) out.push(line);
  else {
    const order: Verdict[] = options.verbose ? ["block", "warn", "allow"] : ["block", "warn"];
    for (const verdict of order) {
      for (const r of report.results) if (r.verdict === verdict) out.push(renderResult(r, style));
    }
    // A waived package is allowed, but never silently: the exception is shown.
    if (!options.verbose) for (const r of report.results) if (r.verdict === "allow" && r.waiver) out.push(renderResult(r, style));
  }
  for (const n of report.notEvaluated) out.push(`${style.yellow("? not evaluated")}  ${n.file}: ${n.reason}`);
  for (const n of report.notices ?? []) out.push(`${style.yellow("! notice")}  ${n.message}`);
  const s = report.summary;
  out.push(
    `${report.results.length} package${report.results.length === 1 ? "" : "s"}: ` +
      `${style.red(`${s.block} blocked`)}, ${style.yellow(`${s.warn} warned`)}, ${style.green(`${s.allow} allowed`)}` +
      (report.notEvaluated.length ? `, ${report.notEvaluated.length} not evaluated` : ""),
  );
  return `${out.join("\n")}\n`;
}
