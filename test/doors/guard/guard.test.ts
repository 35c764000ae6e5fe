// The install guard and its shims, with stand-in installers that record how they were called.
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { planInstall } from "../../../src/doors/guard/guard.ts";
import { readEntries } from "../../../src/ledger/ledger.ts";
import { cliEnvFor } from "../../support/cli-env.ts";
import { type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";
import { cli, MAIN } from "../cli/run.ts";
import { sh } from "./fakes.ts";

let server: RegistryServer;
let env: Record<string, string>;
let fakeBin: string;
let calls: string;

before(async () => {
  server = await startRegistryServer();
  const root = mkdtempSync(path.join(tmpdir(), "guard-"));
  fakeBin = path.join(root, "bin");
  calls = path.join(root, "calls.log");
  mkdirSync(fakeBin);
  // Stand-ins for the real tools: record argv and the guard marker, exit 7.
  for (const tool of ["npm", "pip", "npx"]) {
    const file = path.join(fakeBin, tool);
    writeFileSync(file, `#!/bin/sh\necho "${tool} $* active=$BOUNCER_GUARD_ACTIVE" >> ${JSON.stringify(calls)}\nexit 7\n`);
    chmodSync(file, 0o755);
  }
  env = cliEnvFor(server, root, { path: `${fakeBin}:${process.env.PATH}` });
});
after(() => server.close());

const lastCall = () => (existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n").pop() : undefined);

test("what a command adds, per tool grammar", () => {
  const names = (argv: string[]) => planInstall(argv, process.cwd()).requests.map((r) => `${r.name}@${r.version ?? ""}`);
  assert.deepEqual(names(["npm", "install", "-D", "typescript@5", "--registry", "https://r.example/", "left-pad"]), ["typescript@5", "left-pad@"]);
  assert.deepEqual(names(["pip", "install", "-i", "https://x/simple", "requests==2.31.0", "--no-deps"]), ["requests@2.31.0"]);
  assert.deepEqual(names(["npx", "-y", "create-react-app", "my-app"]), ["create-react-app@"]);
  assert.deepEqual(names(["npm", "test"]), []);
  assert.deepEqual(names(["pip", "list"]), []);
  assert.equal(planInstall(["npm", "install", "github:user/repo"], process.cwd()).unverifiable.length, 1);
});

test("an allowed install runs the real tool with the same arguments and exit code", async () => {
  const run = await cli(["npm", "install", "react@19.2.0", "--save"], env);
  assert.equal(run.code, 7, run.stderr);
  assert.equal(lastCall(), "npm install react@19.2.0 --save active=");
});

test("a blocked install is refused with the reason and the probable package; the tool never runs", async () => {
  const before = existsSync(calls) ? readFileSync(calls, "utf8") : "";
  const run = await cli(["npm", "install", "reactt", "left-pad"], env);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /block\s+pkg:npm\/reactt/);
  assert.match(run.stderr, /not-found/);
  assert.match(run.stderr, /did you mean\s+react/);
  assert.match(run.stderr, /refused to run `npm install reactt left-pad`/);
  assert.equal(existsSync(calls) ? readFileSync(calls, "utf8") : "", before);
});

test("commands that add nothing pass straight through, without a decision", async () => {
  const entries = readEntries(env.BOUNCER_HOME!).length;
  const run = await cli(["npm", "test"], env);
  assert.equal(run.code, 7);
  assert.equal(lastCall(), "npm test active=");
  assert.equal(readEntries(env.BOUNCER_HOME!).length, entries);
});

test("pip -r files are read and judged", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "req-"));
  writeFileSync(path.join(dir, "requirements.txt"), "requests==2.31.0\nfastapi-secure-auth-extension\n");
  const run = await cli(["pip", "install", "-r", "requirements.txt"], env, { cwd: dir });
  assert.equal(run.code, 1);
  assert.match(run.stderr, /fastapi-secure-auth-extension/);
  assert.match(run.stderr, /requirements.txt:2/);
});

test("decisions are logged with the door and the command line, credentials redacted", async () => {
  await cli(["pip", "install", "-i", `http://user:secret@127.0.0.1:1/simple`, "requests"], env);
  const entries = readEntries(env.BOUNCER_HOME!).map((l) => JSON.parse(l));
  const last = entries[entries.length - 1];
  assert.equal(last.door, "guard");
  assert.ok(!JSON.stringify(entries).includes("secret"));
});

test("shims route the plain command through Bouncer and find the real tool, never themselves", async () => {
  const shimDir = mkdtempSync(path.join(tmpdir(), "shims-"));
  const install = await cli(["shims", "install", shimDir], env);
  assert.equal(install.code, 0, install.stderr);
  const shimEnv = { ...env, PATH: `${shimDir}:${env.PATH}` };
  const blocked = await sh(path.join(shimDir, "npm"), ["install", "reactt"], shimEnv);
  assert.equal(blocked.code, 1, blocked.stderr);
  assert.match(blocked.stderr, /did you mean\s+react/);
  // Installs nothing: straight to the real tool from the shell, without starting Node.
  const passed = await sh(path.join(shimDir, "npm"), ["--version"], shimEnv);
  assert.equal(passed.code, 7);
  assert.equal(lastCall(), "npm --version active=");
  // Anything else goes through Bouncer, which passes on what adds nothing.
  const viaBouncer = await sh(path.join(shimDir, "npm"), ["pack"], shimEnv);
  assert.equal(viaBouncer.code, 7);
  assert.equal(lastCall(), "npm pack active=");
  // A shim dir alone on PATH: no real tool to find, and no loop.
  const alone = await sh(path.join(shimDir, "pip"), ["install", "requests"], { ...env, PATH: shimDir });
  assert.equal(alone.code, 2);
  assert.match(alone.stderr, /cannot find pip on PATH/);
  void MAIN;
});

test("shims are written only for the tools on PATH, and the others are named (issue 8 item 20)", async () => {
  const shimDir = mkdtempSync(path.join(tmpdir(), "shims-"));
  const run = await cli(["shims", "install", shimDir], { ...env, PATH: fakeBin });
  assert.equal(run.code, 0, run.stderr);
  assert.ok(["npm", "pip", "npx"].every((t) => existsSync(path.join(shimDir, t))));
  assert.ok(!existsSync(path.join(shimDir, "pnpm")));
  assert.ok(!existsSync(path.join(shimDir, "poetry")));
  assert.match(run.stdout, /wrote 3 shims/);
  assert.match(run.stdout, /skipped \(not on PATH\): .*pnpm/);
});
