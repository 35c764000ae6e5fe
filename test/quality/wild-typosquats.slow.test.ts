// Typosquats from the wild (OpenSSF malicious npm reports in ../shared/feeds, labelled by
// scripts/wild-typosquats.ts): how often the typosquat finding names the package imitated.
// The comparison with npq and did-you-mean is in the script's output; here, a floor.
import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyFacts } from "../../src/core/model.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";
import { createNameIntel } from "../../src/similarity/intel.ts";
import { loadShippedPopular } from "../../src/similarity/shipped.ts";
import { loadWildTyposquats } from "../../scripts/wild-typosquats.ts";

test("npm typosquats from the wild: the typosquat finding names the labelled target", () => {
  const set = loadWildTyposquats();
  const npm = createNameIntel(loadShippedPopular("npm"), getEcosystem("npm")!.similarity);
  const byKind = new Map<string, [number, number]>();
  let right = 0;
  for (const item of set.items) {
    const ok = npm.typosquat(item.name, emptyFacts())?.target === item.target;
    right += ok ? 1 : 0;
    const k = byKind.get(item.kind) ?? [0, 0];
    byKind.set(item.kind, [k[0] + (ok ? 1 : 0), k[1] + 1]);
  }
  const kinds = [...byKind].map(([k, [a, b]]) => `${k} ${a}/${b}`).join(", ");
  console.log(`wild npm typosquats: ${right}/${set.items.length} name the labelled target (${kinds})`);
  assert.ok(set.items.length >= 400, `${set.items.length}`);
  assert.ok(right / set.items.length >= FLOOR, `${right}/${set.items.length}`);
});

/** Measured rate less a small margin (see /work/notes-hK.md). */
const FLOOR = 0.42;
