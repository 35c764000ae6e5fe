import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, mock, test } from "node:test";
import type { MaliciousRecord } from "../../../src/core/model.ts";
import type { ParsedOsv } from "../../../src/sources/feed/osv.ts";
import { type FeedStore, openFeedStore } from "../../../src/sources/feed/store.ts";

const record = (id: string): MaliciousRecord => ({ id, summary: `report ${id}`, allVersions: true, versions: [], ranges: [] });

function report(id: string, packages: Array<[string, string]>, modified = "2024-01-01T00:00:00Z"): ParsedOsv {
  return {
    id,
    modified,
    modifiedMs: Date.parse(modified),
    withdrawn: false,
    packages: packages.map(([ecosystem, name]) => ({ ecosystem, name, record: record(id) })),
    otherEcosystems: [],
  };
}

// The store answers its first lookups with queries, then from a filter of the reported names:
// every test here looks up enough names to reach the filter.
const pastPlainQueries = (store: FeedStore) => {
  for (let i = 0; i < 1500; i++) assert.deepEqual(store.find("npm", `absent-${i}`), []);
};

describe("feed store lookups", () => {
  let dir: string;
  let store: FeedStore;
  const reported: Array<[string, string]> = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "bouncer-feed-store-"));
    store = openFeedStore(join(dir, "feed.sqlite"));
    for (let i = 0; i < 3000; i++) reported.push([i % 3 ? "npm" : "pypi", `evil-${i}`]);
    // Names are kept as the feed wrote them, separators included.
    reported.push(["npm", "two\nlines"], ["npm", ""], ["pypi", "caf\u00e9"], ["npm", "@scope/evil"]);
    store.transaction(() => {
      for (let i = 0; i < reported.length; i++) store.upsert(report(`MAL-${i}`, [reported[i]!]), "{}");
    });
    pastPlainQueries(store);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("every reported name is found, in its own ecosystem only", () => {
    for (let i = 0; i < reported.length; i++) {
      const [ecosystem, name] = reported[i]!;
      assert.deepEqual(store.find(ecosystem, name), [record(`MAL-${i}`)], `${ecosystem} ${JSON.stringify(name)}`);
      assert.deepEqual(store.find(ecosystem === "npm" ? "pypi" : "npm", name), []);
    }
    for (const name of ["two", "lines", "evil-", "evil-3000", "Evil-1", "cafe"]) assert.deepEqual(store.find("npm", name), []);
    assert.deepEqual(store.find("cargo", "evil-1"), []);
  });

  test("a record written through the store is seen at once; a withdrawn one is gone", () => {
    store.upsert(report("MAL-NEW", [["npm", "fresh-evil"]]), "{}");
    assert.deepEqual(store.find("npm", "fresh-evil"), [record("MAL-NEW")]);
    assert.equal(store.withdraw(report("MAL-NEW", [["npm", "fresh-evil"]], "2024-02-01T00:00:00Z")), true);
    assert.deepEqual(store.find("npm", "fresh-evil"), []);
  });

  test("a record another connection writes is seen within a second", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const reader = openFeedStore(join(dir, "feed.sqlite"));
    try {
      pastPlainQueries(reader);
      assert.deepEqual(reader.find("npm", "late-evil"), []);
      store.upsert(report("MAL-LATE", [["npm", "late-evil"]]), "{}");
      mock.timers.tick(1000);
      assert.deepEqual(reader.find("npm", "late-evil"), [record("MAL-LATE")]);
    } finally {
      reader.close();
      mock.timers.reset();
    }
  });
});
