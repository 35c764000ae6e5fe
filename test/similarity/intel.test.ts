import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyFacts, type PackageFacts } from "../../src/core/model.ts";
import { NPM_LANGUAGE_AFFIXES, PYPI_LANGUAGE_AFFIXES } from "../../src/similarity/affixes.ts";
import { createNameIntel } from "../../src/similarity/intel.ts";
import type { PopularEntry } from "../../src/core/model.ts";

const M = 1_000_000;
const NPM: PopularEntry[] = Object.entries({
  react: 300 * M,
  "react-dom": 250 * M,
  preact: 10 * M,
  "react-redux": 20 * M,
  lodash: 200 * M,
  "lodash.get": 20 * M,
  express: 100 * M,
  axios: 200 * M,
  chalk: 300 * M,
  typescript: 500 * M,
  "@babel/core": 150 * M,
  "@babel/parser": 200 * M,
  "@typescript-eslint/parser": 100 * M,
  "@types/react": 100 * M,
  "@types/node": 400 * M,
  tsx: 30 * M,
  clsx: 50 * M,
  vue: 40 * M,
  vuex: 5 * M,
  "ts-node": 60 * M,
  "js-yaml": 150 * M,
  "node-fetch": 200 * M,
  "cross-env": 30 * M,
  eslint: 300 * M,
  mocha: 30 * M,
  socks: 170 * M,
  webpack: 100 * M,
  request: 50 * M,
  requests: 1 * M,
  "lodash-utils": 1 * M,
}).map(([name, downloads]) => ({ name, downloads }));

const PYPI: PopularEntry[] = [
  "boto3", "requests", "python-dateutil", "pyyaml", "numpy", "pandas", "fastapi", "beautifulsoup4", "scikit-learn",
  "django", "zope-interface", "pytest", "bs4", "sklearn",
].map((name, i) => ({ name, rank: i + 1 }));

const npm = createNameIntel(NPM, { scoped: true, foldSeparators: false, languageAffixes: NPM_LANGUAGE_AFFIXES });
const pypi = createNameIntel(PYPI, {
  scoped: false,
  foldSeparators: true,
  languageAffixes: PYPI_LANGUAGE_AFFIXES,
  aliases: [["sklearn", "scikit-learn"], ["yaml", "PyYAML"]],
});
const unknown = emptyFacts();
const withDownloads = (n: number): PackageFacts => ({ ...emptyFacts(), existence: "exists", downloadsLastMonth: n });
const edit = (intel: typeof npm, name: string, facts = unknown) => {
  const m = intel.typosquat(name, facts);
  return m && `${m.target} ${m.edit}`;
};

test("one edit of a popular name is a typosquat, with the kind of edit", () => {
  assert.equal(edit(npm, "reactt"), "react repeated-letter");
  assert.equal(edit(npm, "expres"), "express repeated-letter");
  assert.equal(edit(npm, "axois"), "axios transposition");
  assert.equal(edit(npm, "typescrpt"), "typescript deletion");
  assert.equal(edit(npm, "typescripte"), "typescript insertion");
  assert.equal(edit(npm, "chalj"), "chalk keyboard");
  assert.equal(edit(npm, "mocah"), "mocha transposition");
  assert.equal(edit(npm, "webpeck"), "webpack substitution");
  assert.equal(edit(pypi, "reqeusts"), "requests transposition");
  assert.equal(edit(pypi, "numpay"), "numpy insertion");
});

test("look-alike characters: rn/m, 0/o, 1/l, I/l, Cyrillic", () => {
  assert.equal(edit(npm, "rnocha"), "mocha homoglyph");
  assert.equal(edit(npm, "l0dash"), "lodash homoglyph");
  assert.equal(edit(npm, "1odash"), "lodash homoglyph");
  assert.equal(edit(npm, "cIsx"), "clsx homoglyph");
  assert.equal(edit(npm, "\u0430xios"), "axios homoglyph"); // Cyrillic a
  assert.equal(edit(npm, "Lodash"), "lodash homoglyph");
});

test("separators changed, added or dropped", () => {
  assert.equal(edit(npm, "react_dom"), "react-dom separator");
  assert.equal(edit(npm, "reactdom"), "react-dom separator");
  assert.equal(edit(npm, "crossenv"), "cross-env separator");
  assert.equal(edit(npm, "lodash_get"), "lodash.get separator");
  assert.equal(edit(pypi, "pythondateutil"), "python-dateutil separator");
});

test("language affixes added, dropped or swapped", () => {
  assert.equal(edit(npm, "react-js"), "react affix");
  assert.equal(edit(npm, "axios.js"), "axios affix");
  assert.equal(edit(npm, "node-axios"), "axios affix");
  assert.equal(edit(npm, "fetch"), "node-fetch affix");
  assert.equal(edit(pypi, "py-requests"), "requests affix");
  assert.equal(edit(pypi, "requests-python"), "requests affix");
  assert.equal(edit(pypi, "dateutil"), "python-dateutil affix");
  assert.equal(edit(pypi, "py-dateutil"), "python-dateutil affix");
  assert.equal(edit(pypi, "pyfastapi"), "fastapi affix");
});

test("scope confusion: a scope mangled or turned into a prefix", () => {
  assert.equal(edit(npm, "@typescript_eslint/parser"), "@typescript-eslint/parser scope");
  assert.equal(edit(npm, "@typescripteslint/parser"), "@typescript-eslint/parser scope");
  assert.equal(edit(npm, "@babell/core"), "@babel/core scope");
  assert.equal(edit(npm, "@bable/parser"), "@babel/parser scope");
  assert.equal(edit(npm, "babel-core"), "@babel/core scope");
  assert.equal(edit(npm, "types-react"), "@types/react scope");
});

test("names a scope's owners publish, or that add a scope to a popular name, are not imitations", () => {
  assert.equal(edit(npm, "@babel/cores"), null);
  assert.equal(edit(npm, "@types/reactt"), null);
  assert.equal(edit(npm, "@acme/react"), null);
  assert.equal(edit(npm, "@types/express"), null);
  // ...but the bare name alone is no imitation of a scoped one either ("core", "parser" are generic).
  assert.equal(edit(npm, "parser"), null);
});

test("short names get no edit-distance matches: tsx/clsx, vue/vuex", () => {
  for (const name of ["tsx", "clsx", "vue", "vuex", "preact"]) assert.equal(npm.typosquat(name, unknown), null, name);
  for (const name of ["tsc", "clx", "vux", "vuw", "tsxx", "rect"]) assert.equal(npm.typosquat(name, unknown), null, name);
  // Swaps and doubled letters are slips even in four letters.
  assert.equal(edit(npm, "cslx"), "clsx transposition");
  assert.equal(edit(npm, "vuexx"), "vuex repeated-letter");
  const onlyVue = createNameIntel([{ name: "vue", downloads: 40 * M }, { name: "clsx", downloads: 50 * M }], { scoped: true, foldSeparators: false });
  for (const name of ["vuex", "vu", "tsx", "clx", "clsy", "clsxy"]) assert.equal(onlyVue.typosquat(name, unknown), null, name);
});

test("edits that look like another name rather than a slip are not typosquats", () => {
  assert.equal(edit(npm, "webpack5"), null, "digits: a version, not a typo");
  assert.equal(edit(npm, "preact-redux"), null, "the edited word is another popular name");
  assert.equal(edit(npm, "xreact"), null, "nobody mistypes a letter before the first");
  assert.equal(edit(npm, "mocks"), null, "an unrelated letter in a short name makes another word");
  assert.equal(edit(npm, "react-dom"), null, "popular itself");
  assert.equal(edit(npm, "react"), null, "never a typo of itself");
});

test("an established package is not a typosquat: the target must be far more popular", () => {
  assert.equal(edit(npm, "reactt", withDownloads(1_000)), "react repeated-letter");
  assert.equal(edit(npm, "reactt", withDownloads(2 * M)), "react repeated-letter");
  assert.equal(edit(npm, "reactt", withDownloads(10 * M)), null);
  // Outside the ranked set (rank null) is little usage; a rank of its own makes a name popular.
  const unranked = { ...emptyFacts(), existence: "exists" as const, popularityRank: null };
  assert.equal(edit(pypi, "reqeusts", unranked), "requests transposition");
  assert.equal(edit(pypi, "requests-python", { ...unranked, popularityRank: 2 }), null);
});

test("the most popular of several imitated names wins, and the match carries its popularity", () => {
  assert.deepEqual(npm.typosquat("requestt", unknown), {
    target: "request",
    edit: "repeated-letter",
    targetDownloads: 50 * M,
    targetRank: null,
  });
  assert.deepEqual(pypi.typosquat("reqests", unknown), { target: "requests", edit: "deletion", targetDownloads: null, targetRank: 2 });
});

test("folding registries: separators and case do not make another name", () => {
  assert.equal(pypi.typosquat("Python_Dateutil", unknown), null);
  assert.equal(pypi.isPopular("PyYAML"), true);
  assert.equal(pypi.isPopular("zope.interface"), true);
  assert.equal(edit(pypi, "Python_Dateutill"), "python-dateutil repeated-letter");
  assert.equal(npm.isPopular("React"), false);
});

test("suspicious: a popular name plus generic words models invent", () => {
  assert.deepEqual(pypi.suspicious("fastapi-secure-auth-extension"), { base: "fastapi", affix: "-secure-auth-extension", position: "suffix" });
  assert.deepEqual(pypi.suspicious("py-fastapi"), { base: "fastapi", affix: "py-", position: "prefix" });
  assert.deepEqual(pypi.suspicious("requests_async"), { base: "requests", affix: "-async", position: "suffix" });
  assert.deepEqual(npm.suspicious("node-express-utils"), { base: "express", affix: "-utils", position: "suffix" });
  assert.deepEqual(npm.suspicious("react-dom-helpers"), { base: "react-dom", affix: "-helpers", position: "suffix" });
  assert.deepEqual(npm.suspicious("@babel/core-plugin"), { base: "@babel/core", affix: "-plugin", position: "suffix" });
});

test("suspicious: nothing for popular names, plain names, or generic bases", () => {
  for (const name of ["fastapi", "lodash-utils", "react-dom", "fastapi-users", "utils-core", "sdk-utils", "reactutils", ""]) {
    assert.equal(npm.suspicious(name) ?? pypi.suspicious(name), null, name);
  }
});

test("suggest: what was probably meant, best first", () => {
  assert.equal(pypi.suggest("reqeusts")[0], "requests");
  assert.equal(pypi.suggest("numpay")[0], "numpy");
  assert.equal(pypi.suggest("dateutl")[0], "python-dateutil");
  assert.equal(pypi.suggest("fastapi-secure-auth-extension")[0], "fastapi");
  assert.ok(["scikit-learn", "sklearn"].includes(pypi.suggest("sklearnify")[0]!));
  assert.equal(pypi.suggest("pandaslib")[0], "pandas");
  assert.equal(npm.suggest("@babel/cor")[0], "@babel/core");
  assert.equal(npm.suggest("expresss")[0], "express");
});

test("suggest: a popular name gives itself alone, never a look-alike (issue 8 item 14)", () => {
  for (const name of ["pandas", "fastapi", "requests"]) assert.deepEqual(pypi.suggest(name, 3), [name]);
  for (const name of ["express", "react"]) assert.deepEqual(npm.suggest(name, 3), [name]);
});

test("suggest: limits, nothing for nothing", () => {
  assert.ok(pypi.suggest("reqeusts", 2).length <= 2);
  assert.deepEqual(pypi.suggest("reqeusts", 0), []);
  assert.deepEqual(pypi.suggest(""), []);
  assert.deepEqual(pypi.suggest("---"), []);
});

test("aliases given as a function are read only when a suggestion is needed", () => {
  let calls = 0;
  const intel = createNameIntel(PYPI, {
    scoped: false,
    foldSeparators: true,
    aliases: () => {
      calls++;
      return [["bs4", "beautifulsoup4"]];
    },
  });
  assert.equal(intel.typosquat("beautifullsoup4", unknown)?.target, "beautifulsoup4");
  assert.equal(calls, 0);
  assert.ok(["beautifulsoup4", "bs4"].includes(intel.suggest("bs4utils")[0]!));
  intel.suggest("bs5");
  assert.equal(calls, 1);
});

test("odd input never throws", () => {
  for (const name of ["", " ", "@", "@/", "@scope/", "/x", "a".repeat(300), "\u0000", "名前", "-_."]) {
    npm.typosquat(name, unknown);
    npm.suspicious(name);
    npm.suggest(name);
    pypi.typosquat(name, unknown);
    pypi.suggest(name);
  }
  assert.equal(createNameIntel([], { scoped: false, foldSeparators: false }).suggest("x").length, 0);
});
