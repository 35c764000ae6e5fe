// Flag values, not only flag names: removed admission plugins and feature gates, and values a CIS
// benchmark (kube-bench) forbids, on static pods' command lines, kubeadm extraArgs (v1beta3 map,
// v1beta4 list) and KubeletConfiguration.
// One fixture per scenario in test/k8s/fixtures/flags.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { check, findings } from "./helpers.ts";

const DIR = path.join(import.meta.dirname, "fixtures", "flags");

/** fixture -> [code, path, removed name] of each flag finding. */
const EXPECTED: Record<string, Array<[string, string, string]>> = {
  "admission-psp.fail.yaml": [["removed-flag-value", "spec.containers[0].command[1]", "PodSecurityPolicy"]],
  "feature-gate-apiserver.fail.yaml": [["removed-flag-value", "spec.containers[0].command[1]", "EphemeralContainers"]],
  "feature-gate-kubelet-config.fail.yaml": [["removed-flag-value", "featureGates.PodSecurity", "PodSecurity"]],
  "kubeadm-v1beta3-extraargs.fail.yaml": [["removed-flag-value", "apiServer.extraArgs.enable-admission-plugins", "PodSecurityPolicy"]],
  "kubeadm-v1beta4-extraargs.fail.yaml": [["removed-flag-value", "controllerManager.extraArgs[0].name", "DynamicKubeletConfig"]],
  "admission-current.pass.yaml": [],
  "cis-apiserver-values.fail.yaml": [],
  "cis-kubelet-config.fail.yaml": [],
  "cis-kubeadm-etcd.fail.yaml": [],
};

/** fixture -> [path, CIS id] of each cis-flag warning (a value the benchmark forbids). */
const CIS: Record<string, Array<[string, string]>> = {
  "cis-apiserver-values.fail.yaml": [
    ["spec.containers[0].command[1]", "1.2.1"],
    ["spec.containers[0].command[2]", "1.2.6"],
    ["spec.containers[0].command[3]", "1.2.17"],
  ],
  "cis-kubelet-config.fail.yaml": [
    ["authentication.anonymous.enabled", "4.2.1"],
    ["readOnlyPort", "4.2.4"],
  ],
  "cis-kubeadm-etcd.fail.yaml": [["etcd.local.extraArgs.auto-tls", "2.3"]],
};

test("every flag fixture has its expectation", () => {
  assert.deepEqual(readdirSync(DIR).sort(), Object.keys(EXPECTED).sort());
});

for (const [file, expected] of Object.entries(EXPECTED)) {
  test(`${file}: ${expected.length ? expected.map((e) => e[2]).join(", ") : "nothing removed"}${CIS[file] ? `, CIS ${CIS[file].map((c) => c[1]).join(", ")}` : ""}`, () => {
    const report = check(readFileSync(path.join(DIR, file), "utf8"), "1.34", file);
    const got = findings(report).filter((f) => f.code.includes("flag"));
    assert.deepEqual(
      got.map((f) => [f.code, f.path, expected.find((e) => f.message.includes(` ${e[2]},`))?.[2]]),
      expected,
    );
    for (const f of got) {
      assert.equal(f.severity, "error");
      assert.ok(f.line, "line");
    }
    if (expected.length) assert.equal(report.summary.block, 1);
    const cis = findings(report).filter((f) => f.details?.rule === "cis-flag");
    assert.deepEqual(
      cis.map((f) => [f.path, /fails CIS ([\d.]+):/.exec(f.message)?.[1]]),
      CIS[file] ?? [],
    );
    for (const f of cis) assert.equal(f.severity, "warning");
  });
}

test("the PodSecurityPolicy plugin names its replacement; kubeadm extraArgs flags are checked by name too", () => {
  const psp = findings(check(readFileSync(path.join(DIR, "admission-psp.fail.yaml"), "utf8"))).find((f) => f.code === "removed-flag-value")!;
  assert.equal(psp.message, "kube-apiserver --enable-admission-plugins names PodSecurityPolicy, removed in Kubernetes 1.25 (the component will not start); use PodSecurity (Pod Security admission)");
  const named = check("apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n    insecure-port: '0'\n");
  assert.deepEqual(
    findings(named).map((f) => f.code),
    ["removed-flag"],
  );
});
