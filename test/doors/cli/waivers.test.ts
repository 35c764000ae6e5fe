// bouncer check and scan apply the waivers `bouncer waiver` keeps, as the guard and the proxy do: a
// waived package is reported allowed with its waiver (who, until when), never a known-malicious one,
// scoped ones only for their team, none once expired (BOUNCER_NOW); in CI each use is logged and counted.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileDecisionLog } from "../../../src/store/sqlite.ts";
import { startCliEnv } from "../../support/cli-env.ts";
import type { RegistryServer } from "../../support/registry-server.ts";
import { cli } from "./run.ts";

let server: RegistryServer;
let env: Record<string, string>;
let ids: { fresh: string; malicious: string; team: string };

const FRESH = "react-hooks-toolkit-pro"; // blocked: new, barely downloaded, install scripts
const MALICIOUS = "1password-postman-integration"; // blocked: known-malicious (the sample feed)
const INVENTED = "fastapi-secure-auth-extension"; // blocked: does not exist

before(async () => {
  ({ server, env } = await startCliEnv());
  env = { ...env, BOUNCER_USER: "alice" };
  assert.equal((await cli(["feeds", "import", path.resolve(import.meta.dirname, "../../../../shared/feeds/samples")], env)).code, 0);
  const add = async (...args: string[]) => {
    const run = await cli(["waiver", "add", ...args, "--reason", "vetted, TICKET-1", "--expires", "1d", "--json"], env);
    assert.equal(run.code, 0, run.stderr);
    return JSON.parse(run.stdout).id as string;
  };
  ids = { fresh: await add(`pkg:npm/${FRESH}`), malicious: await add(`pkg:npm/${MALICIOUS}`), team: await add(`pkg:pypi/${INVENTED}`, "--scope", "team:web") };
});
after(() => server.close());

type Result = { name: string; verdict: string; findings: Array<{ code: string }>; waiver?: { id: string; by: string; expiresAt: string; reason: string } };
const results = (stdout: string): Record<string, Result> => Object.fromEntries((JSON.parse(stdout).results as Result[]).map((r) => [r.name, r]));

test("check: a waived package is allowed and says by whose waiver until when; a known-malicious one stays blocked", async () => {
  const run = await cli(["check", "--json", `pkg:npm/${FRESH}`, `pkg:npm/${MALICIOUS}@1.0.0`, `pkg:pypi/${INVENTED}`], env);
  assert.equal(run.code, 1, run.stderr);
  const by = results(run.stdout);
  assert.equal(by[FRESH]!.verdict, "allow");
  assert.deepEqual(by[FRESH]!.waiver, { id: ids.fresh, by: "alice", reason: "vetted, TICKET-1", expiresAt: "2026-11-24T12:00:00.000Z" });
  assert.ok(by[FRESH]!.findings.some((f) => f.code === "install-scripts"), "the findings are kept, not hidden");
  assert.ok(by[MALICIOUS]!.findings.some((f) => f.code === "known-malicious"));
  assert.equal(by[MALICIOUS]!.verdict, "block", "no waiver over a known-malicious report (the trusted policy does not permit it)");
  assert.equal(by[MALICIOUS]!.waiver, undefined);
  assert.equal(by[INVENTED]!.verdict, "block", "the team's waiver is not for a caller of no team");

  const text = await cli(["check", `pkg:npm/${FRESH}`], env);
  assert.equal(text.code, 0, text.stderr);
  assert.match(text.stdout, new RegExp(`allowed by waiver ${ids.fresh} of alice until 2026-11-24T12:00:00.000Z: vetted, TICKET-1`));
});

test("check: a scoped waiver applies for its team (BOUNCER_TEAM), and no waiver once expired by BOUNCER_NOW", async () => {
  const web = await cli(["check", "--json", `pkg:pypi/${INVENTED}`], { ...env, BOUNCER_TEAM: "web" });
  assert.equal(web.code, 0, web.stderr);
  assert.equal(results(web.stdout)[INVENTED]!.waiver?.id, ids.team);
  assert.equal((await cli(["check", `pkg:pypi/${INVENTED}`], { ...env, BOUNCER_TEAM: "ops" })).code, 1);
  const later = await cli(["check", "--json", `pkg:npm/${FRESH}`], { ...env, BOUNCER_NOW: "2026-11-24T12:00:00Z" });
  assert.equal(later.code, 1);
  assert.equal(results(later.stdout)[FRESH]!.waiver, undefined);
});

test("scan: a waived dependency is allowed with its waiver", async () => {
  const root = mkdtempSync(path.join(tmpdir(), "waived-scan-"));
  writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "app", dependencies: { [FRESH]: "^1.0.0", [MALICIOUS]: "1.0.0" } }));
  const run = await cli(["scan", "--json", "."], env, { cwd: root });
  assert.equal(run.code, 1, run.stderr);
  const by = results(run.stdout);
  assert.equal(by[FRESH]!.verdict, "allow");
  assert.equal(by[FRESH]!.waiver?.id, ids.fresh);
  assert.equal(by[MALICIOUS]!.verdict, "block");
});

test("in CI, a waived decision is logged with the waiver's id (as the service logs it) and the use is counted", async () => {
  const ci: Record<string, string> = { ...env, CI: "true" };
  const before = await fileDecisionLog(ci.BOUNCER_HOME!, undefined).query({ waived: true });
  assert.equal((await cli(["check", `pkg:npm/${FRESH}`], ci)).code, 0);
  const logged = await fileDecisionLog(ci.BOUNCER_HOME!, undefined).query({ waived: true });
  assert.equal(logged.length, before.length + 1);
  assert.equal(logged[0]!.waiver, ids.fresh);
  assert.equal(logged[0]!.door, "ci");
  assert.equal(logged[0]!.verdict, "allow");
  const listed = JSON.parse((await cli(["waiver", "list", "--json"], env)).stdout) as Array<{ id: string; uses: number }>;
  assert.equal(listed.find((w) => w.id === ids.fresh)!.uses, before.length + 1);
});
