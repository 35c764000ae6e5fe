// Every npm manifest and lockfile extractor, for `bouncer scan`.
import type { Extractor } from "../../../core/dependency.ts";
import { bunLockExtractor } from "./bun-lock.ts";
import { packageJsonExtractor } from "./package-json.ts";
import { packageLockExtractor } from "./package-lock.ts";
import { pnpmLockExtractor } from "./pnpm-lock.ts";
import { yarnLockExtractor } from "./yarn-lock.ts";

export const npmExtractors: Extractor[] = [
  packageJsonExtractor,
  packageLockExtractor,
  yarnLockExtractor,
  pnpmLockExtractor,
  bunLockExtractor,
];

export { bunLockExtractor, packageJsonExtractor, packageLockExtractor, pnpmLockExtractor, yarnLockExtractor };
export { localPackageName, readPackageJsonInfo } from "./package-json.ts";
export { isTsconfig, tsconfigAliases } from "./tsconfig.ts";
