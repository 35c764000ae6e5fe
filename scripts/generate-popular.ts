// Writes data/popular-{npm,pypi}.tsv from the registry name snapshots (../shared/registry-snapshot).
// Usage: node scripts/generate-popular.ts [--snapshot DIR] [--npm-min-downloads N] [--out DIR]
import { createReadStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createGunzip } from "node:zlib";
import { normalizePypiName } from "../src/ecosystems/pypi/names.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const snapshotDir = path.resolve(repoRoot, option("--snapshot", "../shared/registry-snapshot"));
const outDir = path.resolve(repoRoot, option("--out", "data"));
// 150k downloads a month keeps about 33,000 npm names in under 1 MB; below that, names are
// too obscure to be typosquatting targets and suggestions weigh popularity anyway.
const npmMinDownloads = Number(option("--npm-min-downloads", "150000"));

/** Streams a gzip TSV (no quoting) and calls `row` with the fields of each line after the header. */
async function readTsvGz(file: string, row: (fields: string[], header: string[]) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let header: string[] | null = null;
  for await (const line of lines) {
    if (!line) continue;
    const fields = line.split("\t");
    if (header === null) header = fields;
    else row(fields, header);
  }
}

async function npm(): Promise<number> {
  const rows: Array<[string, number]> = [];
  await readTsvGz(path.join(snapshotDir, "npm.tsv.gz"), (f, h) => {
    const downloads = Number(f[h.indexOf("downloads_a_month")] || Number.NaN);
    if (downloads >= npmMinDownloads) rows.push([f[h.indexOf("name")]!, downloads]);
  });
  rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const body = rows.map(([n, d]) => `${n}\t${d}`).join("\n");
  await writeFile(path.join(outDir, "popular-npm.tsv"), `name\tdownloads\n${body}\n`);
  return rows.length;
}

async function pypi(): Promise<number> {
  const rows: Array<[string, number]> = [];
  await readTsvGz(path.join(snapshotDir, "pypi.tsv.gz"), (f, h) => {
    const rank = f[h.indexOf("rank_among_15000_most_downloaded")];
    if (rank) rows.push([normalizePypiName(f[h.indexOf("name")]!), Number(rank)]);
  });
  rows.sort((a, b) => a[1] - b[1] || (a[0] < b[0] ? -1 : 1));
  const body = rows.map(([n, r]) => `${n}\t${r}`).join("\n");
  await writeFile(path.join(outDir, "popular-pypi.tsv"), `name\trank\n${body}\n`);
  return rows.length;
}

const [n, p] = await Promise.all([npm(), pypi()]);
console.log(`data/popular-npm.tsv: ${n} names (>= ${npmMinDownloads} downloads a month); data/popular-pypi.tsv: ${p} names`);
