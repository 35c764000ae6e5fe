// Issue 8 item 1 from the command line: what a scanned tree points at outside itself, inside .git,
// or a credential it holds never reaches JSON, SARIF, Markdown or text output; lines that could not
// be parsed are quoted only as short excerpts.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { Report } from "../../../src/core/model.ts";
import { cli } from "./run.ts";

const SECRET = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
const PASSWORD = "hunter2hunter2";
const LONG = "y".repeat(400);

function project(): { dir: string; env: Record<string, string> } {
  const base = mkdtempSync(path.join(tmpdir(), "leaks-"));
  const dir = path.join(base, "project");
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  write(path.join(base, "secret.txt"), `AWS_SECRET=${SECRET}\n`);
  write(path.join(dir, ".git", "config"), `[remote "origin"]\n\turl = https://x-access-token:${SECRET}@github.com/acme/app\n`);
  write(
    path.join(dir, "requirements.txt"),
    [
      "-r ../secret.txt",
      "-r .git/config",
      `not a requirement at all ${LONG} password=${PASSWORD}`,
      `git+https://oauth2:${PASSWORD}@gitlab.com/acme/x.git#egg=x`,
      "requests",
    ].join("\n"),
  );
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: mkdtempSync(path.join(tmpdir(), "home-")),
    BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "bouncer-")),
    BOUNCER_NOW: "2026-01-15T00:00:00Z",
  };
  return { dir, env };
}

for (const format of ["json", "sarif", "markdown", "text"]) {
  test(`scan --format ${format}: no secret, no .git content, no line longer than an excerpt`, async () => {
    const { dir, env } = project();
    const run = await cli(["scan", ".", "--offline", "--format", format], env, { cwd: dir });
    assert.ok(run.code === 0 || run.code === 1, run.stderr);
    const out = run.stdout + run.stderr;
    for (const leaked of [SECRET, PASSWORD, "x-access-token", LONG.slice(0, 100)]) assert.ok(!out.includes(leaked), `${leaked} in:\n${out}`);
    assert.match(out, /outside the scanned folder/);
    assert.match(out, /inside \.git/);
  });
}

test("scan --json: the refused includes are listed in notEvaluated, a bad line quoted to 80 characters", async () => {
  const { dir, env } = project();
  const run = await cli(["scan", ".", "--offline", "--json"], env, { cwd: dir });
  const report = JSON.parse(run.stdout) as Report;
  const reasons = report.notEvaluated.map((n) => n.reason);
  assert.ok(reasons.includes('line 1: cannot read included file "../secret.txt": outside the scanned folder'), reasons.join("\n"));
  assert.ok(reasons.includes('line 2: cannot read included file ".git/config": inside .git'), reasons.join("\n"));
  const bad = reasons.find((r) => r.startsWith("line 3: invalid requirement"));
  assert.ok(bad, reasons.join("\n"));
  const quoted = /"([^"]*)"/.exec(bad)![1]!;
  assert.ok(quoted.length <= 81, quoted);
  assert.ok(quoted.startsWith("not a requirement at all yyy"), quoted);
  const fork = report.results.find((r) => r.name === "x");
  assert.equal(fork?.version, "git+https://***@gitlab.com/acme/x.git#egg=x");
});

test("scan - (standard input) reads only the text given: its includes read nothing", async () => {
  const { env } = project();
  const run = await cli(["scan", "-", "--stdin-name", "requirements.txt", "--offline", "--json"], env, { stdin: "-r /etc/passwd\n-r .git/config\nrequests\n", cwd: "/" });
  assert.ok(!run.stdout.includes("root:"), run.stdout);
  const report = JSON.parse(run.stdout) as Report;
  assert.deepEqual(report.notEvaluated.map((n) => n.reason), [
    'line 1: cannot read included file "/etc/passwd": not part of the scanned text',
    'line 2: cannot read included file ".git/config": not part of the scanned text',
  ]);
});
