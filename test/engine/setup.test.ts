// openEngine's data directory: name-similarity tables are kept, and a rebuilt one replaces what it supersedes.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { defaultPolicy } from "../../src/core/policy.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";
import { checkPackages } from "../../src/engine/check.ts";
import { makeRequest } from "../../src/engine/requests.ts";
import { INDEX_FILE, openEngine } from "../../src/engine/setup.ts";
import { lookupAll } from "../../src/sources/compose.ts";
import { buildIndex } from "../../src/sources/offline-index/build.ts";

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
  assert.equal(npmBlocks.length, 3, `the name tables, their deletion index and the suggester's: ${npmBlocks.join(", ")}`);
  assert.ok(npmBlocks.some((n) => n.includes("-suggest-")));
  assert.ok(npmBlocks.some((n) => n.endsWith("-deletions.bin")));

  const second = await open();
  assert.deepEqual(second.intel("npm")!.suggest("reactt", 3)[0], "react");
  await second.close();
  assert.deepEqual(readdirSync(dir).sort(), saved, "a second run reuses the blocks as they are");
});

test("a fenced npm scope is asked of no registry and no index: unverifiable with the reason (issue 8 item 2)", async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bouncer-fence-"));
  const tsv = "name\tversion\tdownloads_a_month\tsummary\n@Evil/x\t1.0.0\t90000000\t\n@evil/x\t1.0.0\t90000000\t\nreact\t19.3.1\t351327975\t\n";
  writeFileSync(path.join(dataDir, "npm.tsv"), tsv);
  await buildIndex({ out: path.join(dataDir, INDEX_FILE), inputs: [{ ecosystem: "npm", file: path.join(dataDir, "npm.tsv"), normalize: (n) => n }] });
  const asked: string[] = [];
  for (const offline of [false, true]) {
    const engine = await openEngine({
      dataDir,
      offline,
      policy: defaultPolicy(),
      now: new Date("2026-11-23T12:00:00Z"),
      registries: { npm: "http://127.0.0.1:9/", npmDownloads: "http://127.0.0.1:9/", pypi: "http://127.0.0.1:9/" },
      npmFencedScopes: { "@Evil": "the project routes @Evil elsewhere" },
      fetch: async (input) => {
        asked.push(String(input));
        throw new Error("offline test");
      },
    });
    try {
      const facts = await lookupAll(engine.sources, "npm", "@Evil/x");
      assert.equal(facts.existence, "unknown", `offline: ${offline}`);
      assert.ok(facts.unknownReasons?.some((r) => r.includes("the project routes @Evil elsewhere")));
      // Its name is the user's private one: no public look-alike ("@evil/x") is offered for it.
      const [judged] = await checkPackages([makeRequest(getEcosystem("npm")!, "@Evil/x", null)], engine);
      assert.equal(judged!.verdict, "block");
      assert.deepEqual(judged!.didYouMean, []);
      assert.equal((await lookupAll(engine.sources, "npm", "react")).existence, "exists", "other names still use the index");
      // npm's scope keys are case-sensitive: "@evil/x" does not go where "@Evil" is routed, so it is judged as usual.
      assert.equal((await lookupAll(engine.sources, "npm", "@evil/x")).existence, "exists", `offline: ${offline}`);
    } finally {
      await engine.close();
    }
  }
  assert.ok(!asked.some((u) => u.includes("Evil")), asked.join(" "));
  assert.ok(asked.some((u) => u.includes("evil")), "the other case is asked of the registry");
});
