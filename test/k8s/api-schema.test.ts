// API versions (removed, deprecated, misplaced, custom) and the field-index walk.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkManifests } from "../../src/k8s/check.ts";
import { formatPath, suggestField } from "../../src/k8s/schema.ts";
import { check, codes, data, deployment, findings, SAFE_CONTAINER } from "./helpers.ts";

const SAFE = deployment(`containers:\n${SAFE_CONTAINER}`);

test("a safe apps/v1 Deployment is allowed with no findings", () => {
  const report = check(SAFE);
  assert.deepEqual(findings(report), []);
  assert.equal(report.results[0]!.verdict, "allow");
  assert.deepEqual(report.summary, { allow: 1, warn: 0, block: 0 });
});

test("a removed apiVersion is blocked and names the replacement", () => {
  const report = check(SAFE.replace("apps/v1", "extensions/v1beta1"));
  const f = findings(report).find((x) => x.code === "api-removed")!;
  assert.equal(f.severity, "error");
  assert.equal(f.replacement, "apps/v1");
  assert.match(f.message, /removed in Kubernetes 1\.16; use apps\/v1/);
  assert.equal(f.line, 1);
  assert.equal(report.results[0]!.verdict, "block");
});

test("removal depends on the target version: flowcontrol v1beta3 is deprecated in 1.30, removed in 1.32", () => {
  const fs = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata: { name: x }\nspec:\n  priorityLevelConfiguration: { name: y }\n";
  assert.deepEqual(codes(check(fs, "1.30")), ["api-deprecated"]);
  assert.equal(check(fs, "1.30").results[0]!.verdict, "warn");
  assert.deepEqual(codes(check(fs, "1.34")), ["api-removed"]);
});

test("a deprecated apiVersion that still exists warns and is still field-checked", () => {
  const vac = "apiVersion: storage.k8s.io/v1beta1\nkind: VolumeAttributesClass\nmetadata: { name: x }\ndriverName: d\nbogus: 1\n";
  const report = check(vac, "1.34");
  const c = codes(report);
  assert.ok(c.includes("api-deprecated"), c.join());
  assert.equal(findings(report).find((f) => f.code === "api-deprecated")!.replacement, "storage.k8s.io/v1");
});

test("a kind under the wrong group is an error naming the right one (v1 Deployment -> apps/v1)", () => {
  const report = check(SAFE.replace("apps/v1", "v1"));
  const f = findings(report).find((x) => x.code === "unknown-kind")!;
  assert.equal(f.severity, "error");
  assert.equal(f.message, "Deployment is apps/v1 (Kubernetes 1.34)");
  assert.equal(f.replacement, "apps/v1");
});

test("a kind that exists nowhere gets a did-you-mean among kinds", () => {
  const f = findings(check("apiVersion: apps/v1\nkind: Deploymnet\nmetadata: { name: x }\n")).find((x) => x.code === "unknown-kind")!;
  assert.equal(f.didYouMean, "Deployment");
});

test("custom resources are not evaluated, never reported clean", () => {
  const report = check("apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: { name: x }\nspec: { secretName: y }\n");
  assert.equal(report.results.length, 0);
  assert.equal(report.notEvaluated.length, 1);
  assert.match(report.notEvaluated[0]!.reason, /not a built-in Kubernetes API/);
  assert.equal(report.notEvaluated[0]!.line, 2);
});

test("an invented field spec.replica in apps/v1 Deployment is blocked with did-you-mean replicas", () => {
  const report = check(SAFE.replace("spec:\n  selector", "spec:\n  replica: 3\n  selector"), "1.34");
  const f = findings(report).find((x) => x.code === "unknown-field")!;
  assert.equal(f.path, "spec.replica");
  assert.equal(f.didYouMean, "replicas");
  assert.equal(f.line, 6);
  assert.equal(report.results[0]!.verdict, "block");
});

test("unknown fields deep in containers carry the JSON path and a suggestion", () => {
  const report = check(SAFE.replace("image: nginx:1.27", "image: nginx:1.27\n        imagePullPolcy: Always\n        Ports: []"));
  const unknown = findings(report).filter((x) => x.code === "unknown-field");
  assert.deepEqual(
    unknown.map((f) => [f.path, f.didYouMean]),
    [
      ["spec.template.spec.containers[0].imagePullPolcy", "imagePullPolicy"],
      ["spec.template.spec.containers[0].Ports", "ports"],
    ],
  );
});

test("maps, IntOrString, quantities and free-form objects accept their values", () => {
  const svc = `apiVersion: v1
kind: Service
metadata:
  name: s
  labels: { "app.kubernetes.io/name": s }
  annotations: { a: "b" }
spec:
  ports:
  - port: 80
    targetPort: http
  - port: 81
    targetPort: 8081
`;
  assert.deepEqual(findings(check(svc)), []);
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: foos.example.com }
spec:
  group: example.com
  names: { kind: Foo, plural: foos }
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
`;
  assert.deepEqual(codes(check(crd)), []);
});

test("values of the wrong shape are errors; missing required fields are warnings", () => {
  const rc = "apiVersion: v1\nkind: ReplicationController\nmetadata: { name: x }\nspec:\n  replicas: many\n  template:\n    spec:\n      containers: { name: a }\n";
  const report = check(rc);
  const types = findings(report).filter((f) => f.code === "invalid-type");
  assert.deepEqual(
    types.map((f) => f.path),
    ["spec.replicas", "spec.template.spec.containers"],
  );
  const missing = check("apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n  - image: x\n");
  const m = findings(missing).find((f) => f.code === "missing-required-field")!;
  assert.equal(m.severity, "warning");
  assert.equal(m.path, "spec.containers[0].name");
});

test("the field index is chosen at or below the target; kinds added later are checked with the next index", () => {
  assert.equal(check(SAFE, "1.35").fieldIndexVersion, "1.34");
  assert.equal(check(SAFE, "1.33").fieldIndexVersion, "1.30");
  assert.equal(check(SAFE, "1.36").fieldIndexVersion, "1.36");
});

test("invalid YAML is a finding with its line, never a crash; duplicate keys too", () => {
  const report = check("apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n---\nfoo: [\n");
  assert.equal(report.results.length, 2);
  assert.deepEqual(
    report.results.map((r) => [r.findings[0]!.code, r.line]),
    [
      ["invalid-yaml", 5],
      ["invalid-yaml", 8],
    ],
  );
});

test("documents that are not Kubernetes objects are not evaluated; half-objects are errors", () => {
  const report = check("name: my-chart\nversion: 1.0.0\n---\nkind: Pod\nmetadata: { name: x }\n---\n- a\n");
  assert.equal(report.notEvaluated.length, 1);
  assert.deepEqual(codes(report), ["missing-api-version", "not-an-object"]);
  const helm = check("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n  labels: {{ toYaml .Values.labels }}\n");
  assert.deepEqual(helm.results, []);
  assert.match(helm.notEvaluated[0]!.reason, /template syntax/);
});

test("did-you-mean prefers a case-insensitive match, then a small edit distance", () => {
  assert.equal(suggestField("ImagePullPolicy", ["image", "imagePullPolicy"]), "imagePullPolicy");
  assert.equal(suggestField("replica", ["replicas", "selector"]), "replicas");
  assert.equal(suggestField("zzzzzz", ["replicas", "selector"]), undefined);
  assert.equal(formatPath(["metadata", "labels", "app.kubernetes.io/name"]), 'metadata.labels["app.kubernetes.io/name"]');
});

test("a v1 List is checked item by item, with the items' own lines", () => {
  const list = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: { name: a }
  data: { k: v }
- apiVersion: v1
  kind: ConfigMap
  metadata: { name: b }
  datas: { k: v }
`;
  const report = check(list);
  assert.deepEqual(
    report.results.map((r) => [r.name, r.line, r.verdict]),
    [
      ["a", 5, "allow"],
      ["b", 9, "block"],
    ],
  );
  const f = findings(report)[0]!;
  assert.deepEqual([f.path, f.line, f.didYouMean], ["datas", 11, "data"]);
});

test("between two indexes, a kind the lower index lacks is checked with the next one and flagged unverified", () => {
  const cidr = "apiVersion: networking.k8s.io/v1\nkind: ServiceCIDR\nmetadata: { name: c }\nspec:\n  cidrs: [10.96.0.0/16]\n  cidr: x\n";
  const report = check(cidr, "1.33");
  assert.deepEqual(
    findings(report).map((f) => [f.code, f.severity, f.didYouMean]),
    [
      ["api-unverified", "warning", undefined],
      ["unknown-field", "error", "cidrs"],
    ],
  );
  assert.match(findings(report)[0]!.message, /not in the 1\.30 field index; fields checked against 1\.34/);
  assert.deepEqual(codes(check(cidr, "1.34")), ["unknown-field"]);
});

test("a file that could not be read is not evaluated, and the others are still checked", () => {
  const report = checkManifests(
    [
      { file: "gone.yaml", text: "", unreadable: "EACCES" },
      { file: "ok.yaml", text: SAFE },
    ],
    data,
    { version: "1.34" },
  );
  assert.deepEqual(report.notEvaluated, [{ file: "gone.yaml", reason: "cannot be read (EACCES)" }]);
  assert.deepEqual(report.results.map((r) => r.file), ["ok.yaml"]);
});
