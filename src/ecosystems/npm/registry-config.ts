// The files and settings that choose where npm, yarn, pnpm and bun fetch packages from: a change to
// them is a change of supply, which the agent door leaves to the user.
import type { RegistryConfigFiles } from "../types.ts";

const FILE = /(?:^|[\\/])(?:\.npmrc|npmrc|\.yarnrc|\.yarnrc\.yml|bunfig\.toml)$/;
/** `registry=`, `@scope:registry=` (npmrc), `registry "…"` (yarn 1), `npmRegistryServer:` (yarn 2+), bun's `registry =` / scope tables' `url =`. */
const SETTING = /^\s*(?:(?:@[^\s:=]+:)?registry\s*[=\s]|"?npmRegistryServer"?\s*:|url\s*=|"?@[^"\s=]+"?\s*=)/i;

export const npmRegistryConfig: RegistryConfigFiles = {
  matches: (file) => FILE.test(file),
  settings: (text) =>
    text
      .split(/\r?\n/)
      .filter((line) => SETTING.test(line) && !/^\s*[#;]/.test(line))
      .map((line) => line.trim().replace(/\s*([=:])\s*/, "$1")),
};
