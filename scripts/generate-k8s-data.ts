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
write("flags.json", {
  source: "hand-curated from kubernetes-sigs/release-notes (Apache-2.0) and kubernetes/kubernetes PRs: ../shared/config-data/k8s-removed-flags-curated.json",
  flags,
});

// Field indexes: kinds keep only their root type; types keep `f` and `r`.
for (const file of readdirSync(from).filter((f) => /^k8s-fields-\d+\.\d+\.json$/.test(f))) {
  const index = read(file) as { k8sVersion: string; derivedFrom: string; kinds: Record<string, { type: string }>; types: Record<string, unknown> };
  write(`fields-${index.k8sVersion}.json`, {
    version: index.k8sVersion,
    source: `${index.derivedFrom} (Apache-2.0), generated from the Kubernetes OpenAPI spec`,
    kinds: Object.fromEntries(Object.entries(index.kinds).map(([k, v]) => [k, v.type])),
    types: index.types,
  });
}
