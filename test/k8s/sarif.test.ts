// bouncer k8s --format sarif: valid against the OASIS SARIF 2.1.0 schema, one result per finding with
// its rule, level, line and path, unevaluated files as notifications, and the CLI's exit codes.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { K8S_RULE_TEXT, renderK8sSarif } from "../../src/k8s/sarif.ts";
import type { K8sReport } from "../../src/k8s/types.ts";
import { cli } from "../doors/cli/run.ts";
import { sarifValidator } from "../support/sarif-schema.ts";
import { check, deployment, SAFE_CONTAINER } from "./helpers.ts";

const validate = sarifValidator();
const isValid = (doc: unknown): boolean => validate(doc) === true;

/** The parts of a SARIF log these tests read. */
interface Place {
  physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } };
  logicalLocations?: unknown[];
}
interface Result {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: Place[];
  partialFingerprints: Record<string, string>;
  properties: Record<string, unknown>;
}
interface Run {
  tool: { driver: { name: string; rules: Array<{ id: string }> } };
  results: Result[];
  invocations?: Array<{ toolExecutionNotifications: Array<{ level: string; message: { text: string }; locations: Place[] }> }>;
  properties: unknown;
}
const sarif = (text: string) => JSON.parse(text) as { runs: [Run] };

const MANIFEST = [
  deployment(`containers:\n${SAFE_CONTAINER}\n    privileged: true`).replace("spec:\n  selector", "spec:\n  replica: 2\n  selector"),
  "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: { name: i }\n",
  "apiVersion: v1\nkind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n  - name: app\n    image: nginx\n",
  "apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n",
  "apiVersion: v1\nkind: Pod\nmetadata: [\n",
].join("---\n");

const report = check(MANIFEST, "1.34", "deploy\\app.yaml");
const log = sarif(renderK8sSarif(report));
const run = log.runs[0];
const results = run.results;

test("SARIF is valid against the OASIS 2.1.0 schema, and the check can fail", () => {
  assert.ok(isValid(log), JSON.stringify(validate.errors, null, 2));
  assert.ok(!isValid({ ...log, runs: [{ ...run, results: [{ ...results[0], level: "fatal" }] }] }), "the schema check can fail");
  assert.equal(run.tool.driver.name, "Bouncer");
  assert.deepEqual(
    run.tool.driver.rules.map((r: { id: string }) => r.id),
    Object.keys(K8S_RULE_TEXT),
  );
  assert.deepEqual(run.properties, { k8sVersion: "1.34", fieldIndexVersion: "1.34", defaultVersion: false });
});

test("one result per finding, with rule id, level, relative uri, line and JSON path", () => {
  const total = report.results.reduce((n, r) => n + r.findings.length, 0);
  assert.equal(results.length, total);
  const rows = results.map((r) => [r.ruleId, r.level, r.locations[0].physicalLocation.region?.startLine, r.properties.rule]);
  assert.deepEqual(rows, [
    ["unknown-field", "error", 6, undefined],
    ["insecure-setting", "error", 23, "privileged"],
    ["api-removed", "error", 25, undefined],
    ["insecure-setting", "warning", 34, "run-as-non-root-unset"],
    ["insecure-setting", "warning", 34, "writable-root-filesystem"],
    ["insecure-setting", "warning", 34, "missing-limits"],
    ["insecure-setting", "warning", 34, "capabilities-not-dropped"],
    ["insecure-setting", "warning", 35, "latest-tag"],
    ["invalid-yaml", "error", 44, undefined],
  ]);
  for (const r of results) {
    assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, "deploy/app.yaml");
  }
  const [typo, privileged, removed] = results as [Result, Result, Result];
  assert.equal(typo.message.text, 'Deployment/web (apps/v1): field "replica" does not exist in V1DeploymentSpec at spec.replica. Did you mean "replicas"?');
  assert.deepEqual(typo.locations[0].logicalLocations, [{ fullyQualifiedName: "spec.replica", kind: "member" }]);
  assert.equal(typo.properties.didYouMean, "replicas");
  assert.match(privileged.message.text, /^Deployment\/web \(apps\/v1\): \[privileged\] container "app" is privileged/);
  assert.match(removed.message.text, /removed in Kubernetes 1\.22; use networking\.k8s\.io\/v1 at apiVersion\.$/);
  assert.equal(removed.properties.replacement, "networking.k8s.io/v1");
  const prints = new Set(results.map((r) => r.partialFingerprints["bouncerK8s/v1"]));
  assert.equal(prints.size, results.length, "fingerprints tell findings apart");
});

test("fingerprints survive lines moving; unevaluated objects and files are notifications, not silence", () => {
  const moved = sarif(renderK8sSarif(check(`# a comment\n${MANIFEST}`, "1.34", "deploy\\app.yaml"))).runs[0].results;
  assert.equal(moved[0]?.locations[0]?.physicalLocation.region?.startLine, 7);
  // All but the last: the invalid-YAML finding has no path, so its message (which names the line) is the key.
  const prints = (rs: Result[]) => rs.slice(0, -1).map((r) => r.partialFingerprints);
  assert.deepEqual(prints(moved), prints(results));
  const notes = run.invocations?.[0]?.toolExecutionNotifications ?? [];
  assert.equal(notes.length, 1);
  assert.equal(notes[0]?.level, "warning");
  assert.match(notes[0].message.text, /^not evaluated: example\.com\/v1 Widget is not a built-in Kubernetes API/);
  assert.deepEqual(notes[0].locations[0].physicalLocation, { artifactLocation: { uri: "deploy/app.yaml" }, region: { startLine: 38 } });
});

test("info findings are notes; a replacement the message does not name is added; <stdin> is a valid uri", () => {
  const synthetic: K8sReport = {
    ...report,
    results: [
      {
        file: "<stdin>",
        line: 1,
        apiVersion: "v1",
        kind: "Pod",
        name: null,
        verdict: "allow",
        findings: [{ code: "unknown-kind", severity: "info", message: "Pod is elsewhere", path: "apiVersion", replacement: "v2" }],
      },
    ],
    notEvaluated: [{ file: "chart/templates/a b.yaml", reason: "template" }],
  };
  const doc = sarif(renderK8sSarif(synthetic));
  assert.ok(isValid(doc), JSON.stringify(validate.errors, null, 2));
  const [only] = doc.runs[0].results;
  assert.equal(only.level, "note");
  assert.equal(only.message.text, "Pod (v1): Pod is elsewhere at apiVersion. Use v2.");
  assert.equal(only.locations[0].physicalLocation.artifactLocation.uri, "%3Cstdin%3E");
  assert.deepEqual(doc.runs[0].invocations?.[0]?.toolExecutionNotifications[0]?.locations[0]?.physicalLocation, { artifactLocation: { uri: "chart/templates/a%20b.yaml" } });
  assert.equal(JSON.parse(renderK8sSarif({ ...report, notEvaluated: [] })).runs[0].invocations, undefined);
});

test("bouncer k8s --format sarif: exit 1 when something is blocked, 0 when clean, --strict still counts warnings", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "k8s-sarif-"));
  writeFileSync(path.join(dir, "bad.yaml"), MANIFEST);
  writeFileSync(path.join(dir, "ok.yaml"), deployment(`containers:\n${SAFE_CONTAINER}`));
  const bad = await cli(["k8s", "bad.yaml", "--k8s-version", "1.34", "--format", "sarif"], {}, { cwd: dir });
  assert.equal(bad.code, 1, bad.stderr);
  const doc = sarif(bad.stdout);
  assert.ok(isValid(doc), JSON.stringify(validate.errors, null, 2));
  assert.equal(doc.runs[0].results.length, results.length);
  assert.equal(doc.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, "bad.yaml");
  const ok = await cli(["k8s", "ok.yaml", "--format", "sarif"], {}, { cwd: dir });
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(JSON.parse(ok.stdout).runs[0].results, []);
  const warn = deployment("containers:\n- name: app\n  image: nginx");
  assert.equal((await cli(["k8s", "-", "--format", "sarif"], {}, { cwd: dir, stdin: warn })).code, 0);
  assert.equal((await cli(["k8s", "-", "--format", "sarif", "--strict"], {}, { cwd: dir, stdin: warn })).code, 1);
});
