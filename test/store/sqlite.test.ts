import assert from "node:assert/strict";
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { rmSync } from "node:fs";
import { openStore } from "../../src/store/index.ts";
import { storeContract } from "./contract.ts";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

storeContract("SQLite", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-store-"));
  dirs.push(dir);
  return {
    open: (options = {}) => openStore({ dataDir: dir, ...options }),
    async tamper(seq) {
      const file = path.join(dir, "ledger.jsonl");
      const lines = readFileSync(file, "utf8").split("\n");
      const i = lines.findIndex((l) => l.includes(`"seq":${seq},`));
      lines[i] = lines[i]!.replace(/"verdict":"\w+"/, '"verdict":"block"').replace(/"name":"(\w+)"/, '"name":"$1x"');
      writeFileSync(file, lines.join("\n"));
    },
  };
});

test("the embedded log is queried from its end, across read chunks, skipping a torn tail", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-store-"));
  dirs.push(dir);
  const store = await openStore({ dataDir: dir });
  try {
    const batch = (from: number) =>
      Array.from({ length: 500 }, (_, i) => ({
        door: "proxy" as const,
        purl: `pkg:npm/p${from + i}`,
        ecosystem: "npm",
        name: `p${from + i}`,
        version: null,
        verdict: "allow" as const,
        findings: [],
        policyDigest: "x",
        context: `GET /npm/p${from + i} — ${"é".repeat(200)}`,
      }));
    for (let i = 0; i < 3000; i += 500) await store.decisions.append(batch(i));
    appendFileSync(path.join(dir, "ledger.jsonl"), '{"seq":30'); // an interrupted write
    const newest = await store.decisions.query({ limit: 1000 });
    assert.deepEqual(
      newest.map((e) => e.seq),
      Array.from({ length: 1000 }, (_, i) => 3000 - i),
    );
    assert.equal(newest.at(-1)!.context, `GET /npm/p2000 — ${"é".repeat(200)}`);
    assert.deepEqual(
      (await store.decisions.query({ package: "p0" })).map((e) => e.seq),
      [1],
    );
  } finally {
    await store.close();
  }
});
