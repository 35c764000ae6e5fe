import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type FeedImportStats, importFeeds } from "../../../src/sources/feed/import.ts";
import { createFeedSource } from "../../../src/sources/feed/source.ts";
import { type FeedStore, openFeedStore } from "../../../src/sources/feed/store.ts";
import { makeZip } from "./make-zip.ts";

const feeds = (file: string) => new URL(`../../../../shared/feeds/${file}`, import.meta.url).pathname;
const normalizers = { npm: (n: string) => n, pypi: (n: string) => n.replace(/[-_.]+/g, "-").toLowerCase() };

function osv(id: string, modified: string, affected: unknown[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({ schema_version: "1.6.0", id, modified, summary: `report ${id}`, affected, ...extra });
}
const npmPkg = (name: string, more: Record<string, unknown> = {}) => ({ package: { ecosystem: "npm", name }, ...more });

describe("feed import of the shared OSV exports", () => {
  let dir: string;
  let store: FeedStore;
  let stats: FeedImportStats;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "bouncer-feed-"));
    store = openFeedStore(join(dir, "data", "feed.sqlite"));
    stats = await importFeeds([feeds("osv-npm-all.zip"), feeds("osv-pypi-all.zip"), feeds("samples")], store, normalizers);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("imports every record, per ecosystem", () => {
    assert.equal(stats.files, 5);
    assert.equal(stats.documents, 26813);
    assert.equal(stats.inserted, 26810);
    assert.deepEqual([stats.updated, stats.unchanged], [0, 3], "the samples repeat three exported records");
    assert.equal(stats.malformed, 0);
    assert.deepEqual(stats.problems, []);
    assert.deepEqual(stats.skipped, {});
    assert.deepEqual(store.counts(), { npm: 18037, pypi: 8773 });
  });

  test("a version-list record: MAL-2024-8886", () => {
    const [r] = store.find("npm", "0g-da-contract");
    assert.equal(r?.id, "MAL-2024-8886");
    assert.deepEqual(r?.versions, ["2.2.0"]);
    assert.equal(r?.allVersions, false);
  });

  test("range records keep their events for the ecosystem to evaluate", () => {
    assert.deepEqual(store.find("npm", "fsevents"), [
      {
        id: "MAL-2023-462",
        summary: "Malicious code in fsevents (npm)",
        allVersions: false,
        versions: [],
        ranges: [{ type: "SEMVER", events: [{ introduced: "1.0.0" }, { fixed: "1.2.11" }] }],
      },
    ]);
    assert.deepEqual(store.find("npm", "@ledgerhq/connect-kit")[0]?.ranges, [
      { type: "SEMVER", events: [{ introduced: "1.1.5" }, { last_affected: "1.1.7" }] },
    ]);
  });

  test("introduced 0 alone, with no versions, is every version", () => {
    const [r] = store.find("npm", "jquery-querybuilder");
    assert.deepEqual([r?.allVersions, r?.versions, r?.ranges], [true, [], []]);
  });

  test("PyPI names are stored canonical", () => {
    assert.deepEqual(
      store.find("pypi", "costrar").map((r) => [r.id, r.versions]),
      [["MAL-2024-1545", ["8.0"]]],
    );
    assert.deepEqual(store.find("pypi", "Costrar"), []);
    assert.equal(store.find("pypi", "barcodegeneratorqr")[0]?.id, "MAL-2023-1354");
  });

  test("a second import changes nothing", async () => {
    const again = await importFeeds([feeds("osv-pypi-all.zip")], store, normalizers);
    assert.deepEqual([again.inserted, again.updated, again.unchanged], [0, 0, 8773]);
    assert.deepEqual(store.counts(), { npm: 18037, pypi: 8773 });
  });

  test("the data source reports records without an opinion on existence", async () => {
    const source = createFeedSource(store);
    assert.equal(source.id, "malicious-feed");
    const o = await source.lookup("npm", "0g-da-contract");
    assert.equal(o.source, "malicious-feed");
    assert.equal(o.existence, undefined);
    assert.deepEqual(
      o.malicious?.map((m) => m.id),
      ["MAL-2024-8886"],
    );
    assert.deepEqual(await source.lookup("npm", "react"), { source: "malicious-feed", malicious: [] });
  });
});

describe("feed import rules", () => {
  let dir: string;
  let store: FeedStore;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "bouncer-feed-rules-"));
    store = openFeedStore(join(dir, "feed.sqlite"));
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("folders are read recursively; other ecosystems are counted and skipped", async () => {
    const root = join(dir, "tree");
    mkdirSync(join(root, "npm", "deep"), { recursive: true });
    writeFileSync(join(root, "npm", "deep", "MAL-1.json"), osv("MAL-1", "2024-01-01T00:00:00Z", [npmPkg("evil")]));
    writeFileSync(
      join(root, "npm", "MAL-2.json"),
      osv("MAL-2", "2024-01-01T00:00:00Z", [npmPkg("both", { versions: ["1.0.0"] }), npmPkg("both", { versions: ["1.0.1"] })]),
    );
    writeFileSync(join(root, "MAL-3.json"), osv("MAL-3", "2024-01-01T00:00:00Z", [{ package: { ecosystem: "crates.io", name: "x" } }]));
    writeFileSync(join(root, "notes.txt"), "not a record");
    const stats = await importFeeds([root], store, normalizers);
    assert.deepEqual([stats.files, stats.inserted, stats.malformed], [3, 2, 0]);
    assert.deepEqual(stats.skipped, { "crates.io": 1 });
    assert.deepEqual(stats.byEcosystem, { npm: 2 });
    assert.equal(store.find("npm", "evil")[0]?.allVersions, true, "no versions and no ranges: every version");
    assert.deepEqual(store.find("npm", "both")[0]?.versions, ["1.0.0", "1.0.1"]);
  });

  test("the newest modified wins; withdrawn records remove the stored one", async () => {
    const path = join(dir, "MAL-10.json");
    const write = (modified: string, versions: string[], extra: Record<string, unknown> = {}) =>
      writeFileSync(path, osv("MAL-10", modified, [npmPkg("churn", { versions })], extra));
    write("2024-05-01T00:00:00Z", ["2.0.0"]);
    assert.equal((await importFeeds([path], store, normalizers)).inserted, 1);
    write("2024-04-01T00:00:00Z", ["1.0.0"]);
    assert.equal((await importFeeds([path], store, normalizers)).older, 1);
    assert.deepEqual(store.find("npm", "churn")[0]?.versions, ["2.0.0"]);
    write("2024-06-01T00:00:00Z", ["3.0.0"]);
    assert.equal((await importFeeds([path], store, normalizers)).updated, 1);
    assert.deepEqual(store.find("npm", "churn")[0]?.versions, ["3.0.0"]);
    write("2024-07-01T00:00:00Z", ["3.0.0"], { withdrawn: "2024-07-01T00:00:00Z" });
    const stats = await importFeeds([path], store, normalizers);
    assert.deepEqual([stats.withdrawn, stats.removed], [1, 1]);
    assert.deepEqual(store.find("npm", "churn"), []);
  });

  test("malformed records are reported, never thrown", async () => {
    const bad = join(dir, "bad");
    mkdirSync(bad);
    writeFileSync(join(bad, "a.json"), "{ not json");
    writeFileSync(join(bad, "b.json"), osv("MAL-20", "yesterday", [npmPkg("x")]));
    writeFileSync(join(bad, "c.json"), osv("MAL-21", "2024-01-01T00:00:00Z", []));
    writeFileSync(join(bad, "d.json"), osv("MAL-22", "2024-01-01T00:00:00Z", [npmPkg("x", { versions: [1] })]));
    writeFileSync(join(bad, "e.json"), osv("MAL-23", "2024-01-01T00:00:00Z", [npmPkg("x", { ranges: [{ events: [] }] })]));
    writeFileSync(join(bad, "f.json"), JSON.stringify([1, 2]));
    const stats = await importFeeds([bad, join(dir, "missing")], store, normalizers);
    assert.equal(stats.malformed, 6);
    assert.equal(stats.inserted, 0);
    assert.deepEqual(
      stats.problems.map((p) => `${p.path.slice(dir.length)}: ${p.message}`),
      [
        "/bad/a.json: not valid JSON",
        "/bad/b.json: MAL-20: malformed OSV record: no valid modified time",
        "/bad/c.json: MAL-21: malformed OSV record: no affected packages",
        "/bad/d.json: MAL-22: malformed OSV record: affected[0]: versions is not a list of strings",
        "/bad/e.json: MAL-23: malformed OSV record: affected[0]: a range lacks type or events",
        "/bad/f.json: malformed OSV record: not a JSON object",
        "/missing: no such file or folder",
      ],
    );
  });

  test("a hostile zip: damaged entries are reported, sound ones imported", async () => {
    const good = osv("MAL-30", "2024-01-01T00:00:00Z", [npmPkg("zipped", { versions: ["1.0.0"] })]);
    const zip = makeZip([
      { name: "MAL-30.json", data: good, deflate: true },
      { name: "MAL-31.json", data: good.replaceAll("MAL-30", "MAL-31"), deflate: true, crc: 7 },
      { name: "MAL-32.json", data: "[".repeat(10_000), deflate: true },
      { name: "MAL-33.json", data: "0".repeat(100_000), deflate: true, size: 50 },
    ]);
    writeFileSync(join(dir, "hostile.zip"), zip);
    writeFileSync(join(dir, "cut.zip"), zip.subarray(0, zip.length - 25));
    const stats = await importFeeds([join(dir, "hostile.zip"), join(dir, "cut.zip")], store, normalizers, {
      zipLimits: { maxEntryBytes: 4096, maxTotalBytes: 1 << 20, maxEntries: 100 },
    });
    assert.equal(stats.inserted, 1);
    assert.deepEqual(store.find("npm", "zipped")[0]?.versions, ["1.0.0"]);
    assert.deepEqual(
      stats.problems.map((p) => `${p.path.slice(dir.length)} ${p.entry ?? "-"}: ${p.message}`),
      [
        "/hostile.zip MAL-31.json: MAL-31.json: CRC mismatch (damaged data)",
        "/hostile.zip MAL-32.json: MAL-32.json: declares 10000 bytes, more than the limit of 4096",
        "/hostile.zip MAL-33.json: MAL-33.json: inflates to more than its declared size; refused",
        "/cut.zip -: not a zip archive, or truncated (no end of central directory record)",
      ],
    );
  });

  test("the verbatim sample keeps both its version list and its introduced-0 range (OSV: their union)", async () => {
    const memory = openFeedStore(":memory:");
    try {
      const stats = await importFeeds([feeds("samples")], memory, normalizers);
      assert.deepEqual([stats.inserted, stats.malformed], [3, 0]);
      assert.deepEqual(memory.find("npm", "0g-da-contract"), [
        {
          id: "MAL-2024-8886",
          summary: "Malicious code in 0g-da-contract (npm)",
          allVersions: false,
          versions: ["2.2.0"],
          ranges: [{ type: "SEMVER", events: [{ introduced: "0" }] }],
        },
      ]);
    } finally {
      memory.close();
    }
  });

  test("a file that is not a feed store is a clear error", () => {
    const path = join(dir, "junk.sqlite");
    writeFileSync(path, "this is not a database at all, just text that is long enough".repeat(20));
    assert.throws(() => openFeedStore(path), /malicious feed store .*junk\.sqlite is unusable: file is not a database/);
  });
});
