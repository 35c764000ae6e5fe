// Custom resources are validated against the CRDs found among the scanned manifests (one fixture
// per scenario in test/k8s/fixtures/crd); without their CRD they stay "not evaluated".
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { checkManifests } from "../../src/k8s/check.ts";
import { data, findings } from "./helpers.ts";

const DIR = path.join(import.meta.dirname, "fixtures", "crd");
const read = (f: string) => ({ file: f, text: readFileSync(path.join(DIR, f), "utf8") });
const CRD = "certificates.cert-manager.io.crd.yaml";
const withCrd = (f: string) => checkManifests([read(f), read(CRD)], data, { version: "1.34" });
const summary = (f: string) =>
  findings(withCrd(f))
    .filter((x) => x.severity !== "info")
    .map((x) => [x.code, x.path, x.didYouMean]);

test("a valid Certificate is evaluated and allowed when its CRD is in the tree", () => {
  const report = withCrd("certificate.pass.yaml");
  assert.deepEqual(report.notEvaluated, []);
  assert.deepEqual(
    report.results.map((r) => [r.kind, r.verdict]),
    [
      ["Certificate", "allow"],
      ["CustomResourceDefinition", "allow"],
    ],
  );
});

test("an invented field in a Certificate is caught, with did-you-mean", () => {
  assert.deepEqual(summary("certificate.fail.invented-field.yaml"), [
    ["unknown-field", "spec.autoRenew", undefined],
    ["unknown-field", "spec.dnsName", "dnsNames"],
  ]);
  const f = findings(withCrd("certificate.fail.invented-field.yaml"))[0]!;
  assert.equal(f.message, 'field "autoRenew" does not exist in Certificate spec (schema of the CRD found in the scanned files)');
  assert.equal(f.line, 8);
});

test("CRD schema types, enums and required fields", () => {
  assert.deepEqual(summary("certificate.fail.types-enums.yaml"), [
    ["invalid-value", "spec.privateKey.algorithm", "ECDSA"],
    ["invalid-type", "spec.privateKey.size", undefined],
    ["missing-required-field", "spec.issuerRef", undefined],
  ]);
});

test("a version the CRD does not serve is an unknown kind", () => {
  const report = withCrd("certificate.fail.unserved-version.yaml");
  assert.deepEqual(summary("certificate.fail.unserved-version.yaml"), [["unknown-kind", "apiVersion", undefined]]);
  assert.match(findings(report)[0]!.message, /serves v1, not this version/);
  assert.equal(report.summary.block, 1);
});

test("without its CRD, a custom resource is still not evaluated", () => {
  const report = checkManifests([read("certificate.fail.invented-field.yaml")], data, { version: "1.34" });
  assert.deepEqual(report.results, []);
  assert.equal(report.notEvaluated.length, 1);
  assert.match(report.notEvaluated[0]!.reason, /not a built-in Kubernetes API/);
});
