// Files someone else may have put in place are read only when regular: a FIFO (or a device) there would
// block the read forever. Each read runs in a child process with a timeout, so a missing fix fails the
// test instead of hanging it.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { pathToFileURL } from "node:url";
import { readRegularFile } from "../../src/sources/files.ts";

const SRC = path.resolve(import.meta.dirname, "../../src");
const MAIN = path.resolve(import.meta.dirname, "../../bin/bouncer.js");
const mod = (rel: string) => JSON.stringify(pathToFileURL(path.join(SRC, rel)).href);

function fifo(file: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  execFileSync("mkfifo", [file]);
  return file;
}

/** Runs `code` (an ES module) in a child process; fails, rather than waits, when it does not finish. */
function runPromptly(code: string): string {
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8", timeout: 20_000 });
  assert.equal(run.signal, null, `the read blocked (killed after the timeout); it got as far as:\n${run.stdout}`);
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

test("readRegularFile: a regular file's bytes, bounded", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-files-"));
  writeFileSync(path.join(dir, "a"), "hello");
  assert.equal(readRegularFile(path.join(dir, "a")).toString(), "hello");
  assert.equal(readRegularFile(path.join(dir, "a"), { limit: 5 }).toString(), "hello");
  assert.throws(() => readRegularFile(path.join(dir, "a"), { limit: 4 }), { code: "EFBIG" });
  assert.throws(() => readRegularFile(dir), { code: "EFTYPE" });
  assert.throws(() => readRegularFile(path.join(dir, "missing")), { code: "ENOENT" });
});

test("every read of a file that may be swapped for a FIFO refuses it at once", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-fifo-"));
  const pipe = fifo(path.join(dir, "pipe"));
  const data = path.join(dir, "data");
  mkdirSync(data);
  const logDir = path.join(dir, "log");
  mkdirSync(logDir);
  const shims = path.join(dir, "shims");
  fifo(path.join(shims, "npm"));
  const out = runPromptly(`
    const say = (step, value) => console.log(JSON.stringify([step, value]));
    const caught = (f) => { try { f(); return "read"; } catch (e) { return e.code ?? e.name; } };
    const pipe = ${JSON.stringify(pipe)};
    const { readRegularFile } = await import(${mod("sources/files.ts")});
    say("helper", caught(() => readRegularFile(pipe)));
    const { readConfigFile } = await import(${mod("doors/cli/config.ts")});
    say("config", readConfigFile(pipe));
    const { loadLogKey } = await import(${mod("doors/cli/logkey.ts")});
    say("log key", caught(() => loadLogKey({ "log-key": pipe }, { cwd: "/", env: {} }, ${JSON.stringify(data)})));
    const { diskFs } = await import(${mod("engine/fs.ts")});
    say("scan", diskFs(${JSON.stringify(dir)}).readBytes("pipe"));
    const { openIndex } = await import(${mod("sources/offline-index/read.ts")});
    say("index", caught(() => openIndex(pipe)));
    const { openSearchIndex } = await import(${mod("sources/offline-index/search.ts")});
    say("search", caught(() => openSearchIndex(pipe)));
    const { isShim } = await import(${mod("doors/guard/guard.ts")});
    say("shim", isShim(pipe));
    const { installShims } = await import(${mod("doors/guard/shims.ts")});
    say("install shims", installShims(${JSON.stringify(shims)}, ["npm"], "node", "x").skipped.length);
    const ledger = await import(${mod("ledger/ledger.ts")});
    // The decision log swapped for the FIFO.
    const { renameSync } = await import("node:fs");
    renameSync(pipe, ${JSON.stringify(logDir)} + "/" + ledger.LOG_FILE);
    say("ledger head", caught(() => ledger.ledgerHead(${JSON.stringify(logDir)})));
    say("ledger entries", caught(() => ledger.readEntries(${JSON.stringify(logDir)})));
    say("ledger verify", await ledger.verifyLedger(${JSON.stringify(logDir)}).then(() => "read", (e) => e.name));
    const { entriesFromEnd } = await import(${mod("store/sqlite.ts")});
    say("store log", caught(() => [...entriesFromEnd(${JSON.stringify(logDir)})]));
  `);
  const steps = Object.fromEntries(
    out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as [string, unknown]),
  );
  assert.deepEqual(steps, {
    helper: "EFTYPE",
    config: { problem: "not a regular file" },
    "log key": "UsageError",
    scan: { refused: "not a regular file" },
    index: "IndexFormatError",
    search: "EFTYPE",
    shim: false,
    "install shims": 1,
    "ledger head": "LedgerError",
    "ledger entries": "LedgerError",
    "ledger verify": "LedgerError",
    "store log": "LedgerError",
  });
});

test("a log key that is a FIFO: one line and a hint, exit 2, at once", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-fifo-"));
  const key = fifo(path.join(dir, "log.key"));
  const env = { PATH: process.env.PATH ?? "", HOME: dir, BOUNCER_HOME: path.join(dir, "data"), BOUNCER_LOG_KEY_FILE: key };
  const run = spawnSync(process.execPath, [MAIN, "check", "--offline", "pkg:npm/react"], { encoding: "utf8", env, timeout: 20_000 });
  assert.equal(run.signal, null, "blocked on the FIFO");
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /the log key .*log\.key is not a key file \(a small regular file\)/);
  assert.match(run.stderr, /openssl rand/);
});

test("name-similarity tables swapped for FIFOs are rebuilt, not waited for", () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "bouncer-fifo-"));
  const suggest = `
    const { openEngine } = await import(${mod("engine/setup.ts")});
    const { defaultPolicy } = await import(${mod("core/policy.ts")});
    const engine = await openEngine({
      dataDir: ${JSON.stringify(dataDir)},
      offline: true,
      policy: defaultPolicy(),
      now: new Date("2026-11-23T12:00:00Z"),
      registries: { npm: "http://127.0.0.1:9/", npmDownloads: "http://127.0.0.1:9/", pypi: "http://127.0.0.1:9/" },
    });
    console.log(engine.intel("npm").suggest("reactt", 1)[0]);
    await engine.close();
  `;
  assert.equal(runPromptly(suggest).trim(), "react");
  const tables = readdirSync(path.join(dataDir, "similarity")).filter((n) => n.endsWith(".bin"));
  assert.ok(tables.length > 0);
  for (const name of tables) {
    rmSync(path.join(dataDir, "similarity", name));
    fifo(path.join(dataDir, "similarity", name));
  }
  assert.equal(runPromptly(suggest).trim(), "react");
});
