// The library API (package.json "exports"): open an engine, check packages, scan files or text, and
// the types they speak. Everything else under src/ is internal and may change.
export { BouncerError } from "./core/errors.ts";
export type { Finding, FindingCode, Severity, SourceLocation, Verdict } from "./core/findings.ts";
export type { EcosystemId, NotEvaluated, Notice, PackageFacts, PackageRequest, PackageResult, Report, Summary } from "./core/model.ts";
export { defaultPolicy, parsePolicy, type Policy, PolicyError } from "./core/policy.ts";
export { ECOSYSTEMS, getEcosystem } from "./ecosystems/index.ts";
export type { EcosystemModule } from "./ecosystems/types.ts";
export { type CheckOptions, checkPackages, type Engine } from "./engine/check.ts";
export { buildOfflineIndex, importMaliciousFeeds } from "./engine/data.ts";
export { makeRequest, parseRequestSpec, RequestError } from "./engine/requests.ts";
export { type ScanInput, scan, scanText } from "./engine/scan.ts";
export { DataFileError, type EngineOptions, type OpenEngine, openEngine } from "./engine/setup.ts";
