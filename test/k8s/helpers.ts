// Runs the k8s checks on YAML text with the shipped data.
import { loadK8sData } from "../../src/doors/cli/commands/k8s.ts";
import { checkManifests } from "../../src/k8s/check.ts";
import type { K8sFinding, K8sReport } from "../../src/k8s/types.ts";

export const data = loadK8sData();

export function check(text: string, version = "1.34", file = "test.yaml"): K8sReport {
  return checkManifests([{ file, text }], data, { version });
}

export const findings = (report: K8sReport): K8sFinding[] => report.results.flatMap((r) => r.findings);

/** Rules of insecure-setting findings, in order. */
export const rules = (report: K8sReport): string[] => findings(report).flatMap((f) => (f.details ? [f.details.rule] : []));

export const codes = (report: K8sReport): string[] => findings(report).map((f) => f.code);

/** A pod spec under a Deployment, indented for `spec.template.spec`. */
export function deployment(podSpec: string, apiVersion = "apps/v1"): string {
  const indented = podSpec
    .trim()
    .split("\n")
    .map((l) => `      ${l}`)
    .join("\n");
  return `apiVersion: ${apiVersion}
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
${indented}
`;
}

/** A container that passes every security rule, to add one bad setting at a time. */
export const SAFE_CONTAINER = `- name: app
  image: nginx:1.27
  resources:
    limits: { cpu: 500m, memory: 128Mi }
  securityContext:
    runAsNonRoot: true
    readOnlyRootFilesystem: true
    allowPrivilegeEscalation: false
    capabilities: { drop: [ALL] }`;
