// The hook process reads the agent's payload however the agent passes it: a socket (agents built on
// Node), a pipe (Codex, a shell's `|`) or a file, written whole or still being written, or never
// closed. The answer is the same in each case; an input that never ends is a deny at the deadline.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { closeSync, constants, mkdtempSync, openSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { PassThrough } from "node:stream";
import { text } from "node:stream/consumers";
import { inputAfter, readAtOnce } from "../../../src/doors/cli/stdin.ts";
import { type CliEnv, startCliEnv } from "../../support/cli-env.ts";
import { type CliRun, cliProcess, MAIN } from "../cli/run.ts";

let cli: CliEnv;
let dir: string;
before(async () => {
  cli = await startCliEnv();
  dir = mkdtempSync(path.join(tmpdir(), "hook-stdin-"));
  writeFileSync(path.join(dir, "package.json"), '{ "name": "demo", "version": "1.0.0" }\n');
});
after(() => cli.server.close());

const bash = (command: string) => JSON.stringify({ session_id: "s", cwd: dir, hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command } });
const DENY = /"permissionDecision":"deny"/;

/** Runs the hook with standard input `fd` (closed here once the child has it); `then` runs after spawning. */
function withStdin(argv: string[], env: Record<string, string>, fd: number, then: () => void = () => {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...argv], { env, stdio: [fd, "pipe", "pipe"] });
    closeSync(fd);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    then();
  });
}

/** A named pipe: the read end for the child, the write end for the test. */
function namedPipe(): { read: number; write: number } {
  const fifo = path.join(mkdtempSync(path.join(tmpdir(), "fifo-")), "stdin");
  execFileSync("mkfifo", [fifo]);
  const read = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  return { read, write: openSync(fifo, constants.O_WRONLY) };
}

async function throughPipe(payload: string, env = cli.env): Promise<CliRun> {
  const { read, write } = namedPipe();
  writeSync(write, payload);
  closeSync(write);
  return withStdin(["hook", "claude"], env, read);
}

async function fromFile(payload: string): Promise<CliRun> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "payload-")), "in.json");
  writeFileSync(file, payload);
  return withStdin(["hook", "claude"], cli.env, openSync(file, "r"));
}

const CASES: Array<[string, string, (run: CliRun) => void]> = [
  ["a command that installs nothing", bash("git status && ls -la"), (run) => assert.deepEqual([run.code, run.stdout, run.stderr], [0, "", ""])],
  ["an install word that installs nothing", bash("npm test"), (run) => assert.deepEqual([run.code, run.stdout], [0, ""])],
  ["an invented package", bash("npm install reactt"), (run) => assert.match(run.stdout, /Did you mean \\"react\\"/)],
  ["a payload that is not JSON", "{'tool_name'", (run) => assert.match(run.stdout, /the hook input is not JSON/)],
  ["an empty payload", "", (run) => assert.match(run.stdout, /the hook input is empty/)],
];

for (const [what, payload, expect] of CASES) {
  test(`${what}: the same answer through a socket, a pipe and a file`, async () => {
    for (const run of [await cliProcess(["hook", "claude"], cli.env, payload), await throughPipe(payload), await fromFile(payload)]) {
      assert.doesNotMatch(run.stderr, /internal error/);
      assert.equal(run.code, 0, run.stderr);
      expect(run);
      if (what === "an invented package" || what.startsWith("a payload") || what.startsWith("an empty")) assert.match(run.stdout, DENY);
    }
  });
}

test("a pipe the agent never closes: a deny at the deadline, never a hang", async () => {
  const { read, write } = namedPipe();
  writeSync(write, bash("git status").slice(0, 40));
  try {
    const run = await withStdin(["hook", "claude"], { ...cli.env, BOUNCER_HOOK_BUDGET_MS: "300" }, read);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, DENY);
    assert.match(run.stdout, /could not finish checking this call within 300 ms/);
  } finally {
    closeSync(write);
  }
});

test("a socket the agent never closes: a deny at the deadline, never a hang", async () => {
  const child = spawn(process.execPath, [MAIN, "hook", "claude"], { env: { ...cli.env, BOUNCER_HOOK_BUDGET_MS: "300" }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stdin.write(bash("git status").slice(0, 40));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  child.stdin.destroy();
  assert.equal(code, 0);
  assert.match(stdout, DENY);
  assert.match(stdout, /could not finish checking this call within 300 ms/);
});

test("a socket written in two parts is read whole", async () => {
  const child = spawn(process.execPath, [MAIN, "hook", "claude"], { env: cli.env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  const payload = bash("npm install reactt");
  child.stdin.write(payload.slice(0, 30));
  setImmediate(() => child.stdin.end(payload.slice(30)));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  assert.equal(code, 0);
  assert.match(stdout, /Did you mean \\"react\\"/);
});

test("a payload still being written is read in part at once, and the stream carries on from there", async () => {
  const { read, write } = namedPipe();
  const payload = bash("npm install reactt");
  try {
    writeSync(write, payload.slice(0, 30));
    const first = readAtOnce(read, 1024);
    assert.deepEqual([first.bytes.toString(), first.whole], [payload.slice(0, 30), false]);
    const rest = new PassThrough();
    const input = await inputAfter(first, rest);
    rest.end(payload.slice(30));
    assert.equal(await text(input), payload);
    // Destroying what the hook reads (the deadline answered) releases standard input.
    const other = new PassThrough();
    (await inputAfter(first, other)).destroy();
    assert.equal(other.destroyed, true);
  } finally {
    closeSync(read);
    closeSync(write);
  }
});

test("read at once: a closed pipe whole, a file whole up to the limit", () => {
  const { read, write } = namedPipe();
  writeSync(write, "{}");
  closeSync(write);
  assert.deepEqual(readAtOnce(read, 1024), { bytes: Buffer.from("{}"), whole: true });
  closeSync(read);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "payload-")), "in.json");
  writeFileSync(file, "x".repeat(200_000));
  const fd = openSync(file, "r");
  assert.deepEqual([readAtOnce(fd, 300_000).bytes.length, readAtOnce(fd, 300_000).whole], [200_000, true]);
  closeSync(fd);
  const over = openSync(file, "r");
  assert.equal(readAtOnce(over, 100_000).whole, false, "beyond the limit: left to the stream, which refuses it");
  closeSync(over);
  // A socket (how agents built on Node pass the payload) is never read at once: see the socket cases above.
});

test("a payload larger than the hook reads, through a pipe, is denied", async () => {
  const { read, write } = namedPipe();
  const chunk = Buffer.alloc(1024 * 1024, "x");
  const run = withStdin(["hook", "claude"], cli.env, read, () => {
    // The child drains the pipe; the writer follows until the child has gone (EPIPE).
    const pump = () => {
      try {
        for (let i = 0; i < 40; i++) writeSync(write, chunk);
        closeSync(write);
      } catch {
        closeSync(write);
      }
    };
    setImmediate(pump);
  });
  const got = await run;
  assert.match(got.stdout, DENY);
  assert.match(got.stdout, /larger than 32 MiB/);
});

test("options and help still go through the CLI", async () => {
  const help = await throughPipe("{}", cli.env).then(() => cliProcess(["hook", "claude", "--help"], cli.env, ""));
  assert.equal(help.code, 0);
  assert.match(help.stdout, /bouncer hook/);
  const wrong = await cliProcess(["hook", "claude", "--budget-ms", "soon"], cli.env, bash("ls"));
  assert.match(wrong.stdout, /declared wrongly/);
  const nobody = await cliProcess(["hook", "vim"], cli.env, "{}");
  assert.deepEqual([nobody.code, nobody.stderr.split("\n")[0]], [2, 'bouncer: no agent "vim"']);
});
