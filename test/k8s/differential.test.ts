// Differential test of the type, enum and YAML merge-key rules against kubernetes-models (validators
// generated from the official OpenAPI schemas; a test oracle only, never shipped). Each manifest is
// made from one base with seeded variations; the oracle reads the YAML as kubectl does (merge keys
// merged) and Bouncer reads the text: both must agree on whether a value has the wrong type or is
// outside its enum, and a merge key must never look like a field of its own.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Pod } from "kubernetes-models/v1";
import { Deployment } from "kubernetes-models/apps/v1";
import { Service } from "kubernetes-models/v1";
import { parse } from "yaml";
import { seededRandom as random } from "../support/random.ts";
import { check, findings } from "./helpers.ts";

const SCHEMA_CODES = new Set(["invalid-type", "invalid-value"]);

/** Values for one slot: each is YAML text, valid or not by the API's schema. */
const ENV_VALUE = ['"8080"', "8080", "true", "'x'", "1.5", "null"];
const LABEL_VALUE = ["web", '"1.2"', "1.2", "false", "v1"];
const PULL_POLICY = ["Always", "always", "IfNotPresent", "Never", "never", "Sometimes"];
const RESTART = ["Always", "OnFailure", "Never", "always", "Sometimes"];
const PROTOCOL = ["TCP", "UDP", "SCTP", "tcp", "HTTP"];
const CPU = ["500m", "1", "0.5", '"2"'];
const SERVICE_TYPE = ["ClusterIP", "NodePort", "LoadBalancer", "clusterIP", "Ingress"];
const ARG = ['"--port"', "8080", "true", '"x"'];

const pick = <T>(rand: () => number, values: readonly T[]): T => values[Math.floor(rand() * values.length)]!;

function podManifest(rand: () => number, mergeKeys: boolean): string {
  const defaults = `  defaults: &defaults
    imagePullPolicy: ${pick(rand, PULL_POLICY)}
    env:
    - { name: PORT, value: ${pick(rand, ENV_VALUE)} }`;
  const container = mergeKeys
    ? `  - <<: *defaults
    name: app
    image: nginx:1.27`
    : `  - name: app
    image: nginx:1.27
    imagePullPolicy: ${pick(rand, PULL_POLICY)}
    env:
    - { name: PORT, value: ${pick(rand, ENV_VALUE)} }`;
  return `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: { app: ${pick(rand, LABEL_VALUE)} }
${mergeKeys ? `x-templates:\n${defaults}\n` : ""}spec:
  restartPolicy: ${pick(rand, RESTART)}
  containers:
${container}
    args: [${pick(rand, ARG)}]
    ports: [{ containerPort: 80, protocol: ${pick(rand, PROTOCOL)} }]
    resources:
      limits: { cpu: ${pick(rand, CPU)} }
`;
}

function deploymentManifest(rand: () => number): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: &labels { app: web, tier: ${pick(rand, LABEL_VALUE)} }
  template:
    metadata:
      labels:
        <<: *labels
        track: ${pick(rand, LABEL_VALUE)}
    spec:
      containers:
      - name: app
        image: nginx:1.27
        imagePullPolicy: ${pick(rand, PULL_POLICY)}
`;
}

function serviceManifest(rand: () => number): string {
  return `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: ${pick(rand, SERVICE_TYPE)}
  selector: { app: web }
  ports:
  - port: 80
    protocol: ${pick(rand, PROTOCOL)}
`;
}

/** The oracle's verdict: does the object validate against the official schema? */
function oracleValid(text: string): boolean {
  const doc = parse(text, { merge: true }) as Record<string, unknown>;
  delete doc["x-templates"]; // an anchor holder; not part of the object the API sees
  const model = doc.kind === "Pod" ? new Pod(doc as never) : doc.kind === "Deployment" ? new Deployment(doc as never) : new Service(doc as never);
  try {
    model.validate();
    return true;
  } catch {
    return false;
  }
}

function bouncerValid(text: string): boolean {
  // The anchor holder is an unknown top-level field to Bouncer too; only schema findings count here.
  const report = check(text);
  return !findings(report).some((f) => SCHEMA_CODES.has(f.code));
}

test("type and enum verdicts agree with kubernetes-models on 600 seeded manifests, merge keys included", () => {
  const rand = random(20261207);
  const disagreements: string[] = [];
  let invalid = 0;
  for (let i = 0; i < 600; i++) {
    const kind = i % 4;
    const text = kind === 0 ? podManifest(rand, false) : kind === 1 ? podManifest(rand, true) : kind === 2 ? deploymentManifest(rand) : serviceManifest(rand);
    const expected = oracleValid(text);
    if (!expected) invalid++;
    if (bouncerValid(text) !== expected) disagreements.push(`${expected ? "oracle valid" : "oracle invalid"}:\n${text}`);
  }
  assert.deepEqual(disagreements.slice(0, 3), []);
  // Both outcomes are well represented, so agreement is not trivial.
  assert.ok(invalid > 150 && invalid < 550, `${invalid} invalid`);
});

test("a merge key is merged, never reported as a field", () => {
  const rand = random(7);
  for (let i = 0; i < 20; i++) {
    const report = check(deploymentManifest(rand));
    assert.ok(!findings(report).some((f) => f.code === "unknown-field" && /<</.test(f.path ?? "")), JSON.stringify(findings(report)));
  }
});
