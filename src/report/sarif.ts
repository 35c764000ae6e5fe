// SARIF 2.1.0 for code scanning: one result per flagged package and place it was written; a waived
// one is a suppressed result (the exception is visible, not an alert).
import { createHash } from "node:crypto";
import { FINDING_CODES, type Finding, SEVERITIES } from "../core/findings.ts";
import type { Notice, PackageResult, Report } from "../core/model.ts";
import { RULE_TEXT } from "./rules.ts";
import { waiverLine } from "./text.ts";

const LEVEL = { block: "error", warn: "warning", allow: "note" } as const;

/** The finding that explains the verdict best: the most severe one. */
export function primaryFinding(r: PackageResult): Finding | undefined {
  return [...r.findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity))[0];
}

function text(r: PackageResult): string {
  const why = r.findings.map((f) => f.message).join("; ");
  const instead = r.didYouMean.length ? ` Did you mean ${r.didYouMean.join(", ")}?` : "";
  if (r.waiver) return `Waived: ${r.purl}: ${why}. ${waiverLine(r.waiver)}`;
  return `${r.verdict === "block" ? "Blocked" : "Warning"}: ${r.purl}: ${why}.${instead}`;
}

export const uri = (file: string) => file.replace(/\\/g, "/").replace(/^\.\//, "");

export function renderSarif(report: Report, version = "0.1.0"): string {
  const rules = FINDING_CODES.map((code) => ({
    id: code,
    name: code.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: RULE_TEXT[code] },
    properties: { tags: ["security", "supply-chain"] },
  }));
  const results = [];
  for (const r of report.results) {
    if (r.verdict === "allow" && !r.waiver) continue;
    const primary = primaryFinding(r);
    if (!primary) continue;
    const places = r.locations.length ? r.locations : [undefined];
    for (const l of places) {
      results.push({
        ruleId: primary.code,
        ruleIndex: FINDING_CODES.indexOf(primary.code),
        level: LEVEL[r.verdict],
        message: { text: text(r) },
        ...(l
          ? {
              locations: [
                {
                  physicalLocation: {
                    artifactLocation: { uri: uri(l.file) },
                    ...(l.line && l.line > 0 ? { region: { startLine: l.line, ...(l.column ? { startColumn: l.column } : {}) } } : {}),
                  },
                },
              ],
            }
          : {}),
        partialFingerprints: {
          "bouncerPackage/v1": createHash("sha256").update(`${r.purl}\u0000${l?.file ?? ""}`).digest("hex").slice(0, 32),
        },
        ...(r.waiver ? { suppressions: [{ kind: "external", status: "accepted", justification: waiverLine(r.waiver) }] } : {}),
        properties: { purl: r.purl, verdict: r.verdict, findings: r.findings.map((f) => f.code), didYouMean: r.didYouMean, ...(r.waiver ? { waiver: r.waiver.id } : {}) },
      });
    }
  }
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "Bouncer", semanticVersion: version, rules } },
        results,
        ...notEvaluatedInvocations(report.notEvaluated, undefined, report.notices),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * Files (or objects) that were not evaluated, as SARIF notifications: they must not look clean.
 * Report notices (no malicious feed loaded) are configuration notifications.
 */
export function notEvaluatedInvocations(
  notEvaluated: ReadonlyArray<{ file: string; line?: number; reason: string }>,
  locate: (file: string, line?: number) => object = (file) => ({ physicalLocation: { artifactLocation: { uri: uri(file) } } }),
  notices: readonly Notice[] = [],
): { invocations?: object[] } {
  if (!notEvaluated.length && !notices.length) return {};
  const invocation: Record<string, unknown> = { executionSuccessful: true };
  if (notEvaluated.length) {
    invocation.toolExecutionNotifications = notEvaluated.map((n) => ({ level: "warning", message: { text: `not evaluated: ${n.reason}` }, locations: [locate(n.file, n.line)] }));
  }
  if (notices.length) {
    invocation.toolConfigurationNotifications = notices.map((n) => ({ descriptor: { id: n.code }, level: "warning", message: { text: n.message } }));
  }
  return { invocations: [invocation] };
}
