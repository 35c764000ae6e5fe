// The user's ~/.npmrc is read once per install judged (engine options and the install's registries
// share one read), and once per command line however many folders it `cd`s into.
import assert from "node:assert/strict";
import fs, { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import type { CliIO } from "../../../src/doors/cli/io.ts";
import { planInstall } from "../../../src/doors/guard/guard.ts";
import { installOptions } from "../../../src/doors/guard/judge.ts";
import { installRegistries } from "../../../src/doors/guard/registries.ts";
import { lineOptions, planLine } from "../../../src/doors/hooks/judge.ts";

/** Counts the opens of each file while `run` runs (every configuration read opens the file). */
function countingOpens<T>(run: () => T): { result: T; opens: Map<string, number> } {
  const opens = new Map<string, number>();
  const original = fs.openSync;
  fs.openSync = ((file: fs.PathLike, ...rest: unknown[]) => {
    const key = String(file);
    opens.set(key, (opens.get(key) ?? 0) + 1);
    return (original as (...args: unknown[]) => number)(file, ...rest);
  }) as typeof fs.openSync;
  syncBuiltinESMExports();
  try {
    return { result: run(), opens };
  } finally {
    fs.openSync = original;
    syncBuiltinESMExports();
  }
}

function setup(): { root: string; home: string; io: CliIO } {
  const root = mkdtempSync(path.join(tmpdir(), "bouncer-reads-"));
  const home = path.join(root, "home");
  for (const [file, text] of Object.entries({
    "home/.npmrc": "@corp:registry=http://127.0.0.1:9/corp/\n//127.0.0.1:9/corp/:_authToken=secret\n",
    "a/package.json": "{}",
    "a/.npmrc": "@proj:registry=http://127.0.0.1:9/proj-a/\n",
    "b/package.json": "{}",
    "b/.npmrc": "@proj:registry=http://127.0.0.1:9/proj-b/\n",
  })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const sink = { write: () => true };
  const env = { HOME: home, BOUNCER_HOME: path.join(root, "data"), BOUNCER_NOW: "2026-11-23T12:00:00Z", BOUNCER_NPM_REGISTRY: "http://127.0.0.1:9/npm/" };
  const io = { env, cwd: path.join(root, "a"), stdout: sink, stderr: sink } as unknown as CliIO;
  return { root, home, io };
}

test("an install: ~/.npmrc read once, its scope and token on the options as before", () => {
  const { root, home, io } = setup();
  try {
    const plan = planInstall(["npm", "install", "@corp/x"], io.cwd);
    const { result, opens } = countingOpens(() => installOptions({}, io, plan));
    assert.equal(opens.get(path.join(home, ".npmrc")), 1);
    assert.equal(opens.get(path.join(root, "a", ".npmrc")), 1);
    assert.deepEqual(result.registries.npm?.scopes["@corp"], { baseUrl: "http://127.0.0.1:9/corp/", authorization: "Bearer secret" });
    // The project's scope is where npm will fetch, asked without the user's credentials.
    assert.deepEqual(result.registries.npm?.scopes["@proj"], { baseUrl: "http://127.0.0.1:9/proj-a/" });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("a command line that cds into two projects: ~/.npmrc read once, each project's .npmrc once and its own", () => {
  const { root, home, io } = setup();
  try {
    const plans = planLine("cd ../a && npm install @proj/x && cd ../b && npm install @proj/y", path.join(root, "a"), home);
    assert.equal(plans.size, 2);
    const { result, opens } = countingOpens(() => [...lineOptions(plans, {}, io)]);
    assert.equal(opens.get(path.join(home, ".npmrc")), 1);
    assert.equal(opens.get(path.join(root, "a", ".npmrc")), 1);
    assert.equal(opens.get(path.join(root, "b", ".npmrc")), 1);
    assert.deepEqual(
      result.map((r) => r.registries.npm?.scopes["@proj"]?.baseUrl),
      ["http://127.0.0.1:9/proj-a/", "http://127.0.0.1:9/proj-b/"],
      "each folder judged against its own project's routes",
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test("scope keys as npm reads them: the .npmrc's case kept, npm_config_* lower-cased", () => {
  const texts: Record<string, string> = { "/home/u/.npmrc": "@MyCorp:registry=http://127.0.0.1:9/mixed/\n//127.0.0.1:9/mixed/:_authToken=m\n" };
  const plan = planInstall(["npm", "install", "@MyCorp/x"], "/work/app");
  const registries = installRegistries(plan.commands, {
    cwd: "/work/app",
    home: "/home/u",
    env: { "npm_config_@Env:registry": "http://127.0.0.1:9/env/" },
    defaults: { npm: "http://127.0.0.1:9/npm/", pypi: "http://127.0.0.1:9/pypi/" },
    readFile: (file) => texts[file],
  });
  assert.deepEqual(registries.npm?.scopes, {
    "@MyCorp": { baseUrl: "http://127.0.0.1:9/mixed/", authorization: "Bearer m" },
    "@env": { baseUrl: "http://127.0.0.1:9/env/" },
  });
});
