// Where npm's registry and downloads API are configured (light: the CLI reads it at start-up).
import type { RegistryOption } from "../types.ts";
import { DEFAULT_NPM_DOWNLOADS_API } from "./downloads.ts";
import { DEFAULT_NPM_REGISTRY } from "./npmrc.ts";

export const npmRegistryOptions: readonly RegistryOption[] = [
  { key: "npm", flag: "npm-registry", env: "BOUNCER_NPM_REGISTRY", defaultUrl: DEFAULT_NPM_REGISTRY, what: "npm registry" },
  { key: "npmDownloads", flag: "npm-downloads-api", env: "BOUNCER_NPM_DOWNLOADS_API", defaultUrl: DEFAULT_NPM_DOWNLOADS_API, what: "npm downloads API" },
];
