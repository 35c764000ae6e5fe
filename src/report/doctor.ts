// The scorecard of `bouncer doctor`: one line per door, the fix under each open one.
import { PLAIN, type Style } from "./style.ts";

/** partial: guarded in part (what is left open is in the detail), or cannot tell: never counted as guarded. */
export type DoorState = "guarded" | "partial" | "open" | "n/a";

export interface DoorCheck {
  /** Stable id, e.g. "agent-hook:claude-code", "cooldown:npm". */
  id: string;
  /** What the door is, for people. */
  door: string;
  state: DoorState;
  /** What was found. */
  detail: string;
  /** One line that closes an open door. */
  fix?: string;
}

export interface DoctorReport {
  project: string;
  dataDir: string;
  checks: DoorCheck[];
  summary: Record<DoorState, number>;
}

const LABEL: Record<DoorState, string> = { guarded: "GUARDED", partial: "PARTLY ", open: "OPEN   ", "n/a": "n/a    " };

export function formatDoctor(report: DoctorReport, style: Style = PLAIN): string {
  const width = Math.min(34, Math.max(...report.checks.map((c) => c.door.length)));
  const lines = [style.bold(`Bouncer doctor: ${report.project}`), style.dim(`data directory: ${report.dataDir}`), ""];
  for (const c of report.checks) {
    const label = c.state === "guarded" ? style.green(LABEL[c.state]) : c.state === "open" || c.state === "partial" ? style.red(LABEL[c.state]) : style.dim(LABEL[c.state]);
    lines.push(`${label}  ${c.door.padEnd(width)}  ${c.detail}`);
    if (c.fix) lines.push(`${" ".repeat(9 + width + 2)}${style.dim("fix:")} ${c.fix}`);
  }
  const s = report.summary;
  const partly = s.partial ? `${s.partial} partly guarded, ` : "";
  lines.push("", `${s.guarded} guarded, ${partly}${s.open} open, ${s["n/a"]} not applicable${s.open || s.partial ? "" : ": every door that applies is guarded"}`);
  return `${lines.join("\n")}\n`;
}
