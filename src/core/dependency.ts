// The dependency model: what every extractor (manifests, lockfiles, imports, free text, SBOMs) returns,
// and what an install command would fetch.
import type { EcosystemId, LockEvidence } from "./model.ts";
import type { SourceLocation } from "./findings.ts";

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
  /**
   * The install commands of a shell script a format runs (a workflow's `run:`), from its first line.
   * Handed in by the scan, so an ecosystem's format needs no import of the free-text readers.
   */
  scriptCommands?: (script: string, file: string, startLine: number, powershell: boolean) => ExtractResult;
  /**
   * What the ecosystems' formats find in a fenced YAML block of free text (a workflow in an answer),
   * from its first line. Handed in by the scan, so the Markdown reader splits the text once.
   */
  yamlFence?: (code: string, firstLine: number, file: string) => ExtractedDependency[];
}

/** One input format. `matches` looks at the path only; `extract` never throws on bad input. */
export interface Extractor {
  readonly id: string;
  matches(path: string): boolean;
  extract(text: string, path: string, context?: ExtractContext): ExtractResult;
  /** What a fenced YAML block of free text (a Markdown answer) holds in this format; `firstLine` is its first line. */
  extractFence?(code: string, firstLine: number, file: string): ExtractedDependency[];
}

// One dependency as an extractor reports it, with the optional fields set only when known.
export type DependencyExtra = Partial<Pick<ExtractedDependency, "spec" | "dev" | "group" | "lock">>;

export function makeDependency(
  ecosystem: string,
  kind: DependencyKind,
  file: string,
  line: number | undefined,
  name: string,
  version: string | null,
  source: DependencySource,
  extra: DependencyExtra = {},
): ExtractedDependency {
  const dep: ExtractedDependency = { ecosystem, name, version, source, kind, location: line === undefined ? { file } : { file, line } };
  if (extra.spec !== undefined) dep.spec = extra.spec;
  if (extra.dev !== undefined) dep.dev = extra.dev;
  if (extra.group !== undefined) dep.group = extra.group;
  if (extra.lock !== undefined) dep.lock = extra.lock;
  return dep;
}

export interface InstallTarget {
  /** The operand as written. */
  spec: string;
  /** Registry name (npm alias: the real package); null when the spec could not be understood. */
  name: string | null;
  /** Exact version, range, specifier or tag; null when none was asked for. */
  version: string | null;
  source: DependencySource;
  /** Index in argv of the word the spec came from. */
  argIndex: number;
  /** Why the spec could not be understood (name is then null or not a legal name). */
  error?: string;
  /** Installed as editable (`pip install -e`). */
  editable?: boolean;
}

export interface InstallCommand {
  /** The installer as the user invoked it, normalised: "pip", "uv", "npm", "npx", "pnpm", "yarn", "bun", ... */
  tool: string;
  /** null for installers whose packages are not checked here (conda, mamba). */
  ecosystem: EcosystemId | null;
  /** "install", "add", "run", "exec", "dlx", "create", "tool install", "global add", ... */
  subcommand: string;
  adds: InstallTarget[];
  /** Files named with -r/--requirement (and `uv pip sync` operands). */
  requirementFiles: string[];
  /** Files named with -c/--constraint. */
  constraintFiles: string[];
  /** Options by long name without dashes: value options as a list of values, flags as true. */
  options: Record<string, string[] | true>;
  /** Added as a development dependency (-D, --save-dev, --dev, --group dev). */
  dev: boolean;
  /** Dependency group named on the command line (poetry/uv/pdm --group). */
  group?: string;
  /** Installs globally / as a standalone tool (-g, pipx, uv tool, yarn global). */
  global: boolean;
  /** Runs the package right away (npx, pnpm dlx, yarn dlx, bunx, uvx, pipx run, npm create). */
  runs: boolean;
  /**
   * Project folders whose declared dependencies the command installs (a bare `npm install`, `uv sync`,
   * `pip install .`), each with the files there that name them, manifest first. Paths as written.
   */
  projects: ProjectInstall[];
  /** A runner's program and its arguments (`npx pnpm add x`: ["pnpm", "add", "x"]). */
  program?: string[];
  /** Shell command lines a runner executes (`npm exec -c 'npm install x'`). */
  calls?: string[];
}

export interface ProjectInstall {
  dir: string;
  files: readonly string[];
}
