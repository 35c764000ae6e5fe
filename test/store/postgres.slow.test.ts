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
import { cli } from "../doors/cli/run.ts";

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

  test("bouncer audit verify and export read the decision log from the store", async () => {
    const schema = await pg.newSchema();
    const store = await openStore({ dataDir: dir, url: pg.url, schema });
    const env = { HOME: dir, BOUNCER_HOME: dir, BOUNCER_STORE_URL: pg.url };
    try {
      const decision = { door: "proxy" as const, purl: "pkg:npm/a", ecosystem: "npm", name: "a", version: null, verdict: "allow" as const, findings: [], policyDigest: "x" };
      await store.decisions.append([decision, { ...decision, name: "b", purl: "pkg:npm/b" }]);
      const verified = await cli(["audit", "verify", "--store-schema", schema], env);
      assert.equal(verified.code, 0, verified.stderr);
      assert.match(verified.stdout, /decision log intact: 2 entries/);
      const exported = await cli(["audit", "export", "--store-schema", schema], env);
      assert.deepEqual(
        exported.stdout.trim().split("\n").map((l) => JSON.parse(l).name),
        ["a", "b"],
      );
      await pg.query(`UPDATE "${schema}".decisions SET entry = replace(entry, '"name":"a"', '"name":"z"') WHERE seq = 1`);
      const broken = await cli(["audit", "verify", "--store-schema", schema], env);
      assert.equal(broken.code, 1);
      assert.match(broken.stdout, /edited: line 1: entry 1 was edited/);
      const empty = await cli(["audit", "verify", "--store-schema", `${schema}_none`], env);
      assert.equal(empty.code, 2);
      assert.match(empty.stderr, /no decision log in the store at postgres:/);
      await pg.query(`DROP SCHEMA IF EXISTS "${schema}_none" CASCADE`);
    } finally {
      await store.close();
    }
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
