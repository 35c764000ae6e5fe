// The shapes `bouncer k8s` works with: the shipped data (data/k8s/*.json) and what a check reports.
import type { Verdict } from "../core/findings.ts";

/** data/k8s/apis.json: [apiVersion, kind, deprecatedIn, removedIn, replacement apiVersion, advice when no API replaces it]. */
export type ApiRow = [string, string, string | null, string | null, string | null, string?];

/** data/k8s/flags.json: [component, flag, deprecatedIn, removedIn, replacement, evidence]. */
export type FlagRow = [string, string, string | null, string | null, string | null, string | null];

/** data/k8s/flags.json values: [component or "*", flag, value, removedIn, replacement, evidence]. */
export type FlagValueRow = [string, string, string, string, string | null, string];

/** One item of a CIS check (kube-bench): the flag (or KubeletConfiguration path) and its test. */
export interface CisItem {
  flag: string;
  op?: string;
  value?: unknown;
  set?: boolean;
  configPath?: string;
}

/** data/k8s/cis.json rows: [id, text, component, binOp, items]. */
export type CisCheck = [string, string, string, string | null, CisItem[]];

export interface CisData {
  /** Kubernetes MAJOR.MINOR -> benchmark name. */
  versionMapping: Record<string, string>;
  benchmarks: Record<string, CisCheck[]>;
}

export interface FieldType {
  /** JSON field name -> type: a type name, "[]X", "map[string]X", or a scalar (string, Quantity, number...). */
  f?: Record<string, string>;
  /** Required fields. */
  r?: string[];
  /** Enumerated fields (string or []string) -> the values the API server accepts. */
  e?: Record<string, string[]>;
}

/** data/k8s/fields-<version>.json. */
export interface FieldIndex {
  version: string;
  source: string;
  /** "<apiVersion> <Kind>" -> root type. */
  kinds: Record<string, string>;
  types: Record<string, FieldType>;
}

export interface K8sData {
  apis: ApiRow[];
  flags: FlagRow[];
  flagValues: FlagValueRow[];
  /** CIS flag checks; absent in hand-built data. */
  cis?: CisData;
  /** Every field index shipped, any order. */
  indexes: FieldIndex[];
}

export type Severity = "error" | "warning" | "info";

export type FindingCode =
  | "invalid-yaml"
  | "not-an-object"
  | "missing-api-version"
  | "missing-kind"
  | "api-removed"
  | "api-deprecated"
  | "unknown-kind"
  | "api-unverified"
  | "unknown-field"
  | "invalid-type"
  | "invalid-value"
  | "missing-required-field"
  | "insecure-setting"
  | "removed-flag"
  | "deprecated-flag"
  | "removed-flag-value";

export interface K8sFinding {
  code: FindingCode;
  severity: Severity;
  message: string;
  /** JSON path in the object, e.g. spec.template.spec.containers[0].image. */
  path?: string;
  line?: number;
  replacement?: string;
  didYouMean?: string;
  /** insecure-setting: which rule fired (stable id, e.g. "privileged"). */
  details?: { rule: string };
}

export interface ObjectResult {
  file: string;
  line: number;
  apiVersion: string | null;
  kind: string | null;
  name: string | null;
  verdict: Verdict;
  findings: K8sFinding[];
}

export interface NotEvaluated {
  file: string;
  line?: number;
  reason: string;
}

export interface K8sReport {
  schemaVersion: 1;
  k8sVersion: string;
  /** The field index used for schema checks (the nearest at or below k8sVersion). */
  fieldIndexVersion: string;
  /** True when no --k8s-version was given and the newest supported version was assumed. */
  defaultVersion: boolean;
  results: ObjectResult[];
  notEvaluated: NotEvaluated[];
  summary: Record<Verdict, number>;
}

/** One YAML document of a file, parsed. */
export interface ParsedDocument {
  value: unknown;
  /** Line (1-based) where the document starts. */
  line: number;
  /** A syntax problem: the document is not evaluated further. */
  error?: { message: string; line: number };
  /** Line of the node at a path inside the document, when it can be found. */
  lineAt(path: ReadonlyArray<string | number>): number | undefined;
}
