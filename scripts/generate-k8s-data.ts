// Writes data/k8s/{apis,flags,fields-<version>}.json, the compact data `bouncer k8s` ships, from
// ../shared/config-data (see its SOURCES.md for provenance). Rerun after refreshing that folder.
// Usage: node scripts/generate-k8s-data.ts [--from DIR] [--out DIR]
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const from = path.resolve(repoRoot, option("--from", "../shared/config-data"));
const outDir = path.resolve(repoRoot, option("--out", "data/k8s"));
const read = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(from, file), "utf8"));
const write = (file: string, value: unknown): void => writeFileSync(path.join(outDir, file), `${JSON.stringify(value)}\n`);
mkdirSync(outDir, { recursive: true });

interface Merged {
  apiVersion: string;
  kind: string;
  deprecatedIn: string | null;
  removedIn: string | null;
  replacementApi: string | null;
}

// CIS flag checks (kube-bench) that a manifest can fail on its own: a flag present with a value the
// benchmark forbids. Checks that fail on an absent flag ("must be set") need the whole command line
// and the defaults, so only the items below are kept. [id, text, component, binOp, items] per benchmark.
interface BenchItem {
  flag: string;
  op?: string;
  value?: unknown;
  set?: boolean;
  configPath?: string;
}
interface BenchCheck {
  id: string;
  text: string;
  component: string;
  binOp: string | null;
  items: BenchItem[];
}
const EVALUABLE = new Set(["eq", "noteq", "nothave", "gte"]);
const bench = read("kube-bench-flag-checks.json") as {
  versionMapping: Record<string, string>;
  benchmarks: Record<string, { k8sVersions: string[]; checks: BenchCheck[] }>;
};
// Only the benchmarks of the versions `bouncer k8s` supports (its field indexes start at 1.30).
const oldestIndex = Math.min(...readdirSync(from).flatMap((f) => /^k8s-fields-1\.(\d+)\.json$/.exec(f)?.[1] ?? []).map(Number));
const versionMapping = Object.fromEntries(Object.entries(bench.versionMapping).filter(([v]) => Number(v.split(".")[1]) >= oldestIndex));
const cisBenchmarks = Object.fromEntries(
  Object.entries(bench.benchmarks)
    .filter(([name]) => Object.values(versionMapping).includes(name))
    .map(([name, b]) => [
    name,
    b.checks
      .filter((c) => c.items.some((i) => (i.op && EVALUABLE.has(i.op)) || i.set === false))
      .map((c) => [
        c.id,
        c.text,
        c.component,
        c.binOp,
        c.items.map((i) => ({
          flag: i.flag,
          ...(i.op ? { op: i.op, value: i.value } : {}),
          ...(i.set !== undefined ? { set: i.set } : {}),
          ...(i.configPath ? { configPath: i.configPath } : {}),
        })),
      ]),
  ]),
);
write("cis.json", {
  source: "aquasecurity/kube-bench cfg/<benchmark> (Apache-2.0), via ../shared/config-data/kube-bench-flag-checks.json",
  versionMapping,
  benchmarks: cisBenchmarks,
});

// Deprecation versions the merged sources get wrong, from the prerelease-lifecycle tags of
// kubernetes/kubernetes staging/src/k8s.io/api/flowcontrol/*/types.go (introduced/deprecated/removed):
// v1beta1 1.20/1.23/1.26, v1beta2 1.23/1.26/1.29, v1beta3 1.26/1.29/1.32. pluto dates v1beta3's
// deprecation to 1.24, before it existed.
const DEPRECATED_IN: Record<string, string> = {
  "flowcontrol.apiserver.k8s.io/v1beta1": "1.23",
  "flowcontrol.apiserver.k8s.io/v1beta2": "1.26",
  "flowcontrol.apiserver.k8s.io/v1beta3": "1.29",
};
// Removed with no API taking over: what to use instead (Kubernetes deprecation guide).
const ADVICE: Record<string, string> = {
  PodSecurityPolicy: "Pod Security admission (pod-security.kubernetes.io/enforce labels on namespaces) or a policy engine",
};

// API deprecations: [apiVersion, kind, deprecatedIn, removedIn, replacement, advice?] rows.
const merged = read("k8s-api-deprecations.json").mergedK8s as Merged[];
write("apis.json", {
  source:
    "FairwindsOps/pluto versions.yaml (Apache-2.0) and doitintl/kube-no-trouble rego rules (MIT), merged in ../shared/config-data/k8s-api-deprecations.json (mergedK8s); flowcontrol deprecations corrected from kubernetes/kubernetes lifecycle tags",
  apis: merged.map((e) => {
    const row = [e.apiVersion, e.kind, DEPRECATED_IN[e.apiVersion] ?? e.deprecatedIn, e.removedIn, e.replacementApi];
    return ADVICE[e.kind] ? [...row, ADVICE[e.kind]] : row;
  }),
});

interface FlagEntry {
  component: string;
  flag: string;
  removedIn: string | null;
  deprecatedIn: string | null;
  replacement: string | null;
  evidencePR: string | null;
}
const flags = (read("k8s-removed-flags-curated.json").entries as FlagEntry[]).map((e) => [
  e.component,
  e.flag,
  e.deprecatedIn,
  e.removedIn,
  e.replacement,
  e.evidencePR,
]);
// Flag values a component rejects at start: removed admission plugins (--enable-admission-plugins)
// and removed feature gates (--feature-gates, KubeletConfiguration featureGates; "*" = every
// component). [component, flag, value, removedIn, replacement, evidence]. Hand-checked; not exhaustive.
const values = [
  ["kube-apiserver", "--enable-admission-plugins", "PodSecurityPolicy", "1.25", "PodSecurity (Pod Security admission)", "Kubernetes 1.25 release notes: PodSecurityPolicy removed"],
  ["kube-apiserver", "--enable-admission-plugins", "SecurityContextDeny", "1.30", "PodSecurity (Pod Security admission)", "kubernetes/kubernetes#122612"],
  ["*", "--feature-gates", "IPv6DualStack", "1.25", null, "kubernetes/website feature-gates-removed"],
  ["*", "--feature-gates", "TTLAfterFinished", "1.25", null, "kubernetes/website feature-gates-removed"],
  ["*", "--feature-gates", "DynamicKubeletConfig", "1.26", null, "kubernetes/website feature-gates-removed"],
  ["*", "--feature-gates", "EphemeralContainers", "1.27", null, "kubernetes/website feature-gates-removed"],
  ["*", "--feature-gates", "CSIMigration", "1.27", null, "kubernetes/website feature-gates-removed"],
  ["*", "--feature-gates", "PodSecurity", "1.28", null, "kubernetes/kubernetes#110459 (GA and locked in 1.25), kubernetes/website feature-gates-removed"],
  ["*", "--feature-gates", "UserNamespacesPodSecurityStandards", "1.35", null, "kubernetes/kubernetes#132157"],
];
write("flags.json", {
  source:
    "hand-curated from kubernetes-sigs/release-notes (Apache-2.0) and kubernetes/kubernetes PRs: ../shared/config-data/k8s-removed-flags-curated.json; values: scripts/generate-k8s-data.ts",
  flags,
  values,
});

// The client-node index types resource.Quantity as "string", yet the API server decodes a JSON number
// into a Quantity (`cpu: 1`), and rejects a number in any other string field. These fields are
// Quantities (k8s.io/api types.go), retyped "Quantity" so that only they accept numbers.
const QUANTITY_MAPS = new Set(["limits", "requests", "hard", "used", "capacity", "allocatable", "overhead", "allocatedResources", "consumedCapacity", "default", "defaultRequest", "max", "min", "maxLimitRequestRatio"]);
const QUANTITY_FIELDS: Array<[RegExp, RegExp]> = [
  [/./, /^(sizeLimit|divisor|maximumVolumeSize)$/],
  [/CSIStorageCapacity$/, /^capacity$/],
  [/^V2\w*Metric(Target|ValueStatus)$/, /^(averageValue|value)$/],
  [/(Counter|DeviceCapacity)$/, /^value$/],
  [/CapacityRequestPolicy(Range)?$/, /^(default|min|max|step)$/],
];

// Enumerated string values (the const blocks of k8s.io/api core/v1, apps/v1, batch/v1, networking/v1,
// autoscaling/v2 types.go), which the API server rejects otherwise ("Unsupported value"). Listed by
// hand: the client-node index carries no enums. "" is listed where the API documents it as valid.
const PROTOCOLS = ["TCP", "UDP", "SCTP"];
const ENUMS: Record<string, Record<string, string[]>> = {
  V1Container: { imagePullPolicy: ["Always", "IfNotPresent", "Never"], terminationMessagePolicy: ["File", "FallbackToLogsOnError"] },
  V1EphemeralContainer: { imagePullPolicy: ["Always", "IfNotPresent", "Never"], terminationMessagePolicy: ["File", "FallbackToLogsOnError"] },
  V1PodSpec: {
    restartPolicy: ["Always", "OnFailure", "Never"],
    dnsPolicy: ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
    preemptionPolicy: ["PreemptLowerPriority", "Never"],
  },
  V1ContainerPort: { protocol: PROTOCOLS },
  V1ServicePort: { protocol: PROTOCOLS },
  V1NetworkPolicyPort: { protocol: PROTOCOLS },
  V1ServiceSpec: {
    type: ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"],
    externalTrafficPolicy: ["Cluster", "Local"],
    internalTrafficPolicy: ["Cluster", "Local"],
    sessionAffinity: ["ClientIP", "None"],
    ipFamilyPolicy: ["SingleStack", "PreferDualStack", "RequireDualStack"],
    ipFamilies: ["IPv4", "IPv6"],
  },
  V1SeccompProfile: { type: ["RuntimeDefault", "Unconfined", "Localhost"] },
  V1AppArmorProfile: { type: ["RuntimeDefault", "Unconfined", "Localhost"] },
  V1SecurityContext: { procMount: ["Default", "Unmasked"] },
  V1DeploymentStrategy: { type: ["Recreate", "RollingUpdate"] },
  V1DaemonSetUpdateStrategy: { type: ["RollingUpdate", "OnDelete"] },
  V1StatefulSetUpdateStrategy: { type: ["RollingUpdate", "OnDelete"] },
  V1StatefulSetSpec: { podManagementPolicy: ["OrderedReady", "Parallel"] },
  V1CronJobSpec: { concurrencyPolicy: ["Allow", "Forbid", "Replace"] },
  V1Toleration: { operator: ["Exists", "Equal"], effect: ["", "NoSchedule", "PreferNoSchedule", "NoExecute"] },
  V1Taint: { effect: ["NoSchedule", "PreferNoSchedule", "NoExecute"] },
  V1NodeSelectorRequirement: { operator: ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"] },
  V1LabelSelectorRequirement: { operator: ["In", "NotIn", "Exists", "DoesNotExist"] },
  V1HTTPIngressPath: { pathType: ["Exact", "Prefix", "ImplementationSpecific"] },
  V1HostPathVolumeSource: { type: ["", "DirectoryOrCreate", "Directory", "FileOrCreate", "File", "Socket", "CharDevice", "BlockDevice"] },
  V1VolumeMount: { mountPropagation: ["None", "HostToContainer", "Bidirectional"] },
  V1PersistentVolumeSpec: {
    persistentVolumeReclaimPolicy: ["Retain", "Delete", "Recycle"],
    volumeMode: ["Filesystem", "Block"],
    accessModes: ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"],
  },
  V1PersistentVolumeClaimSpec: { volumeMode: ["Filesystem", "Block"], accessModes: ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"] },
  V1StorageClass: { reclaimPolicy: ["Retain", "Delete"], volumeBindingMode: ["Immediate", "WaitForFirstConsumer"] },
  V1NetworkPolicySpec: { policyTypes: ["Ingress", "Egress"] },
  V1HTTPGetAction: { scheme: ["HTTP", "HTTPS"] },
  V1TopologySpreadConstraint: { whenUnsatisfiable: ["DoNotSchedule", "ScheduleAnyway"], nodeAffinityPolicy: ["Honor", "Ignore"], nodeTaintsPolicy: ["Honor", "Ignore"] },
  V1PodOS: { name: ["linux", "windows"] },
  V2MetricTarget: { type: ["Utilization", "Value", "AverageValue"] },
  V2MetricSpec: { type: ["ContainerResource", "External", "Object", "Pods", "Resource"] },
  V2HPAScalingRules: { selectPolicy: ["Max", "Min", "Disabled"] },
};

interface SourceType {
  f?: Record<string, string>;
  r?: string[];
}

function retype(typeName: string, t: SourceType): SourceType & { e?: Record<string, string[]> } {
  const f: Record<string, string> = {};
  for (const [name, type] of Object.entries(t.f ?? {})) {
    if (type === "map[string]string" && QUANTITY_MAPS.has(name)) f[name] = "map[string]Quantity";
    else if (type === "string" && QUANTITY_FIELDS.some(([ty, fi]) => ty.test(typeName) && fi.test(name))) f[name] = "Quantity";
    else f[name] = type;
  }
  const enums = Object.entries(ENUMS[typeName] ?? {}).filter(([name]) => f[name] === "string" || f[name] === "[]string");
  return { ...(t.f ? { f } : {}), ...(t.r ? { r: t.r } : {}), ...(enums.length ? { e: Object.fromEntries(enums) } : {}) };
}

// Field indexes: kinds keep only their root type; types keep `f` (Quantities retyped), `r`, and `e` (enums).
for (const file of readdirSync(from).filter((f) => /^k8s-fields-\d+\.\d+\.json$/.test(f))) {
  const index = read(file) as { k8sVersion: string; derivedFrom: string; kinds: Record<string, { type: string }>; types: Record<string, SourceType> };
  write(`fields-${index.k8sVersion}.json`, {
    version: index.k8sVersion,
    source: `${index.derivedFrom} (Apache-2.0), generated from the Kubernetes OpenAPI spec; Quantity fields and enums from k8s.io/api types.go`,
    kinds: Object.fromEntries(Object.entries(index.kinds).map(([k, v]) => [k, v.type])),
    types: Object.fromEntries(Object.entries(index.types).map(([name, t]) => [name, retype(name, t)])),
  });
}
