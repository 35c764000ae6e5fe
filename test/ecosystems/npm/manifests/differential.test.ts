// Differential test against yarn's own v1 lockfile reader (a dev dependency, a test oracle only).
// pnpm's reader is not a standalone package; the YAML and JSON readers are compared with the `yaml`
// package and JSON.parse in parsers.test.ts.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { splitNameAt } from "../../../../src/ecosystems/npm/manifests/common.ts";
import { parseYarnLock } from "../../../../src/ecosystems/npm/manifests/yarn-lock.ts";
import { inputs, rel, sorted } from "./fixtures.ts";

interface YarnLockfileModule {
  parse(text: string): { type: string; object: Record<string, { version?: string }> };
}

test("yarn v1: same name@version set as @yarnpkg/lockfile", async () => {
  const lockfile = ((await import("@yarnpkg/lockfile")) as { default: YarnLockfileModule }).default;
  let compared = 0;
  for (const file of inputs("yarn-lock-v1").filter((f) => /(?:yarn|\.v1)\.lock$/.test(f))) {
    const text = readFileSync(file, "utf8");
    // An alias descriptor ("x-cjs@npm:x@^4") names the real package after "npm:": that is the one we report.
    const realName = (descriptor: string) => {
      const alias = descriptor.indexOf("@npm:", 1);
      return splitNameAt(alias > 0 ? descriptor.slice(alias + 5) : descriptor).name;
    };
    // Descriptors of one block share one entry object; an alias among them names the package of the whole block.
    const blocks = new Map<object, string[]>();
    for (const [d, entry] of Object.entries(lockfile.parse(text).object)) blocks.set(entry, [...(blocks.get(entry) ?? []), d]);
    const theirs = new Set<string>();
    for (const [entry, descriptors] of blocks) {
      const aliased = descriptors.find((d) => d.indexOf("@npm:", 1) > 0);
      for (const d of aliased ? [aliased] : descriptors) theirs.add(`${realName(d)}@${(entry as { version?: string }).version ?? ""}`);
    }
    const ours = new Set(parseYarnLock(text, file).dependencies.map((d) => `${d.name}@${d.version ?? ""}`));
    assert.deepEqual(sorted([...ours]), sorted([...theirs]), rel(file));
    compared++;
  }
  assert.ok(compared >= 20, `compared ${compared} lockfiles`);
});
