// Where yarn and bun fetch from by their own configuration files, as npmrc-style entries (`registry`,
// `@scope:registry`), so the install guard weighs them as it weighs .npmrc: yarn 1 reads `.yarnrc`
// besides `.npmrc`, yarn 2+ reads only `.yarnrc.yml`, bun reads `bunfig.toml` over `.npmrc`.
import { join } from "node:path";
import { parse as parseToml } from "smol-toml";
import { isRecord } from "../../core/guards.ts";
import { parseYamlDocuments } from "../../formats/yaml.ts";
import { scopeOfRegistryKey } from "./npmrc.ts";

export type RegistryEntries = Record<string, string>;

/** A tool's configuration files (relative to the project and to the home folder), lowest precedence first, and how each is read. */
export interface ToolConfigFile {
  name: string;
  read(text: string): RegistryEntries;
}

const scoped = (scope: string) => `${scope.startsWith("@") ? scope : `@${scope}`}:registry`;

/** yarn 1's `.yarnrc`: `registry "https://…"`, `"@scope:registry" "https://…"`. */
export function yarnrcEntries(text: string): RegistryEntries {
  const out: RegistryEntries = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*"?((?:@[^\s":]+:)?registry)"?\s+"?([^\s"]+)"?\s*$/.exec(line);
    if (m && !/^\s*#/.test(line)) out[m[1]!] = m[2]!;
  }
  return out;
}

/** yarn 2+'s `.yarnrc.yml`: `npmRegistryServer`, `npmScopes.<scope>.npmRegistryServer`. */
export function yarnrcYmlEntries(text: string): RegistryEntries {
  const out: RegistryEntries = {};
  let doc: unknown;
  try {
    doc = parseYamlDocuments(text)[0]?.value;
  } catch {
    return out;
  }
  if (!isRecord(doc)) return out;
  if (typeof doc.npmRegistryServer === "string") out.registry = doc.npmRegistryServer;
  if (isRecord(doc.npmScopes)) {
    for (const [scope, settings] of Object.entries(doc.npmScopes)) {
      if (isRecord(settings) && typeof settings.npmRegistryServer === "string") out[scoped(scope)] = settings.npmRegistryServer;
    }
  }
  return out;
}

/** bun's `bunfig.toml`: `[install] registry` (a URL or `{ url }`), `[install.scopes]`. */
export function bunfigEntries(text: string): RegistryEntries {
  const out: RegistryEntries = {};
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text.replace(/^\uFEFF/, "")) as Record<string, unknown>;
  } catch {
    return out;
  }
  const install = isRecord(doc.install) ? doc.install : {};
  const url = (v: unknown) => (typeof v === "string" ? v : isRecord(v) && typeof v.url === "string" ? v.url : undefined);
  const registry = url(install.registry);
  if (registry) out.registry = registry;
  if (isRecord(install.scopes)) {
    for (const [scope, v] of Object.entries(install.scopes)) {
      const u = url(v);
      if (u) out[scoped(scope)] = u;
    }
  }
  return out;
}

/** The configuration files each tool reads for its registries besides `.npmrc`, lowest precedence first (`home`: `~/`-relative names). */
export const TOOL_CONFIG_FILES: Readonly<Record<string, { project: ToolConfigFile[]; home: ToolConfigFile[] }>> = {
  yarn: {
    project: [
      { name: ".yarnrc", read: yarnrcEntries },
      { name: ".yarnrc.yml", read: yarnrcYmlEntries },
    ],
    home: [
      { name: ".yarnrc", read: yarnrcEntries },
      { name: ".yarnrc.yml", read: yarnrcYmlEntries },
    ],
  },
  bun: { project: [{ name: "bunfig.toml", read: bunfigEntries }], home: [{ name: ".bunfig.toml", read: bunfigEntries }] },
};

/** The environment variables yarn and bun take a registry from, over their files. */
export const TOOL_REGISTRY_VARIABLES: Readonly<Record<string, readonly string[]>> = {
  yarn: ["YARN_NPM_REGISTRY_SERVER", "YARN_REGISTRY"],
  bun: ["BUN_CONFIG_REGISTRY"],
};

/**
 * The registry settings of yarn's and bun's files in a project folder, in .npmrc's shape (for the
 * doors that read a project's configuration as data, not as settings). None when there are none.
 */
export function readProjectToolConfigs(dir: string, readFile: (file: string) => string | undefined): Array<{ file: string; registry?: string; scopes: Record<string, string> }> {
  const out: Array<{ file: string; registry?: string; scopes: Record<string, string> }> = [];
  const seen = new Set<string>();
  for (const tool of Object.values(TOOL_CONFIG_FILES)) {
    for (const f of tool.project) {
      const file = join(dir, f.name);
      if (seen.has(file)) continue;
      seen.add(file);
      const text = readFile(file);
      if (text === undefined) continue;
      const entries = f.read(text);
      const scopes: Record<string, string> = {};
      for (const [key, url] of Object.entries(entries)) {
        const scope = scopeOfRegistryKey(key);
        if (scope) scopes[scope] = url;
      }
      if (entries.registry === undefined && !Object.keys(scopes).length) continue;
      out.push(entries.registry === undefined ? { file, scopes } : { file, registry: entries.registry, scopes });
    }
  }
  return out;
}
