// Hostile command lines against the hook's readers: each must stay linear. An agent's hook that takes
// longer than the agent's timeout lets the tool run, so a quadratic pattern is a way through.
// (Two were: "node node node …" against the inline-script pattern, and a long digit run against the
// harmless-redirect one: 80,000 digits took 12.7 s.)
import assert from "node:assert/strict";
import { test } from "node:test";
import { commandChanges, mayNameGuard, shellEnvSettings, unknownPrograms } from "../../../src/doors/hooks/command-changes.ts";
import { mayChangeDependencies } from "../../../src/doors/hooks/fast.ts";
import { needsJudging } from "../../../src/doors/hooks/triage.ts";
import { splitShellCommands } from "../../../src/extract/shell.ts";
import { BLOWUP_MS } from "../../support/bounded.ts";

const N = 200_000;
const HOSTILE: Array<[string, string]> = [
  ["interpreters", "node ".repeat(N / 5)],
  ["digits", "1".repeat(N)],
  ["digits then a redirect", `${"1".repeat(N)}>`],
  ["redirections", "&>> ".repeat(N / 4)],
  ["settings words", `rm ${"settings".repeat(N / 8)}`],
  ["spaces after git", `git${" ".repeat(N)}x`],
  ["assignments", `${"A=1 ".repeat(N / 4)}ls`],
  ["export words", `export ${"x".repeat(N)}`],
];

test("the fast path, the triage and the command readers stay linear on hostile lines", () => {
  for (const [what, line] of HOSTILE) {
    const started = performance.now();
    mayChangeDependencies(line);
    needsJudging(line);
    const commands = splitShellCommands(line);
    commandChanges(commands);
    unknownPrograms(commands);
    for (const c of commands.slice(0, 10)) for (const w of c.argv.slice(0, 10)) mayNameGuard(w);
    shellEnvSettings(line);
    assert.ok(performance.now() - started < BLOWUP_MS, `${what}: took ${Math.round(performance.now() - started)} ms`);
  }
});
