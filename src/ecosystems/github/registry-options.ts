// Where the GitHub API is configured (light: the CLI reads it at start-up). No option: variable and policy only.
import type { RegistryOption } from "../types.ts";

export const DEFAULT_GITHUB_API = "https://api.github.com/";

export const githubRegistryOptions: readonly RegistryOption[] = [{ key: "github", env: "BOUNCER_GITHUB_API", defaultUrl: DEFAULT_GITHUB_API, what: "GitHub API" }];
