// Quality of the name intelligence over ../shared data: suggestions for misspelled names, false
// alarms on established packages, and detection of generated typosquats. Numbers are logged.
import assert from "node:assert/strict";
import { test } from "node:test";
import { emptyFacts, type PackageFacts } from "../../src/core/model.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";
import { normalizePypiName } from "../../src/ecosystems/pypi/names.ts";
import { createNameIntel } from "../../src/similarity/intel.ts";
import { loadShippedPopular } from "../../src/similarity/shipped.ts";
import type { NameIntel } from "../../src/similarity/types.ts";
import { loadSnapshot, readDataset, type SnapshotRow } from "./shared-data.ts";
import { makeTypo, seededRandom, TYPO_KINDS, type TypoOptions } from "./typo-generator.ts";

const npmSnapshot = loadSnapshot("npm");
const pypiSnapshot = loadSnapshot("pypi");
const importNames = readDataset("python-import-names.tsv");
const npm = createNameIntel(loadShippedPopular("npm"), getEcosystem("npm")!.similarity);
// The PyPI module's import names, as the ecosystem passes them: suggestions know sklearn is scikit-learn.
const pypi = createNameIntel(loadShippedPopular("pypi"), {
  ...getEcosystem("pypi")!.similarity,
  aliases: importNames.map((r) => [r.import_name!, normalizePypiName(r.distribution!)] as const),
});

const factsOf = (row: SnapshotRow): PackageFacts => ({
  ...emptyFacts(),
  existence: "exists",
  downloadsLastMonth: row.downloads,
  popularityRank: row.rank,
});
const percent = (n: number, of: number) => `${n}/${of} = ${((100 * n) / of).toFixed(2)}%`;

/** What a misspelling's target may be answered with: the import name or a distribution providing it. */
function accepted(target: string): Set<string> {
  const out = new Set([normalizePypiName(target)]);
  for (const r of importNames) if (r.import_name === target) out.add(normalizePypiName(r.distribution!));
  return out;
}

const typoRows = readDataset("fake-and-typo-names.tsv").filter((r) => r.kind === "typo_small" || r.kind === "typo_medium");
const pypiByName = new Map(pypiSnapshot.map((r) => [r.name, r]));

test("misspelled library names not on PyPI: suggest() names the real library first", () => {
  let first = 0;
  let inFive = 0;
  let total = 0;
  for (const row of typoRows) {
    const name = normalizePypiName(row.name!);
    if (pypiByName.has(name)) continue;
    total++;
    const want = accepted(row.target!);
    const got = pypi.suggest(name, 5);
    if (want.has(got[0]!)) first++;
    if (got.some((s) => want.has(s))) inFive++;
  }
  console.log(`suggest, misspelled names not on PyPI: first ${percent(first, total)}, in the first five ${percent(inFive, total)}`);
  assert.ok(total >= 380, `${total}`);
  assert.ok(first / total >= 0.85);
  assert.ok(inFive / total >= 0.94);
});

test("misspelled library names that are registered on PyPI: typosquat() points at the real library or at nothing", () => {
  const flagged: string[] = [];
  let total = 0;
  for (const row of typoRows) {
    const snapshotRow = pypiByName.get(normalizePypiName(row.name!));
    if (!snapshotRow) continue;
    total++;
    const match = pypi.typosquat(snapshotRow.name, factsOf(snapshotRow));
    if (!match) continue;
    flagged.push(`${snapshotRow.name} -> ${match.target} (${match.edit})`);
    assert.ok(accepted(row.target!).has(match.target), `${snapshotRow.name}: ${match.target}`);
  }
  console.log(`typosquat, misspelled names on PyPI: ${flagged.length}/${total} flagged: ${flagged.join(", ")}`);
  assert.ok(total >= 10);
  assert.ok(flagged.length >= 4);
});

function falseAlarms(label: string, intel: NameIntel, rows: SnapshotRow[]): number {
  const hits = rows.filter((r) => intel.typosquat(r.name, factsOf(r)) !== null);
  console.log(`false alarms, ${label}: ${percent(hits.length, rows.length)}`, hits.slice(0, 5).map((r) => r.name));
  return hits.length / rows.length;
}

test("false alarms: PyPI's ranked projects and npm's most downloaded, at most 0.5%", () => {
  const ranked = pypiSnapshot.filter((r) => r.rank !== null);
  assert.ok(ranked.length >= 14_900);
  assert.ok(falseAlarms("PyPI ranked", pypi, ranked) <= 0.005);
  const big = npmSnapshot.filter((r) => (r.downloads ?? 0) >= 1_000_000);
  assert.ok(big.length >= 10_000);
  assert.ok(falseAlarms("npm >= 1M downloads a month", npm, big) <= 0.005);
});

test("false alarms: npm packages with 5,000 to 50,000 downloads a month, at most 1%", () => {
  const band = npmSnapshot.filter((r) => r.downloads !== null && r.downloads >= 5_000 && r.downloads < 50_000);
  assert.ok(band.length >= 50_000);
  assert.ok(falseAlarms("npm 5k-50k downloads a month", npm, band) <= 0.01);
});

test("compound look-alikes name the right target: affix plus an edit, lost separators plus an edit, swaps in dotted names, two slips in long names (issue 8 item 17)", () => {
  const cases: Array<[NameIntel, string, string]> = [
    [npm, "expresjs", "express"],
    [npm, "expres-js", "express"],
    [npm, "node-expres", "express"],
    [npm, "lodahs-js", "lodash"],
    [npm, "reactroutrdom", "react-router-dom"],
    [npm, "reactdomm", "react-dom"],
    // Lost separators in the 5,000 most popular names, as in the wild (scripts/wild-typosquats.ts).
    [npm, "karmachromelauncer", "karma-chrome-launcher"],
    [npm, "npmrunnall", "npm-run-all"],
    // Two slips inside a long name of the 1,000 most popular.
    [npm, "cozsmiconfnig", "cosmiconfig"],
    [npm, "regeneraor-runteime", "regenerator-runtime"],
    [npm, "socket.lo", "socket.io"],
    [npm, "sockrt.io", "socket.io"],
    [npm, "lodash.gte", "lodash.get"],
    // The distribution a user installs, not the older name it succeeded.
    [pypi, "beautifulsop", "beautifulsoup4"],
  ];
  const wrong = cases.filter(([intel, name, target]) => intel.typosquat(name, emptyFacts())?.target !== target).map(([, name]) => name);
  assert.deepEqual(wrong, []);
});

test("misspelled library names: the typosquat finding names the right library (logged, with a floor)", () => {
  const rows = readDataset("fake-and-typo-names.tsv").filter((r) => r.kind !== "fabrication");
  const right = rows.filter((r) => accepted(r.target!).has(pypi.typosquat(normalizePypiName(r.name!), emptyFacts())?.target ?? "")).length;
  console.log(`typosquat names the right library, misspelled names: ${percent(right, rows.length)}`);
  assert.ok(right / rows.length >= 0.26);
});

test("known hard cases are never typosquats, with their own popularity or none", () => {
  const npmRows = new Map(npmSnapshot.map((r) => [r.name, r]));
  const hard = {
    npm: [
      "tsx", "clsx", "vue", "vuex", "react", "preact", "@types/react", "react-dom", "lodash.get", "lodash", "ts-node",
      "js-yaml", "yaml", "next", "nuxt", "node-fetch", "cross-env", "ws", "esbuild", "@babel/core", "redux",
      // legitimate small packages one letter from a popular one
      "preact-redux", "mobx-preact", "async-request", "prompt-async", "mocks", "masked", "stash", "extent",
      // two changes from a popular name, but another word or other ends
      "can-promise", "tail-stream", "html-parser", "csv-stream",
    ],
    pypi: [
      "zope.interface", "requests", "python-dateutil", "pyyaml", "six", "sklearn", "scikit-learn", "bs4", "pillow", "pytz",
      "typing_extensions", "boto3", "botocore", "numpy", "pandas", "dateparser", "jinja2",
    ],
  };
  const wrong: string[] = [];
  for (const name of hard.npm) {
    const row = npmRows.get(name);
    assert.ok(row, `${name} is in the npm snapshot`);
    if (npm.typosquat(name, factsOf(row)) || (npm.isPopular(name) && npm.typosquat(name, emptyFacts()))) wrong.push(name);
  }
  for (const raw of hard.pypi) {
    const row = pypiByName.get(normalizePypiName(raw));
    assert.ok(row, `${raw} is in the PyPI snapshot`);
    if (pypi.typosquat(row.name, factsOf(row)) || pypi.typosquat(row.name, emptyFacts())) wrong.push(raw);
  }
  assert.deepEqual(wrong, []);
});

const GENERATED: Record<"npm" | "pypi", TypoOptions> = {
  npm: { scoped: true, separators: ["-", "_", "."], prefixes: ["js-", "node-"], suffixes: ["-js", ".js", "js"] },
  pypi: { scoped: false, separators: ["-"], prefixes: ["py-", "python-", "py"], suffixes: ["-py", "-python"] },
};

test("generated typosquats of the 500 most popular names, unknown to the registry, are caught with the right target", () => {
  for (const [eco, intel, snapshot, floor] of [
    ["npm", npm, npmSnapshot, 0.93],
    ["pypi", pypi, pypiSnapshot, 0.95],
  ] as const) {
    const registered = new Set(snapshot.map((r) => r.name.toLowerCase()));
    const random = seededRandom(42);
    const byKind = new Map<string, [number, number]>();
    let caught = 0;
    let total = 0;
    for (const { name } of loadShippedPopular(eco).slice(0, 500)) {
      for (const kind of TYPO_KINDS) {
        const typo = makeTypo(name, kind, random, GENERATED[eco]);
        if (!typo || typo === name || registered.has(typo.toLowerCase())) continue;
        const ok = intel.typosquat(typo, emptyFacts())?.target === name;
        const k = byKind.get(kind) ?? [0, 0];
        byKind.set(kind, [k[0] + (ok ? 1 : 0), k[1] + 1]);
        caught += ok ? 1 : 0;
        total++;
      }
    }
    const kinds = [...byKind].map(([k, [a, b]]) => `${k} ${((100 * a) / b).toFixed(0)}%`).join(", ");
    console.log(`recall, ${eco}: ${percent(caught, total)} (${kinds})`);
    assert.ok(total >= 3000, `${eco}: ${total}`);
    assert.ok(caught / total >= floor, eco);
  }
});

test("generated one-edit misspellings of popular names: suggest() names the real one first", () => {
  for (const [eco, intel, snapshot] of [
    ["npm", npm, npmSnapshot],
    ["pypi", pypi, pypiSnapshot],
  ] as const) {
    const registered = new Set(snapshot.map((r) => r.name.toLowerCase()));
    const list = loadShippedPopular(eco);
    const random = seededRandom(7);
    const kinds = ["deletion", "insertion", "keyboard", "transposition", "substitution", "repeated-letter"] as const;
    let first = 0;
    let total = 0;
    while (total < 400) {
      const { name } = list[Math.floor(random() * list.length)]!;
      const typo = makeTypo(name, kinds[Math.floor(random() * kinds.length)]!, random, GENERATED[eco]);
      if (!typo || registered.has(typo.toLowerCase())) continue;
      total++;
      if (intel.suggest(typo, 5)[0] === name) first++;
    }
    console.log(`suggest, generated one-edit misspellings, ${eco}: first ${percent(first, total)}`);
    assert.ok(first / total >= 0.9, eco);
  }
});
