// The package search index: built with the offline index, bounded, ranked by words and popularity.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { test } from "node:test";
import { buildIndex } from "../../../src/sources/offline-index/build.ts";
import { encodeSearchIndex, openSearchIndex, parseQuery, type SearchDoc, searchIndexFrom, stem } from "../../../src/sources/offline-index/search.ts";
import { SEARCH_WORDS } from "../../../src/ecosystems/index.ts";

const NPM = [
  "name\tversion\tdownloads_a_month\tsummary",
  "axios\t1.13.2\t374810894\tPromise based HTTP client for the browser and node.js",
  "@actions/http-client\t2.2.3\t30000000\tActions Http Client",
  "got\t14.4.0\t90000000\tHuman-friendly and powerful HTTP request library for Node.js",
  "js-yaml\t4.1.0\t714031128\tYAML 1.2 parser and serializer",
  "yaml-lint\t1.7.0\t90000\tA simple YAML linter",
  "left-pad\t1.3.0\t2000000\tString left pad",
  "no-summary\t1.0.0\t5000\t",
].join("\n");
const PYPI = [
  "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary",
  "requests\t2.32.3\t2026-05\t4\tPython HTTP for Humans.",
  "PyYAML\t6.0.2\t2024-08\t20\tYAML parser and emitter for Python",
  "httpx\t0.28.1\t2024-12\t60\tThe next generation HTTP client.",
  "yaml-unranked\t0.1\t2019-01\t\tA YAML thing nobody uses",
].join("\n");

async function built() {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-search-"));
  writeFileSync(path.join(dir, "npm.tsv"), NPM);
  writeFileSync(path.join(dir, "pypi.tsv"), PYPI);
  const stats = await buildIndex({
    inputs: [
      { ecosystem: "npm", file: path.join(dir, "npm.tsv"), normalize: (n) => n },
      { ecosystem: "pypi", file: path.join(dir, "pypi.tsv"), normalize: (n) => n.toLowerCase().replace(/[-_.]+/g, "-") },
    ],
    out: path.join(dir, "index.bin"),
    searchOut: path.join(dir, "search.tsv.gz"),
  });
  return { stats, index: openSearchIndex(path.join(dir, "search.tsv.gz"))! };
}

test("index build writes the search index next to the offline index: popular packages only, names as published", async () => {
  const { stats, index } = await built();
  // The unranked PyPI project is not indexed: it has no popularity to rank by.
  assert.deepEqual(stats.search!.docs, { npm: 7, pypi: 3 });
  assert.deepEqual(index.ecosystems(), ["npm", "pypi"]);
  const yaml = index.search("pypi", parseQuery("parse yaml", SEARCH_WORDS), 5);
  assert.deepEqual(yaml.map((h) => h.name), ["PyYAML"]);
  assert.equal(yaml[0]!.summary, "YAML parser and emitter for Python");
});

test("an intent finds the popular package that fits, not the one that only shares a name", async () => {
  const { index } = await built();
  const q = parseQuery("http client for node", SEARCH_WORDS);
  assert.deepEqual(q, { terms: ["http", "client"], compounds: [{ at: 0, term: "httpclient" }], ecosystem: "npm" });
  assert.equal(index.search("npm", q, 3)[0]!.name, "axios");
  assert.equal(index.search("pypi", parseQuery("send http requests in python", SEARCH_WORDS), 3)[0]!.name, "requests");
  // Named outright: the package whose name is the word comes first.
  assert.equal(index.search("npm", parseQuery("pad a string on the left", SEARCH_WORDS), 3)[0]!.name, "left-pad");
});

test("words that fit nothing give nothing, and stop words alone are no query", async () => {
  const { index } = await built();
  assert.deepEqual(index.search("npm", parseQuery("quantum teleportation", SEARCH_WORDS), 3), []);
  assert.deepEqual(parseQuery("a library for python", SEARCH_WORDS).terms, []);
  assert.deepEqual(index.search("pypi", parseQuery("a library for python", SEARCH_WORDS), 3), []);
  assert.deepEqual(index.search("cargo", parseQuery("http client", SEARCH_WORDS), 3), []);
});

test("the words that name an ecosystem are the ecosystems' own (a new one brings its words), never an object's built-in keys", () => {
  assert.equal(parseQuery("http client for rust", { rust: "crates" }).ecosystem, "crates");
  assert.deepEqual(parseQuery("http client for rust", { rust: "crates" }).terms, ["http", "client"]);
  assert.equal(parseQuery("http client for rust", SEARCH_WORDS).ecosystem, undefined);
  const q = parseQuery("constructor tostring helper", SEARCH_WORDS);
  assert.equal(q.ecosystem, undefined);
  assert.deepEqual(q.terms, ["constructor", "tostr", "help"].map(stem));
});

test("stemming joins the forms of a word", () => {
  assert.equal(stem("parsing"), stem("parser"));
  assert.equal(stem("parses"), stem("parse"));
  assert.equal(stem("formatter"), stem("format"));
  assert.equal(stem("libraries"), stem("library"));
});

test("the index keeps the 60,000 most popular packages per ecosystem, summaries cut to 200 characters", () => {
  const docs: SearchDoc[] = Array.from({ length: 60_010 }, (_, i) => ({ name: `p${i}`, downloads: 1000 + i, summary: "x".repeat(300) }));
  const lines = gunzipSync(encodeSearchIndex([{ ecosystem: "npm", docs }])).toString("utf8").trim().split("\n").slice(1);
  assert.equal(lines.length, 60_000);
  assert.ok(lines.every((l) => l.split("\t")[4]!.length === 200));
  // The least popular ten are the ones left out.
  assert.ok(!lines.some((l) => /^npm\tp[0-9]\t/.test(l)));
  assert.deepEqual(searchIndexFrom(new Map([["npm", docs.slice(0, 2)]])).ecosystems(), ["npm"]);
});

test("a damaged search index is an error that says to rebuild, never a wrong answer", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-search-bad-"));
  writeFileSync(path.join(dir, "search.tsv.gz"), "not gzip");
  assert.throws(() => openSearchIndex(path.join(dir, "search.tsv.gz")), /unusable .*rebuild it/);
  writeFileSync(path.join(dir, "other.tsv.gz"), gzipSync('{"format":"something-else"}\n'));
  assert.throws(() => openSearchIndex(path.join(dir, "other.tsv.gz")), /not a search index/);
  assert.equal(openSearchIndex(path.join(dir, "missing.tsv.gz")), undefined);
});
