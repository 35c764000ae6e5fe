// An engine over the shipped GitHub Actions index (and optionally the GitHub API source), fixed clock.
import { defaultPolicy, type Policy } from "../../../src/core/policy.ts";
import { getEcosystem } from "../../../src/ecosystems/index.ts";
import type { Engine } from "../../../src/engine/check.ts";
import { createNameIntel } from "../../../src/similarity/intel.ts";
import type { NameIntel } from "../../../src/similarity/types.ts";
import type { DataSource } from "../../../src/sources/types.ts";

export const NOW = "2026-12-07T00:00:00Z";
export const github = getEcosystem("github")!;

let intel: NameIntel | undefined;

export function githubEngine(options: { sources?: DataSource[]; policy?: Policy; now?: string } = {}): Engine {
  intel ??= createNameIntel(github.shippedPopular!(), github.similarity);
  return {
    ecosystems: getEcosystem,
    sources: [...(options.sources ?? []), github.shippedSource!()],
    intel: (id) => (id === "github" ? intel : undefined),
    policy: options.policy ?? defaultPolicy(),
    clock: () => new Date(options.now ?? NOW),
  };
}
