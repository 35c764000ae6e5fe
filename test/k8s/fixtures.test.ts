// Upstream rule fixtures (../shared/config-data/fixtures.tsv): every row whose rule Bouncer
// implements gives the expected pass/fail and finding count; the rows it does not are listed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import type { K8sFinding } from "../../src/k8s/types.ts";
import { SHARED } from "../support/shared-data.ts";
import { check, findings } from "./helpers.ts";

const DIR = path.join(SHARED, "config-data");

const rule =
  (...names: string[]) =>
  (f: K8sFinding) =>
    names.includes(f.details?.rule ?? "");
const code =
  (...codes: string[]) =>
  (f: K8sFinding) =>
    codes.includes(f.code) && f.severity === "error";

/** Upstream rule -> the Bouncer findings that implement it. */
const RULES: Record<string, (f: K8sFinding) => boolean> = {
  "polaris:runAsPrivileged": rule("privileged"),
  "polaris:hostNetworkSet": rule("host-network"),
  "polaris:hostPathSet": rule("host-path", "writable-host-mount", "sensitive-host-mount", "docker-sock"),
  "polaris:privilegeEscalationAllowed": rule("privilege-escalation"),
  "polaris:dangerousCapabilities": rule("dangerous-capabilities"),
  "polaris:runAsRootAllowed": rule("run-as-root", "run-as-non-root-unset"),
  "polaris:notReadOnlyRootFilesystem": rule("writable-root-filesystem"),
  "polaris:automountServiceAccountToken": rule("automount-service-account-token"),
  "polaris:sensitiveContainerEnvVar": rule("secret-in-env"),
  "kube-linter:cluster-admin-role-binding": rule("cluster-admin-binding"),
  "kube-linter:deprecated-service-account-field": rule("deprecated-service-account-field"),
  "kube-linter:docker-sock": rule("docker-sock"),
  "kube-linter:host-ipc": rule("host-ipc"),
  "kube-linter:host-network": rule("host-network"),
  "kube-linter:host-pid": rule("host-pid"),
  "kube-linter:no-extensions-v1beta": code("api-removed"),
  "kube-linter:privilege-escalation-container": rule("privilege-escalation"),
  "kube-linter:privileged-container": rule("privileged"),
  "kube-linter:sensitive-host-mounts": rule("sensitive-host-mount"),
  "removed-api-version": code("api-removed"),
  "kubeconform -strict (unknown field)": code("unknown-field"),
  "kubeconform -strict (duplicate key)": code("invalid-yaml"),
  "kubeconform schema validation": code("invalid-yaml", "missing-api-version", "missing-kind", "unknown-kind", "unknown-field", "invalid-type"),
  "checkov:CKV_K8S_86 ApiServerInsecureBindAddress": code("removed-flag"),
};

/** Rows not implemented, with the reason (visible, not silently skipped). */
const NOT_IMPLEMENTED: Record<string, string> = {
  "fixtures/checkov/SecurityGroupUnrestrictedIngress22.main.tf": "Terraform (AWS security groups), not a Kubernetes manifest",
};

interface Row {
  file: string;
  rule: string;
  expected: string;
  count: number | undefined;
}

const [header, ...lines] = readFileSync(path.join(DIR, "fixtures.tsv"), "utf8").trimEnd().split("\n");
const columns = header!.split("\t");
const rows: Row[] = lines.map((line) => {
  const cells = line.split("\t");
  const get = (name: string) => cells[columns.indexOf(name)] ?? "";
  return { file: get("file"), rule: get("rule"), expected: get("expected"), count: get("expected_findings") ? Number(get("expected_findings")) : undefined };
});

test("fixtures.tsv was read and every row is either checked or listed as not implemented", () => {
  assert.equal(rows.length, 34);
  for (const row of rows) assert.ok(RULES[row.rule] || NOT_IMPLEMENTED[row.file], `no mapping for ${row.rule} (${row.file})`);
  assert.equal(rows.filter((r) => RULES[r.rule]).length, 33);
});

for (const row of rows) {
  const matcher = RULES[row.rule];
  if (!matcher) {
    // Outside Bouncer's rules, yet never passed as clean when handed to `bouncer k8s`.
    test(`${row.file}: not implemented (${NOT_IMPLEMENTED[row.file]}), and never reported clean`, () => {
      const report = check(readFileSync(path.join(DIR, row.file), "utf8"), "1.34", row.file);
      assert.equal(report.summary.allow, 0);
      assert.ok(report.summary.block > 0 || report.notEvaluated.length > 0);
    });
    continue;
  }
  test(`${row.file}: ${row.rule} ${row.expected}${row.count ? ` (${row.count})` : ""}`, () => {
    const report = check(readFileSync(path.join(DIR, row.file), "utf8"), "1.34", row.file);
    const hits = findings(report).filter(matcher);
    if (row.expected === "pass") assert.deepEqual(hits, []);
    else {
      assert.equal(row.expected, "fail");
      assert.ok(hits.length > 0, `expected ${row.rule} to fire`);
      if (row.count !== undefined) assert.equal(hits.length, row.count, JSON.stringify(hits, null, 1));
      assert.ok(report.summary.block + report.summary.warn > 0);
    }
  });
}

test("the polaris runAsRootAllowed fixture's v1 Deployment is an unknown kind naming apps/v1", () => {
  const report = check(readFileSync(path.join(DIR, "fixtures/polaris/runAsRootAllowed.failure.yaml"), "utf8"));
  const f = findings(report).find((x) => x.code === "unknown-kind")!;
  assert.equal(f.replacement, "apps/v1");
});

test("the kube-linter DeploymentConfig objects (OpenShift) are security-checked but their schema is not evaluated", () => {
  const report = check(readFileSync(path.join(DIR, "fixtures/kube-linter/privileged-container.yml"), "utf8"));
  assert.equal(report.notEvaluated.length, 2);
  assert.ok(report.notEvaluated.every((n) => n.reason.includes("apps.openshift.io/v1 DeploymentConfig")));
});
