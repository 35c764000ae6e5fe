// The store contract against PostgreSQL (127.0.0.1:5432, database "test"), each test in a fresh
// random schema dropped afterwards. Skipped, with a line saying so, only where none is reachable.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { openStore, StoreUnavailableError } from "../../src/store/index.ts";
import assert from "node:assert/strict";
import { storeContract } from "./contract.ts";
import { postgresForTests } from "../support/postgres.ts";

const pg = await postgresForTests();
const dir = mkdtempSync(path.join(tmpdir(), "bouncer-pg-"));
after(async () => {
  await pg?.dropAll();
  rmSync(dir, { recursive: true, force: true });
});

if (pg) {
  storeContract("PostgreSQL", async () => {
    const schema = await pg.newSchema();
    return {
      open: (options = {}) => openStore({ dataDir: dir, url: pg.url, schema, ...options }),
      async tamper(seq) {
        await pg.query(`UPDATE "${schema}".decisions SET entry = replace(entry, '"verdict":"allow"', '"verdict":"block"') WHERE seq = $1`, [seq]);
      },
    };
  });

  test("PostgreSQL store: an unreachable database is reported as unavailable, not as a bug", async () => {
    const store = await openStore({ dataDir: dir, url: "postgres://postgres@127.0.0.1:1/test", schema: `bouncer_${randomBytes(4).toString("hex")}` });
    try {
      await assert.rejects(store.ping(), StoreUnavailableError);
      await assert.rejects(store.decisions.append([{ door: "proxy", purl: "pkg:npm/a", ecosystem: "npm", name: "a", version: null, verdict: "allow", findings: [], policyDigest: "x" }]), StoreUnavailableError);
      await assert.rejects(store.policies.active(), StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
} else {
  test("PostgreSQL store contract", { skip: "no PostgreSQL reachable at 127.0.0.1:5432 (database test): the PostgreSQL suite did not run" }, () => {});
}
