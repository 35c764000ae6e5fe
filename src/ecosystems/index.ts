// The list of ecosystems: a new one is a new folder plus one line here.
import { github } from "./github/index.ts";
import { npm } from "./npm/index.ts";
import { pypi } from "./pypi/index.ts";
import type { EcosystemModule, ImportsLanguage } from "./types.ts";

export const ECOSYSTEMS: ReadonlyMap<string, EcosystemModule> = new Map([npm, pypi, github].map((e) => [e.id, e]));

/** Words of a package search that name an ecosystem, with the ecosystem they name (see EcosystemModule.searchWords). */
export const SEARCH_WORDS: Readonly<Record<string, string>> = Object.fromEntries(
  [...ECOSYSTEMS.values()].flatMap((e) => (e.searchWords ?? []).map((w) => [w, e.id])),
);

/** The module for an ecosystem id or purl type, in any case ("npm", "pypi", OSV's "PyPI"); undefined when unsupported. */
export function getEcosystem(id: string): EcosystemModule | undefined {
  // An id as the engine spells it (asked several times per package checked): one probe.
  const exact = ECOSYSTEMS.get(id);
  if (exact) return exact;
  const key = String(id).toLowerCase();
  return ECOSYSTEMS.get(key) ?? [...ECOSYSTEMS.values()].find((e) => e.purlType === key || e.purlAliases?.includes(key));
}

/** The ecosystem whose packages a language's imports name (EcosystemModule.importsLanguage). */
export function ecosystemOfImports(language: ImportsLanguage): EcosystemModule | undefined {
  return [...ECOSYSTEMS.values()].find((e) => e.importsLanguage === language);
}
