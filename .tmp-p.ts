import { pnpmV9, pnpmV6, yarnBerry, yarnV1, packageJson } from "./bench/npm-lockfiles.bench.ts";
import { parseYamlDocuments } from "./src/ecosystems/npm/manifests/yaml-lite.ts";
import { parseYarnV1 } from "./src/ecosystems/npm/manifests/yarn-v1-syntax.ts";
import { pnpmLockExtractor } from "./src/ecosystems/npm/manifests/pnpm-lock.ts";
import { yarnLockExtractor } from "./src/ecosystems/npm/manifests/yarn-lock.ts";
const m = packageJson(); const ctx = { readFile: (p: string) => p === "package.json" ? m : undefined };
const med = (f: () => void) => { const t: number[] = []; for (let i = 0; i < 9; i++) { const s = performance.now(); f(); t.push(performance.now() - s); } return t.sort((a, b) => a - b)[4].toFixed(1); };
for (const [n, t, ex] of [["v9", pnpmV9(), pnpmLockExtractor], ["v6", pnpmV6(), pnpmLockExtractor], ["berry", yarnBerry(), yarnLockExtractor]] as const)
  console.log(n, "yaml", med(() => parseYamlDocuments(t)), "extract", med(() => ex.extract(t, "x", ctx)));
const y = yarnV1(); console.log("yarnv1 syntax", med(() => parseYarnV1(y)), "extract", med(() => yarnLockExtractor.extract(y, "x", ctx)));
