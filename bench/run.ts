// npm run bench: runs every bench/*.bench.ts (or those named on the command line) and prints one table.
import { readdirSync } from "node:fs";
import type { Bench, BenchRow } from "./types.ts";

const dir = new URL("./", import.meta.url);
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".bench.ts"))
  .filter((f) => !only.length || only.some((o) => f.includes(o)))
  .sort();

const rows: Array<BenchRow & { file: string }> = [];
for (const file of files) {
  process.stderr.write(`running ${file}…\n`);
  const bench = (await import(new URL(file, dir).href)).default as Bench;
  for (const row of await bench()) rows.push({ ...row, file });
}

const fmt = (v: number) => (Number.isInteger(v) ? v.toLocaleString("en") : v.toLocaleString("en", { maximumFractionDigits: 2 }));
const table = [["benchmark", "value", "target", ""]].concat(
  rows.map((r) => [r.name, `${fmt(r.value)} ${r.unit}`, r.target ?? "", r.ok === undefined ? "" : r.ok ? "ok" : "MISSED"]),
);
const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
for (const [i, row] of table.entries()) {
  console.log(row.map((cell, j) => (j === 1 ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!))).join("  ").trimEnd());
  if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
if (rows.some((r) => r.ok === false)) process.exitCode = 1;
