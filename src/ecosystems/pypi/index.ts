// The PyPI ecosystem, as the engine sees it.
import type { Purl } from "../../core/purl.ts";
import { formatNamePurl, formatPurl } from "../../core/purl.ts";
import { PYPI_LANGUAGE_AFFIXES } from "../../similarity/affixes.ts";
import type { EcosystemModule } from "../types.ts";
import { distributionsForImport, importAliases, importNameMismatch, isStdlib } from "./imports.ts";
import { pypiExtractors } from "./manifests/index.ts";
import { DEFAULT_PYPI_URL } from "./pipconf.ts";
import { pypiRegistryOptions } from "./registry-options.ts";
import { pypiInstallers } from "./installers.ts";
import { shippedPopularList } from "../../similarity/shipped.ts";
import { checkPypiName, normalizePypiName } from "./names.ts";
import { compareVersionStrings, parseSpecifierSet, parseVersion } from "./pep440.ts";
import { parseRequirement } from "./pep508.ts";
import { createPypiRegistrySource } from "./registry.ts";
import { pypiAffects, resolvePypiVersion } from "./versions.ts";

/** The purl spec's PyPI name: lower case, "_" -> "-" (dots stay). */
function purlName(name: string): string {
  const lower = name.toLowerCase();
  return lower.includes("_") ? lower.replaceAll("_", "-") : lower;
}

/** `pkg:pypi/name@1.0`. */
export function pypiPurl(name: string, version: string | null): string {
  if (!version) return formatNamePurl("pypi", null, purlName(name));
  return formatPurl({ type: "pypi", namespace: null, name: purlName(name), version: version || null, qualifiers: {}, subpath: null });
}

/** PyPI has no namespaces: one in a purl stays in the name, where checkName rejects it. */
export function pypiFromPurl(purl: Purl): { name: string; version: string | null } {
  const name = purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name;
  return { name: purlName(name), version: purl.version || null };
}

/**
 * Name and version of a requirement (`name`, `name==1.0`, `name[extra]>=2,<3`, `name @ https://...`),
 * parsed as PEP 508. `==X` gives the exact version X; other specifiers come back as written; a URL
 * gives no version. An unparsable requirement gives its leading name-like part, for checkName to judge.
 */
export function splitPypiSpec(text: string): { name: string; version: string | null } {
  const line = String(text).trim();
  const req = parseRequirement(line);
  if ("error" in req) {
    const cut = line.search(/[\s[(<>=!~;@]/);
    return { name: cut < 0 ? line : line.slice(0, cut), version: null };
  }
  if (req.url !== null || !req.specifier) return { name: req.name, version: null };
  const set = parseSpecifierSet(req.specifier);
  const only = set?.specifiers.length === 1 ? set.specifiers[0]! : null;
  const pinned = only?.operator === "==" && !only.version.endsWith(".*");
  return { name: req.name, version: pinned ? only.version : req.specifier };
}

export const pypi: EcosystemModule = {
  id: "pypi",
  purlType: "pypi",
  label: "PyPI",
  osvName: "PyPI",
  searchWords: ["python", "python3", "py", "pypi", "pip"],
  defaultRegistryUrl: DEFAULT_PYPI_URL,
  importsLanguage: "python",
  registryOptions: pypiRegistryOptions,
  installers: pypiInstallers,
  shippedPopular: () => shippedPopularList("pypi"),
  notAName: (name) =>
    // discord.py is a project; setup.py, requirements.txt and main.py are files.
    /\.(?:txt|toml|cfg|ini|json|ya?ml|lock|md|rst|sh|py|whl|zip|gz|tgz|exe|ipynb|html?)$/i.test(name) &&
    (!/^[a-z0-9-]+\.py$/i.test(name) || /^(?:setup|main|app|manage|test|run|index|script|__init__)\.py$/i.test(name))
      ? "a file name, not a package name"
      : null,
  checkName: checkPypiName,
  canonicalName: normalizePypiName,
  similarity: { scoped: false, foldSeparators: true, languageAffixes: PYPI_LANGUAGE_AFFIXES, aliases: importAliases },
  extractors: pypiExtractors,
  isStandardModule: isStdlib,
  packagesForImport: distributionsForImport,
  importNameMismatch: (name) => {
    const distribution = importNameMismatch(name)?.distribution;
    return distribution ? normalizePypiName(distribution) : null;
  },
  splitSpec: splitPypiSpec,
  toPurl: pypiPurl,
  isExactVersion: (version) => parseVersion(version) !== null,
  fromPurl: pypiFromPurl,
  resolveVersion: resolvePypiVersion,
  affects: pypiAffects,
  compareVersions: compareVersionStrings,
  createRegistrySource: (config) => createPypiRegistrySource(config),
};
