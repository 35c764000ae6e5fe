// Issue 8 item 3: nothing a child process or the environment sets switches the guard off; what
// runners and lifecycle scripts install is checked too, and shims never loop.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { npmDocument } from "../../support/registry-server.ts";
import { type CliEnv, startCliEnv } from "../../support/cli-env.ts";
import { cli } from "../cli/run.ts";
import { type FakeTools, fakeTools, sh } from "./fakes.ts";

let ctx: CliEnv;
let tools: FakeTools;
let env: Record<string, string>;

before(async () => {
  ctx = await startCliEnv();
  ctx.server.addNpmPackage(
    npmDocument({
      name: "pnpm",
      created: "2016-01-01T00:00:00.000Z",
      repository: "https://github.com/pnpm/pnpm",
      versions: [{ version: "9.0.0", time: "2024-04-01T00:00:00.000Z" }],
    }),
    { downloads: 30_000_000 },
  );
  tools = fakeTools(["npm", "npx", "pnpm"]);
  env = { ...ctx.env, PATH: `${tools.bin}:${ctx.env.PATH}` };
});
after(() => ctx.server.close());

test("BOUNCER_GUARD_ACTIVE (or any marker) in the environment does not switch the guard off", async () => {
  const before = tools.calls().length;
  const run = await cli(["npm", "install", "reactt"], { ...env, BOUNCER_GUARD_ACTIVE: "1" });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /refused to run `npm install reactt`/);
  assert.equal(tools.calls().length, before);
});

test("a runner's program is checked: `npx pnpm add reactt` is refused before anything runs", async () => {
  const before = tools.calls().length;
  const run = await cli(["npx", "pnpm", "add", "reactt"], env);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /pkg:npm\/reactt/);
  assert.equal(tools.calls().length, before);
  const pinned = await cli(["npx", "npm@10", "install", "reactt"], env);
  assert.equal(pinned.code, 1, pinned.stderr);
  assert.match(pinned.stderr, /pkg:npm\/reactt/);
  // The same with a clean package runs the runner.
  const ok = await cli(["npx", "pnpm", "add", "react"], env);
  assert.equal(ok.code, 7, ok.stderr);
  assert.equal(tools.calls().at(-1), "npx pnpm add react");
});

test("`npm exec -c 'npm install reactt'` is refused before anything runs", async () => {
  const before = tools.calls().length;
  const run = await cli(["npm", "exec", "-c", "npm install reactt"], env);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /pkg:npm\/reactt/);
  assert.equal(tools.calls().length, before);
  const dynamic = await cli(["npx", "-c", "npm install $PKG"], env);
  assert.equal(dynamic.code, 1, dynamic.stderr);
  assert.match(dynamic.stderr, /only known when the command runs/);
  // A script the tokenizer cannot read whole (shells nested past its limit) is not a pass.
  let script = "npm install reactt";
  for (let i = 0; i < 5; i++) script = `bash -c '${script.replace(/'/g, `'"'"'`)}'`;
  const deep = await cli(["npm", "exec", "-c", script], env);
  assert.equal(deep.code, 1, deep.stderr);
  assert.match(deep.stderr, /cannot be read whole \(shells nested more than 4 deep\)/);
  assert.equal(tools.calls().length, before);
});

test("installs started by the real tool (lifecycle scripts, npm exec) go through the shims and are checked", async () => {
  const shimDir = mkdtempSync(path.join(tmpdir(), "shims-"));
  assert.equal((await cli(["shims", "install", shimDir], env)).code, 0);
  const shimEnv = { ...env, PATH: `${shimDir}:${env.PATH}` };
  // A postinstall script of an allowed package runs `npm install reactt`: the nested install is refused.
  tools.hook("npm install reactt");
  const run = await sh(path.join(shimDir, "npm"), ["install", "react"], shimEnv);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /refused to run `npm install reactt`/);
  assert.ok(!tools.calls().includes("npm install reactt"), tools.calls().join("\n"));
  assert.ok(tools.calls().includes("npm install react"));
  // A nested allowed install runs: checked, not skipped, and no loop.
  tools.hook("npm install left-pad");
  const ok = await sh(path.join(shimDir, "npm"), ["install", "react"], shimEnv);
  assert.equal(ok.code, 7, ok.stderr);
  assert.deepEqual(tools.calls().slice(-2), ["npm install react", "npm install left-pad"]);
});
