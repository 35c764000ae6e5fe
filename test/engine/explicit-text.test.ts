// A plain-text file the user names (a chat transcript, notes) is read for install commands; a folder
// walk does not pick such files up.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { gather } from "../../src/engine/scan.ts";

test("a named .txt transcript is read; the same file in a walked folder is not", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-explicit-text-"));
  try {
    mkdirSync(path.join(dir, "notes"));
    writeFileSync(path.join(dir, "notes", "chat.txt"), "Assistant: run `pip install reqeusts` first.\n");
    const named = gather({ cwd: dir, paths: ["notes/chat.txt"] });
    assert.deepEqual(named.dependencies.map((d) => d.name), ["reqeusts"]);
    assert.deepEqual(named.notEvaluated, []);
    const walked = gather({ cwd: dir, paths: ["notes"] });
    assert.deepEqual(walked.dependencies, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the install guard reads a -r file as requirements whatever its name", async () => {
  const { planInstall } = await import("../../src/doors/guard/guard.ts");
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-guard-r-"));
  try {
    writeFileSync(path.join(dir, "deps.txt"), "reqeusts==2.0\n-c pins.in\n");
    writeFileSync(path.join(dir, "pins.in"), "flask<4\n");
    const plan = planInstall(["pip", "install", "-r", "deps.txt"], dir);
    assert.deepEqual(plan.requests.map((r) => r.name).sort(), ["flask", "reqeusts"]);
    assert.deepEqual(plan.problems, []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
