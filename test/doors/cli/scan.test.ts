// bouncer scan over a project tree written by the test: every input kind, what is skipped, what is not evaluated.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { PackageResult, Report } from "../../../src/core/model.ts";
import { startCliEnv } from "../../support/cli-env.ts";
import type { RegistryServer } from "../../support/registry-server.ts";
import { cli } from "./run.ts";

let server: RegistryServer;
let env: Record<string, string>;
let project: string;
let report: Report;

function write(rel: string, content: string | Buffer): void {
  const file = path.join(project, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
}

before(async () => {
  ({ server, env } = await startCliEnv());
  project = mkdtempSync(path.join(tmpdir(), "project-"));
  write(
    "package.json",
    JSON.stringify(
      {
        name: "@acme/app",
        workspaces: ["packages/*"],
        dependencies: { react: "^19.2.0", "@acme/util": "workspace:*", "@acme/ui": "^1.0.0", "my-fork": "github:acme/my-fork#v2" },
        devDependencies: { "left-pad": "1.3.0", reactt: "^1.0.0" },
      },
      null,
      2,
    ),
  );
  write("packages/util/package.json", JSON.stringify({ name: "@acme/util", dependencies: { "@babel/core": "7.26.0" } }));
  write("packages/ui/package.json", JSON.stringify({ name: "@acme/ui" }));
  write("requirements.txt", "requests==2.31.0  # pinned\nPyYAML>=6\n");
  write("src/app.py", "import os\nimport yaml\nfrom mylib import helper\nimport requests\nfrom . import sibling\n");
  write("src/mylib/__init__.py", "");
  write("web/index.ts", "import React from 'react';\nimport fs from 'node:fs';\nimport { x } from './local';\nimport type { T } from '@babel/core/lib/x';\n");
  write("docs/setup.md", "Install:\n\n```sh\npip install reqeusts\n```\n");
  write("node_modules/evil/package.json", JSON.stringify({ name: "evil", dependencies: { "never-looked-at": "1" } }));
  write(".venv/pyvenv.cfg", "home = /usr\n");
  write(".venv/lib/requirements.txt", "never-looked-at\n");
  write(".gitignore", "build/\n");
  write("build/requirements.txt", "never-looked-at\n");
  write("broken/package.json", "{ this is not json");
  write("binary/requirements.txt", Buffer.from([0x72, 0x00, 0x01, 0x02]));
  write("latin1/requirements.txt", Buffer.from([0x66, 0xe9, 0xe9, 0x0a]));
  const run = await cli(["scan", "--json", "."], env, { cwd: project });
  assert.equal(run.code, 1, run.stderr);
  report = JSON.parse(run.stdout);
});
after(() => server.close());

const find = (name: string, ecosystem?: string): PackageResult | undefined =>
  report.results.find((r) => r.name === name && (!ecosystem || r.ecosystem === ecosystem));

test("manifests, lockfiles, imports and docs are all read, with their lines", () => {
  assert.equal(find("react")?.verdict, "allow");
  assert.deepEqual(find("react")?.locations.map((l) => `${l.file}:${l.line}`).sort(), ["package.json:7", "web/index.ts:1"]);
  assert.equal(find("reactt")?.verdict, "block");
  assert.equal(find("reactt")?.didYouMean[0], "react");
  assert.equal(find("left-pad")?.verdict, "warn");
  assert.equal(find("requests")?.verdict, "allow");
  assert.deepEqual(find("requests")?.locations.map((l) => `${l.file}:${l.line}`).sort(), ["requirements.txt:1", "src/app.py:4"]);
  assert.equal(find("reqeusts")?.verdict, "block");
  assert.deepEqual(find("reqeusts")?.locations, [{ file: "docs/setup.md", line: 4 }]);
  assert.equal(find("@babel/core")?.verdict, "allow");
});

test("Python imports map to distributions; the standard library and local modules are left out", () => {
  const yaml = report.results.filter((r) => r.name === "pyyaml");
  assert.equal(yaml.length, 1, JSON.stringify(report.results.map((r) => r.name)));
  assert.ok(yaml[0]!.locations.some((l) => l.file === "src/app.py" && l.line === 2));
  for (const local of ["os", "mylib", "sibling", "fs", "node:fs", "./local"]) assert.equal(find(local), undefined, local);
});

test("workspace members and local packages are never looked up", () => {
  assert.equal(find("@acme/util"), undefined);
  assert.equal(find("@acme/ui"), undefined);
  assert.equal(find("@acme/app"), undefined);
});

test("git dependencies are reported as such, not looked up", () => {
  const fork = find("my-fork");
  assert.equal(fork?.verdict, "warn");
  assert.equal(fork?.findings[0]?.code, "not-a-registry-package");
});

test("node_modules, virtual environments and .gitignore'd folders are skipped", () => {
  assert.equal(find("never-looked-at"), undefined);
  assert.equal(find("evil"), undefined);
});

test("what could not be read is reported as not evaluated, and the rest of the scan goes on", () => {
  const reasons = Object.fromEntries(report.notEvaluated.map((n) => [n.file, n.reason]));
  assert.match(reasons["broken/package.json"] ?? "", /JSON|parse/i);
  assert.equal(reasons["binary/requirements.txt"], "binary file");
  assert.equal(reasons["latin1/requirements.txt"], "not valid UTF-8 text");
});

test("explicit files of unknown formats are not evaluated, never passed silently", async () => {
  write("weird.lock", "something\n");
  const run = await cli(["scan", "--json", "weird.lock", "missing.txt"], env, { cwd: project });
  const doc = JSON.parse(run.stdout) as Report;
  assert.deepEqual(doc.notEvaluated.map((n) => n.file).sort(), ["missing.txt", "weird.lock"]);
  assert.equal(run.code, 0);
});

test("text from stdin", async () => {
  const run = await cli(["scan", "--json", "--text", "-"], env, { cwd: project, stdin: "Sure! Run `pip install reqeusts` and then `npm i react`." });
  const doc = JSON.parse(run.stdout) as Report;
  assert.deepEqual(doc.results.map((r) => `${r.ecosystem}:${r.name}:${r.verdict}`).sort(), ["npm:react:allow", "pypi:reqeusts:block"]);
  assert.equal(run.code, 1);
});

test("compound shell lines from stdin: cd ... && pip install, export; npm i, subshells, bash -c", async () => {
  const stdin = ["cd app && pip install requests", "export X=1; npm i react", '(cd web; pnpm add left-pad)', 'bash -c "pip install reqeusts"'].join("\n");
  const run = await cli(["scan", "--json", "-"], env, { cwd: project, stdin });
  const doc = JSON.parse(run.stdout) as Report;
  assert.deepEqual(doc.results.map((r) => `${r.ecosystem}:${r.name}:${r.locations[0]?.line}`).sort(), [
    "npm:left-pad:3",
    "npm:react:2",
    "pypi:reqeusts:4",
    "pypi:requests:1",
  ]);
});

test("an install of an import name names the real distribution", async () => {
  const run = await cli(["scan", "--json", "--text", "-"], env, { cwd: project, stdin: "```sh\npip install sklearn\n```\n" });
  const r = (JSON.parse(run.stdout) as Report).results[0]!;
  const mismatch = r.findings.find((f) => f.code === "import-name-mismatch");
  assert.equal(mismatch?.target, "scikit-learn");
  assert.equal(r.didYouMean[0], "scikit-learn");
});

test("packages of a private scope configured in .npmrc are never looked up on the public registry", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "private-"));
  writeFileSync(path.join(dir, ".npmrc"), "@corp:registry=https://npm.corp.example/\n");
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "svc", dependencies: { "@corp/auth": "^2.0.0", react: "^19.2.0" } }));
  const before = server.requestCount();
  const run = await cli(["scan", "--json", "."], env, { cwd: dir });
  const doc = JSON.parse(run.stdout) as Report;
  // The project's .npmrc is not trusted: the scope is private but its registry unknown, so fail closed.
  const corp = doc.results.find((r) => r.name === "@corp/auth")!;
  assert.equal(corp.verdict, "block");
  assert.equal(corp.findings[0]!.code, "unverifiable");
  assert.match(corp.findings[0]!.message, /a registry your trusted configuration does not name; to check them there, add "@corp:registry=https:\/\/npm\.corp\.example\/"/);
  assert.equal(doc.results.find((r) => r.name === "react")!.verdict, "allow");
  assert.ok(!server.requests().slice(before).some((r) => r.path.includes("corp")), "no request named the private package");
});
