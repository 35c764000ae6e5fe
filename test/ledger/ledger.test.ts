import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { type Decision, type Entry, entryHash, Ledger, verifyLedger } from "../../src/ledger/ledger.ts";

const NOW = () => new Date("2026-11-23T12:00:00Z");
const decision = (name: string, verdict: Decision["verdict"] = "allow"): Decision => ({
  door: "guard",
  purl: `pkg:npm/${name}`,
  ecosystem: "npm",
  name,
  version: null,
  verdict,
  findings: verdict === "block" ? [{ code: "not-found", severity: "high" }] : [],
  policyDigest: "sha256:abc",
});

async function ledgerWith(n: number): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "ledger-"));
  const ledger = new Ledger(dir, { now: NOW });
  for (let i = 1; i <= n; i++) await ledger.append([decision(`pkg-${i}`, i % 2 ? "allow" : "block")]);
  return dir;
}

const logOf = (dir: string) => path.join(dir, "ledger.jsonl");
const linesOf = (dir: string) => readFileSync(logOf(dir), "utf8").trimEnd().split("\n");
const writeLines = (dir: string, lines: string[]) => writeFileSync(logOf(dir), `${lines.join("\n")}\n`);

test("an untouched log verifies", async () => {
  const dir = await ledgerWith(5);
  const v = await verifyLedger(dir);
  assert.equal(v.entries, 5);
  assert.deepEqual(v.problems, []);
  const first = JSON.parse(linesOf(dir)[0]!) as Entry;
  assert.equal(first.seq, 1);
  assert.equal(first.time, "2026-11-23T12:00:00.000Z");
});

test("an edited entry is found at its line", async () => {
  const dir = await ledgerWith(5);
  const lines = linesOf(dir);
  lines[2] = lines[2]!.replace('"pkg-3"', '"pkg-X"');
  writeLines(dir, lines);
  const { problems } = await verifyLedger(dir);
  assert.equal(problems[0]!.kind, "edited");
  assert.equal(problems[0]!.line, 3);
});

test("an edited entry with a recomputed hash breaks the chain after it", async () => {
  const dir = await ledgerWith(5);
  const lines = linesOf(dir);
  const e = JSON.parse(lines[1]!) as Entry;
  const { hash: _old, ...body } = { ...e, verdict: "allow" as const };
  lines[1] = JSON.stringify({ ...body, hash: entryHash(body) });
  writeLines(dir, lines);
  const { problems } = await verifyLedger(dir);
  assert.deepEqual(problems.map((p) => [p.kind, p.line]), [["edited", 3]]);
});

test("a removed entry is found", async () => {
  const dir = await ledgerWith(5);
  const lines = linesOf(dir);
  lines.splice(2, 1);
  writeLines(dir, lines);
  const { problems } = await verifyLedger(dir);
  assert.deepEqual(problems.map((p) => [p.kind, p.line]), [["removed", 3]]);
});

test("an inserted entry is found", async () => {
  const dir = await ledgerWith(4);
  const lines = linesOf(dir);
  lines.splice(2, 0, lines[1]!);
  writeLines(dir, lines);
  const { problems } = await verifyLedger(dir);
  assert.equal(problems[0]!.kind, "inserted");
  assert.equal(problems[0]!.line, 3);
});

test("reordered entries are found", async () => {
  const dir = await ledgerWith(5);
  const lines = linesOf(dir);
  [lines[1], lines[2]] = [lines[2]!, lines[1]!];
  writeLines(dir, lines);
  const { problems } = await verifyLedger(dir);
  assert.ok(problems.length >= 1);
  assert.ok(problems.every((p) => p.kind === "reordered"), JSON.stringify(problems));
  assert.equal(problems[0]!.line, 2);
});

test("a cut tail is found through the head file", async () => {
  const dir = await ledgerWith(5);
  writeLines(dir, linesOf(dir).slice(0, 3));
  const { problems } = await verifyLedger(dir);
  assert.deepEqual(problems.map((p) => p.kind), ["truncated"]);
});

test("a garbage line is reported, not thrown", async () => {
  const dir = await ledgerWith(3);
  writeLines(dir, [...linesOf(dir).slice(0, 2), "{not json", linesOf(dir)[2]!]);
  const { problems } = await verifyLedger(dir);
  assert.equal(problems[0]!.kind, "unreadable");
  assert.equal(problems[0]!.line, 3);
});

test("concurrent appends in one process keep the chain", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ledger-"));
  const ledger = new Ledger(dir, { now: NOW });
  await Promise.all(Array.from({ length: 50 }, (_, i) => ledger.append([decision(`p${i}`)])));
  const v = await verifyLedger(dir);
  assert.equal(v.entries, 50);
  assert.deepEqual(v.problems, []);
});

test("concurrent writers in separate processes never corrupt the log", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ledger-"));
  const module = new URL("../../src/ledger/ledger.ts", import.meta.url).href;
  const script = `
    const { Ledger } = await import(${JSON.stringify(module)});
    const ledger = new Ledger(process.argv[1]);
    for (let i = 0; i < 40; i++) {
      await ledger.append([{ door: "proxy", purl: "pkg:npm/x" + i, ecosystem: "npm", name: "x" + i, version: null,
        verdict: "allow", findings: [], policyDigest: "d", context: "writer " + process.pid }]);
    }`;
  const writers = Array.from({ length: 4 }, () =>
    new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script, dir], { stdio: "inherit" });
      child.on("error", reject);
      child.on("exit", (code) => resolve(code ?? 1));
    }),
  );
  assert.deepEqual(await Promise.all(writers), [0, 0, 0, 0]);
  const v = await verifyLedger(dir);
  assert.equal(v.entries, 160);
  assert.deepEqual(v.problems, []);
});
