// semver, loaded on first use: most checks name no version and never need its ~50 files.
import { createRequire } from "node:module";
import type * as Semver from "semver";

let loaded: typeof Semver | undefined;
export const semver = (): typeof Semver => (loaded ??= createRequire(import.meta.url)("semver") as typeof Semver);
export type { SemVer } from "semver";

// "1.2.3" and nothing else (digits within a safe integer): what semver.valid gives back unchanged, loose or not.
const PLAIN = /^(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})\.(?:0|[1-9]\d{0,14})$/;

/** Whether `text` is a plain major.minor.patch version: lockfiles hold little else, and need no semver for it. */
export function isPlainVersion(text: string): boolean {
  return PLAIN.test(text);
}
