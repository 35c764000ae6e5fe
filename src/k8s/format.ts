// All wording of `bouncer k8s`: finding messages, the text report and the JSON report.
import type { Verdict } from "../core/findings.ts";
import { PLAIN, type Style } from "../report/style.ts";
import type { K8sReport, ObjectResult } from "./types.ts";

export const MESSAGES = {
  invalidYaml: (message: string) => `invalid YAML: ${message}`,
  notAnObject: (got: string) => `a Kubernetes object must be a mapping, found ${got}`,
  notKubernetes: () => "not a Kubernetes object (no apiVersion or kind)",
  missingApiVersion: () => "missing 'apiVersion' key",
  missingKind: () => "missing 'kind' key",
  apiRemoved: (api: string, kind: string, removedIn: string, replacement: string | null) =>
    `${api} ${kind} was removed in Kubernetes ${removedIn}${replacement ? `; use ${replacement}` : " with no direct replacement"}`,
  apiDeprecated: (api: string, kind: string, deprecatedIn: string, removedIn: string | null, replacement: string | null) =>
    `${api} ${kind} is deprecated since Kubernetes ${deprecatedIn}${removedIn ? ` and removed in ${removedIn}` : ""}${replacement ? `; use ${replacement}` : ""}`,
  kindElsewhere: (kind: string, apis: string[], version: string) => `${kind} is ${apis.join(" or ")} (Kubernetes ${version})`,
  kindUnknown: (api: string, kind: string, version: string) => `${api} has no kind ${kind} in Kubernetes ${version}`,
  apiUnverified: (api: string, kind: string, index: string, used: string) =>
    `${api} ${kind} is not in the ${index} field index; fields checked against ${used}`,
  customResource: (api: string, kind: string) =>
    `${api} ${kind} is not a built-in Kubernetes API (custom resource?): its schema and API version are not checked`,
  template: () => "template syntax ({{ }}): render the chart or template first",
  unreadable: (reason: string) => `cannot be read (${reason})`,
  chartFile: () => "Helm chart file outside templates/ (Chart.yaml, values): not a manifest, skipped; render the chart (helm template) to check it",
  unknownField: (field: string, typeName: string) => `field "${field}" does not exist in ${typeName}`,
  unknownCrdField: (field: string, where: string) => `field "${field}" does not exist in ${where} (schema of the CRD found in the scanned files)`,
  crdVersionMissing: (api: string, kind: string, served: string[]) =>
    `${api} ${kind}: the CRD found in the scanned files serves ${served.join(", ")}, not this version`,
  invalidType: (expected: string, got: string) => `expected ${expected}, found ${got}`,
  missingRequired: (field: string) => `required field "${field}" is missing`,
  invalidValue: (value: string, allowed: readonly string[]) =>
    `unsupported value ${JSON.stringify(value)}: supported values are ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
  removedFlag: (component: string, flag: string, removedIn: string, replacement: string | null) =>
    `${component} flag ${flag} was removed in Kubernetes ${removedIn} (the component will not start)${replacement ? `; use ${replacement}` : ""}`,
  removedFlagValue: (component: string, flag: string, value: string, removedIn: string, replacement: string | null) =>
    `${component} ${flag} names ${value}, removed in Kubernetes ${removedIn} (the component will not start)${replacement ? `; use ${replacement}` : ""}`,
  cisFlag: (component: string, flag: string, value: string | undefined, id: string, text: string) =>
    `${component} ${flag}${value === undefined ? "" : `=${value}`} fails CIS ${id}: ${text.replace(/ \((Automated|Manual)\)$/, "")}`,
  deprecatedFlag: (component: string, flag: string, deprecatedIn: string, removedIn: string | null, replacement: string | null) =>
    `${component} flag ${flag} is deprecated since Kubernetes ${deprecatedIn}${removedIn ? `, removed in ${removedIn}` : ""}${replacement ? `; use ${replacement}` : ""}`,
  privileged: (c: string) => `container "${c}" is privileged (full access to the host)`,
  privilegeEscalation: (c: string) => `container "${c}" has allowPrivilegeEscalation: true`,
  hostNamespace: (field: string, what: string) => `${field}: true shares the host's ${what} namespace`,
  hostPath: (path: string, why: string) => `hostPath volume mounts ${path} from the host${why}`,
  hostPathWritable: (containers: string[]) => `, writable by container${containers.length > 1 ? "s" : ""} ${containers.map((c) => `"${c}"`).join(", ")} (set readOnly: true on the volumeMount)`,
  hostPathReadOnly: () => ", read-only or not mounted by any container",
  runAsRootGroup: (where: string) => `${where} runs with the root group (runAsGroup: 0)`,
  capabilitiesNotDropped: (c: string) => `container "${c}" keeps the default Linux capabilities (add capabilities.drop: [ALL])`,
  seccompUnconfined: (where: string) => `${where} runs without a seccomp profile (seccompProfile.type: Unconfined)`,
  procMountUnmasked: (c: string) => `container "${c}" sees the host's unmasked /proc (procMount: Unmasked)`,
  imageTag: (c: string, image: string, problem: string) =>
    `container "${c}" image ${image} ${problem === "latest" ? "uses the mutable :latest tag" : "has no tag (pulls :latest)"}; pin a version or a digest`,
  loadBalancerOpen: () => "LoadBalancer Service without loadBalancerSourceRanges is reachable from any address",
  runAsRoot: (where: string) => `${where} runs as root (runAsUser: 0)`,
  runAsNonRootFalse: (c: string) => `container "${c}" may run as root (runAsNonRoot: false)`,
  runAsNonRootUnset: (c: string) => `container "${c}" may run as root (neither runAsNonRoot: true nor a non-zero runAsUser)`,
  writableRootFs: (c: string) => `container "${c}" has a writable root filesystem (readOnlyRootFilesystem is not true)`,
  missingLimits: (c: string, missing: string[]) => `container "${c}" has no ${missing.join(" or ")} limit`,
  capabilities: (c: string, caps: string[]) => `container "${c}" adds dangerous capabilities: ${caps.join(", ")}`,
  hostPort: (c: string, port: unknown) => `container "${c}" binds host port ${String(port)}`,
  secretEnv: (c: string, name: string) => `container "${c}" sets ${name} to a literal value; use a Secret (valueFrom.secretKeyRef)`,
  automount: (where: string) => `${where} automounts the service account token (automountServiceAccountToken: true)`,
  serviceAccountField: () => "serviceAccount is deprecated; use serviceAccountName",
  rbacWildcard: (what: string[]) => `rule grants wildcard ${what.join(" and ")} ("*")`,
  clusterAdmin: (kind: string) => `${kind} binds the cluster-admin role`,
};

const MARK: Record<Verdict, string> = { block: "✗ block", warn: "! warn ", allow: "✓ allow" };
const paint = (verdict: Verdict, s: string, style: Style) =>
  verdict === "block" ? style.red(s) : verdict === "warn" ? style.yellow(s) : style.green(s);

function title(r: ObjectResult): string {
  const what = r.kind ? `${r.kind}${r.name ? `/${r.name}` : ""}` : "(document)";
  return `${what}${r.apiVersion ? ` (${r.apiVersion})` : ""}`;
}

/** One block per object, blocked first, then warned; allowed objects only with `verbose`. */
export function renderK8sText(report: K8sReport, options: { style?: Style; verbose?: boolean } = {}): string {
  const style = options.style ?? PLAIN;
  const out = [
    `Kubernetes ${report.k8sVersion}${report.defaultVersion ? " (newest supported; choose with --k8s-version)" : ""}, ` +
      `field index ${report.fieldIndexVersion}`,
  ];
  const order: Verdict[] = options.verbose ? ["block", "warn", "allow"] : ["block", "warn"];
  for (const verdict of order) {
    for (const r of report.results) {
      if (r.verdict !== verdict) continue;
      out.push(`${paint(r.verdict, MARK[r.verdict], style)}  ${style.bold(title(r))}${style.dim(`  ${r.file}:${r.line}`)}`);
      for (const f of r.findings) {
        const code = f.code === "insecure-setting" && f.details ? f.details.rule : f.code;
        const at = f.path ? style.dim(` [${f.path}${f.line ? `, line ${f.line}` : ""}]`) : "";
        out.push(`    ${style.dim(code.padEnd(24))} ${f.message}${at}`);
        if (f.didYouMean) out.push(`    ${" ".repeat(24)} ${style.green(`did you mean "${f.didYouMean}"?`)}`);
      }
    }
  }
  for (const n of report.notEvaluated) out.push(`${style.yellow("? not evaluated")}  ${n.file}${n.line ? `:${n.line}` : ""}: ${n.reason}`);
  const s = report.summary;
  const count = report.results.length;
  out.push(
    `${count} object${count === 1 ? "" : "s"}: ${style.red(`${s.block} blocked`)}, ${style.yellow(`${s.warn} warned`)}, ` +
      `${style.green(`${s.allow} allowed`)}${report.notEvaluated.length ? `, ${report.notEvaluated.length} not evaluated` : ""}`,
  );
  return `${out.join("\n")}\n`;
}

export function renderK8sJson(report: K8sReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
