// Install commands in a command line: each ecosystem's installers (src/ecosystems/*/installers.ts)
// and conda's, which no ecosystem here checks. Shared by the text extractors and the install guard.
import type { InstallCommand } from "../core/dependency.ts";
import type { EcosystemId } from "../core/model.ts";
import { basename } from "../core/guards.ts";
import { grammar, optionValues, parseArgv, subcommandAt } from "../formats/argv.ts";
import { command, type InstallerParser } from "../ecosystems/install-grammar.ts";
import { installerFor, interpreterFor } from "../ecosystems/installers.ts";

const CONDA = grammar(
  ["c|channel", "n|name", "p|prefix", "file", "solver"],
  ["y|yes", "override-channels", "q|quiet", "v|verbose", "dry-run", "update-deps", "no-deps", "only-deps", "S|satisfied-skip-solve"],
);

const conda: InstallerParser = (argv, k) => {
  const found = subcommandAt(argv, k, CONDA);
  if (found?.sub !== "install" && found?.sub !== "create") return null;
  const p = parseArgv(argv, found.next, CONDA);
  const cmd = command(basename(argv[0]!), null, found.sub, p);
  for (const x of p.positionals) {
    const m = /^([A-Za-z0-9_.-]+)(?:(?:==?|[<>]=?)(.+))?$/.exec(x.text);
    cmd.adds.push({ spec: x.text, name: m?.[1] ?? null, version: m?.[2] ?? null, source: "registry", argIndex: x.index });
  }
  cmd.requirementFiles.push(...optionValues(p, "file").map((v) => v.value));
  return cmd;
};

export const CONDA_TOOLS: Readonly<Record<string, InstallerParser>> = { conda, mamba: conda, micromamba: conda };

/**
 * Parses one simple command (argv as the shell would pass it). Returns what it installs or runs,
 * or null when it is not an install command of a known installer.
 */
export function parseInstallCommand(argv: readonly string[]): InstallCommand | null {
  if (!argv.length) return null;
  // No catch-all here: a guard must not take a parser failure for "not an install command".
  const tool = basename(argv[0]!).replace(/\.(?:exe|cmd|bat|ps1)$/i, "").toLowerCase();
  const interpreter = interpreterFor(tool);
  if (interpreter) return interpreter.parse(argv);
  const parser = installerFor(tool)?.parser ?? (Object.hasOwn(CONDA_TOOLS, tool) ? CONDA_TOOLS[tool] : undefined);
  return parser ? parser(argv, 1) : null;
}

/** Ecosystem an installer's packages come from, by tool name (for callers that only know argv[0]). */
export function installerEcosystem(tool: string): EcosystemId | null {
  return installerFor(basename(tool).toLowerCase())?.installers.ecosystem ?? null;
}
