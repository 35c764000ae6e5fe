// What kubectl accepts is accepted: YAML merge keys, JSON manifests in folder walks; a Helm
// chart's Chart.yaml and values are skipped with a reason rather than blocked.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import type { K8sReport } from "../../src/k8s/types.ts";
import { cli } from "../doors/cli/run.ts";
import { check, deployment, findings, SAFE_CONTAINER } from "./helpers.ts";

let dir: string;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "k8s-inputs-"));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  write("chart/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\nappVersion: '1.27'\n");
  write("chart/values.yaml", "replicaCount: 2\nimage:\n  repository: nginx\n");
  write("chart/ci/small-values.yaml", "replicaCount: 1\n");
  write("chart/templates/deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n");
  write("chart/templates/plain.yaml", deployment(`containers:\n${SAFE_CONTAINER}`));
  const json = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web" },
    spec: { replica: 2, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [] } } },
  };
  write("json/app.json", JSON.stringify(json, null, 2));
});

test("YAML merge keys are merged, not read as a field named <<", () => {
  const text = deployment(`containers:\n${SAFE_CONTAINER.replace("- name: app", "- &base\n  name: app")}\n- <<: *base\n  name: sidecar`);
  const report = check(text);
  assert.deepEqual(findings(report), []);
  assert.equal(report.summary.allow, 1);
  // The merged container is checked like any other: its own override is seen.
  const risky = check(`${text}\n        securityContext: { privileged: true }`.replace("  name: sidecar\n        securityContext", "  name: sidecar\n  securityContext"));
  assert.ok(findings(risky).some((f) => f.details?.rule === "privileged" && f.message.includes('"sidecar"')), JSON.stringify(findings(risky)));
});

test("a Helm chart folder: Chart.yaml and values files are skipped with a reason, templates still read, exit 0", async () => {
  const run = await cli(["k8s", "chart", "--json"], {}, { cwd: dir });
  assert.equal(run.code, 0, run.stdout);
  const report = JSON.parse(run.stdout) as K8sReport;
  assert.deepEqual(
    report.results.map((r) => [r.file, r.verdict]),
    [[path.join("chart", "templates", "plain.yaml"), "allow"]],
  );
  const skipped = report.notEvaluated.filter((n) => n.reason.startsWith("Helm chart file")).map((n) => n.file);
  assert.deepEqual(skipped, [path.join("chart", "Chart.yaml"), path.join("chart", "ci", "small-values.yaml"), path.join("chart", "values.yaml")]);
  assert.ok(report.notEvaluated.some((n) => n.file === path.join("chart", "templates", "deployment.yaml") && n.reason.startsWith("template syntax")));
  // Named directly, Chart.yaml is skipped too.
  const direct = await cli(["k8s", "chart/Chart.yaml"], {}, { cwd: dir });
  assert.equal(direct.code, 0, direct.stdout);
  assert.match(direct.stdout, /Helm chart file outside templates\//);
});

test("JSON manifests are read in folder walks", async () => {
  const run = await cli(["k8s", "json", "--json"], {}, { cwd: dir });
  assert.equal(run.code, 1, run.stdout);
  const report = JSON.parse(run.stdout) as K8sReport;
  assert.equal(report.results.length, 1);
  assert.equal(report.results[0]!.file, path.join("json", "app.json"));
  const f = report.results[0]!.findings.find((x) => x.code === "unknown-field")!;
  assert.equal(f.didYouMean, "replicas");
  assert.equal(f.line, 8);
});

test("bouncer k8s --help says what is read and what is skipped", async () => {
  const run = await cli(["k8s", "--help"], {}, { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /\.yaml, \.yml, \.json/);
  assert.match(run.stdout, /Chart\.yaml and values are skipped/);
  assert.match(run.stdout, /CRDs found in the same PATHs/);
});
