// The library API (package.json "exports"): open an engine, check packages, scan files or text, and
// the types they speak. Everything else under src/ is internal and may change.
import { type Policy, parsePolicy as parsePolicyWith } from "./core/policy.ts";
import { REGISTRY_KEYS } from "./ecosystems/registries.ts";

export { BouncerError } from "./core/errors.ts";
export type { Finding, FindingCode, Severity, SourceLocation, Verdict } from "./core/findings.ts";
export type { EcosystemId, NotEvaluated, Notice, PackageFacts, PackageRequest, PackageResult, Report, Summary } from "./core/model.ts";
export { defaultPolicy, type Policy, PolicyError } from "./core/policy.ts";
export { ECOSYSTEMS, getEcosystem } from "./ecosystems/index.ts";

/** Parses a trusted policy document (its `registries` keys: the supported ecosystems' registries). */
export const parsePolicy = (doc: unknown): Policy => parsePolicyWith(doc, REGISTRY_KEYS);
export type { EcosystemModule } from "./ecosystems/types.ts";
export { type CheckOptions, checkPackages, type Engine } from "./engine/check.ts";
export { buildOfflineIndex, importMaliciousFeeds } from "./engine/data.ts";
export { makeRequest, parseRequestSpec, RequestError } from "./engine/requests.ts";
export { type ScanInput, scan, scanText } from "./engine/scan.ts";
export { DataFileError, type EngineOptions, type OpenEngine, openEngine } from "./engine/setup.ts";
