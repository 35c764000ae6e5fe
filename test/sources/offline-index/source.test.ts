import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { buildIndex } from "../../../src/sources/offline-index/build.ts";
import { openIndex } from "../../../src/sources/offline-index/read.ts";
import { createIndexSource } from "../../../src/sources/offline-index/source.ts";
import type { DataSource } from "../../../src/sources/types.ts";

describe("offline index as a data source", () => {
  let dir: string;
  let source: DataSource;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "bouncer-index-source-"));
    writeFileSync(join(dir, "npm.tsv"), "name\tversion\tdownloads_a_month\tsummary\nreact\t19.3.1\t351327975\t\nfresh\t0.1.0\t\t\n");
    writeFileSync(
      join(dir, "pypi.tsv"),
      "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\nrequests\t2.34.2\t2026-05\t6\t\nobscure\t0.1\t2026-11\t\t\n",
    );
    await buildIndex({
      out: join(dir, "index.bin"),
      inputs: [
        { ecosystem: "npm", file: join(dir, "npm.tsv"), normalize: (n) => n },
        { ecosystem: "pypi", file: join(dir, "pypi.tsv"), normalize: (n) => n.toLowerCase() },
      ],
    });
    source = createIndexSource(openIndex(join(dir, "index.bin")));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("has the agreed id", () => assert.equal(source.id, "offline-index"));

  test("a listed npm package exists, with its version and downloads", async () => {
    assert.deepEqual(await source.lookup("npm", "react"), {
      source: "offline-index",
      existence: "exists",
      latestVersion: "19.3.1",
      downloadsLastMonth: 351327975,
    });
    assert.deepEqual(await source.lookup("npm", "fresh"), {
      source: "offline-index",
      existence: "exists",
      latestVersion: "0.1.0",
    });
  });

  test("a name missing from the incomplete npm list is unknown, saying what the list covers", async () => {
    assert.deepEqual(await source.lookup("npm", "reactt"), {
      source: "offline-index",
      existence: "unknown",
      // The fixture's smallest count is react's, so that is the stated floor.
      unknownReason:
        "not in the offline npm index, which lists only packages with at least 351327975 downloads a month (snapshot 2026-11)",
    });
  });

  test("PyPI: ranked, unranked (null: the list is complete) and absent", async () => {
    assert.deepEqual(await source.lookup("pypi", "requests"), {
      source: "offline-index",
      existence: "exists",
      latestVersion: "2.34.2",
      popularityRank: 6,
    });
    assert.deepEqual(await source.lookup("pypi", "obscure"), {
      source: "offline-index",
      existence: "exists",
      latestVersion: "0.1",
      popularityRank: null,
    });
    // Missing from the complete list: absent, and not among the ranked (a project registered since is unpopular).
    assert.deepEqual(await source.lookup("pypi", "numpay"), { source: "offline-index", existence: "absent", popularityRank: null });
  });

  test("an ecosystem the index lacks is unknown", async () => {
    assert.deepEqual(await source.lookup("cargo", "serde"), {
      source: "offline-index",
      existence: "unknown",
      unknownReason: "the offline index has no cargo list",
    });
  });
});
