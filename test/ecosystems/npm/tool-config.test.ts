// yarn's and bun's own registry settings, read as npmrc-style entries.
import assert from "node:assert/strict";
import { test } from "node:test";
import { bunfigEntries, yarnrcEntries, yarnrcYmlEntries } from "../../../src/ecosystems/npm/tool-config.ts";

test("yarn 1, yarn 2+ and bun registry settings, scopes included; broken files name nothing", () => {
  assert.deepEqual(yarnrcEntries('# x\nregistry "https://r.example/"\n"@corp:registry" "https://c.example/"\nlastUpdateCheck 1\n'), {
    registry: "https://r.example/",
    "@corp:registry": "https://c.example/",
  });
  assert.deepEqual(yarnrcYmlEntries('npmRegistryServer: "https://r.example"\nnpmScopes:\n  corp:\n    npmRegistryServer: "https://c.example"\n'), {
    registry: "https://r.example",
    "@corp:registry": "https://c.example",
  });
  assert.deepEqual(bunfigEntries('[install]\nregistry = { url = "https://r.example/", token = "t" }\n[install.scopes]\ncorp = "https://c.example/"\n'), {
    registry: "https://r.example/",
    "@corp:registry": "https://c.example/",
  });
  for (const read of [yarnrcYmlEntries, bunfigEntries]) assert.deepEqual(read("[[[ not valid: {"), {});
});
