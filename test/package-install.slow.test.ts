// The published package, as a user installs it: `npm pack` (whose prepack builds dist/) on a copy of the
// repo, the tarball unpacked into a project's node_modules/bouncer, then its CLI run and its library
// imported. Node refuses to strip types under node_modules, so this fails if anything the package runs
// is still TypeScript. No network: the runtime dependencies are linked from the repo's node_modules.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { expectedPackage, ROOT, unwanted } from "./support/package-files.ts";

const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string; dependencies: Record<string, string> };
// What prepack needs to build, plus a test file to show tests are not shipped.
const STAGED = ["package.json", "README.md", "LICENSE", "tsconfig.json", "tsconfig.build.json", "bin", "data", "src", "scripts/build.ts", "scripts/bundle.ts", "test/package.test.ts"];
const NOW = "2026-11-23T12:00:00Z";

let tmp: string;
let project: string;
let packedFiles: string[];

before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), "bouncer-package-"));
  const stage = path.join(tmp, "stage");
  for (const f of STAGED) cpSync(path.join(ROOT, f), path.join(stage, f), { recursive: true });
  symlinkSync(realpathSync(path.join(ROOT, "node_modules")), path.join(stage, "node_modules"), "dir");
  // With prepack: the build runs into the copy's dist/, never the repo's.
  const pack = spawnSync("npm", ["pack", "--json", "--pack-destination", tmp], {
    cwd: stage,
    encoding: "utf8",
    env: { ...process.env, npm_config_loglevel: "silent" },
    maxBuffer: 64 << 20,
  });
  assert.equal(pack.status, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packedFiles = packed!.files.map((f) => f.path).sort();

  project = path.join(tmp, "project");
  const installed = path.join(project, "node_modules", "bouncer");
  mkdirSync(installed, { recursive: true });
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ private: true, type: "module" }));
  const untar = spawnSync("tar", ["-xzf", path.join(tmp, packed!.filename), "-C", installed, "--strip-components=1"], { encoding: "utf8" });
  assert.equal(untar.status, 0, untar.stderr);
  // Only the declared runtime dependencies; theirs resolve from the real paths the links lead to.
  for (const name of Object.keys(pkg.dependencies)) {
    const link = path.join(project, "node_modules", name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(realpathSync(path.join(ROOT, "node_modules", name)), link, "dir");
  }
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Node run in the project, with nothing of the caller's Bouncer settings. */
function node(args: string[], input?: string) {
  const home = mkdtempSync(path.join(tmp, "home-"));
  return spawnSync(process.execPath, args, { cwd: project, encoding: "utf8", input, env: { PATH: process.env.PATH, BOUNCER_HOME: home, BOUNCER_NOW: NOW, BOUNCER_OFFLINE: "1" } });
}

test("the packed package holds the built dist/, the CLI and the data, and no source or test", () => {
  assert.deepEqual(packedFiles, expectedPackage());
  assert.deepEqual(packedFiles.filter(unwanted), []);
  assert.equal(existsSync(path.join(project, "node_modules", "bouncer", "src")), false);
});

test("the installed CLI runs from dist/: --version, and an offline check of a typosquat", () => {
  const bin = path.join("node_modules", "bouncer", "bin", "bouncer.js");
  const version = node([bin, "--version"]);
  assert.equal(version.stderr, "");
  assert.equal(version.stdout, `bouncer ${pkg.version}\n`);
  assert.equal(version.status, 0);

  const check = node([bin, "check", "--offline", "--ecosystem", "npm", "expresss"]);
  assert.equal(check.status, 1, check.stderr);
  assert.match(check.stdout, /block\s+pkg:npm\/expresss\n/);
  assert.match(check.stdout, /typosquat\s+a doubled letter in express /);
  assert.match(check.stdout, /did you mean\s+express,/);
});

test("the installed agent hook answers from dist/: a plain command passes, an invented package is denied", () => {
  const bin = path.join("node_modules", "bouncer", "bin", "bouncer.js");
  const call = (command: string) => JSON.stringify({ session_id: "s", cwd: project, hook_event_name: "PreToolUse", tool_name: "Bash", tool_input: { command } });
  const plain = node([bin, "hook", "claude"], call("git status"));
  assert.deepEqual([plain.status, plain.stdout, plain.stderr], [0, "", ""]);
  const invented = node([bin, "hook", "claude"], call("npm install expresss"));
  assert.equal(invented.status, 0, invented.stderr);
  assert.match(invented.stdout, /"permissionDecision":"deny"/);
  assert.match(invented.stdout, /Did you mean \\"express\\"/);
});

test("the installed agent hook denies what it cannot read: bad JSON, an empty input", () => {
  const bin = path.join("node_modules", "bouncer", "bin", "bouncer.js");
  for (const [input, reason] of [
    ["{'tool_name': 'Bash'", /the hook input is not JSON/],
    ["", /the hook input is empty/],
  ] as const) {
    const run = node([bin, "hook", "claude"], input);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /"permissionDecision":"deny"/);
    assert.match(run.stdout, reason);
    const windsurf = node([bin, "hook", "windsurf"], input);
    assert.equal(windsurf.status, 2, windsurf.stderr);
    assert.match(windsurf.stderr, reason);
  }
});

test("a consumer imports the library by its package name and checks a package with it", () => {
  writeFileSync(
    path.join(project, "consumer.mjs"),
    `import { checkPackages, defaultPolicy, getEcosystem, makeRequest, openEngine } from "bouncer";
const engine = await openEngine({ dataDir: process.env.BOUNCER_HOME, offline: true, policy: defaultPolicy(), now: new Date(process.env.BOUNCER_NOW), registries: {} });
try {
  const [result] = await checkPackages([makeRequest(getEcosystem("npm"), "expresss", null)], engine);
  console.log(JSON.stringify({ verdict: result.verdict, codes: result.findings.map((f) => f.code).sort(), didYouMean: result.didYouMean[0] }));
} finally {
  await engine.close();
}
`,
  );
  const run = node(["consumer.mjs"]);
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { verdict: "block", codes: ["typosquat", "unverifiable"], didYouMean: "express" });
});

test("files the built code reads beside itself are found: Kubernetes data, the dashboard's assets", () => {
  writeFileSync(path.join(project, "deploy.yaml"), "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\n");
  const k8s = node([path.join("node_modules", "bouncer", "bin", "bouncer.js"), "k8s", "--json", "deploy.yaml"]);
  assert.equal(k8s.status, 1, k8s.stderr);
  assert.match(k8s.stdout, /"code": "api-removed"/);
  // Not a public API: loaded by path, as `bouncer serve` does from dist/.
  const assets = node(["--input-type=module", "-e", 'const { loadAssets } = await import("./node_modules/bouncer/dist/doors/dashboard/static.js"); console.log([...loadAssets().keys()].join(","));']);
  assert.equal(assets.status, 0, assets.stderr);
  assert.equal(assets.stdout, ",app.js,dom.js,chart.js,app.css,icon.svg\n");
});
