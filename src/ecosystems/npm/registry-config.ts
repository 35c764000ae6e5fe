// The files and settings that choose where npm, yarn, pnpm and bun fetch packages from: a change to
// them is a change of supply, which the agent door leaves to the user.
import { basename } from "../../core/guards.ts";
import { configSetSettings, optionSettings } from "../registry-commands.ts";
import type { RegistryConfigFiles } from "../types.ts";

const FILE = /(?:^|[\\/])(?:\.npmrc|npmrc|\.yarnrc|\.yarnrc\.yml|bunfig\.toml)$/;
/** `registry=`, `@scope:registry=` (npmrc), `registry "…"` (yarn 1), `npmRegistryServer:` (yarn 2+), bun's `registry =` / scope tables' `url =`. */
const SETTING = /^\s*(?:(?:@[^\s:=]+:)?registry\s*[=\s]|"?npmRegistryServer"?\s*:|url\s*=|"?@[^"\s=]+"?\s*=)/i;

const TOOL = /^(?:npm|npx|pnpm|pnpx|yarn|yarnpkg|bun|bunx)(?:\.cmd|\.exe|\.ps1)?$/i;
/** Options (and config keys) that choose a registry, or the configuration file read for one. */
const OPTION = /^--(?:@[^:=\s]+:)?registry$|^--(?:userconfig|globalconfig)$/;
const KEY = /^(?:@[^:=\s]+:)?registry$|^(?:userconfig|globalconfig|npmRegistryServer|unsafeHttpWhitelist)$|^(?:npmScopes|npmRegistries)\b/;
const VARIABLE = /^npm_config_(?:(?:@[^:]+:)?registry|userconfig|globalconfig)$|^YARN_(?:NPM_REGISTRY_SERVER|NPM_SCOPES\w*|REGISTRY|RC_FILENAME|UNSAFE_HTTP_WHITELIST)$|^BUN_CONFIG_REGISTRY$/i;

export const npmRegistryConfig: RegistryConfigFiles = {
  commandSettings(argv) {
    if (!TOOL.test(basename(argv[0] ?? ""))) return [];
    const keys = (key: string) => KEY.test(key);
    return [...optionSettings(argv, 1, (name) => OPTION.test(name)), ...configSetSettings(argv, 1, ["config", "set"], keys), ...configSetSettings(argv, 1, ["set"], keys)];
  },
  isRegistryVariable: (name) => VARIABLE.test(name),
  matches: (file) => FILE.test(file),
  settings: (text) =>
    text
      .split(/\r?\n/)
      .filter((line) => SETTING.test(line) && !/^\s*[#;]/.test(line))
      .map((line) => line.trim().replace(/\s*([=:])\s*/, "$1")),
};
