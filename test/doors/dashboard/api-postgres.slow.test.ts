// The dashboard API over PostgreSQL (127.0.0.1:5432, database "test"), each test in a fresh random
// schema dropped afterwards: the same assertions as over the embedded store. Skipped, with a line
// saying so, only where no PostgreSQL is reachable.
import { after } from "node:test";
import { postgresForTests } from "../../support/postgres.ts";
import { dashboardDataSuites } from "./data-suite.ts";

const pg = await postgresForTests();
after(() => pg?.dropAll());

if (pg) dashboardDataSuites("PostgreSQL", async () => ({ url: pg.url, schema: await pg.newSchema() }));
