import { readFileSync, existsSync } from "node:fs";
import { FORMATS, inputs, rel } from "./test/ecosystems/npm/manifests/fixtures.ts";
import { packageJsonExtractor } from "./src/ecosystems/npm/manifests/package-json.ts";
import { packageLockExtractor } from "./src/ecosystems/npm/manifests/package-lock.ts";
import { yarnLockExtractor } from "./src/ecosystems/npm/manifests/yarn-lock.ts";
import { pnpmLockExtractor } from "./src/ecosystems/npm/manifests/pnpm-lock.ts";
import { bunLockExtractor } from "./src/ecosystems/npm/manifests/bun-lock.ts";
const ex: any = { "npm-package-json": packageJsonExtractor, "npm-package-lock": packageLockExtractor, "yarn-lock-v1": yarnLockExtractor, "yarn-lock-berry": yarnLockExtractor, "pnpm-lock": pnpmLockExtractor, "bun-lock": bunLockExtractor };
for (const f of FORMATS) for (const file of inputs(f)) {
  if (existsSync(file + ".expected.json")) continue;
  const e = file.endsWith("package.json") ? packageJsonExtractor : file.endsWith(".yaml") && f !== "pnpm-lock" ? null : ex[f];
  if (!e) { console.log("skip", rel(file)); continue; }
  const r = e.extract(readFileSync(file, "utf8"), file, {});
  console.log(rel(file), r.dependencies.length, r.problems.map((p: any) => p.reason).slice(0, 2));
}
