// Where yarn and bun fetch from by their own configuration files, as npmrc-style entries (`registry`,
// `@scope:registry`), so the install guard weighs them as it weighs .npmrc: yarn 1 reads `.yarnrc`
// besides `.npmrc`, yarn 2+ reads only `.yarnrc.yml`, bun reads `bunfig.toml` over `.npmrc`.
import { parse as parseToml } from "smol-toml";
import { isRecord } from "../../core/guards.ts";
import { parseYamlDocuments } from "../../formats/yaml.ts";

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
