// What the installers of every ecosystem share: the parser type, the set an ecosystem declares, and
// the steps of building an InstallCommand. Each ecosystem's installers.ts holds its tools' grammars.
import type { InstallCommand } from "../core/dependency.ts";
import type { EcosystemId } from "../core/model.ts";
import { optionValues, type Parsed } from "../formats/argv.ts";
import type { RegistryConfigFiles } from "./registry-commands.ts";

/** Parses argv from index `k` (after the tool's name): what it installs, or null when it installs nothing. */
export type InstallerParser = (argv: readonly string[], k: number) => InstallCommand | null;

/** The package installers of one ecosystem: each tool's name is listed here, and only here. */
export interface Installers {
  readonly ecosystem: EcosystemId;
  /** Parsers by the tool's name as invoked (base name, lower case, no .exe). The install guard wraps each name. */
  readonly tools: Readonly<Record<string, InstallerParser>>;
  /**
   * Per tool, subcommands that install nothing: its shim hands them to the real tool itself, with no
   * Node start-up in between. Anything not listed goes through Bouncer (which passes it on too when it
   * adds nothing). Runners whose first operand is a package (npx, uvx...) have none.
   */
  readonly installsNothing?: Readonly<Record<string, readonly string[]>>;
  /** Names with a version in them ("pip3.12"): a pattern (regex source, whole name) and the tool it runs. */
  readonly versioned?: ReadonlyArray<{ pattern: string; tool: string }>;
  /** The files, settings, options and variables that choose where its installers fetch from (the ecosystem's one registration of them). */
  readonly registryConfig?: RegistryConfigFiles;
  /** An interpreter that runs installers as modules (`python3 -m pip install x`). */
  readonly interpreter?: {
    /** Its names (regex source, whole name). */
    pattern: string;
    /** The command argv runs; null when it runs no installer module. */
    parse(argv: readonly string[]): InstallCommand | null;
  };
}

/** An operand with a scheme (https://, git+ssh://...): never a registry name. */
export const URL_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;
/** A package archive file: installed as it is, not as a project folder. */
export const ARCHIVE = /\.(?:whl|tar\.gz|tgz|tar\.bz2|tar\.xz|tar|zip|egg)$/i;

/** An InstallCommand with nothing added yet, keeping the options argv set. */
export function command(tool: string, ecosystem: EcosystemId | null, subcommand: string, p: Parsed): InstallCommand {
  return {
    tool,
    ecosystem,
    subcommand,
    adds: [],
    requirementFiles: [],
    constraintFiles: [],
    options: p.options,
    dev: false,
    global: false,
    runs: false,
    projects: [],
  };
}

/** Marks `cmd` as installing the project in the folder named by one of `dirKeys` (default: the working folder). */
export function installsProject(cmd: InstallCommand, p: Parsed, files: readonly string[], ...dirKeys: string[]): InstallCommand {
  const dir = optionValues(p, ...dirKeys).pop()?.value ?? ".";
  cmd.projects.push({ dir, files });
  return cmd;
}

/** `pip install .`, `npm install ./lib`: a local folder is installed with its declared dependencies. */
export function pathProjects(cmd: InstallCommand, files: readonly string[]): void {
  for (const a of cmd.adds) if (a.source === "path" && !ARCHIVE.test(a.spec)) cmd.projects.push({ dir: a.spec.replace(/^file:(?:\/\/)?/i, ""), files });
}

/** What a runner starts: the program's argv, or (-c) a shell command line. */
export function runsProgram(cmd: InstallCommand, argv: readonly string[], p: Parsed, shellMode: boolean): void {
  const calls = optionValues(p, "call").map((v) => v.value);
  const first = p.positionals[0];
  if (shellMode && !calls.length && first) calls.push(argv.slice(first.index).join(" "));
  else if (first) cmd.program = argv.slice(first.index);
  if (calls.length) cmd.calls = calls;
}
