// Findings are typed data with stable codes; their wording comes from ./messages.ts alone.

export const FINDING_CODES = [
  "not-found",
  "invalid-name",
  "known-malicious",
  "security-holding",
  "typosquat",
  "suspicious-name",
  "import-name-mismatch",
  "new-package",
  "new-version",
  "low-popularity",
  "install-scripts",
  "deprecated",
  "no-repository",
  "unverifiable",
  "incomplete-facts",
  "denied-by-policy",
  "not-a-registry-package",
  "dependency-confusion",
  "quarantined",
  "archived",
  "lockfile-name-mismatch",
  "lockfile-untrusted-host",
  "lockfile-insecure-url",
  "lockfile-no-integrity",
  "ref-not-found",
  "short-sha",
  "no-action-metadata",
  "unknown-input",
  "missing-input",
  "deprecated-input",
  "mutable-ref",
  "retired-runner",
  "deprecated-runner",
  "command-disabled",
  "command-deprecated",
  "runtime-removed",
  "runtime-deprecated",
  "action-discontinued",
  "compromised-action",
  "invalid-workflow",
] as const;
export type FindingCode = (typeof FINDING_CODES)[number];

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Verdict = "allow" | "warn" | "block";

export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** The package this one is probably confused with (typosquat, import-name-mismatch). */
  target?: string;
  /** Facts behind the finding, for machines (ages, counts, record ids). */
  details?: Record<string, string | number | boolean | null | string[]>;
}

export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export function isFindingCode(value: string): value is FindingCode {
  return (FINDING_CODES as readonly string[]).includes(value);
}
