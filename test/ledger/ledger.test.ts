import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import {
  chainMac,
  type Decision,
  type Entry,
  entryHash,
  GENESIS,
  Ledger,
  makeCheckpoint,
  UNANCHORED_NOTE,
  verifyLedger,
} from "../../src/ledger/ledger.ts";

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

async function ledgerWith(n: number, key?: Uint8Array): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "ledger-"));
  const ledger = new Ledger(dir, { now: NOW, key });
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

async function writersAppend(dir: string): Promise<void> {
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
}

test("concurrent writers in separate processes never corrupt the log", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "ledger-"));
  await writersAppend(dir);
  const v = await verifyLedger(dir);
  assert.equal(v.entries, 160);
  assert.deepEqual(v.problems, []);
});

// A crash or a full disk in the middle of an append leaves a last line without its end.
const TORN = '{"door":"guard","purl":"pkg:npm/half-wri';

test("a torn last line is reported by verify with its place, not as intact", async () => {
  const dir = await ledgerWith(3);
  const size = statSync(logOf(dir)).size;
  appendFileSync(logOf(dir), TORN);
  const v = await verifyLedger(dir);
  assert.deepEqual(v.problems.map((p) => [p.kind, p.line]), [["torn", 4]]);
  assert.match(v.problems[0]!.message, new RegExp(`byte ${size}\\b.*${TORN.length} bytes`));
});

test("the next append after a torn line moves it aside, records that, and the chain goes on", async () => {
  const dir = await ledgerWith(3);
  const size = statSync(logOf(dir)).size;
  appendFileSync(logOf(dir), TORN);
  const ledger = new Ledger(dir, { now: NOW });
  const written = await ledger.append([decision("after-crash")]);
  assert.deepEqual(written.map((e) => e.seq), [5], "entry 4 records the move");
  await ledger.append([decision("and-on")]);
  const lines = linesOf(dir).map((l) => JSON.parse(l) as Entry);
  assert.deepEqual(lines.map((e) => e.seq), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual({ ...lines[3], hash: undefined, prev: undefined, time: undefined, seq: undefined }, {
    event: "torn-tail-moved",
    offset: size,
    bytes: TORN.length,
    sha256: createHash("sha256").update(TORN).digest("hex"),
    movedTo: "ledger.torn",
    hash: undefined,
    prev: undefined,
    time: undefined,
    seq: undefined,
  });
  const kept = JSON.parse(readFileSync(path.join(dir, "ledger.torn"), "utf8"));
  assert.equal(Buffer.from(kept.base64, "base64").toString(), TORN);
  const v = await verifyLedger(dir);
  assert.deepEqual(v.problems, []);
  assert.equal(v.entries, 6);
  assert.match(v.notes[0]!, /line 4: 40 bytes of an interrupted write \(from byte \d+\) were moved to ledger.torn/);
});

test("a last entry that lost only its newline is completed, not moved", async () => {
  const dir = await ledgerWith(3);
  writeFileSync(logOf(dir), readFileSync(logOf(dir), "utf8").trimEnd());
  await new Ledger(dir, { now: NOW }).append([decision("next")]);
  assert.equal(existsSync(path.join(dir, "ledger.torn")), false);
  const v = await verifyLedger(dir);
  assert.deepEqual(v.problems, []);
  assert.equal(v.entries, 4);
});

test("concurrent writers after a torn line: one moves it aside, none fails, the chain is whole", async () => {
  const dir = await ledgerWith(2);
  appendFileSync(logOf(dir), TORN);
  await writersAppend(dir);
  const v = await verifyLedger(dir);
  assert.deepEqual(v.problems, []);
  assert.equal(v.entries, 2 + 1 + 160);
  assert.equal(readFileSync(path.join(dir, "ledger.torn"), "utf8").trimEnd().split("\n").length, 1);
});

const KEY = Buffer.from("a log key held outside the data directory");

/** What someone who can write the data directory but has no key can do: rewrite the whole chain. */
function recompute(dir: string, change: (e: Entry) => Entry, key?: Uint8Array): void {
  let prev = GENESIS;
  const out = linesOf(dir).map((l) => {
    const { hash: _h, mac: _m, ...body } = change(JSON.parse(l) as Entry);
    const next = { ...body, prev } as Omit<Entry, "hash">;
    const hash = entryHash(next);
    prev = hash;
    return JSON.stringify({ ...next, hash, ...(key ? { mac: chainMac(key, next.seq, hash) } : {}) });
  });
  writeLines(dir, out);
  const last = JSON.parse(out.at(-1)!) as Entry;
  writeFileSync(path.join(dir, "ledger.head"), JSON.stringify({ seq: last.seq, hash: last.hash }));
}

const allow = (e: Entry): Entry => ({ ...e, verdict: "allow" }) as Entry;

test("without a key, a recomputed chain passes, and verify says so plainly", async () => {
  const dir = await ledgerWith(4);
  recompute(dir, allow);
  const v = await verifyLedger(dir);
  assert.deepEqual(v.problems, []);
  assert.equal(v.anchored, false);
  assert.deepEqual(v.notes, [UNANCHORED_NOTE]);
});

test("with the key, every entry carries a MAC and the log verifies", async () => {
  const dir = await ledgerWith(4, KEY);
  for (const l of linesOf(dir)) {
    const e = JSON.parse(l) as Entry;
    assert.equal(e.mac, chainMac(KEY, e.seq, e.hash));
  }
  const v = await verifyLedger(dir, { key: KEY });
  assert.deepEqual(v.problems, []);
  assert.equal(v.anchored, true);
});

test("with the key, a chain recomputed without it is detected", async () => {
  const dir = await ledgerWith(4, KEY);
  recompute(dir, allow);
  assert.deepEqual((await verifyLedger(dir, { key: KEY })).problems.map((p) => p.kind), ["unauthenticated"]);
  recompute(dir, allow, Buffer.from("some other key of the attacker"));
  assert.deepEqual((await verifyLedger(dir, { key: KEY })).problems.map((p) => [p.kind, p.line]), [["forged", 1]]);
});

test("with the key, entries added by a writer without it are detected", async () => {
  const dir = await ledgerWith(3, KEY);
  await new Ledger(dir, { now: NOW }).append([decision("sneaked-in")]);
  const { problems } = await verifyLedger(dir, { key: KEY });
  assert.deepEqual(problems.map((p) => [p.kind, p.line]), [["unauthenticated", 4]]);
});

test("a checkpoint kept elsewhere detects a cut tail with a rewritten head, and deleted files", async () => {
  const dir = await ledgerWith(5, KEY);
  const checkpoint = makeCheckpoint((await verifyLedger(dir)).head, NOW(), KEY);
  assert.equal(checkpoint.seq, 5);
  assert.deepEqual((await verifyLedger(dir, { key: KEY, checkpoint })).problems, []);

  const cut = linesOf(dir).slice(0, 3);
  writeLines(dir, cut);
  const tip = JSON.parse(cut[2]!) as Entry;
  writeFileSync(path.join(dir, "ledger.head"), JSON.stringify({ seq: tip.seq, hash: tip.hash }));
  assert.deepEqual((await verifyLedger(dir, { key: KEY })).problems, [], "the key alone cannot see a consistent cut");
  assert.deepEqual((await verifyLedger(dir, { key: KEY, checkpoint })).problems.map((p) => p.kind), ["truncated"]);

  rmSync(logOf(dir));
  rmSync(path.join(dir, "ledger.head"));
  const gone = await verifyLedger(dir, { key: KEY, checkpoint });
  assert.equal(gone.exists, false);
  assert.deepEqual(gone.problems.map((p) => p.kind), ["missing"]);
});

test("a checkpoint without a key still pins the chain; a forged one is refused", async () => {
  const dir = await ledgerWith(4);
  const checkpoint = makeCheckpoint((await verifyLedger(dir)).head, NOW());
  recompute(dir, allow);
  assert.deepEqual((await verifyLedger(dir, { checkpoint })).problems.map((p) => [p.kind, p.line]), [["edited", 4]]);
  const other = makeCheckpoint((await verifyLedger(dir)).head, NOW(), Buffer.from("some other key of the attacker"));
  assert.deepEqual((await verifyLedger(dir, { key: KEY, checkpoint: other })).problems.map((p) => p.kind), ["unauthenticated", "forged"]);
});
