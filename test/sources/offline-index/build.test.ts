import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { buildIndex, type BuildStats } from "../../../src/sources/offline-index/build.ts";
import { IndexFormatError } from "../../../src/sources/offline-index/format.ts";
import { type OfflineIndex, openIndex } from "../../../src/sources/offline-index/read.ts";

const pep503 = (n: string) => n.replace(/[-_.]+/g, "-").toLowerCase();
const same = (n: string) => n;

// Summaries with quotes: a quote-aware reader would merge these rows into their neighbours.
const NPM_ROWS = [
  ["name", "version", "downloads_a_month", "summary"],
  ["@types/node", "26.6.6", "1033889329", "TypeScript definitions for node"],
  ["JSONStream", "1.3.5", "44248910", '"rawStream.pipe(JSONStream.parse()).pipe(streamOfObjects)'],
  ["jsonstream", "1.0.3", "29921", "legacy lower-case twin"],
  ["left-pad", "1.3.0", "480", 'a "quoted word" inside'],
  ["new-thing", "0.1.0", "", ""],
  ["react", "19.3.1", "351327975", "React is a JavaScript library for building user interfaces."],
  ["reactx", "0.0.1", "500", '"'],
];

const PYPI_ROWS = [
  ["name", "version", "month", "rank_among_15000_most_downloaded", "summary"],
  ["Flask_Login", "0.6.3", "2023-10", "900", '"User session management'],
  ["certifi", "", "", "4", "Python package for providing Mozilla's CA Bundle."],
  ["numpy", "2.5.5", "2026-11", "20", "Fundamental package"],
  ["requests", "2.34.2", "2026-05", "6", "Python HTTP for Humans."],
  ["tiny.pkg", "0.0.1", "2017-08", "", ""],
  ["zope.interface", "7.0", "2026-09", "", "Interfaces for Python"],
];

const tsv = (rows: string[][], eol = "\n") => rows.map((r) => r.join("\t")).join(eol) + eol;

describe("offline index from small snapshots", () => {
  let dir: string;
  let out: string;
  let stats: BuildStats;
  let index: OfflineIndex;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "bouncer-index-"));
    writeFileSync(join(dir, "npm.tsv"), tsv(NPM_ROWS, "\r\n"));
    writeFileSync(join(dir, "pypi.tsv.gz"), gzipSync(tsv(PYPI_ROWS)));
    out = join(dir, "data", "index.bin");
    stats = await buildIndex({
      out,
      inputs: [
        { ecosystem: "npm", file: join(dir, "npm.tsv"), normalize: same },
        { ecosystem: "pypi", file: join(dir, "pypi.tsv.gz"), normalize: pep503 },
      ],
    });
    index = openIndex(out);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("reports what it built and leaves no temporary file", () => {
    assert.deepEqual(
      stats.ecosystems.map((e) => [e.ecosystem, e.rows, e.entries, e.skipped, e.collisions]),
      [
        ["npm", 7, 7, 0, 0],
        ["pypi", 6, 6, 0, 0],
      ],
    );
    assert.deepEqual(stats.problems, []);
    assert.equal(stats.bytes, readFileSync(out).length);
    assert.deepEqual(readdirSync(join(dir, "data")), ["index.bin"]);
    assert.deepEqual(index.ecosystems(), ["npm", "pypi"]);
  });

  test("every npm row round-trips, quotes and letter case included", () => {
    assert.deepEqual(index.lookup("npm", "JSONStream"), { name: "JSONStream", latestVersion: "1.3.5", downloads: 44248910 });
    assert.deepEqual(index.lookup("npm", "jsonstream"), { name: "jsonstream", latestVersion: "1.0.3", downloads: 29921 });
    assert.deepEqual(index.lookup("npm", "new-thing"), { name: "new-thing", latestVersion: "0.1.0" });
    for (const [name, version, downloads] of NPM_ROWS.slice(1)) {
      const e = index.lookup("npm", name!);
      assert.equal(e?.latestVersion, version, name);
      assert.equal(e?.downloads, downloads === "" ? undefined : Number(downloads), name);
    }
  });

  test("PyPI rows are found by canonical name and keep the name as published", () => {
    assert.deepEqual(index.lookup("pypi", "flask-login"), {
      name: "flask-login",
      publishedName: "Flask_Login",
      latestVersion: "0.6.3",
      rank: 900,
      lastReleaseMonth: "2023-10",
    });
    assert.deepEqual(index.lookup("pypi", "certifi"), { name: "certifi", latestVersion: null, rank: 4 });
    assert.deepEqual(index.lookup("pypi", "tiny-pkg"), {
      name: "tiny-pkg",
      publishedName: "tiny.pkg",
      latestVersion: "0.0.1",
      lastReleaseMonth: "2017-08",
    });
    assert.equal(index.lookup("pypi", "Flask_Login"), undefined, "lookups take canonical names");
  });

  test("misses: neighbours, prefixes, extensions, other ecosystems", () => {
    for (const name of ["", "@types/nod", "@types/node2", "a", "reac", "reacty", "zzz", "JSONstream", "react "]) {
      assert.equal(index.lookup("npm", name), undefined, JSON.stringify(name));
    }
    assert.equal(index.lookup("pypi", "react"), undefined);
    assert.equal(index.lookup("cargo", "serde"), undefined);
  });

  test("coverage is stated from the data", () => {
    assert.deepEqual(index.coverage("npm"), {
      ecosystem: "npm",
      complete: false,
      count: 7,
      snapshotDate: "2026-11",
      minDownloads: 480,
    });
    assert.deepEqual(index.coverage("pypi"), {
      ecosystem: "pypi",
      complete: true,
      count: 6,
      snapshotDate: "2026-11",
      rankedUpTo: 900,
    });
    assert.equal(index.coverage("cargo"), undefined);
  });

  test("popular lists are ordered most popular first", () => {
    assert.deepEqual(index.popular("npm", 3), [
      { name: "@types/node", downloads: 1033889329 },
      { name: "react", downloads: 351327975 },
      { name: "JSONStream", downloads: 44248910 },
    ]);
    assert.equal(index.popular("npm").length, 6, "the row without downloads is not ranked");
    assert.deepEqual(index.popular("pypi"), [
      { name: "certifi", rank: 4 },
      { name: "requests", rank: 6 },
      { name: "numpy", rank: 20 },
      { name: "flask-login", rank: 900 },
    ]);
    assert.deepEqual(index.popular("cargo", 5), []);
  });
});

describe("offline index over many names", () => {
  test("round-trips thousands of names across blocks, and only those", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bouncer-index-"));
    try {
      const names: string[] = [];
      // Every third name is published in upper case, so entries with a published name are interleaved.
      for (let i = 0; i < 3000; i++) names.push(`${i % 3 ? "pkg" : "UP"}-${(i * 7919) % 3001}-${"x".repeat(i % 5)}`);
      names.push("ünïcode-name", "a", "aa", "aab", "@scope/a", "z".repeat(200));
      const unique = [...new Set(names)];
      const rows = [["name", "version", "downloads_a_month"], ...unique.map((n, i) => [n, `1.${i}.0`, String(1000 + i)])];
      writeFileSync(join(dir, "big.tsv"), tsv(rows));
      const out = join(dir, "index.bin");
      const lower = (n: string) => n.toLowerCase();
      await buildIndex({ out, inputs: [{ ecosystem: "npm", file: join(dir, "big.tsv"), normalize: lower }] });
      const index = openIndex(out);
      unique.forEach((published, i) => {
        const n = lower(published);
        const expected = { name: n, latestVersion: `1.${i}.0`, downloads: 1000 + i };
        assert.deepEqual(index.lookup("npm", n), n === published ? expected : { ...expected, publishedName: published }, n);
        for (const miss of [`${n}-`, n.slice(0, -1), `0${n}`]) {
          if (!unique.includes(miss)) assert.equal(index.lookup("npm", miss), undefined, miss);
        }
      });
      const popular = index.popular("npm");
      assert.equal(popular.length, unique.length);
      assert.equal(popular[0]!.name, unique[unique.length - 1]);
      assert.deepEqual(popular.map((p) => p.downloads), unique.map((_, i) => 1000 + unique.length - 1 - i));
      // Nothing is said about completeness without evidence for it.
      assert.equal(index.coverage("npm")?.complete, false);
      assert.equal(index.coverage("npm")?.snapshotDate, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("names that share their first 16 bytes or more are told apart", async () => {
    // The search compares the first 16 bytes of block heads on their own: these names tie there.
    const dir = mkdtempSync(join(tmpdir(), "bouncer-index-"));
    try {
      const names = new Set<string>();
      for (let i = 0; i < 600; i++) names.add(`shared-prefix-of-sixteen-${i}`);
      for (let i = 0; i < 200; i++) names.add(`${"0123456789abcdef".slice(0, 12 + (i % 8))}${i % 10 ? "" : "é"}${i}`);
      for (const n of ["0123456789abcde", "0123456789abcdef", "0123456789abcdefg", "shared-prefix-of", "shared-prefix-of-sixteen"]) names.add(n);
      const unique = [...names];
      writeFileSync(join(dir, "prefix.tsv"), tsv([["name", "version", "downloads_a_month"], ...unique.map((n) => [n, "1.0.0", "1"])]));
      const out = join(dir, "index.bin");
      await buildIndex({ out, inputs: [{ ecosystem: "npm", file: join(dir, "prefix.tsv"), normalize: same }] });
      const index = openIndex(out);
      for (const n of unique) {
        assert.equal(index.lookup("npm", n)?.name, n, n);
        for (const miss of [`${n}-`, n.slice(0, -1), `${n.slice(0, -1)}~`, `${n}\u0000`]) {
          if (!names.has(miss)) assert.equal(index.lookup("npm", miss), undefined, JSON.stringify(miss));
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("offline index input problems", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "bouncer-index-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("names that collide after normalisation keep the more popular row", async () => {
    writeFileSync(
      join(dir, "case.tsv"),
      tsv([["name", "version", "downloads_a_month"], ["JSONStream", "1.3.5", "44248910"], ["jsonstream", "1.0.3", "29921"]]),
    );
    const stats = await buildIndex({
      out: join(dir, "case.bin"),
      inputs: [{ ecosystem: "npm", file: join(dir, "case.tsv"), normalize: (n) => n.toLowerCase() }],
    });
    assert.equal(stats.ecosystems[0]!.collisions, 1);
    assert.match(stats.problems[0]!, /line 3: "jsonstream" has the same canonical name as line 2/);
    assert.deepEqual(openIndex(join(dir, "case.bin")).lookup("npm", "jsonstream"), {
      name: "jsonstream",
      publishedName: "JSONStream",
      latestVersion: "1.3.5",
      downloads: 44248910,
    });
  });

  test("short rows and names the normaliser rejects are skipped and reported", async () => {
    writeFileSync(
      join(dir, "bad.tsv"),
      tsv([["name", "version", "month", "rank"], ["ok", "1.0", "2024-01", ""], ["short", "1.0"], ["bad name", "1", "2024-01", ""]]),
    );
    const stats = await buildIndex({
      out: join(dir, "bad.bin"),
      inputs: [
        {
          ecosystem: "pypi",
          file: join(dir, "bad.tsv"),
          normalize: (n) => {
            if (n.includes(" ")) throw new Error(`invalid name "${n}"`);
            return n;
          },
        },
      ],
    });
    assert.deepEqual(
      stats.ecosystems.map((e) => [e.rows, e.entries, e.skipped]),
      [[3, 1, 2]],
    );
    assert.match(stats.problems.join("\n"), /line 3: expected 4 tab-separated fields/);
    assert.match(stats.problems.join("\n"), /line 4: invalid name "bad name"/);
  });

  test("a missing file or a file without the expected header is a clear error", async () => {
    await assert.rejects(
      buildIndex({ out: join(dir, "x.bin"), inputs: [{ ecosystem: "npm", file: join(dir, "nope.tsv"), normalize: same }] }),
      /cannot read .*nope\.tsv: no such file/,
    );
    writeFileSync(join(dir, "csv.tsv"), "name,version\nreact,1\n");
    await assert.rejects(
      buildIndex({ out: join(dir, "x.bin"), inputs: [{ ecosystem: "npm", file: join(dir, "csv.tsv"), normalize: same }] }),
      /not a registry snapshot/,
    );
    writeFileSync(join(dir, "broken.tsv.gz"), gzipSync(tsv(NPM_ROWS)).subarray(0, 40));
    await assert.rejects(
      buildIndex({ out: join(dir, "x.bin"), inputs: [{ ecosystem: "npm", file: join(dir, "broken.tsv.gz"), normalize: same }] }),
      /cannot read npm snapshot .*broken\.tsv\.gz/,
    );
    assert.ok(!readdirSync(dir).some((f) => f.startsWith("x.bin")), "no output after a failed build");
  });
});

describe("damaged index files", () => {
  let dir: string;
  let good: Buffer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "bouncer-index-"));
    writeFileSync(join(dir, "npm.tsv"), tsv(NPM_ROWS));
    await buildIndex({ out: join(dir, "good.bin"), inputs: [{ ecosystem: "npm", file: join(dir, "npm.tsv"), normalize: same }] });
    good = readFileSync(join(dir, "good.bin"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const opening = (name: string, content: Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return () => openIndex(path);
  };

  test("a flipped byte anywhere is a checksum error", () => {
    for (const at of [20, Math.floor(good.length / 2), good.length - 10]) {
      const bad = Buffer.from(good);
      bad[at]! ^= 0x01;
      assert.throws(opening(`flip-${at}.bin`, bad), (e: unknown) => {
        assert.ok(e instanceof IndexFormatError);
        assert.match(e.message, /unusable: checksum mismatch .* rebuild it with "bouncer index build"/);
        return true;
      });
    }
  });

  test("truncated, foreign, empty and missing files are refused", () => {
    assert.throws(opening("cut.bin", good.subarray(0, good.length - 100)), /unusable: the file is truncated/);
    assert.throws(opening("foreign.bin", Buffer.from("name\tversion\nreact\t1\n".repeat(4))), /not an offline index file/);
    assert.throws(opening("empty.bin", Buffer.alloc(0)), /not an offline index file/);
    assert.throws(() => openIndex(join(dir, "missing.bin")), /unusable: the file does not exist/);
  });

  test("a file from another format version is refused", () => {
    const other = Buffer.from(good);
    other.writeUInt32LE(99, 8);
    assert.throws(opening("v99.bin", other), /format version 99, this Bouncer reads version 1/);
  });
});
