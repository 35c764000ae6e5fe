// The npm ecosystem, as the engine sees it.
import { isPlainVersion, semver } from "./semver.ts";
import type { Purl } from "../../core/purl.ts";
import { formatNamePurl, formatPurl } from "../../core/purl.ts";
import { NPM_LANGUAGE_AFFIXES } from "../../similarity/affixes.ts";
import { shippedPopularList } from "../../similarity/shipped.ts";
import { npmInstallers } from "./installers.ts";
import type { EcosystemModule } from "../types.ts";
import { isTsconfig, localPackageName, npmExtractors, tsconfigAliases } from "./manifests/index.ts";
import { checkExistingNpmName } from "./names.ts";
import { DEFAULT_NPM_REGISTRY } from "./npmrc.ts";
import { npmRegistryOptions } from "./registry-options.ts";
import { createNpmRegistrySource, isSecurityPlaceholderVersion } from "./registry.ts";
import { parseNpmSpec } from "./spec.ts";
import { compareNpmVersions, npmAffects, resolveNpmVersion } from "./versions.ts";

/** `pkg:npm/%40scope/name@1.2.3`. The name is kept as written (legacy capitals stay; new names are lower case). */
export function npmPurl(name: string, version: string | null): string {
  const slash = name.startsWith("@") ? name.indexOf("/") : -1;
  const scoped = slash > 1 && slash < name.length - 1;
  if (!version) return formatNamePurl("npm", scoped ? name.slice(0, slash) : null, scoped ? name.slice(slash + 1) : name);
  return formatPurl({
    type: "npm",
    namespace: scoped ? name.slice(0, slash) : null,
    name: scoped ? name.slice(slash + 1) : name,
    version: version || null,
    qualifiers: {},
    subpath: null,
  });
}

/** The npm name and version a purl names (the namespace is the scope, with or without its "@"). */
export function npmFromPurl(purl: Purl): { name: string; version: string | null } {
  const ns = purl.namespace ? (purl.namespace.startsWith("@") ? purl.namespace : `@${purl.namespace}`) : null;
  return { name: ns ? `${ns}/${purl.name}` : purl.name, version: purl.version || null };
}

/**
 * Name and version of a command-line spec (`name`, `name@^1`, `@scope/name@next`, `alias@npm:real@1`).
 * A git, URL or path spec names no registry package: its text comes back as the name, which
 * checkName then rejects.
 */
export function splitNpmSpec(text: string): { name: string; version: string | null } {
  const spec = parseNpmSpec(text);
  return { name: spec.name ?? String(text).trim(), version: spec.name === null ? null : spec.version };
}

export const npm: EcosystemModule = {
  id: "npm",
  purlType: "npm",
  label: "npm",
  osvName: "npm",
  searchWords: ["node", "nodejs", "javascript", "js", "typescript", "ts", "npm", "deno", "bun"],
  defaultRegistryUrl: DEFAULT_NPM_REGISTRY,
  importsLanguage: "javascript",
  registryOptions: npmRegistryOptions,
  installers: npmInstallers,
  shippedPopular: () => shippedPopularList("npm"),
  // New names may not contain these (legacy ones could): in text they are punctuation.
  notAName: (name) => (/[~'!()*]/.test(name.replace(/^@[^/]*\//, "")) ? "npm names may not contain ~'!()*" : null),
  // Legacy names (capitals, core-module names such as "events") still exist and are installed daily;
  // a new registration cannot take them, so only the hard rules make a name invalid here.
  checkName: checkExistingNpmName,
  /** npm names are exact. */
  canonicalName: (name) => name,
  similarity: { scoped: true, foldSeparators: false, languageAffixes: NPM_LANGUAGE_AFFIXES },
  extractors: npmExtractors,
  localPackageName: (file, text) => (/(^|[\\/])package\.json$/.test(file) ? localPackageName(text) : null),
  moduleAliases: { matches: isTsconfig, read: tsconfigAliases },
  splitSpec: splitNpmSpec,
  toPurl: npmPurl,
  isExactVersion: (version) => isPlainVersion(version) || semver().valid(version) !== null,
  fromPurl: npmFromPurl,
  resolveVersion: resolveNpmVersion,
  affects: npmAffects,
  compareVersions: compareNpmVersions,
  isPlaceholderVersion: isSecurityPlaceholderVersion,
  createRegistrySource: (config) => createNpmRegistrySource(config),
};
