// What every extractor (manifests, lockfiles, imports, free text, SBOMs) returns.
import type { EcosystemId, LockEvidence } from "../core/model.ts";
import type { SourceLocation } from "../core/findings.ts";

/** Where a dependency comes from. Only "registry" ones are looked up by name. */
export type DependencySource = "registry" | "git" | "url" | "path" | "workspace";

export type DependencyKind = "manifest" | "lockfile" | "import" | "install-command" | "sbom";

export interface ExtractedDependency {
  ecosystem: EcosystemId;
  /** The registry name as written (not normalised); for an npm alias, the real package. */
  name: string;
  /** Exact version, range/specifier, tag, or null. */
  version: string | null;
  source: DependencySource;
  kind: DependencyKind;
  location: SourceLocation;
  /** The original spec text where it adds something (git URL, alias "npm:x@1", path). */
  spec?: string;
  /** Development-only (devDependencies, dev groups, --dev). */
  dev?: boolean;
  /** Dependency group or kind as the format names it (optionalDependencies, extras, group name). */
  group?: string;
  /** For imports: the module name as imported (Python import name, JS specifier). */
  importName?: string;
  /** TypeScript `import type` only: nothing is loaded at run time. */
  typeOnly?: boolean;
  /** Lockfile entries: the URLs, name and integrity they record (judged against the trusted hosts). */
  lock?: LockEvidence;
  /** How this location uses the package, as named lists (a workflow step's `with:` keys as `inputs`). */
  usage?: Record<string, string[]>;
}

export interface ExtractProblem {
  file: string;
  reason: string;
  line?: number;
}

export interface ExtractResult {
  dependencies: ExtractedDependency[];
  problems: ExtractProblem[];
}

export interface ExtractContext {
  /** Reads another file relative to the one being parsed (requirements -r/-c); undefined if unreadable. */
  readFile?: (path: string) => string | undefined;
  /** Why readFile gave nothing for `path` (not found, outside the scanned folder, ...): never content. */
  whyUnread?: (path: string) => string | undefined;
}

/** One input format. `matches` looks at the path only; `extract` never throws on bad input. */
export interface Extractor {
  readonly id: string;
  matches(path: string): boolean;
  extract(text: string, path: string, context?: ExtractContext): ExtractResult;
  /** What a fenced YAML block of free text (a Markdown answer) holds in this format; `firstLine` is its first line. */
  extractFence?(code: string, firstLine: number, file: string): ExtractedDependency[];
}
