// One build over the real 2026-11 snapshots (a few seconds), then spot checks.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type BuildStats, buildIndex } from "../../../src/sources/offline-index/build.ts";
import { type OfflineIndex, openIndex } from "../../../src/sources/offline-index/read.ts";
import { createIndexSource } from "../../../src/sources/offline-index/source.ts";

const snapshot = (file: string) => new URL(`../../../../shared/registry-snapshot/${file}`, import.meta.url).pathname;
const pep503 = (n: string) => n.replace(/[-_.]+/g, "-").toLowerCase();

describe("offline index over the real snapshots", () => {
  let dir: string;
  let stats: BuildStats;
  let index: OfflineIndex;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "bouncer-real-index-"));
    stats = await buildIndex({
      out: join(dir, "index.bin"),
      inputs: [
        { ecosystem: "npm", file: snapshot("npm.tsv.gz"), normalize: (n) => n },
        { ecosystem: "pypi", file: snapshot("pypi.tsv.gz"), normalize: pep503 },
      ],
    });
    index = openIndex(join(dir, "index.bin"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("every row is kept (no quote handling swallows rows)", () => {
    assert.deepEqual(
      stats.ecosystems.map((e) => [e.ecosystem, e.rows, e.entries, e.skipped, e.collisions]),
      [
        ["npm", 226993, 226993, 0, 0],
        ["pypi", 886323, 886323, 0, 0],
      ],
    );
    assert.ok(stats.bytes < 25 * 1024 * 1024, `index is ${stats.bytes} bytes`);
  });

  test("coverage: npm is a popularity cut, PyPI is complete", () => {
    assert.deepEqual(index.coverage("npm"), {
      ecosystem: "npm",
      complete: false,
      count: 226993,
      snapshotDate: "2026-11",
      minDownloads: 480,
    });
    assert.deepEqual(index.coverage("pypi"), {
      ecosystem: "pypi",
      complete: true,
      count: 886323,
      snapshotDate: "2026-11",
      rankedUpTo: 15000,
    });
  });

  test("known names", () => {
    assert.deepEqual(index.lookup("npm", "react"), { name: "react", latestVersion: "19.3.1", downloads: 351327975 });
    assert.equal(index.lookup("npm", "JSONStream")?.downloads, 44248910);
    assert.equal(index.lookup("npm", "jsonstream")?.latestVersion, "1.0.3");
    assert.equal(index.lookup("npm", "@ant-design/cli")?.downloads, undefined);
    assert.deepEqual(index.lookup("pypi", "requests"), {
      name: "requests",
      latestVersion: "2.34.2",
      rank: 6,
      lastReleaseMonth: "2026-05",
    });
    assert.equal(index.lookup("pypi", "numpy")?.rank, 20);
    assert.equal(index.lookup("pypi", "reqeusts"), undefined);
    assert.equal(index.lookup("pypi", "numpay")?.latestVersion, "0.0.8", "a squatted name that exists");
    assert.deepEqual(
      index.popular("pypi", 3).map((p) => p.name),
      ["boto3", "packaging", "urllib3"],
    );
    assert.deepEqual(index.popular("npm", 1), [{ name: "semver", downloads: 2399072936 }]);
    assert.equal(index.popular("pypi").length, 14985);
  });

  test("as a source", async () => {
    const source = createIndexSource(index);
    assert.equal((await source.lookup("pypi", "fastapi-secure-auth-extension")).existence, "absent");
    assert.equal(
      (await source.lookup("npm", "fastapi-secure-auth-extension")).unknownReason,
      "not in the offline npm index, which lists only packages with at least 480 downloads a month (snapshot 2026-11)",
    );
  });
});
