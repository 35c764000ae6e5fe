import { readFileSync } from "node:fs";
import { parseYamlDocuments } from "./src/ecosystems/npm/manifests/yaml-lite.ts";
const t = readFileSync("/work/shared/fixtures/pnpm-lock/snyk/pnpm-lock-v9/deeply-scoped/pnpm-lock.yaml", "utf8").slice(0, 16384).replace(/\n[^\n]*$/, "\n");
for (let i = 0; i < 8; i++) { const s = performance.now(); parseYamlDocuments(t, { engine: "full" }); const m = performance.now(); parseYamlDocuments(t, { engine: "fast" }); console.log((m - s).toFixed(1), (performance.now() - m).toFixed(2)); }
