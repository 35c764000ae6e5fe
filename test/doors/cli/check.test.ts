// bouncer check, end to end: arguments to exit code, against the local registry server.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { startCliEnv } from "../../support/cli-env.ts";
import { HOSTILE, npmDocument, type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";
import { cli, cliProcess } from "./run.ts";

let server: RegistryServer;
let env: Record<string, string>;

before(async () => {
  ({ server, env } = await startCliEnv());
});
after(() => server.close());

const verdicts = (stdout: string) =>
  Object.fromEntries((JSON.parse(stdout).results as Array<{ purl: string; verdict: string }>).map((r) => [r.purl, r.verdict]));

test("judges real fixtures: old, deprecated, fresh with install scripts, security holder, missing", async () => {
  const run = await cli(
    ["check", "--json", "pkg:npm/react", "pkg:npm/left-pad", "pkg:npm/react-hooks-toolkit-pro", "pkg:npm/flatmap-stream", "pkg:npm/no-such-package-xyz", "pkg:pypi/requests", "pkg:pypi/fastapi-secure-auth-extension", "pkg:pypi/PyYAML@6.0.2"],
    env,
  );
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(verdicts(run.stdout), {
    "pkg:npm/react": "allow",
    "pkg:npm/left-pad": "warn",
    "pkg:npm/react-hooks-toolkit-pro": "block",
    "pkg:npm/flatmap-stream": "block",
    "pkg:npm/no-such-package-xyz": "block",
    "pkg:pypi/requests": "allow",
    "pkg:pypi/fastapi-secure-auth-extension": "block",
    "pkg:pypi/pyyaml@6.0.2": "allow",
  });
  const doc = JSON.parse(run.stdout);
  assert.equal(doc.schemaVersion, 1);
  assert.deepEqual(doc.summary, { allow: 3, warn: 1, block: 4 });
  const fresh = doc.results.find((r: { name: string }) => r.name === "react-hooks-toolkit-pro");
  assert.deepEqual(fresh.findings.map((f: { code: string }) => f.code).sort(), ["install-scripts", "low-popularity", "new-package", "new-version", "no-repository", "suspicious-name"]);
});

test("exit 0 when nothing is blocked; --strict makes warnings count", async () => {
  assert.equal((await cli(["check", "pkg:npm/react"], env)).code, 0);
  assert.equal((await cli(["check", "pkg:npm/left-pad"], env)).code, 0);
  assert.equal((await cli(["check", "--strict", "pkg:npm/left-pad"], env)).code, 1);
});

test("names with --ecosystem, from a file and from stdin, with their lines", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "specs-"));
  writeFileSync(path.join(dir, "list.txt"), "# suggested by the assistant\nreact\n\nleft-pad@1.3.0  # pinned\n");
  const run = await cli(["check", "--json", "--ecosystem", "npm", "--from", "list.txt"], env, { cwd: dir });
  const doc = JSON.parse(run.stdout);
  assert.deepEqual(
    doc.results.map((r: { name: string; locations: unknown }) => [r.name, r.locations]),
    [
      ["react", [{ file: "list.txt", line: 2 }]],
      ["left-pad", [{ file: "list.txt", line: 4 }]],
    ],
  );
  const piped = await cli(["check", "--json", "--ecosystem", "pypi", "--from", "-"], env, { stdin: "requests==2.31.0\n" });
  assert.equal(JSON.parse(piped.stdout).results[0].version, "2.31.0");
});

test("an invalid name is a finding, not a crash", async () => {
  const run = await cli(["check", "--json", "--ecosystem", "npm", "Bad Name!"], env);
  assert.equal(run.code, 1);
  const r = JSON.parse(run.stdout).results[0];
  assert.equal(r.findings[0].code, "invalid-name");
});

test("a registry failure is unverifiable and blocks", async () => {
  const run = await cli(["check", "--json", `pkg:npm/${HOSTILE.status500}`, `pkg:npm/${HOSTILE.invalidJson}`, `pkg:npm/${HOSTILE.redirectElsewhere}`], env);
  assert.equal(run.code, 1);
  const doc = JSON.parse(run.stdout);
  for (const r of doc.results) {
    assert.equal(r.verdict, "block", r.purl);
    assert.equal(r.findings[0].code, "unverifiable", r.purl);
  }
});

test("offline without an index: nothing passes, and the message says why", async () => {
  const run = await cli(["check", "--offline", "--json", "pkg:npm/some-unseen-package"], { ...env, BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "empty-")) });
  assert.equal(run.code, 1);
  const f = JSON.parse(run.stdout).results[0].findings[0];
  assert.equal(f.code, "unverifiable");
  assert.match(f.message, /no offline index is built/);
});

test("offline after an online check: the cache answers", async () => {
  await cli(["check", "pkg:npm/react"], env);
  const run = await cli(["check", "--offline", "--json", "pkg:npm/react"], env);
  assert.equal(run.code, 0, run.stdout);
});

test("a name cached from one registry is asked again of another (issue 8 item 5)", async () => {
  const other = await startRegistryServer();
  try {
    server.addNpmPackage(
      npmDocument({ name: "only-on-a", created: "2015-01-01T00:00:00Z", repository: "github:a/only-on-a", versions: [{ version: "1.0.0", time: "2015-01-01T00:00:00Z" }] }),
      { downloads: 1_000_000 },
    );
    assert.equal((await cli(["check", "pkg:npm/only-on-a"], env)).code, 0);
    const elsewhere = { ...env, BOUNCER_NPM_REGISTRY: other.npmBase, BOUNCER_NPM_DOWNLOADS_API: other.downloadsBase };
    const run = await cli(["check", "--json", "pkg:npm/only-on-a"], elsewhere);
    assert.equal(run.code, 1, run.stdout);
    assert.equal(JSON.parse(run.stdout).results[0].findings[0].code, "not-found");
    assert.ok(other.requests().some((r) => r.path.includes("only-on-a")), "registry B was asked");
    // Offline, registry B's facts are not registry A's either.
    assert.equal((await cli(["check", "--offline", "pkg:npm/only-on-a"], { ...elsewhere, BOUNCER_NPM_REGISTRY: "http://127.0.0.1:9/" })).code, 1);
  } finally {
    await other.close();
  }
});

test("user mistakes: one line, a hint, exit 2", async () => {
  const cases: Array<[string[], RegExp, Record<string, string>?]> = [
    [["check"], /no packages to check/],
    [["check", "left-pad"], /not a purl/],
    [["check", "--ecosystem", "cargo", "x"], /unknown ecosystem "cargo"/],
    [["check", "pkg:gem/rails"], /unsupported package type "gem"/],
    [["check", "--colour", "x"], /Unknown option '--colour'/],
    [["check", "--format", "xml", "pkg:npm/react"], /unknown format "xml"/],
    [["check", "--from", "missing.txt"], /cannot read missing.txt/],
    [["check", "pkg:npm/react"], /BOUNCER_NOW is not an ISO time/, { BOUNCER_NOW: "yesterday" }],
    [["check", "pkg:npm/react"], /BOUNCER_NPM_REGISTRY|npm registry is not an http\(s\) URL/, { BOUNCER_NPM_REGISTRY: "ftp://x" }],
    [["frobnicate"], /unknown command "frobnicate"/],
  ];
  for (const [argv, message, extra] of cases) {
    const run = await cli(argv, { ...env, ...extra });
    assert.equal(run.code, 2, `${argv.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /hint: /, argv.join(" "));
    assert.ok(!run.stderr.includes("    at "), "no stack trace");
  }
});

test("an invalid policy file is exit 2 and names the key", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "policy-"));
  writeFileSync(path.join(dir, "bouncer.policy.json"), JSON.stringify({ thresholds: { newPackageDayz: 3 } }));
  const run = await cli(["check", "pkg:npm/react"], env, { cwd: dir });
  assert.equal(run.code, 2);
  assert.match(run.stderr, /thresholds\.newPackageDayz: unknown threshold/);
  // A project policy is read even beside a trusted one (it can only make Bouncer stricter): invalid, it fails closed.
  writeFileSync(path.join(dir, "strict.json"), JSON.stringify({ codes: { deprecated: "block" } }));
  assert.equal((await cli(["check", "--policy", "strict.json", "pkg:npm/left-pad"], env, { cwd: dir })).code, 2);
  const other = mkdtempSync(path.join(tmpdir(), "policy-"));
  writeFileSync(path.join(other, "strict.json"), JSON.stringify({ codes: { deprecated: "block" } }));
  assert.equal((await cli(["check", "--policy", "strict.json", "pkg:npm/left-pad"], env, { cwd: other })).code, 1);
});

test("a large JSON document through a pipe arrives whole", async () => {
  const names = Array.from({ length: 3000 }, (_, i) => `pkg:npm/unseen-name-${i}`).join("\n");
  const run = await cliProcess(["check", "--offline", "--json", "--from", "-"], { ...env, BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "big-")) }, names);
  assert.equal(run.code, 1, run.stderr);
  assert.ok(run.stdout.length > 64 * 1024);
  assert.equal(JSON.parse(run.stdout).results.length, 3000);
});

test("a check with no known-malicious feed loaded says so; with a feed it does not", async () => {
  const home = { ...env, BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "feedless-")) };
  const text = await cli(["check", "pkg:npm/react"], home);
  assert.equal(text.code, 0);
  assert.equal(text.stdout.split("\n").filter((l) => /no known-malicious feed is loaded/.test(l)).length, 1, text.stdout);
  const json = JSON.parse((await cli(["check", "--json", "pkg:npm/react"], home)).stdout);
  assert.deepEqual(json.notices.map((n: { code: string }) => n.code), ["no-malicious-feed"]);
  const samples = path.resolve(import.meta.dirname, "../../../../shared/feeds/samples");
  assert.equal((await cli(["feeds", "import", samples], home)).code, 0);
  const fed = await cli(["check", "--json", "pkg:npm/react"], home);
  assert.equal(JSON.parse(fed.stdout).notices, undefined);
  assert.doesNotMatch((await cli(["check", "pkg:npm/react"], home)).stdout, /malicious feed/);
});

test("PEP 792: a quarantined PyPI project blocks, an archived one warns", async () => {
  const old = (name: string) => ({ "1.0.0": [{ filename: `${name.replace(/-/g, "_")}-1.0.0-py3-none-any.whl`, uploadTime: "2015-01-01T00:00:00Z" }] });
  server.addPypiProject({ name: "status-quarantined", api: "simple-only", releases: {}, projectStatus: { status: "quarantined", reason: "malware" } });
  server.addPypiProject({
    name: "status-archived",
    info: { project_urls: { Source: "https://github.com/example/status-archived" } },
    releases: old("status-archived"),
    projectStatus: { status: "archived", reason: "superseded by status-next" },
  });
  const run = await cli(["check", "--json", "pkg:pypi/status-quarantined", "pkg:pypi/status-archived"], env);
  assert.equal(run.code, 1, run.stderr);
  const results = JSON.parse(run.stdout).results as Array<{ purl: string; verdict: string; findings: Array<{ code: string; message: string }> }>;
  const by = Object.fromEntries(results.map((r) => [r.purl, r]));
  assert.equal(by["pkg:pypi/status-quarantined"]!.verdict, "block");
  assert.ok(by["pkg:pypi/status-quarantined"]!.findings.some((f) => f.code === "quarantined" && /malware/.test(f.message)));
  assert.equal(by["pkg:pypi/status-archived"]!.verdict, "warn");
  assert.ok(by["pkg:pypi/status-archived"]!.findings.some((f) => f.code === "archived" && /superseded by status-next/.test(f.message)));
});
