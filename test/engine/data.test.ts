// The engine builds its own data from the user's files: the offline index with the package search,
// and the malicious feed; every ecosystem's names in their canonical form. Then an engine opened on
// that data directory uses both, offline.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { defaultPolicy } from "../../src/core/policy.ts";
import { checkPackages } from "../../src/engine/check.ts";
import { buildOfflineIndex, importMaliciousFeeds } from "../../src/engine/data.ts";
import { makeRequest } from "../../src/engine/requests.ts";
import { openEngine } from "../../src/engine/setup.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";

const SAMPLES = path.resolve(import.meta.dirname, "../../../shared/feeds/samples");

test("index build and feed import are engine functions; an engine on their data directory uses them", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "engine-data-"));
  const npm = path.join(dir, "npm.tsv");
  const pypi = path.join(dir, "pypi.tsv");
  writeFileSync(npm, "name\tversion\tdownloads_a_month\tsummary\nreact\t19.3.1\t351327975\tUI library\n");
  writeFileSync(pypi, "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\nPython_Dateutil\t2.9.0\t2026-11\t12\tDates\n");
  const data = path.join(dir, "data");
  const built = await buildOfflineIndex({ dataDir: data, snapshots: { npm, pypi } });
  assert.deepEqual(built.ecosystems.map((e) => [e.ecosystem, e.entries]), [["npm", 1], ["pypi", 1]]);
  assert.ok(existsSync(path.join(data, "index.bin")) && built.search);
  await assert.rejects(buildOfflineIndex({ dataDir: data, snapshots: { cargo: npm } }), /no ecosystem "cargo"/);

  const imported = await importMaliciousFeeds({ dataDir: data, paths: [SAMPLES] });
  assert.ok(imported.inserted > 0 && imported.stored);

  const engine = await openEngine({ dataDir: data, offline: true, policy: defaultPolicy(), now: new Date("2026-11-23T12:00:00Z"), registries: { npm: "https://registry.npmjs.org/", npmDownloads: "https://api.npmjs.org/downloads/", pypi: "https://pypi.org/" } });
  try {
    const [dateutil] = await checkPackages([makeRequest(getEcosystem("pypi")!, "python-dateutil", null)], engine);
    assert.equal(dateutil!.name, "python-dateutil");
    assert.notEqual(dateutil!.findings[0]?.code, "not-found", "the PEP 503 form of the snapshot's name is found");
  } finally {
    await engine.close();
  }
});
