// Differential tests against the package managers' own lockfile readers, when they are installed.
// The project does not depend on them, so in a normal checkout these tests report themselves skipped;
// the YAML and JSON readers are compared with the `yaml` package and JSON.parse in parsers.test.ts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { splitNameAt } from "../../../../src/ecosystems/npm/manifests/common.ts";
import { parseYarnLock } from "../../../../src/ecosystems/npm/manifests/yarn-lock.ts";
import { inputs, rel, sorted } from "./fixtures.ts";

async function optional(specifier: string): Promise<unknown> {
  try {
    return await import(specifier);
  } catch {
    return undefined;
  }
}

interface YarnLockfileModule {
  parse(text: string): { type: string; object: Record<string, { version?: string }> };
}

test("yarn v1: same name@version set as @yarnpkg/lockfile", async (t) => {
  const mod = (await optional("@yarnpkg/lockfile")) as { default?: YarnLockfileModule } | undefined;
  const lockfile = mod?.default;
  if (!lockfile) {
    t.skip("@yarnpkg/lockfile is not installed");
    return;
  }
  for (const file of inputs("yarn-lock-v1").filter((f) => /(?:yarn|\.v1)\.lock$/.test(f))) {
    const text = readFileSync(file, "utf8");
    // Aliased entries are named differently on purpose (we report the real package): compared without them.
    const theirs: string[] = Object.entries(lockfile.parse(text).object)
      .filter(([descriptor]) => !descriptor.includes("@npm:"))
      .map(([descriptor, entry]) => `${splitNameAt(descriptor).name}@${entry.version ?? ""}`);
    const ours = parseYarnLock(text, file)
      .dependencies.filter((d) => !d.spec?.startsWith("npm:"))
      .map((d) => `${d.name}@${d.version ?? ""}`);
    assert.deepEqual(sorted(ours), sorted(theirs), rel(file));
  }
});

test("pnpm: same packages as @pnpm/lockfile-file", async (t) => {
  const mod = await optional("@pnpm/lockfile-file");
  if (!mod) {
    t.skip("@pnpm/lockfile-file is not installed");
    return;
  }
  // Its reader is directory- and version-specific (readWantedLockfile); wire it up if it is ever added.
  t.skip("@pnpm/lockfile-file is installed but not wired up");
});
