// Every ecosystem's installers, in one light list: the install guard and the CLI's command table read
// it at start-up, before (or without) loading the ecosystems themselves. An ecosystem with installers
// adds one line here as well as in index.ts (test/architecture.test.ts checks that both agree).
import type { EcosystemId } from "../core/model.ts";
import type { InstallerParser, Installers } from "./install-grammar.ts";
import type { RegistryConfigFiles } from "./registry-commands.ts";
import { npmInstallers } from "./npm/installers.ts";
import { pypiInstallers } from "./pypi/installers.ts";

export const INSTALLERS: readonly Installers[] = [npmInstallers, pypiInstallers];

/** What chooses where each ecosystem's installers fetch from, light enough for the agent hook's triage. */
export const REGISTRY_COMMANDS: ReadonlyArray<RegistryConfigFiles & { ecosystem: EcosystemId }> = INSTALLERS.flatMap((i) =>
  i.registryConfig ? [{ ...i.registryConfig, ecosystem: i.ecosystem }] : [],
);

/** Every installer's name, as `bouncer <tool>` and the shims know them. */
export const INSTALL_TOOLS: readonly string[] = INSTALLERS.flatMap((i) => Object.keys(i.tools));

const whole = (pattern: string) => new RegExp(`^(?:${pattern})$`, "i");
const VERSIONED = INSTALLERS.flatMap((i) => (i.versioned ?? []).map((v) => ({ re: whole(v.pattern), installers: i, parser: i.tools[v.tool]! })));
const INTERPRETERS = INSTALLERS.flatMap((i) => (i.interpreter ? [{ re: whole(i.interpreter.pattern), interpreter: i.interpreter }] : []));

/** Regex source of every name an installer is run by (tools, versioned names, interpreters). */
export const INSTALLER_NAMES: string = INSTALLERS.flatMap((i) => [
  ...Object.keys(i.tools),
  ...(i.versioned ?? []).map((v) => v.pattern),
  ...(i.interpreter ? [i.interpreter.pattern] : []),
]).join("|");

/** The letters an alternative of a pattern starts with for sure ("pypy3?" -> "pypy"). */
function literalStart(alternative: string): string {
  const word = /^[a-z0-9]*/.exec(alternative)![0];
  return /^[?*{]/.test(alternative.slice(word.length)) ? word.slice(0, -1) : word;
}

/** Words every installer name contains (tool names, and the literal start of each pattern): a cheap pre-filter. */
export const INSTALLER_WORDS: readonly string[] = [
  ...new Set(
    INSTALLERS.flatMap((i) => [
      ...Object.keys(i.tools),
      ...[...(i.versioned ?? []).map((v) => v.pattern), i.interpreter?.pattern ?? ""].flatMap((p) => p.split("|").map(literalStart)),
    ]).filter(Boolean),
  ),
];

/** The subcommands of `tool` that install nothing (see Installers.installsNothing). */
export function installsNothing(tool: string): readonly string[] {
  for (const i of INSTALLERS) if (i.installsNothing && Object.hasOwn(i.installsNothing, tool)) return i.installsNothing[tool]!;
  return [];
}

/** The installer a tool's name (base name, lower case, no .exe) runs, with its ecosystem; undefined for other programs. */
export function installerFor(tool: string): { installers: Installers; parser: InstallerParser } | undefined {
  for (const i of INSTALLERS) if (Object.hasOwn(i.tools, tool)) return { installers: i, parser: i.tools[tool]! };
  return VERSIONED.find((v) => v.re.test(tool));
}

/** The interpreter (python3, py) that runs installer modules, when `tool` is one. */
export function interpreterFor(tool: string): NonNullable<Installers["interpreter"]> | undefined {
  return INTERPRETERS.find((i) => i.re.test(tool))?.interpreter;
}
