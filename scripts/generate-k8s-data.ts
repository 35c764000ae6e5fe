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

// API deprecations: [apiVersion, kind, deprecatedIn, removedIn, replacement] rows.
const merged = read("k8s-api-deprecations.json").mergedK8s as Merged[];
write("apis.json", {
  source:
    "FairwindsOps/pluto versions.yaml (Apache-2.0) and doitintl/kube-no-trouble rego rules (MIT), merged in ../shared/config-data/k8s-api-deprecations.json (mergedK8s)",
  apis: merged.map((e) => [e.apiVersion, e.kind, e.deprecatedIn, e.removedIn, e.replacementApi]),
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
