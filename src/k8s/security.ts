// Insecure settings: pod specs of workload kinds, ServiceAccounts, and RBAC. Each finding names its
// rule (details.rule); security-rules-crosswalk.tsv in ../shared/config-data maps them to
// polaris / kube-linter / checkov checks.
import { MESSAGES } from "./format.ts";
import { formatPath, type Path } from "./schema.ts";
import type { K8sFinding, Severity } from "./types.ts";
import { containersOf, type PodSpec, podSpecOf } from "./workloads.ts";
import { isRecord } from "../core/guards.ts";

/** Adding any of these gives a container control over the host or its network. */
const DANGEROUS_CAPABILITIES = new Set(["ALL", "SYS_ADMIN", "NET_ADMIN", "SYS_MODULE", "SYS_PTRACE", "SYS_RAWIO", "DAC_READ_SEARCH", "BPF", "SYS_BOOT"]);

/** Host directories whose mount hands over the node (kube-linter sensitive-host-mounts). */
const SENSITIVE_HOST_PATHS = ["/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr", "/root", "/var/lib/kubelet"];
const RUNTIME_SOCKET = /(^|\/)(docker|containerd|crio|cri-dockerd)\.sock$|^\/var\/run\/(docker|containerd|crio)\/?$/;

const SECRET_ENV_NAME = /(passw(or)?d|secret|token|api[_-]?key|private[_-]?key|access[_-]?key|credential)/i;

type Lines = (path: Path) => number | undefined;

interface Sink {
  add(rule: string, severity: Severity, message: string, path: Path): void;
}

function sink(findings: K8sFinding[], lineAt: Lines): Sink {
  return {
    add: (rule, severity, message, path) =>
      findings.push({ code: "insecure-setting", severity, message, path: formatPath(path), line: lineAt(path), details: { rule } }),
  };
}

/** volumeMounts of a container, as records. */
const mountsOf = (container: Record<string, unknown>): Record<string, unknown>[] =>
  Array.isArray(container.volumeMounts) ? container.volumeMounts.filter(isRecord) : [];

/** "no tag" or "latest" when the image is not pinned; a digest pins it whatever the tag. */
export function imageTagProblem(image: unknown): "no tag" | "latest" | undefined {
  if (typeof image !== "string" || image === "" || image.includes("@")) return undefined;
  const last = image.slice(image.lastIndexOf("/") + 1);
  const colon = last.lastIndexOf(":");
  if (colon < 0) return "no tag";
  return last.slice(colon + 1) === "latest" ? "latest" : undefined;
}

const securityContext = (v: unknown): Record<string, unknown> => (isRecord(v) && isRecord(v.securityContext) ? v.securityContext : {});

function checkPodSpec(pod: PodSpec, out: Sink): void {
  const { spec, path } = pod;
  const namespaces = [
    ["hostNetwork", "network", "host-network"],
    ["hostPID", "process", "host-pid"],
    ["hostIPC", "IPC", "host-ipc"],
  ] as const;
  for (const [field, what, rule] of namespaces) {
    if (spec[field] === true) out.add(rule, "error", MESSAGES.hostNamespace(field, what), [...path, field]);
  }
  if (Array.isArray(spec.volumes)) {
    const containers = containersOf(pod);
    spec.volumes.forEach((v, i) => {
      if (!isRecord(v) || !isRecord(v.hostPath) || typeof v.hostPath.path !== "string") return;
      const hostPath = v.hostPath.path.replace(/\/+$/, "") || "/";
      const at = [...path, "volumes", i, "hostPath", "path"];
      if (RUNTIME_SOCKET.test(hostPath)) out.add("docker-sock", "error", MESSAGES.hostPath(hostPath, ": the container runtime socket gives root on the node"), at);
      else if (SENSITIVE_HOST_PATHS.some((p) => hostPath === p || (p !== "/" && hostPath.startsWith(`${p}/`))))
        out.add("sensitive-host-mount", "error", MESSAGES.hostPath(hostPath, ", a sensitive system directory"), at);
      else {
        // Writable only through a volumeMount without readOnly: true (kube-linter writable-host-mount).
        const writers = containers.filter(({ container }) => mountsOf(container).some((m) => m.name === v.name && m.readOnly !== true)).map((c) => c.name);
        if (writers.length) out.add("writable-host-mount", "warning", MESSAGES.hostPath(hostPath, MESSAGES.hostPathWritable(writers)), at);
        else out.add("host-path", "info", MESSAGES.hostPath(hostPath, MESSAGES.hostPathReadOnly()), at);
      }
    });
  }
  const podSeccomp = securityContext(spec).seccompProfile;
  if (isRecord(podSeccomp) && podSeccomp.type === "Unconfined")
    out.add("seccomp-unconfined", "error", MESSAGES.seccompUnconfined("the pod"), [...path, "securityContext", "seccompProfile", "type"]);
  if (spec.automountServiceAccountToken === true) out.add("automount-service-account-token", "warning", MESSAGES.automount("the pod"), [...path, "automountServiceAccountToken"]);
  if (spec.serviceAccount !== undefined) out.add("deprecated-service-account-field", "warning", MESSAGES.serviceAccountField(), [...path, "serviceAccount"]);

  const podContext = securityContext(spec);
  if (podContext.runAsUser === 0) out.add("run-as-root", "error", MESSAGES.runAsRoot("the pod"), [...path, "securityContext", "runAsUser"]);
  if (podContext.runAsGroup === 0) out.add("run-as-root-group", "warning", MESSAGES.runAsRootGroup("the pod"), [...path, "securityContext", "runAsGroup"]);
  for (const { container, name, path: cPath } of containersOf(pod)) {
    const ctx = securityContext(container);
    const ctxPath = [...cPath, "securityContext"];
    if (ctx.privileged === true) out.add("privileged", "error", MESSAGES.privileged(name), [...ctxPath, "privileged"]);
    if (ctx.allowPrivilegeEscalation === true) out.add("privilege-escalation", "error", MESSAGES.privilegeEscalation(name), [...ctxPath, "allowPrivilegeEscalation"]);
    const runAsUser = ctx.runAsUser ?? podContext.runAsUser;
    const runAsNonRoot = ctx.runAsNonRoot ?? podContext.runAsNonRoot;
    if (ctx.runAsUser === 0) out.add("run-as-root", "error", MESSAGES.runAsRoot(`container "${name}"`), [...ctxPath, "runAsUser"]);
    else if (runAsUser !== 0 && runAsNonRoot === false) out.add("run-as-root", "warning", MESSAGES.runAsNonRootFalse(name), ctxPath);
    else if (runAsNonRoot !== true && !(typeof runAsUser === "number" && runAsUser > 0)) out.add("run-as-non-root-unset", "warning", MESSAGES.runAsNonRootUnset(name), ctxPath);
    if (ctx.readOnlyRootFilesystem !== true) out.add("writable-root-filesystem", "warning", MESSAGES.writableRootFs(name), ctxPath);
    const limits = isRecord(container.resources) && isRecord(container.resources.limits) ? container.resources.limits : {};
    const missing = ["cpu", "memory"].filter((r) => limits[r] === undefined || limits[r] === null);
    if (missing.length) out.add("missing-limits", "warning", MESSAGES.missingLimits(name, missing), [...cPath, "resources"]);
    const added = isRecord(ctx.capabilities) && Array.isArray(ctx.capabilities.add) ? ctx.capabilities.add : [];
    const dangerous = added.map((c) => String(c).toUpperCase().replace(/^CAP_/, "")).filter((c) => DANGEROUS_CAPABILITIES.has(c));
    if (dangerous.length) out.add("dangerous-capabilities", "error", MESSAGES.capabilities(name, dangerous), [...ctxPath, "capabilities", "add"]);
    const dropped = isRecord(ctx.capabilities) && Array.isArray(ctx.capabilities.drop) ? ctx.capabilities.drop : [];
    if (!dropped.some((c) => String(c).toUpperCase() === "ALL")) out.add("capabilities-not-dropped", "warning", MESSAGES.capabilitiesNotDropped(name), ctxPath);
    if (ctx.runAsGroup === 0) out.add("run-as-root-group", "warning", MESSAGES.runAsRootGroup(`container "${name}"`), [...ctxPath, "runAsGroup"]);
    if (isRecord(ctx.seccompProfile) && ctx.seccompProfile.type === "Unconfined")
      out.add("seccomp-unconfined", "error", MESSAGES.seccompUnconfined(`container "${name}"`), [...ctxPath, "seccompProfile", "type"]);
    if (ctx.procMount === "Unmasked") out.add("unmasked-proc-mount", "error", MESSAGES.procMountUnmasked(name), [...ctxPath, "procMount"]);
    const tagProblem = imageTagProblem(container.image);
    if (tagProblem) out.add("latest-tag", "warning", MESSAGES.imageTag(name, String(container.image), tagProblem), [...cPath, "image"]);
    if (Array.isArray(container.ports)) {
      container.ports.forEach((p, i) => {
        if (isRecord(p) && p.hostPort !== undefined && p.hostPort !== null && p.hostPort !== 0)
          out.add("host-port", "warning", MESSAGES.hostPort(name, p.hostPort), [...cPath, "ports", i, "hostPort"]);
      });
    }
    if (Array.isArray(container.env)) {
      container.env.forEach((e, i) => {
        if (isRecord(e) && typeof e.name === "string" && typeof e.value === "string" && e.value !== "" && SECRET_ENV_NAME.test(e.name))
          out.add("secret-in-env", "warning", MESSAGES.secretEnv(name, e.name), [...cPath, "env", i, "value"]);
      });
    }
  }
}

function checkRbac(object: Record<string, unknown>, kind: string, out: Sink): void {
  if ((kind === "Role" || kind === "ClusterRole") && Array.isArray(object.rules)) {
    object.rules.forEach((rule, i) => {
      if (!isRecord(rule)) return;
      const wild = ["verbs", "resources", "apiGroups"].filter((f) => Array.isArray(rule[f]) && (rule[f] as unknown[]).includes("*"));
      // A wildcard API group alone, with named resources and verbs, is common and narrow enough.
      if (wild.includes("verbs") || wild.includes("resources")) out.add("rbac-wildcard", "error", MESSAGES.rbacWildcard(wild), ["rules", i]);
    });
  }
  if ((kind === "RoleBinding" || kind === "ClusterRoleBinding") && isRecord(object.roleRef) && object.roleRef.name === "cluster-admin") {
    out.add("cluster-admin-binding", "error", MESSAGES.clusterAdmin(kind), ["roleRef", "name"]);
  }
}

export function checkSecurity(object: Record<string, unknown>, apiVersion: string, kind: string, lineAt: Lines): K8sFinding[] {
  const findings: K8sFinding[] = [];
  const out = sink(findings, lineAt);
  const pod = podSpecOf(object, apiVersion, kind);
  if (pod) checkPodSpec(pod, out);
  if (apiVersion.startsWith("rbac.authorization.k8s.io/")) checkRbac(object, kind, out);
  if (kind === "Service" && apiVersion === "v1" && isRecord(object.spec) && object.spec.type === "LoadBalancer") {
    const ranges = object.spec.loadBalancerSourceRanges;
    if (!Array.isArray(ranges) || ranges.length === 0) out.add("load-balancer-open", "warning", MESSAGES.loadBalancerOpen(), ["spec", "type"]);
  }
  if (kind === "ServiceAccount" && apiVersion === "v1" && object.automountServiceAccountToken === true) {
    out.add("automount-service-account-token", "warning", MESSAGES.automount("the service account"), ["automountServiceAccountToken"]);
  }
  return findings;
}
