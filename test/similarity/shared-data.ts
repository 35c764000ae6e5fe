// Reads ../shared (registry snapshots and datasets) once per test process.
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { normalizePypiName } from "../../src/ecosystems/pypi/names.ts";

const shared = (file: string) => new URL(`../../../shared/${file}`, import.meta.url);

export interface SnapshotRow {
  /** Canonical name (PyPI: PEP 503). */
  name: string;
  downloads: number | null;
  rank: number | null;
}

/** Tab-separated rows (no quoting) as objects keyed by the header. */
export function readTsv(text: string): Array<Record<string, string>> {
  const lines = text.split("\n").filter((l) => l !== "");
  const header = lines[0]!.split("\t");
  return lines.slice(1).map((line) => {
    const fields = line.split("\t");
    return Object.fromEntries(header.map((h, i) => [h, fields[i] ?? ""]));
  });
}

const snapshots = new Map<string, SnapshotRow[]>();

export function loadSnapshot(ecosystem: "npm" | "pypi"): SnapshotRow[] {
  let rows = snapshots.get(ecosystem);
  if (rows) return rows;
  const text = gunzipSync(readFileSync(shared(`registry-snapshot/${ecosystem}.tsv.gz`))).toString("utf8");
  rows = [];
  let first = true;
  // Only the first columns matter; splitting by hand keeps 900k PyPI rows fast.
  for (const line of text.split("\n")) {
    if (first || !line) {
      first = false;
      continue;
    }
    const f = line.split("\t", 4);
    if (ecosystem === "npm") rows.push({ name: f[0]!, downloads: f[2] ? Number(f[2]) : null, rank: null });
    else rows.push({ name: normalizePypiName(f[0]!), downloads: null, rank: f[3] ? Number(f[3]) : null });
  }
  snapshots.set(ecosystem, rows);
  return rows;
}

export function readDataset(file: string): Array<Record<string, string>> {
  return readTsv(readFileSync(shared(`datasets/${file}`), "utf8"));
}
