// Insecure settings in pod specs of every workload kind, ServiceAccounts and RBAC; component flags.
import assert from "node:assert/strict";
import { test } from "node:test";
import { check, codes, deployment, findings, rules, SAFE_CONTAINER } from "./helpers.ts";


const SAFE_CONTEXT = "runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: [ALL] }";
const container = (context: string, extra = "") =>
  `- name: app\n  image: x:1\n  resources: { limits: { cpu: 1, memory: 1Gi } }\n  securityContext: { ${context} }\n${extra}`;

test("each container setting fires its own rule with its severity", () => {
  const cases: Array<[string, string, string, string]> = [
    [`${SAFE_CONTEXT}, privileged: true`, "", "privileged", "error"],
    [`${SAFE_CONTEXT}, allowPrivilegeEscalation: true`, "", "privilege-escalation", "error"],
    [`${SAFE_CONTEXT}, runAsUser: 0`, "", "run-as-root", "error"],
    ["runAsNonRoot: false, readOnlyRootFilesystem: true, capabilities: { drop: [all] }", "", "run-as-root", "warning"],
    ["runAsUser: 1000, readOnlyRootFilesystem: true, capabilities: { drop: [ALL] }", "", "none", "-"],
    ["runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: [ALL], add: [NET_ADMIN, CHOWN] }", "", "dangerous-capabilities", "error"],
    ["runAsNonRoot: true, readOnlyRootFilesystem: true, capabilities: { drop: [ALL], add: [CAP_SYS_ADMIN] }", "", "dangerous-capabilities", "error"],
    [SAFE_CONTEXT, "  ports: [{ containerPort: 80, hostPort: 80 }]", "host-port", "warning"],
    [SAFE_CONTEXT, "  env: [{ name: DB_PASSWORD, value: hunter2 }, { name: MODE, value: fast }]", "secret-in-env", "warning"],
  ];
  for (const [context, extra, rule, severity] of cases) {
    const report = check(deployment(`containers:\n${container(context, extra)}`));
    const all = findings(report);
    if (rule === "none") {
      assert.deepEqual(all, []);
      continue;
    }
    assert.equal(all.length, 1, `${rule}: ${JSON.stringify(all)}`);
    assert.equal(all[0]!.details?.rule, rule);
    assert.equal(all[0]!.severity, severity, rule);
    assert.equal(all[0]!.code, "insecure-setting");
  }
});

test("defaults that are unsafe: no runAsNonRoot, writable root filesystem, no limits", () => {
  const report = check(deployment("containers:\n- name: app\n  image: nginx"));
  assert.deepEqual(rules(report), ["run-as-non-root-unset", "writable-root-filesystem", "missing-limits", "capabilities-not-dropped", "latest-tag"]);
  assert.equal(report.results[0]!.verdict, "warn");
  assert.match(findings(report)[2]!.message, /no cpu or memory limit/);
  // A pod-level non-zero runAsUser satisfies run-as-non-root.
  const podLevel = check(deployment("securityContext: { runAsUser: 1000 }\ncontainers:\n- name: app\n  image: nginx"));
  assert.ok(!rules(podLevel).includes("run-as-non-root-unset"));
});

test("pod-level settings: host namespaces, hostPath (docker.sock, sensitive, other), token automount, serviceAccount", () => {
  const pod = `hostNetwork: true
hostPID: true
hostIPC: true
automountServiceAccountToken: true
serviceAccount: legacy
containers:
${SAFE_CONTAINER}
volumes:
- name: a
  hostPath: { path: /var/run/docker.sock }
- name: b
  hostPath: { path: /etc/ }
- name: c
  hostPath: { path: /data/cache }`;
  const report = check(deployment(pod));
  assert.deepEqual(rules(report), [
    "host-network",
    "host-pid",
    "host-ipc",
    "docker-sock",
    "sensitive-host-mount",
    "host-path",
    "automount-service-account-token",
    "deprecated-service-account-field",
  ]);
  const sock = findings(report).find((f) => f.details?.rule === "docker-sock")!;
  assert.equal(sock.path, "spec.template.spec.volumes[0].hostPath.path");
  assert.equal(sock.line, 29);
});

test("every workload kind is checked where it keeps its pod spec", () => {
  const podSpec = "containers:\n- name: app\n  image: x\n  securityContext: { privileged: true }";
  const indent = (s: string, n: number) => s.replace(/^/gm, " ".repeat(n));
  const manifests = [
    `apiVersion: v1\nkind: Pod\nmetadata: { name: a }\nspec:\n${indent(podSpec, 2)}`,
    ...["apps/v1 StatefulSet", "apps/v1 DaemonSet", "apps/v1 ReplicaSet", "batch/v1 Job", "v1 ReplicationController"].map((k) => {
      const [api, kind] = k.split(" ");
      return `apiVersion: ${api}\nkind: ${kind}\nmetadata: { name: a }\nspec:\n  template:\n    spec:\n${indent(podSpec, 6)}`;
    }),
    `apiVersion: batch/v1\nkind: CronJob\nmetadata: { name: a }\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n${indent(podSpec, 10)}`,
  ];
  const report = check(manifests.join("\n---\n"));
  assert.equal(report.results.length, 7);
  for (const r of report.results) assert.ok(r.findings.some((f) => f.details?.rule === "privileged"), `${r.kind}`);
});

test("RBAC: wildcard verbs or resources, bindings to cluster-admin; ServiceAccount automount", () => {
  const rbac = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: r }
rules:
- apiGroups: ["*"]
  resources: [pods]
  verbs: [get]
- apiGroups: [""]
  resources: ["*"]
  verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: { name: b, namespace: n }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin }
subjects: [{ kind: ServiceAccount, name: s, namespace: n }]
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: s }
automountServiceAccountToken: true
`;
  const report = check(rbac);
  assert.deepEqual(rules(report), ["rbac-wildcard", "cluster-admin-binding", "automount-service-account-token"]);
  assert.equal(findings(report)[0]!.path, "rules[1]");
  assert.deepEqual(
    report.results.map((r) => r.verdict),
    ["block", "block", "warn"],
  );
});

const staticPod = (command: string) => `apiVersion: v1
kind: Pod
metadata: { name: kube-apiserver, namespace: kube-system }
spec:
  hostNetwork: true
  containers:
  - name: kube-apiserver
    image: registry.k8s.io/kube-apiserver:v1.34.0
${command}
`;

test("removed component flags block, deprecated ones warn, with the replacement", () => {
  const report = check(
    staticPod("    command:\n    - kube-apiserver\n    - --insecure-port=0\n    - --experimental-encryption-provider-config=/etc/enc.yaml\n    - --master-count=3"),
  );
  const flagFindings = findings(report).filter((f) => f.code.endsWith("-flag"));
  assert.deepEqual(
    flagFindings.map((f) => [f.code, f.severity, f.path, f.replacement]),
    [
      ["removed-flag", "error", "spec.containers[0].command[1]", undefined],
      ["removed-flag", "error", "spec.containers[0].command[2]", "--encryption-provider-config"],
      ["deprecated-flag", "warning", "spec.containers[0].command[3]", "lease endpoint reconciler (--endpoint-reconciler-type=lease)"],
    ],
  );
  assert.equal(flagFindings[0]!.line, 11);
});

test("flags are found in args and shell lines, with a path to the binary; only for the component's flags", () => {
  const args = staticPod("    command: [/usr/local/bin/kubelet]\n    args: [--network-plugin=cni, --insecure-port=0]");
  assert.deepEqual(
    findings(check(args)).filter((f) => f.code === "removed-flag").map((f) => f.message.split(" ").slice(0, 3).join(" ")),
    ["kubelet flag --network-plugin"],
  );
  const shell = staticPod('    command: [sh, -c, "exec kube-proxy --cleanup-iptables"]');
  assert.ok(codes(check(shell)).includes("removed-flag"));
  const plain = staticPod("    command: [nginx, --port=80]");
  assert.ok(!codes(check(plain)).some((c) => c.endsWith("-flag")));
});
