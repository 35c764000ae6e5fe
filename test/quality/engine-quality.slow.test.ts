// Detection quality of the whole engine, offline, over ../shared datasets: the floors and ceilings of issue 2.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { gunzipSync } from "node:zlib";
import type { PackageResult } from "../../src/core/model.ts";
import { defaultPolicy } from "../../src/core/policy.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";
import { buildSharedData, SHARED } from "../support/shared-data.ts";
import { checkPackages } from "../../src/engine/check.ts";
import { makeRequest } from "../../src/engine/requests.ts";
import { type OpenEngine, openEngine } from "../../src/engine/setup.ts";


const tsv = (file: string): string[][] => {
  const raw = readFileSync(path.join(SHARED, file));
  const text = file.endsWith(".gz") ? gunzipSync(raw).toString("utf8") : raw.toString("utf8");
  return text.split("\n").slice(1).filter(Boolean).map((l) => l.split("\t"));
};

const canon = (eco: string, name: string) => getEcosystem(eco)!.canonicalName(name);
let engine: OpenEngine;
const npmRows = tsv("registry-snapshot/npm.tsv.gz");
const pypiRows = tsv("registry-snapshot/pypi.tsv.gz");
const pypiNames = new Set(pypiRows.map((r) => canon("pypi", r[0]!)));
const npmNames = new Set(npmRows.map((r) => r[0]!.toLowerCase()));

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-quality-"));
  await buildSharedData(dir);
  engine = await openEngine({
    dataDir: dir,
    offline: true,
    policy: defaultPolicy(),
    now: new Date("2026-11-23T12:00:00Z"),
    registries: { npm: "http://127.0.0.1:9/", npmDownloads: "http://127.0.0.1:9/", pypi: "http://127.0.0.1:9/" },
  });
});
after(() => engine?.close());

async function judgeAll(eco: string, names: string[]): Promise<PackageResult[]> {
  const e = getEcosystem(eco)!;
  return checkPackages(names.map((n) => makeRequest(e, n, null)), engine);
}

const rate = (n: number, of: number) => `${n}/${of} = ${((100 * n) / of).toFixed(2)}%`;
const hasCode = (r: PackageResult, code: string) => r.findings.some((f) => f.code === code);

test("every hallucinated name that no snapshot lists is blocked", async () => {
  const rows = tsv("datasets/hallucinated-names.tsv");
  let checked = 0;
  const passed: string[] = [];
  for (const eco of ["npm", "pypi"]) {
    const names = rows.filter((r) => r[0] === eco).map((r) => r[1]!);
    const listed = eco === "pypi" ? (n: string) => pypiNames.has(canon("pypi", n)) : (n: string) => npmNames.has(n.toLowerCase());
    const unlisted = names.filter((n) => !listed(n));
    checked += unlisted.length;
    for (const r of await judgeAll(eco, unlisted)) if (r.verdict !== "block") passed.push(r.purl);
  }
  console.log(`hallucinated, unlisted: ${checked} checked, ${passed.length} not blocked`);
  assert.ok(checked > 600);
  assert.deepEqual(passed, []);
});

const importToDistribution = new Map<string, string[]>();
for (const [imp, dist] of tsv("datasets/python-import-names.tsv")) {
  const key = canon("pypi", imp!);
  importToDistribution.set(key, [...(importToDistribution.get(key) ?? []), canon("pypi", dist!)]);
}

test("fake and typo names: at least 90% flagged; for typos the right package in at least 85%", async () => {
  const rows = tsv("datasets/fake-and-typo-names.tsv");
  const results = await judgeAll("pypi", rows.map((r) => r[1]!));
  const byName = new Map(results.map((r) => [r.name, r]));
  const flagged = rows.filter((r) => byName.get(canon("pypi", r[1]!))?.verdict !== "allow").length;
  const typos = rows.filter((r) => r[3] !== "fabrication");
  const right = typos.filter((r) => {
    const res = byName.get(canon("pypi", r[1]!))!;
    const target = canon("pypi", r[2]!);
    const accepted = new Set([target, ...(importToDistribution.get(target) ?? [])]);
    return res.didYouMean.slice(0, 1).some((d) => accepted.has(canon("pypi", d)));
  }).length;
  console.log(`fake and typo: flagged ${rate(flagged, rows.length)}; typo target first in didYouMean ${rate(right, typos.length)}`);
  assert.ok(flagged / rows.length >= 0.9);
  assert.ok(right / typos.length >= 0.85);
});

test("PyPI's 15,000 most downloaded: none blocked, at most 0.5% warned", async () => {
  const names = pypiRows.filter((r) => r[3]).map((r) => r[0]!);
  const results = await judgeAll("pypi", names);
  const blocked = results.filter((r) => r.verdict === "block");
  const warned = results.filter((r) => r.verdict === "warn");
  console.log(`PyPI top: ${names.length}, blocked ${rate(blocked.length, names.length)}, warned ${rate(warned.length, names.length)}`, warned.slice(0, 10).map((r) => `${r.name}:${r.findings.map((f) => f.code)}`));
  assert.ok(names.length >= 14_900);
  assert.deepEqual(blocked.map((r) => r.purl), []);
  assert.ok(warned.length / names.length <= 0.005);
});

test("npm packages with at least 1,000,000 downloads a month: none blocked, at most 0.5% warned", async () => {
  const names = npmRows.filter((r) => Number(r[2]) >= 1_000_000).map((r) => r[0]!);
  const results = await judgeAll("npm", names);
  const blocked = results.filter((r) => r.verdict === "block");
  const warned = results.filter((r) => r.verdict === "warn");
  console.log(`npm >= 1M: ${names.length}, blocked ${rate(blocked.length, names.length)}, warned ${rate(warned.length, names.length)}`, warned.slice(0, 10).map((r) => `${r.name}:${r.findings.map((f) => f.code)}`));
  assert.ok(names.length > 3000);
  assert.deepEqual(blocked.map((r) => `${r.purl} ${r.findings.map((f) => f.code)}`), []);
  assert.ok(warned.length / names.length <= 0.005);
});

test("npm packages with 5,000 to 50,000 downloads a month: at most 1% blocked, at most 1% typosquats", async () => {
  const names = npmRows.filter((r) => Number(r[2]) >= 5_000 && Number(r[2]) <= 50_000).map((r) => r[0]!);
  const results = await judgeAll("npm", names);
  const blocked = results.filter((r) => r.verdict === "block");
  const typos = results.filter((r) => hasCode(r, "typosquat"));
  console.log(`npm 5k-50k: ${names.length}, blocked ${rate(blocked.length, names.length)}, typosquat ${rate(typos.length, names.length)}`, blocked.slice(0, 10).map((r) => `${r.name}:${r.findings.map((f) => f.code)}`));
  assert.ok(names.length > 10_000);
  assert.ok(blocked.length / names.length <= 0.01);
  assert.ok(typos.length / names.length <= 0.01);
});
