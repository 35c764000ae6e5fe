// Imports that a project's compiler config resolves itself (tsconfig `paths`, `baseUrl`) are not packages.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { tsconfigAliases } from "../../src/ecosystems/npm/manifests/tsconfig.ts";
import { gather, toRequests } from "../../src/engine/scan.ts";

test("tsconfig aliases: exact keys, wildcard prefixes, baseUrl; comments allowed; a bare * or no options is nothing", () => {
  const text = `{
    // JSONC, as tsc accepts it
    "compilerOptions": { "baseUrl": "src", "paths": { "@/*": ["src/*"], "utils": ["src/utils"], "@app/ui/*": ["ui/*"], "*": ["types/*"], }, },
  }`;
  assert.deepEqual(tsconfigAliases(text), { exact: ["utils"], prefixes: ["@/", "@app/ui/"], baseUrl: "src" });
  assert.equal(tsconfigAliases('{ "compilerOptions": { "strict": true } }'), null);
  assert.equal(tsconfigAliases("{ not json"), null);
  assert.equal(tsconfigAliases('{ "extends": "./base.json" }'), null);
});

function project(tsconfig: object): string {
  const dir = mkdtempSync(path.join(tmpdir(), "bouncer-aliases-"));
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  write("package.json", JSON.stringify({ name: "app", dependencies: { react: "^19.0.0" } }));
  write("tsconfig.json", JSON.stringify(tsconfig));
  write("src/components/Header.tsx", "export const Header = 1;\n");
  write("src/config.ts", "export const config = 1;\n");
  write(
    "src/app.ts",
    [
      'import React from "react";',
      'import { Header } from "components/Header";',
      'import { config } from "config";',
      'import { u } from "utils";',
      'import { b } from "@app/ui/button";',
      'import chalk from "chalk";',
      'import lodahs from "lodahs";',
    ].join("\n"),
  );
  return dir;
}

const checked = (dir: string) => {
  const found = gather({ cwd: dir, paths: [dir] });
  return { names: toRequests(found.dependencies, found.local, [], found.localImports).requests.map((r) => r.name).sort(), notEvaluated: found.notEvaluated };
};

test("scan: aliased and baseUrl imports are the project's own; real packages are still checked; the config is not 'not evaluated'", () => {
  const { names, notEvaluated } = checked(project({ compilerOptions: { baseUrl: "src", paths: { utils: ["src/utils"], "@app/ui/*": ["ui/*"] } } }));
  assert.deepEqual(names, ["chalk", "lodahs", "react"]);
  assert.deepEqual(notEvaluated, []);
});

test("scan: without the config, the same imports are looked up as packages", () => {
  const { names } = checked(project({ compilerOptions: { strict: true } }));
  assert.deepEqual(names, ["@app/ui", "chalk", "components", "config", "lodahs", "react", "utils"]);
});
