// The CI door: scan --diff in a real git repository, the SARIF and Markdown it writes, and the
// action and pre-commit definitions that call it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { parse } from "yaml";
import { startCliEnv } from "../../support/cli-env.ts";
import type { RegistryServer } from "../../support/registry-server.ts";
import { readEntries, verifyLedger } from "../../../src/ledger/ledger.ts";
import { cli } from "../cli/run.ts";

const ROOT = path.resolve(import.meta.dirname, "../../..");
let server: RegistryServer;
let env: Record<string, string>;
let repo: string;

const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@e", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@e" } });

before(async () => {
  ({ server, env } = await startCliEnv());
  repo = mkdtempSync(path.join(tmpdir(), "repo-"));
  git("init", "-q", "-b", "main");
  writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "app", dependencies: { react: "^19.2.0", "left-pad": "^1.3.0" } }, null, 2));
  writeFileSync(path.join(repo, "requirements.txt"), "requests==2.31.0\n");
  git("add", ".");
  git("commit", "-qm", "base");
  // The change: one hallucinated npm package, one fresh PyPI package, and a README install line.
  writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "app", dependencies: { react: "^19.2.0", "left-pad": "^1.3.0", reactt: "^1.0.0" } }, null, 2));
  writeFileSync(path.join(repo, "requirements.txt"), "requests==2.31.0\nfastapi-secure-auth-extension\n");
  writeFileSync(path.join(repo, "README.md"), "# App\n\n```sh\nnpm install react\n```\n");
});
after(() => server.close());

test("--diff judges only what the change adds", async () => {
  const run = await cli(["scan", "--diff", "main", "--json", "."], env, { cwd: repo });
  assert.equal(run.code, 1, run.stderr);
  const doc = JSON.parse(run.stdout);
  const names = doc.results.map((r: { name: string }) => r.name).sort();
  assert.deepEqual(names, ["fastapi-secure-auth-extension", "react", "reactt"], "left-pad and requests were there before");
  const reactt = doc.results.find((r: { name: string }) => r.name === "reactt");
  assert.deepEqual(reactt.locations, [{ file: "package.json", line: 6 }]);
});

test("SARIF and Markdown for the pull request", async () => {
  const sarif = await cli(["scan", "--diff", "main", "--format", "sarif", "."], env, { cwd: repo });
  const log = JSON.parse(sarif.stdout);
  const uris = log.runs[0].results.map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0]!.physicalLocation.artifactLocation.uri);
  assert.deepEqual(uris.sort(), ["package.json", "requirements.txt"]);
  const md = await cli(["scan", "--diff", "main", "--format", "markdown", "."], env, { cwd: repo });
  assert.match(md.stdout, /### Bouncer: 2 blocked/);
  assert.match(md.stdout, /`pkg:npm\/reactt`.*`react`/);
});

test("a revision that does not exist is a usage error", async () => {
  const run = await cli(["scan", "--diff", "no-such-branch", "."], env, { cwd: repo });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /--diff takes a git revision/);
});

test("the action and the pre-commit hook call options the CLI has", () => {
  const action = parse(readFileSync(path.join(ROOT, "action.yml"), "utf8"));
  const script = action.runs.steps.map((s: { run?: string }) => s.run ?? "").join("\n");
  assert.match(script, /bin\/bouncer\.js" scan --diff "\$BASE"/);
  for (const flag of ["--format sarif", "--format markdown", "--policy"]) assert.ok(script.includes(flag), flag);
  // One of the two runs logs the verdicts, the other does not log them twice.
  assert.match(script, /--log --format sarif/);
  assert.match(script, /--no-log --format markdown/);
  assert.ok(action.runs.steps.some((s: { uses?: string }) => s.uses?.startsWith("github/codeql-action/upload-sarif")));
  const hooks = parse(readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8"));
  assert.equal(hooks[0].entry, "bouncer scan");
  const files = new RegExp(hooks[0].files);
  for (const f of ["package.json", "sub/requirements-dev.txt", "poetry.lock", "docs/README.md", "Dockerfile"]) assert.ok(files.test(f), f);
  assert.ok(!files.test("logo.png"));
});

const doors = (home: string) => readEntries(home).map((l) => JSON.parse(l) as { door: string; context?: string; name: string });
const freshHome = () => mkdtempSync(path.join(tmpdir(), "ci-log-"));

test("in CI, scan and check log every verdict as door ci", async () => {
  const home = freshHome();
  const scan = await cli(["scan", "--diff", "main", "--json", "."], { ...env, CI: "true", BOUNCER_HOME: home }, { cwd: repo });
  assert.equal(scan.code, 1, scan.stderr);
  const check = await cli(["check", "--json", "pkg:npm/react"], { ...env, CI: "true", BOUNCER_HOME: home }, { cwd: repo });
  assert.equal(check.code, 0, check.stderr);
  const entries = doors(home);
  assert.deepEqual(entries.map((e) => [e.door, e.context, e.name]).sort(), [
    ["ci", "check", "react"],
    ["ci", "scan", "fastapi-secure-auth-extension"],
    ["ci", "scan", "react"],
    ["ci", "scan", "reactt"],
  ]);
  assert.deepEqual((await verifyLedger(home)).problems, []);
});

test("--no-log in CI logs nothing; an interactive run logs only with --log, under its own door", async () => {
  const quiet = freshHome();
  await cli(["check", "--no-log", "pkg:npm/react"], { ...env, CI: "true", BOUNCER_HOME: quiet }, { cwd: repo });
  await cli(["check", "pkg:npm/react"], { ...env, CI: "false", BOUNCER_HOME: quiet }, { cwd: repo });
  assert.equal(existsSync(path.join(quiet, "ledger.jsonl")), false);
  const home = freshHome();
  await cli(["check", "--log", "pkg:npm/react"], { ...env, BOUNCER_HOME: home }, { cwd: repo });
  await cli(["scan", "--log", "--diff", "main", "."], { ...env, BOUNCER_HOME: home }, { cwd: repo });
  assert.deepEqual([...new Set(doors(home).map((e) => e.door))], ["check", "scan"]);
});
