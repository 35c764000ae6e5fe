// openEngine's data directory: name-similarity tables are kept, and a rebuilt one replaces what it supersedes.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { defaultPolicy } from "../../src/core/policy.ts";
import { openEngine } from "../../src/engine/setup.ts";

test("similarity tables: saved once, reused, and older blocks of the same ecosystem removed", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bouncer-setup-"));
  const dir = path.join(dataDir, "similarity");
  mkdirSync(dir);
  const stale = ["npm-0d33f2b2cc92da687b1272058eaa919d.bin", "npm-0d33f2b2cc92da687b1272058eaa919d-maps.bin.json", "npm-11112222-suggest-3333.bin"];
  for (const name of [...stale, "pypi-0d33f2b2cc92da687b1272058eaa919d.bin"]) writeFileSync(path.join(dir, name), "old");
  const open = () =>
    openEngine({
      dataDir,
      offline: true,
      policy: defaultPolicy(),
      now: new Date("2026-11-23T12:00:00Z"),
      registries: { npm: "http://127.0.0.1:9/", npmDownloads: "http://127.0.0.1:9/", pypi: "http://127.0.0.1:9/" },
    });
  const first = await open();
  first.intel("npm")!.suggest("reactt", 3);
  await first.close();
  const saved = readdirSync(dir).sort();
  for (const name of stale) assert.ok(!saved.includes(name), `${name} was replaced`);
  assert.ok(saved.includes("pypi-0d33f2b2cc92da687b1272058eaa919d.bin"), "another ecosystem's files are its own business");
  const npmBlocks = saved.filter((n) => n.startsWith("npm-"));
  assert.equal(npmBlocks.length, 2, `the name tables and the suggester's: ${npmBlocks.join(", ")}`);
  assert.ok(npmBlocks.some((n) => n.includes("-suggest-")));

  const second = await open();
  assert.deepEqual(second.intel("npm")!.suggest("reactt", 3)[0], "react");
  await second.close();
  assert.deepEqual(readdirSync(dir).sort(), saved, "a second run reuses the blocks as they are");
});
