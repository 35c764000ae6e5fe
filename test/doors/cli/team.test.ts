// bouncer policy and bouncer waiver on the embedded store, and their mistakes (exit 2 with a hint).
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { cli } from "./run.ts";

const home = mkdtempSync(path.join(tmpdir(), "bouncer-team-"));
after(() => rmSync(home, { recursive: true, force: true }));
const env = { HOME: home, BOUNCER_HOME: path.join(home, "data"), BOUNCER_NOW: "2026-12-07T10:00:00Z", BOUNCER_USER: "alice" };

test("policy push validates as a trusted policy, versions, and show/history read it back", async () => {
  const file = path.join(home, "team.json");
  writeFileSync(file, JSON.stringify({ deny: ["evil-*"] }));
  const pushed = await cli(["policy", "push", file], env, { cwd: home });
  assert.equal(pushed.code, 0, pushed.stderr);
  assert.match(pushed.stdout, /^pushed policy version 1 sha256:[0-9a-f]{64} pushed by alice at 2026-12-07T10:00:00.000Z/);
  writeFileSync(file, JSON.stringify({ codes: { "known-malicious": "warn" } }));
  const refused = await cli(["policy", "push", file], env, { cwd: home });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /invalid policy .*codes\.known-malicious: must be "block"/);
  writeFileSync(file, JSON.stringify({ deny: ["evil-*", "worse"] }));
  assert.equal((await cli(["policy", "push", file, "--by", "bob"], env, { cwd: home })).code, 0);
  const show = await cli(["policy", "show", "--json"], env);
  assert.equal(JSON.parse(show.stdout).version, 2);
  assert.deepEqual(JSON.parse(JSON.parse(show.stdout).document), { deny: ["evil-*", "worse"] });
  const history = await cli(["policy", "history"], env);
  assert.match(history.stdout, /^version 2 .* pushed by bob .*\nversion 1 .* pushed by alice/);
  assert.equal((await cli(["policy", "pull"], env)).code, 2);
});

test("waiver add, list, revoke; requests approved or denied; expiry by BOUNCER_NOW", async () => {
  const add = await cli(["waiver", "add", "pkg:npm/left-pad@1.3.0", "--reason", "vetted, TICKET-1", "--expires", "14d", "--json"], env);
  assert.equal(add.code, 0, add.stderr);
  const w = JSON.parse(add.stdout);
  assert.deepEqual(
    { name: w.name, version: w.version, status: w.status, by: w.requestedBy, expiresAt: w.expiresAt, scope: w.scope },
    { name: "left-pad", version: "1.3.0", status: "active", by: "alice", expiresAt: "2026-12-21T10:00:00.000Z", scope: { kind: "all" } },
  );
  const asked = JSON.parse((await cli(["waiver", "add", "-e", "pypi", "Django_Foo", "--reason", "x", "--expires", "2h", "--scope", "team:web", "--request", "--json"], env)).stdout);
  assert.equal(asked.name, "django-foo", "names are the ecosystem's canonical form");
  assert.equal(asked.status, "requested");
  const listed = await cli(["waiver", "list"], env);
  assert.match(listed.stdout, new RegExp(`${w.id}  active    npm:left-pad@1.3.0  scope all  until 2026-12-21T10:00:00.000Z  by alice  used 0x  "vetted, TICKET-1"`));
  assert.match(listed.stdout, /requested pypi:django-foo {2}scope team:web/);
  assert.equal((await cli(["waiver", "approve", asked.id, "--by", "carol"], env)).code, 0);
  const again = await cli(["waiver", "deny", asked.id], env);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /is active: it cannot be denied/);
  assert.equal((await cli(["waiver", "revoke", w.id], env)).code, 0);
  const later = { ...env, BOUNCER_NOW: "2026-12-30T00:00:00Z" };
  assert.match((await cli(["waiver", "list"], later)).stdout, /^no waivers in force/);
  const all = await cli(["waiver", "list", "--all"], later);
  assert.match(all.stdout, /revoked {3}npm:left-pad/);
  assert.match(all.stdout, /expired {3}pypi:django-foo/);
});

test("waiver mistakes are one line and a hint", async () => {
  const cases: Array<[string[], RegExp]> = [
    [["waiver", "add", "pkg:npm/x", "--expires", "2d"], /needs --reason/],
    [["waiver", "add", "pkg:npm/x", "--reason", "r"], /needs --expires/],
    [["waiver", "add", "pkg:npm/x", "--reason", "r", "--expires", "2y"], /--expires takes a duration/],
    [["waiver", "add", "pkg:npm/x", "--reason", "r", "--expires", "500d"], /more than a year away/],
    [["waiver", "add", "pkg:npm/x", "--reason", "r", "--expires", "2026-01-01T00:00:00Z"], /not in the future/],
    [["waiver", "add", "pkg:npm/x@^1", "--reason", "r", "--expires", "2d"], /one exact version or none/],
    [["waiver", "add", "pkg:npm/x", "--reason", "r", "--expires", "2d", "--scope", "org:x"], /--scope takes all, team:NAME or project:NAME/],
    [["waiver", "add", "npm:x", "--reason", "r", "--expires", "2d"], /is not a purl/],
    [["waiver", "revoke", "w_missing"], /no waiver w_missing/],
    [["waiver", "list", "--store", "mysql://db/x"], /--store takes a postgres:\/\/ URL/],
  ];
  for (const [argv, message] of cases) {
    const r = await cli(argv, env);
    assert.equal(r.code, 2, argv.join(" "));
    assert.match(r.stderr, message, argv.join(" "));
    assert.match(r.stderr, /\nhint: /);
  }
});
