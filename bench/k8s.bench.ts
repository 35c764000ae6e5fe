// bouncer k8s: 5,000 generated manifests (Deployments with pod specs, Services, ConfigMaps, and
// custom resources with their CRD), CPU time (user + system) of data loading, parsing and checking.
import { loadK8sData } from "../src/doors/cli/commands/k8s.ts";
import { checkManifests, type ManifestFile } from "../src/k8s/check.ts";
import type { BenchRow } from "./types.ts";

const MANIFESTS = 5000;
const TARGET_MS = 3000;

// A JSON manifest, as `kubectl apply` also reads.
const CRD = JSON.stringify({
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.example.com" },
  spec: {
    group: "example.com",
    names: { kind: "Widget", plural: "widgets" },
    scope: "Namespaced",
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: "object", properties: { spec: { type: "object", properties: { size: { type: "integer" }, color: { type: "string", enum: ["red", "blue"] } } } } } },
      },
    ],
  },
});

function manifest(i: number): string {
  switch (i % 4) {
    case 0:
      // Block style, as kubectl and helm template write it.
      return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-${i}
  labels:
    app: app-${i}
    tier: web
spec:
  replicas: ${1 + (i % 3)}
  selector:
    matchLabels:
      app: app-${i}
  template:
    metadata:
      labels:
        app: app-${i}
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: web
        image: registry.example.com/app-${i}:1.${i % 10}.0
        imagePullPolicy: IfNotPresent
        ports:
        - containerPort: 8080
          protocol: TCP
        env:
        - name: MODE
          value: "prod"
        - name: PORT
          value: "8080"
        resources:
          limits:
            cpu: 500m
            memory: 128Mi
          requests:
            cpu: 0.1
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop:
            - ALL
        volumeMounts:
        - name: cache
          mountPath: /cache
      volumes:
      - name: cache
        emptyDir: {}
`;
    case 1:
      return `apiVersion: v1
kind: Service
metadata: { name: app-${i} }
spec:
  type: ${i % 8 === 1 ? "LoadBalancer" : "ClusterIP"}
  selector: { app: app-${i} }
  ports: [{ port: 80, targetPort: 8080, protocol: TCP }]
`;
    case 2:
      return `apiVersion: v1
kind: ConfigMap
metadata: { name: cfg-${i} }
data: { LOG_LEVEL: info, FEATURE: "on" }
`;
    default:
      return `apiVersion: example.com/v1
kind: Widget
metadata: { name: w-${i} }
spec: { size: ${i}, color: ${i % 2 ? "red" : "blue"} }
`;
  }
}

export default async function bench(): Promise<BenchRow[]> {
  const files: ManifestFile[] = [{ file: "crd.json", text: CRD }];
  for (let i = 0; i < MANIFESTS; i++) files.push({ file: `m/${i}.yaml`, text: manifest(i) });
  const start = process.cpuUsage();
  const report = checkManifests(files, loadK8sData(), { version: "1.34" });
  const used = process.cpuUsage(start);
  if (report.results.length !== MANIFESTS + 1) throw new Error(`expected ${MANIFESTS + 1} results, got ${report.results.length}`);
  const ms = Math.round((used.user + used.system) / 1000);
  return [{ name: `k8s check, ${MANIFESTS.toLocaleString("en")} manifests (CPU)`, value: ms, unit: "ms", target: `< ${TARGET_MS} ms`, ok: ms < TARGET_MS }];
}
