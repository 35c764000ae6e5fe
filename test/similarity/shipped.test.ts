import assert from "node:assert/strict";
import { statSync } from "node:fs";
import { test } from "node:test";
import { loadShippedPopular, parsePopularTsv } from "../../src/similarity/shipped.ts";

test("the shipped npm list: most downloaded first, exact names, under 1 MB", () => {
  const list = loadShippedPopular("npm");
  assert.ok(list.length > 30_000, `${list.length}`);
  assert.ok(statSync(new URL("../../data/popular-npm.tsv", import.meta.url)).size < 1_000_000);
  for (let i = 1; i < list.length; i++) assert.ok(list[i - 1]!.downloads! >= list[i]!.downloads!);
  const names = new Set(list.map((e) => e.name));
  assert.equal(names.size, list.length);
  for (const name of ["react", "@types/node", "lodash.get", "JSONStream"]) assert.ok(names.has(name), name);
  assert.ok(list.every((e) => e.downloads! >= 150_000 && e.rank === undefined));
});

test("the shipped PyPI list: the ranked projects, PEP 503 names", () => {
  const list = loadShippedPopular("pypi");
  assert.ok(list.length >= 14_900, `${list.length}`);
  assert.ok(statSync(new URL("../../data/popular-pypi.tsv", import.meta.url)).size < 1_000_000);
  assert.deepEqual(list[0], { name: "boto3", rank: 1 });
  const names = new Set(list.map((e) => e.name));
  for (const name of ["typing-extensions", "python-dateutil", "zope-interface", "scikit-learn"]) assert.ok(names.has(name), name);
  assert.ok(list.every((e) => e.name === e.name.toLowerCase() && !/[_.]/.test(e.name)));
  assert.equal(loadShippedPopular("pypi"), list, "loaded once");
  // The ecosystem's normaliser, when one is given (similarity names no ecosystem itself).
  assert.deepEqual(loadShippedPopular("pypi", (n) => n.toUpperCase())[0], { name: "BOTO3", rank: 1 });
  assert.equal(loadShippedPopular("pypi"), list, "the first list stays cached");
  assert.throws(() => loadShippedPopular("../x"), /no shipped popular list/);
});

test("parsePopularTsv reads downloads or ranks and skips broken lines", () => {
  assert.deepEqual(parsePopularTsv("name\tdownloads\nreact\t300\nbroken\n\tx\nvue\t12\n"), [
    { name: "react", downloads: 300 },
    { name: "vue", downloads: 12 },
  ]);
  assert.deepEqual(parsePopularTsv("name\trank\nZope.Interface\t3\n", (n) => n.toLowerCase()), [{ name: "zope.interface", rank: 3 }]);
  assert.throws(() => parsePopularTsv("name\tstars\nx\t1\n"), /unknown column "stars"/);
  assert.throws(() => parsePopularTsv(""), /unknown column/);
});
