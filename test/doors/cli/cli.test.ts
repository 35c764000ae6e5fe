// The command line itself: old Node, per-command help, an unusable data directory, colour, the
// decision log's audit command, and progress on a terminal.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { startCliEnv } from "../../support/cli-env.ts";
import type { RegistryServer } from "../../support/registry-server.ts";
import { cli, MAIN } from "./run.ts";

let server: RegistryServer;
let env: Record<string, string>;
before(async () => {
  ({ server, env } = await startCliEnv());
});
after(() => server.close());

const temp = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));

/** A Node older than 22.13 on this machine (the system one), outside the project's node_modules. */
function oldNode(): { file: string; version: string } | undefined {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d && !d.includes("node_modules"));
  for (const file of [...dirs.map((d) => path.join(d, "node")), "/usr/local/bin/node", "/usr/bin/node"]) {
    if (!existsSync(file)) continue;
    const version = spawnSync(file, ["--version"], { encoding: "utf8" }).stdout?.trim() ?? "";
    const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
    if (major > 0 && (major < 22 || (major === 22 && minor < 13))) return { file, version };
  }
  return undefined;
}

const old = oldNode();
test("an old Node gets the version message and exit 2, not a SyntaxError", { skip: old ? false : "no Node older than 22.13 is installed" }, () => {
  const run = spawnSync(old!.file, [MAIN, "check", "left-pad"], { encoding: "utf8" });
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, new RegExp(`^bouncer: needs Node.js >= 22.13 \\(this is ${old!.version.replace(/\./g, "\\.")}\\)\\nhint: `));
  assert.doesNotMatch(run.stderr, /SyntaxError|at /);
});

const REGISTRY_HELP = ["--npm-registry", "BOUNCER_NPM_REGISTRY", "BOUNCER_NPM_DOWNLOADS_API", "BOUNCER_PYPI_URL", "--data-dir", "BOUNCER_HOME", "BOUNCER_NOW"];

test("<command> --help, -h and help <command> print that command's help", async () => {
  for (const name of ["check", "scan", "serve", "mcp"]) {
    const runs = [await cli([name, "--help"], env), await cli([name, "-h"], env), await cli(["help", name], env), await cli([name, "x", "--help"], env)];
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.stdout, runs[0]!.stdout);
      assert.match(run.stdout, new RegExp(`^usage: bouncer ${name}`));
      for (const word of REGISTRY_HELP) assert.ok(run.stdout.includes(word), `${name}: ${word}`);
    }
  }
  for (const [name, word] of [["audit", "--checkpoint"], ["index", "--npm FILE"], ["k8s", "--k8s-version"], ["feeds", "--data-dir"], ["shims", "install DIR"]]) {
    const run = await cli([name!, "--help"], env);
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.stdout.includes(word!), `${name}: ${word}`);
  }
});

test("help for an unknown command is exit 2 with a hint", async () => {
  const run = await cli(["help", "chek"], env);
  assert.equal(run.code, 2);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, /^bouncer: no command "chek"\nhint: run `bouncer help`/);
});

test("a guard passes --help to the real tool; help <tool> documents the guard", async () => {
  const bin = temp("fake-bin-");
  const calls = path.join(bin, "calls");
  writeFileSync(path.join(bin, "npm"), `#!/bin/sh\necho "npm $*" >> ${JSON.stringify(calls)}\nexit 7\n`);
  chmodSync(path.join(bin, "npm"), 0o755);
  const run = await cli(["npm", "--help"], { ...env, PATH: `${bin}:${env.PATH}` });
  assert.equal(run.code, 7);
  assert.equal(readFileSync(calls, "utf8"), "npm --help\n");
  const help = await cli(["help", "npm"], env);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: bouncer npm ARGS/);
  for (const word of ["BOUNCER_NPM_REGISTRY", "BOUNCER_PYPI_URL", "BOUNCER_HOME"]) assert.ok(help.stdout.includes(word), word);
});

test("an unusable data directory is one line, a hint, and exit 2", async () => {
  const file = path.join(temp("not-a-dir-"), "file");
  writeFileSync(file, "x");
  const cases: Array<[string, RegExp]> = [
    [file, /it is not a directory/],
    [path.join(file, "sub", "dir"), /is not a directory/],
    ["/proc/self", /not writable/],
    ["/proc/bouncer-cannot-create/x", /cannot create it/],
  ];
  for (const [dir, reason] of cases) {
    for (const argv of [["check", "--offline", "--data-dir", dir, "pkg:npm/left-pad"], ["scan", "--offline", "--data-dir", dir, "."]]) {
      const run = await cli(argv, env, { cwd: temp("empty-") });
      assert.equal(run.code, 2, `${argv.join(" ")}: ${run.stderr}`);
      const lines = run.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 2, run.stderr);
      assert.match(lines[0]!, new RegExp(`^bouncer: --data-dir ${dir.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")} cannot be used: `));
      assert.match(lines[0]!, reason);
      assert.match(lines[1]!, /^hint: choose a writable directory with --data-dir or BOUNCER_HOME/);
    }
  }
  const viaEnv = await cli(["check", "--offline", "pkg:npm/left-pad"], { ...env, BOUNCER_HOME: file });
  assert.equal(viaEnv.code, 2);
  assert.match(viaEnv.stderr, /^bouncer: BOUNCER_HOME .* cannot be used: it is not a directory/);
});

test("NO_COLOR turns colour off on a terminal; FORCE_COLOR turns it on in a pipe", async () => {
  const argv = ["check", "--offline", "pkg:npm/reakt"];
  const tty = { stdoutIsTTY: true };
  assert.match((await cli(argv, env, tty)).stdout, /\u001b\[/);
  assert.doesNotMatch((await cli(argv, { ...env, NO_COLOR: "1" }, tty)).stdout, /\u001b\[/);
  assert.match((await cli(argv, { ...env, FORCE_COLOR: "1" })).stdout, /\u001b\[/);
  assert.doesNotMatch((await cli(argv, { ...env, FORCE_COLOR: "1", NO_COLOR: "1" })).stdout, /\u001b\[/);
});

test("audit verify without a log says so (exit 2), never 'intact'", async () => {
  const home = temp("no-log-");
  const run = await cli(["audit", "verify"], { ...env, BOUNCER_HOME: home });
  assert.equal(run.code, 2);
  assert.equal(run.stdout, "");
  assert.match(run.stderr, new RegExp(`^bouncer: no decision log at ${path.join(home, "ledger.jsonl")}\\n`));
});

test("audit verify reports a torn tail; the next decision recovers it", async () => {
  const home = temp("torn-");
  const withHome = { ...env, BOUNCER_HOME: home };
  assert.equal((await cli(["check", "--log", "pkg:npm/react"], withHome)).code, 0);
  appendFileSync(path.join(home, "ledger.jsonl"), '{"door":"guard","pu');
  const torn = await cli(["audit", "verify"], withHome);
  assert.equal(torn.code, 1);
  assert.match(torn.stdout, /^torn: line 2 \(byte \d+\): the log ends in 19 bytes/m);
  assert.doesNotMatch(torn.stdout, /decision log intact/);
  assert.equal((await cli(["check", "--log", "pkg:npm/react"], withHome)).code, 0, "the next decision is logged");
  const after = await cli(["audit", "verify"], withHome);
  assert.equal(after.code, 0, after.stdout);
  assert.match(after.stdout, /moved to ledger.torn/);
  assert.match(after.stdout, /decision log intact: 3 entries/);
});

test("with a log key and an exported checkpoint, a cut tail with a rewritten head is detected", async () => {
  const home = temp("keyed-");
  const keyFile = path.join(temp("key-"), "log.key");
  writeFileSync(keyFile, "0123456789abcdef0123456789abcdef\n");
  const keyed = { ...env, BOUNCER_HOME: home, BOUNCER_LOG_KEY_FILE: keyFile };
  for (const name of ["react", "left-pad", "reakt"]) await cli(["check", "--log", `pkg:npm/${name}`], keyed);
  const plain = await cli(["audit", "verify"], { ...env, BOUNCER_HOME: home });
  assert.match(plain.stdout, /note: no log key or checkpoint given: only changes inside the chain are detectable/);
  const checkpoint = path.join(temp("shipped-"), "checkpoint.json");
  const exported = await cli(["audit", "export", "--checkpoint", checkpoint], keyed);
  assert.equal(exported.code, 0, exported.stderr);
  assert.equal(exported.stdout.trimEnd().split("\n").length, 3);
  assert.match(readFileSync(checkpoint, "utf8"), /"seq":3,.*"mac":"[0-9a-f]{64}"/);
  const ok = await cli(["audit", "verify", "--checkpoint", checkpoint], keyed);
  assert.equal(ok.code, 0, ok.stdout);
  assert.match(ok.stdout, /intact: 3 entries, checked against the log key and the checkpoint of entry 3/);

  const log = path.join(home, "ledger.jsonl");
  const kept = readFileSync(log, "utf8").split("\n").slice(0, 2);
  writeFileSync(log, `${kept.join("\n")}\n`);
  const tip = JSON.parse(kept[1]!);
  writeFileSync(path.join(home, "ledger.head"), JSON.stringify({ seq: tip.seq, hash: tip.hash }));
  const cut = await cli(["audit", "verify", "--log-key", keyFile, "--checkpoint", checkpoint], { ...env, BOUNCER_HOME: home });
  assert.equal(cut.code, 1);
  assert.match(cut.stdout, /^truncated: the checkpoint of .* records entry 3 but the log ends at entry 2/m);
});

test("a log key inside the data directory, or too short, is refused", async () => {
  const home = temp("key-inside-");
  writeFileSync(path.join(home, "log.key"), "0123456789abcdef0123456789abcdef");
  const inside = await cli(["audit", "verify", "--log-key", path.join(home, "log.key")], { ...env, BOUNCER_HOME: home });
  assert.equal(inside.code, 2);
  assert.match(inside.stderr, /is inside the data directory/);
  const short = await cli(["check", "--offline", "pkg:npm/left-pad"], { ...env, BOUNCER_LOG_KEY: "short" });
  assert.equal(short.code, 2);
  assert.match(short.stderr, /the log key is too short/);
});

test("index build and the first build of the similarity tables show progress on a terminal only", async () => {
  const dir = temp("snap-");
  const snapshot = path.join(dir, "npm.tsv");
  const rows = Array.from({ length: 70_000 }, (_, i) => `pkg-${i}\t1.0.0`);
  writeFileSync(snapshot, `name\tversion\n${rows.join("\n")}\n`);
  const home = temp("progress-");
  const tty = await cli(["index", "build", "--npm", snapshot], { ...env, BOUNCER_HOME: home }, { stderrIsTTY: true });
  assert.equal(tty.code, 0, tty.stderr);
  assert.match(tty.stderr, /building the offline index: reading the snapshots…/);
  assert.match(tty.stderr, /building the offline index: npm 65,536 rows read…/);
  assert.ok(tty.stderr.endsWith("\r\u001b[K"), JSON.stringify(tty.stderr.slice(-20)));
  const piped = await cli(["index", "build", "--npm", snapshot], { ...env, BOUNCER_HOME: temp("progress-") });
  assert.equal(piped.stderr, "");

  const fresh = { ...env, BOUNCER_HOME: temp("tables-") };
  const first = await cli(["check", "--offline", "pkg:pypi/reqests"], fresh, { stderrIsTTY: true });
  assert.match(first.stderr, /building the pypi name-similarity tables \(first run only\)…/);
  assert.ok(first.stderr.endsWith("\r\u001b[K"));
  const second = await cli(["check", "--offline", "pkg:pypi/reqests"], fresh, { stderrIsTTY: true });
  assert.doesNotMatch(second.stderr, /name-similarity/);
});
