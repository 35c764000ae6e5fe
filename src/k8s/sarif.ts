// SARIF 2.1.0 for code scanning of manifests: one result per finding, at its line, in the same shape
// as the package SARIF (src/report/sarif.ts).
import { createHash } from "node:crypto";
import { notEvaluatedInvocations, uri } from "../report/sarif.ts";
import type { FindingCode, K8sFinding, K8sReport, ObjectResult, Severity } from "./types.ts";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { error: "error", warning: "warning", info: "note" };

/** One line per finding code: the rule's description and help. A Record, so a new code cannot be forgotten. */
export const K8S_RULE_TEXT: Record<FindingCode, string> = {
  "invalid-yaml": "The file is not valid YAML, so the object cannot be applied.",
  "not-an-object": "A YAML document is not a mapping, so it is not a Kubernetes object.",
  "missing-api-version": "The object has a kind but no apiVersion.",
  "missing-kind": "The object has an apiVersion but no kind.",
  "api-removed": "The API version was removed in the target Kubernetes version: the object will be rejected.",
  "api-deprecated": "The API version is deprecated in the target Kubernetes version and will be removed.",
  "unknown-kind": "The target Kubernetes version has no such kind in this API version.",
  "api-unverified": "The API is newer than the field index for the target version: fields were checked against a later one.",
  "unknown-field": "The field does not exist in the object's schema (mistyped or misplaced).",
  "invalid-type": "The value has the wrong type for its field.",
  "invalid-value": "The value is not one the API server accepts for this enumerated field.",
  "missing-required-field": "A field the schema requires is missing.",
  "insecure-setting": "A setting weakens isolation or exposes credentials (the rule is in the result's properties).",
  "removed-flag": "A component flag was removed in the target Kubernetes version: the component will not start.",
  "deprecated-flag": "A component flag is deprecated in the target Kubernetes version.",
  "removed-flag-value": "A flag names an admission plugin or feature gate removed in the target Kubernetes version: the component will not start.",
};

const CODES = Object.keys(K8S_RULE_TEXT) as FindingCode[];

const objectName = (r: ObjectResult) => (r.kind ? `${r.kind}${r.name ? `/${r.name}` : ""}${r.apiVersion ? ` (${r.apiVersion})` : ""}` : "(document)");

function text(r: ObjectResult, f: K8sFinding): string {
  const at = f.path ? ` at ${f.path}` : "";
  // Most messages already name the replacement ("; use X"): say it only when they do not.
  const use = f.replacement && !f.message.includes(f.replacement) ? ` Use ${f.replacement}.` : "";
  const meant = f.didYouMean ? ` Did you mean "${f.didYouMean}"?` : "";
  const rule = f.details ? `[${f.details.rule}] ` : "";
  return `${objectName(r)}: ${rule}${f.message}${at}.${use}${meant}`;
}

/** Stable across line moves: the object, the finding and where in the object it is. */
function fingerprint(r: ObjectResult, f: K8sFinding): string {
  const key = [r.file, r.apiVersion, r.kind, r.name, f.code, f.details?.rule, f.path ?? f.message].map((p) => p ?? "").join("\u0000");
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}

const location = (file: string, line: number | undefined) => ({
  physicalLocation: { artifactLocation: { uri: encodeURI(uri(file)) }, ...(line && line > 0 ? { region: { startLine: line } } : {}) },
});

export function renderK8sSarif(report: K8sReport, version = "0.1.0"): string {
  const rules = CODES.map((code) => ({
    id: code,
    name: code.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: K8S_RULE_TEXT[code] },
    help: { text: K8S_RULE_TEXT[code] },
    properties: { tags: ["kubernetes", ...(code === "insecure-setting" ? ["security"] : [])] },
  }));
  const results = report.results.flatMap((r) =>
    r.findings.map((f) => ({
      ruleId: f.code,
      ruleIndex: CODES.indexOf(f.code),
      level: LEVEL[f.severity],
      message: { text: text(r, f) },
      locations: [{ ...location(r.file, f.line ?? r.line), ...(f.path ? { logicalLocations: [{ fullyQualifiedName: f.path, kind: "member" }] } : {}) }],
      partialFingerprints: { "bouncerK8s/v1": fingerprint(r, f) },
      properties: {
        verdict: r.verdict,
        apiVersion: r.apiVersion,
        kind: r.kind,
        name: r.name,
        ...(f.details ? { rule: f.details.rule } : {}),
        ...(f.replacement ? { replacement: f.replacement } : {}),
        ...(f.didYouMean ? { didYouMean: f.didYouMean } : {}),
      },
    })),
  );
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "Bouncer", semanticVersion: version, rules } },
        // A category of its own, so uploading it next to the package SARIF replaces neither.
        automationDetails: { id: "bouncer-k8s/" },
        results,
        ...notEvaluatedInvocations(report.notEvaluated, location),
        properties: { k8sVersion: report.k8sVersion, fieldIndexVersion: report.fieldIndexVersion, defaultVersion: report.defaultVersion },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
