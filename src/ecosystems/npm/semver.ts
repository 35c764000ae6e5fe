// semver, loaded on first use: most checks name no version and never need its ~50 files.
import { createRequire } from "node:module";
import type * as Semver from "semver";

let loaded: typeof Semver | undefined;
export const semver = (): typeof Semver => (loaded ??= createRequire(import.meta.url)("semver") as typeof Semver);
export type { SemVer } from "semver";
