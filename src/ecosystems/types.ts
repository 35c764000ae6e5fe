// What each ecosystem folder implements. The engine, scan and doors talk only to this.
import type { Purl } from "../core/purl.ts";
import type { Finding } from "../core/findings.ts";
import type { EcosystemId, MaliciousRecord, PackageFacts, PackageRequest } from "../core/model.ts";
import type { PolicyRules } from "../core/policy.ts";
import type { DataSource } from "../sources/types.ts";
import type { Fetcher } from "../sources/http.ts";
import type { Extractor } from "../core/dependency.ts";
import type { NameIntelOptions } from "../similarity/intel.ts";
import type { PopularList } from "../core/model.ts";
import type { Installers } from "./install-grammar.ts";
export type { RegistryConfigFiles } from "./registry-commands.ts";

export type NameCheck = { ok: true; name: string } | { ok: false; reason: string };

export interface RegistryConfig {
  /** Base URL of the registry (npm: documents at <base><name>; PyPI: <base>pypi/<name>/json). */
  baseUrl: string;
  /** npm only: downloads API base. */
  downloadsUrl?: string;
  /** Extra registries by scope (npm "@scope:registry"), with their auth headers. */
  scopes?: Record<string, { baseUrl: string; authorization?: string }>;
  authorization?: string;
  fetch: Fetcher;
}

export interface EcosystemModule {
  readonly id: EcosystemId;
  /** purl type, e.g. "npm", "pypi". */
  readonly purlType: string;
  /** Other purl types that name this ecosystem's packages ("githubactions"). */
  readonly purlAliases?: readonly string[];
  /** How people write the registry's name ("npm", "PyPI"). */
  readonly label: string;
  /** Validates a name and returns its canonical form. */
  checkName(raw: string): NameCheck;
  /** The canonical form without validation (index keys, feed keys, comparisons). */
  canonicalName(raw: string): string;
  /** How names of this registry are compared for typosquats. */
  readonly similarity: NameIntelOptions;
  /** Manifest and lockfile formats of this ecosystem. */
  readonly extractors: readonly Extractor[];
  /** The project's own package name declared by this file, if it is a manifest that declares one. */
  localPackageName?(file: string, text: string): string | null;
  /** Compiler configs (tsconfig.json...) that make some import specifiers local to the project. */
  readonly moduleAliases?: { matches(file: string): boolean; read(text: string): ModuleAliases | null };
  /** A module of the language's standard library (never a registry package). */
  isStandardModule?(module: string): boolean;
  /** The packages that provide an imported module, most likely first. */
  packagesForImport?(module: string): string[];
  /** For an install of `name` that is really an import name: the package that provides it. */
  importNameMismatch?(name: string): string | null;
  /** Splits a command-line spec ("name@1.2", "name==1.2") into name and version (or range). */
  splitSpec(spec: string): { name: string; version: string | null };
  toPurl(name: string, version: string | null): string;
  /** An exact version (not a range, tag or specifier): only those go into a purl. */
  isExactVersion(version: string): boolean;
  fromPurl(purl: Purl): { name: string; version: string | null };
  /** The version a request for `requested` (exact, range, tag or null) would install. */
  resolveVersion(requested: string | null, facts: PackageFacts): string | null;
  /** Whether a malicious record affects the version (null: version not known). */
  affects(record: MaliciousRecord, version: string | null): boolean;
  compareVersions(a: string, b: string): number;
  /** A version the registry publishes in place of a removed package (npm's 0.0.1-security). */
  isPlaceholderVersion?(version: string): boolean;
  createRegistrySource(config: RegistryConfig): DataSource;
  /** Facts shipped with Bouncer (local, asked offline too), after the registry in authority. */
  shippedSource?(): DataSource;
  /** The name sources are asked for, when facts differ by version (a GitHub ref); default: the name. */
  lookupKey?(name: string, version: string | null): string;
  /** Findings only this ecosystem can tell from its facts (GitHub: the ref, the action's inputs and runtime). */
  referenceFindings?(request: PackageRequest, facts: PackageFacts, context: ReferenceContext): Finding[];
  /**
   * A git URL or shorthand that another ecosystem's manifest depends on and this ecosystem can verify
   * (`github:owner/repo#ref`): the name and ref to ask about, or null.
   */
  claimReference?(spec: string): { name: string; version: string | null } | null;
  // Optional, so that an ecosystem written before them still loads:
  /** The public registry, when the configuration names none (engine options `registries[id]`). */
  readonly defaultRegistryUrl?: string;
  /** The ecosystem's name in OSV records ("npm", "PyPI"); its label when absent. */
  readonly osvName?: string;
  /** Its package installers (also listed in src/ecosystems/installers.ts, which the CLI reads at start-up). */
  readonly installers?: Installers;
  /** The popular list shipped with Bouncer, that name similarity is tuned on (else the offline index's). */
  shippedPopular?(): PopularList;
  /** Words of a package search that name this ecosystem, not the task ("node", "python"): they pick where to search. */
  readonly searchWords?: readonly string[];
  /** Why an operand an installer would accept is still no package name of this registry (text extraction), or null. */
  notAName?(name: string): string | null;
  /** The registry URLs a user may configure for it (the first is its registry, `defaultRegistryUrl`). */
  readonly registryOptions?: readonly RegistryOption[];
  /** The source language whose imports name this registry's packages (the import scanners ask for it). */
  readonly importsLanguage?: ImportsLanguage;
}


/**
 * A registry URL trusted configuration may set: by option, BOUNCER_* variable or trusted policy
 * `registries` key, else the public default (the door's precedence: ../doors/cli/config.ts).
 */
export interface RegistryOption {
  /** Its key in a policy's `registries` and the engine's registries ("npm", "npmDownloads"). */
  readonly key: string;
  /** The command-line option, without "--" (none: variable and policy only). */
  readonly flag?: string;
  /** The environment variable. */
  readonly env: string;
  readonly defaultUrl: string;
  /** How messages name it ("npm registry"). */
  readonly what: string;
}

/** Languages whose import statements Bouncer scans (src/extract). */
export type ImportsLanguage = "javascript" | "python";

export interface ReferenceContext {
  now: Date;
  /** The policy's explicit actions by finding code (a finding some ecosystems give only when asked for). */
  codes: PolicyRules["codes"];
}

/** Import specifiers a project resolves itself, as one config declares them. */
export interface ModuleAliases {
  /** Local exactly ("utils") or by prefix ("components/", "@app/"). */
  exact: string[];
  prefixes: string[];
  /** The folder bare imports resolve against, relative to the config's folder (TypeScript's `baseUrl`). */
  baseUrl: string | null;
}
