// Slow: 8 hook processes at once. Agents run tool calls in parallel, and each runs the hook as its own
// process on one data folder: the answers must be those of one call at a time, and the decision log
// must stay one intact chain. (A fresh cache opened by several processes at once once failed with
// "disk I/O error" and was set aside as damaged.)
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type CliEnv, startCliEnv } from "../../support/cli-env.ts";
import { cliProcess } from "../cli/run.ts";

let cli: CliEnv;
before(async () => {
  cli = await startCliEnv();
});
after(() => cli.server.close());

test("parallel hook calls on a fresh data folder answer as one at a time would, and the log stays intact", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "parallel-hooks-"));
  writeFileSync(path.join(dir, "package.json"), '{ "name": "p", "version": "1.0.0" }\n');
  const env = { ...cli.env, BOUNCER_HOME: path.join(dir, ".data") };
  const calls: Array<[string, "allow" | "deny"]> = [
    ["npm install react", "allow"],
    ["npm install expresss", "deny"],
    ["pip install requests", "allow"],
    ["pip install reqeusts", "deny"],
    ["npm install @babel/core", "allow"],
    ["npm install react@19.2.0", "allow"],
    ["pip install requests==2.32.3", "allow"],
    ["npm install expresss", "deny"],
  ];
  const payload = (command: string) => JSON.stringify({ session_id: "s", cwd: dir, hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command } });
  const runs = await Promise.all(calls.map(([command]) => cliProcess(["hook", "claude"], env, payload(command))));
  for (const [i, run] of runs.entries()) {
    const [command, expected] = calls[i]!;
    assert.equal(run.code, 0, `${command}: ${run.stderr}`);
    const decision = run.stdout ? (JSON.parse(run.stdout) as { hookSpecificOutput: { permissionDecision: string } }).hookSpecificOutput.permissionDecision : "allow";
    assert.equal(decision, expected, `${command}: ${run.stdout}`);
    assert.doesNotMatch(run.stdout, /I\/O error|database is locked/, command);
  }
  assert.deepEqual(
    readdirSync(env.BOUNCER_HOME).filter((f) => f.endsWith(".corrupt")),
    [],
  );
  const verify = await cliProcess(["audit", "verify"], env);
  assert.equal(verify.code, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout + verify.stderr, /decision log intact: 8 entries/);
  assert.ok(existsSync(path.join(env.BOUNCER_HOME, "cache.sqlite")));
});
