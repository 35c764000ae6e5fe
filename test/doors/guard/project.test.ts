// Issue 8 item 8: installs with no operands check the project's manifest and lockfile before the
// real tool runs (the agent flow: edit the manifest, then install).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type CliEnv, startCliEnv } from "../../support/cli-env.ts";
import { cli } from "../cli/run.ts";
import { type FakeTools, fakeTools } from "./fakes.ts";

let ctx: CliEnv;
let tools: FakeTools;
let env: Record<string, string>;

before(async () => {
  ctx = await startCliEnv();
  tools = fakeTools(["npm", "yarn", "pnpm", "bun", "uv", "poetry", "pipenv", "pip"]);
  env = { ...ctx.env, PATH: `${tools.bin}:${ctx.env.PATH}` };
});
after(() => ctx.server.close());

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "project-"));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const packageJson = (deps: Record<string, string>) => JSON.stringify({ name: "app", version: "1.0.0", dependencies: deps });
const pyproject = (deps: string[]) => `[project]\nname = "app"\nversion = "1.0"\ndependencies = ${JSON.stringify(deps)}\n`;
const pipfile = (names: string[]) => `[packages]\n${names.map((n) => `${n} = "*"`).join("\n")}\n`;

test("an agent adds a hallucinated name to package.json; a bare `npm install` refuses, a clean project installs", async () => {
  const dir = project({ "package.json": packageJson({ react: "^19.0.0" }) });
  const clean = await cli(["npm", "install"], env, { cwd: dir });
  assert.equal(clean.code, 7, clean.stderr);
  assert.equal(tools.calls().at(-1), "npm install");

  writeFileSync(path.join(dir, "package.json"), packageJson({ react: "^19.0.0", reactt: "^1.0.0" }));
  const count = tools.calls().length;
  const run = await cli(["npm", "install"], env, { cwd: dir });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /pkg:npm\/reactt/);
  assert.match(run.stderr, /package\.json/);
  assert.equal(tools.calls().length, count);
});

test("every bare install form checks the project first", async () => {
  const npmBad = { "package.json": packageJson({ "left-pad": "^1.3.0", reactt: "^1.0.0" }) };
  const npmGood = { "package.json": packageJson({ "left-pad": "^1.3.0" }) };
  const pyBad = { "pyproject.toml": pyproject(["requests>=2", "reqeusts-halucinated>=1"]), Pipfile: pipfile(["requests", "reqeusts-halucinated"]) };
  const pyGood = { "pyproject.toml": pyproject(["requests>=2"]), Pipfile: pipfile(["requests"]) };
  const cases: Array<[string[], Record<string, string>, Record<string, string>]> = [
    [["npm", "ci"], npmBad, npmGood],
    [["npm", "i"], npmBad, npmGood],
    [["npm", "update"], npmBad, npmGood],
    [["npm", "dedupe"], npmBad, npmGood],
    [["npm", "rebuild"], npmBad, npmGood],
    [["npm", "link"], npmBad, npmGood],
    [["yarn"], npmBad, npmGood],
    [["yarn", "install"], npmBad, npmGood],
    [["pnpm", "install"], npmBad, npmGood],
    [["bun", "install"], npmBad, npmGood],
    [["uv", "sync"], pyBad, pyGood],
    [["poetry", "install"], pyBad, pyGood],
    [["pipenv", "install"], pyBad, pyGood],
    [["pip", "install", "."], pyBad, pyGood],
    [["pip", "install", "-e", "."], pyBad, pyGood],
  ];
  for (const [argv, bad, good] of cases) {
    const count = tools.calls().length;
    const refused = await cli(argv, env, { cwd: project(bad) });
    assert.equal(refused.code, 1, `${argv.join(" ")}: ${refused.stderr}`);
    assert.match(refused.stderr, /reactt|reqeusts-halucinated/, argv.join(" "));
    assert.equal(tools.calls().length, count, argv.join(" "));
    const passed = await cli(argv, env, { cwd: project(good) });
    assert.equal(passed.code, 7, `${argv.join(" ")}: ${passed.stderr}`);
    assert.equal(tools.calls().at(-1), argv.join(" "));
  }
});

test("`pip install .` of a project that declares its dependencies only in setup.py is refused, not passed", async () => {
  const run = await cli(["pip", "install", "."], env, { cwd: project({ "setup.py": "from setuptools import setup\nsetup(name='x', install_requires=['reqeusts-halucinated'])\n" }) });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /setup\.py cannot be read/);
});

test("`npm link <pkg>` checks the package; `npm install --prefix DIR` checks that project", async () => {
  const linked = await cli(["npm", "link", "reactt"], env, { cwd: project({}) });
  assert.equal(linked.code, 1, linked.stderr);
  const dir = project({});
  const sub = path.join(dir, "web");
  mkdirSync(sub);
  writeFileSync(path.join(sub, "package.json"), packageJson({ reactt: "1.0.0" }));
  const run = await cli(["npm", "install", "--prefix", "web"], env, { cwd: dir });
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /pkg:npm\/reactt/);
});
