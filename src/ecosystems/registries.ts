// Every ecosystem's configurable registries, in one light list: the CLI reads it at start-up without
// loading the ecosystems themselves. An ecosystem with registries adds one line here as well as in
// index.ts (test/ecosystems/index.test.ts checks that both agree).
import { githubRegistryOptions } from "./github/registry-options.ts";
import { npmRegistryOptions } from "./npm/registry-options.ts";
import { pypiRegistryOptions } from "./pypi/registry-options.ts";
import type { RegistryOption } from "./types.ts";

export const REGISTRY_OPTIONS: readonly RegistryOption[] = [...npmRegistryOptions, ...pypiRegistryOptions, ...githubRegistryOptions];

/** The keys a policy's `registries` may set. */
export const REGISTRY_KEYS: ReadonlySet<string> = new Set(REGISTRY_OPTIONS.map((o) => o.key));
