// PostgreSQL for slow tests: 127.0.0.1:5432, database "test" (trust), or BOUNCER_TEST_PG_URL.
// Each test gets a fresh random schema; all are dropped afterwards. Undefined (with a line on
// stderr) when no server answers: the caller skips, visibly.
import { randomBytes } from "node:crypto";

export interface TestPostgres {
  url: string;
  newSchema(): Promise<string>;
  query(sql: string, params?: unknown[]): Promise<unknown[]>;
  dropAll(): Promise<void>;
}

export async function postgresForTests(): Promise<TestPostgres | undefined> {
  const url = process.env.BOUNCER_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    // CI where PostgreSQL is installed (and was started) says so: then the suite must not be skipped.
    if (process.env.BOUNCER_REQUIRE_POSTGRES === "1") throw new Error(`PostgreSQL is installed but does not answer at ${url}`, { cause: error });
    process.stderr.write(`# SKIP PostgreSQL suite: no PostgreSQL at ${url} (${(error as Error).message})\n`);
    await client.end().catch(() => undefined);
    return undefined;
  }
  const schemas: string[] = [];
  return {
    url,
    async newSchema() {
      const name = `bouncer_test_${randomBytes(6).toString("hex")}`;
      schemas.push(name);
      return name;
    },
    async query(sql, params = []) {
      return (await client.query(sql, params)).rows;
    },
    async dropAll() {
      for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
      await client.end();
    },
  };
}
