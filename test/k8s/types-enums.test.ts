// Types and enums from the schema: a number or boolean where the API wants a string is rejected by
// the API server (it decodes numbers only into Quantities and IntOrStrings); so is an enum value
// outside its set. Quantities keep accepting numbers.
import assert from "node:assert/strict";
import { test } from "node:test";
import { check, deployment, findings, SAFE_CONTAINER } from "./helpers.ts";

const schemaFindings = (text: string) => findings(check(text)).filter((f) => f.code === "invalid-type" || f.code === "invalid-value");

test("a number or a boolean in a string field: env value, label value, args item", () => {
  const text = deployment(`containers:\n${SAFE_CONTAINER}\n  args: ["--port", 8080]\n  env:\n  - { name: PORT, value: 8080 }\n  - { name: DEBUG, value: true }\n  - { name: MODE, value: "1" }`).replace(
    "labels: { app: web }",
    "labels: { app: web, version: 1.2 }",
  );
  assert.deepEqual(
    schemaFindings(text).map((f) => [f.path, f.message]),
    [
      ["spec.template.metadata.labels.version", "expected a string, found number 1.2"],
      ["spec.template.spec.containers[0].args[1]", "expected a string, found number 8080"],
      ["spec.template.spec.containers[0].env[0].value", "expected a string, found number 8080"],
      ["spec.template.spec.containers[0].env[1].value", "expected a string, found boolean true"],
    ],
  );
});

test("Quantities accept numbers; a mapping is still the wrong type", () => {
  const ok = deployment(`containers:\n${SAFE_CONTAINER.replace("limits: { cpu: 500m, memory: 128Mi }", "limits: { cpu: 1, memory: 134217728 }\n    requests: { cpu: 0.5 }")}\nvolumes:\n- name: tmp\n  emptyDir: { sizeLimit: 1073741824 }`);
  assert.deepEqual(schemaFindings(ok), []);
  const bad = deployment(`containers:\n${SAFE_CONTAINER.replace("limits: { cpu: 500m, memory: 128Mi }", "limits: { cpu: { max: 1 }, memory: 128Mi }")}`);
  assert.deepEqual(
    schemaFindings(bad).map((f) => f.path),
    ["spec.template.spec.containers[0].resources.limits.cpu"],
  );
});

test("enum values: imagePullPolicy: always is rejected with the right spelling", () => {
  const text = deployment(`containers:\n${SAFE_CONTAINER}\n  imagePullPolicy: always\n  ports: [{ containerPort: 80, protocol: tcp }]\nrestartPolicy: Always\ndnsPolicy: ClusterFirst`);
  const fs = schemaFindings(text);
  assert.deepEqual(
    fs.map((f) => [f.code, f.path, f.didYouMean]),
    [
      ["invalid-value", "spec.template.spec.containers[0].imagePullPolicy", "Always"],
      ["invalid-value", "spec.template.spec.containers[0].ports[0].protocol", "TCP"],
    ],
  );
  assert.equal(fs[0]!.severity, "error");
  assert.equal(fs[0]!.message, 'unsupported value "always": supported values are "Always", "IfNotPresent", "Never"');
});

test("enum lists are checked item by item (accessModes), and a Service type too", () => {
  const text = `apiVersion: v1
kind: PersistentVolumeClaim
metadata: { name: data }
spec:
  accessModes: [ReadWriteOnce, ReadWriteAll]
  resources: { requests: { storage: 1Gi } }
---
apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  type: Loadbalancer
  ports: [{ port: 80 }]
`;
  assert.deepEqual(
    schemaFindings(text).map((f) => [f.path, f.didYouMean]),
    [
      ["spec.accessModes[1]", undefined],
      ["spec.type", "LoadBalancer"],
    ],
  );
});
