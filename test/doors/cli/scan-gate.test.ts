// Issue 8 item 9: in CI and on a change (--diff), a dependency file that could not be evaluated
// fails the gate unless the trusted policy says "warn"; the Markdown summary never calls such a run clean.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { cli } from "./run.ts";

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "",
    HOME: mkdtempSync(path.join(tmpdir(), "home-")),
    BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "bouncer-")),
    BOUNCER_NOW: "2026-01-15T00:00:00Z",
    ...extra,
  };
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gate-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, stdio: "pipe" });

test("scan --diff: a changed manifest that cannot be parsed fails the gate", async () => {
  const dir = tree({ "README.md": "hello\n" });
  git(dir, "init", "-q");
  git(dir, "add", ".");
  git(dir, "commit", "-qm", "base");
  writeFileSync(path.join(dir, "package.json"), '{ "dependencies": { "left-pad": ');
  const run = await cli(["scan", "--diff", "HEAD", "--offline", "--format", "markdown"], env(), { cwd: dir });
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stderr, /could not be evaluated \(package\.json: /);
  assert.doesNotMatch(run.stdout, /No dependency in this change is blocked/);
  assert.match(run.stdout, /1 not evaluated/);
  assert.match(run.stdout, /not evaluated \(below\): their dependencies are unchecked/);
});

test("CI=true: an unreadable or refused manifest fails the gate; the trusted policy may say warn", async () => {
  const dir = tree({ "requirements.txt": "-r ../outside.txt\n", "policy.json": JSON.stringify({ notEvaluated: "warn" }) });
  const ci = await cli(["scan", ".", "--offline", "--json"], env({ CI: "true" }), { cwd: dir });
  assert.equal(ci.code, 1, ci.stderr);
  const local = await cli(["scan", ".", "--offline", "--json"], env(), { cwd: dir });
  assert.equal(local.code, 0, local.stderr);
  const warned = await cli(["scan", ".", "--offline", "--json", "--policy", "policy.json"], env({ CI: "true" }), { cwd: dir });
  assert.equal(warned.code, 0, warned.stderr);
});

test("CI=true: free text with a command that cannot be read is reported, not gated on", async () => {
  const dir = tree({ "install.sh": "pip install $PACKAGES\n" });
  const run = await cli(["scan", ".", "--offline", "--json"], env({ CI: "1" }), { cwd: dir });
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /only known when the script runs/);
});

test('the policy key "notEvaluated" is validated like the others', async () => {
  const dir = tree({ "policy.json": JSON.stringify({ notEvaluated: "ignore" }) });
  const run = await cli(["scan", ".", "--offline", "--policy", "policy.json"], env(), { cwd: dir });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /notEvaluated: must be "block" or "warn"/);
});
