// bouncer k8s through the in-process CLI runner: exit codes, JSON contract, text report, usage errors.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { before, test } from "node:test";
import type { K8sReport } from "../../src/k8s/types.ts";
import { cli } from "../doors/cli/run.ts";
import { deployment, SAFE_CONTAINER } from "./helpers.ts";

let dir: string;
const env = {};

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), "k8s-cli-"));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  write("clean/app.yaml", deployment(`containers:\n${SAFE_CONTAINER}`));
  write("bad/a.yml", deployment(`containers:\n${SAFE_CONTAINER}`).replace("spec:\n  selector", "spec:\n  replica: 2\n  selector"));
  write("bad/nested/b.yaml", "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: { name: i }\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n");
  write("bad/notes.txt", "apiVersion: v1\nkind: Nope\n");
  write("broken/x.yaml", "apiVersion: v1\nkind: Pod\nmetadata: [\n");
});

test("a clean folder exits 0 and says which version was assumed", async () => {
  const run = await cli(["k8s", "clean"], env, { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^Kubernetes 1\.36 \(newest supported; choose with --k8s-version\), field index 1\.36\n/);
  assert.match(run.stdout, /1 object: 0 blocked, 0 warned, 1 allowed\n$/);
});

test("JSON: the documented shape, walked folders, findings with paths and did-you-mean, exit 1", async () => {
  const run = await cli(["k8s", "bad", "--k8s-version", "1.34", "--json"], env, { cwd: dir });
  assert.equal(run.code, 1, run.stderr);
  const report = JSON.parse(run.stdout) as K8sReport;
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.k8sVersion, "1.34");
  assert.deepEqual(
    report.results.map((r) => [r.file, r.line, r.apiVersion, r.kind, r.name, r.verdict]),
    [
      [path.join("bad", "a.yml"), 2, "apps/v1", "Deployment", "web", "block"],
      [path.join("bad", "nested", "b.yaml"), 2, "extensions/v1beta1", "Ingress", "i", "block"],
    ],
  );
  assert.deepEqual(Object.keys(report.results[0]!), ["file", "line", "apiVersion", "kind", "name", "verdict", "findings"]);
  assert.deepEqual(report.results[0]!.findings, [
    {
      code: "unknown-field",
      severity: "error",
      message: 'field "replica" does not exist in V1DeploymentSpec',
      path: "spec.replica",
      line: 6,
      didYouMean: "replicas",
    },
  ]);
  assert.equal(report.results[1]!.findings[0]!.replacement, "networking.k8s.io/v1");
  assert.deepEqual(report.notEvaluated, [
    { file: path.join("bad", "nested", "b.yaml"), line: 6, reason: "example.com/v1 Widget is not a built-in Kubernetes API (custom resource?): its schema and API version are not checked" },
  ]);
  assert.deepEqual(report.summary, { allow: 0, warn: 0, block: 2 });
});

test("text: blocks first with the finding, its path and the suggestion", async () => {
  const run = await cli(["k8s", "bad/a.yml", "broken/x.yaml", "--k8s-version", "v1.35.2"], env, { cwd: dir });
  assert.equal(run.code, 1);
  assert.match(run.stdout, /^Kubernetes 1\.35, field index 1\.34\n/);
  assert.match(run.stdout, /✗ block {2}Deployment\/web \(apps\/v1\) {2}bad\/a\.yml:2\n {4}unknown-field +field "replica" does not exist in V1DeploymentSpec \[spec\.replica, line 6\]\n +did you mean "replicas"\?/);
  assert.match(run.stdout, /invalid-yaml/);
  assert.doesNotMatch(run.stdout, /\u001b\[/);
});

test("usage errors exit 2 with one line and a hint", async () => {
  const cases: Array<[string[], RegExp, RegExp]> = [
    [["k8s", "clean", "--k8s-version", "1.20"], /Kubernetes version "1\.20" is not covered/, /supported versions: 1\.30 to 1\.36/],
    [["k8s", "clean", "--k8s-version", "latest"], /not covered/, /supported versions/],
    [["k8s"], /no manifests to check/, /bouncer k8s manifests\//],
    [["k8s", "missing-dir"], /cannot read missing-dir/, /relative to/],
    [["k8s", "clean", "--format", "xml"], /unknown format "xml"/, /text, json or sarif/],
    [["k8s", "clean", "--nope"], /Unknown option/, /bouncer help/],
  ];
  for (const [argv, message, hint] of cases) {
    const run = await cli(argv, env, { cwd: dir });
    assert.equal(run.code, 2, argv.join(" "));
    const [first, second] = run.stderr.trimEnd().split("\n");
    assert.match(first!, message);
    assert.match(second!, hint);
    assert.equal(run.stdout, "");
  }
});

test("stdin with -, and --strict turns warnings into exit 1", async () => {
  const warn = deployment("containers:\n- name: app\n  image: nginx");
  assert.equal((await cli(["k8s", "-"], env, { cwd: dir, stdin: warn })).code, 0);
  const strict = await cli(["k8s", "-", "--strict", "--json"], env, { cwd: dir, stdin: warn });
  assert.equal(strict.code, 1);
  assert.equal((JSON.parse(strict.stdout) as K8sReport).results[0]!.file, "<stdin>");
});

test("bouncer help lists the k8s command", async () => {
  const run = await cli(["help"], env);
  assert.match(run.stdout, /bouncer k8s PATH\.\.\. \[--k8s-version X\.Y\]/);
});

