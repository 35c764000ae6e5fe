// GitHub references through the doors: scan (text, SARIF, Markdown), --diff in CI, an AI answer, MCP, the decision log.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { verifyLedger } from "../../../src/ledger/ledger.ts";
import { cli, MAIN } from "./run.ts";

const env = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? "",
  HOME: mkdtempSync(path.join(tmpdir(), "home-")),
  BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "bouncer-")),
  BOUNCER_NOW: "2026-12-07T00:00:00Z",
  // Never the real API: a closed port.
  BOUNCER_GITHUB_API: "http://127.0.0.1:9/",
  ...extra,
});

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "gh-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const GOOD = "on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@v5\n";
const INVENTED = `${GOOD}      - uses: actions/setup-node@v2.99.0\n      - uses: actions/checkout@v5\n        with:\n          fetch_depth: 1\n`;

test("scan --diff in CI: a pull request that adds an invented action ref fails; SARIF and Markdown name it", async () => {
  const dir = tree({ ".github/workflows/ci.yml": GOOD });
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, stdio: "pipe" });
  git("init", "-q");
  git("add", ".");
  git("commit", "-qm", "base");
  writeFileSync(path.join(dir, ".github/workflows/ci.yml"), INVENTED);
  const sarif = await cli(["scan", "--diff", "HEAD", "--offline", "--format", "sarif"], env({ CI: "true" }), { cwd: dir });
  assert.equal(sarif.code, 1, sarif.stderr);
  const results = JSON.parse(sarif.stdout).runs[0].results as Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }>;
  const rules = results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.region.startLine]);
  assert.ok(rules.some(([id, line]) => id === "ref-not-found" && line === 7), JSON.stringify(rules));
  assert.ok(rules.some(([id]) => id === "unknown-input"), JSON.stringify(rules));
  const md = await cli(["scan", "--diff", "HEAD", "--offline", "--format", "markdown"], env(), { cwd: dir });
  assert.match(md.stdout, /actions\/setup-node@v2\.99\.0/);
  assert.match(md.stdout, /has no tag or branch "v2\.99\.0"/);
  const base = await cli(["scan", ".", "--offline", "--json"], env(), { cwd: dir });
  assert.ok(JSON.parse(base.stdout).results.some((r: { purl: string }) => r.purl === "pkg:github/actions/checkout@v5"));
});

test("an AI answer with a workflow in a fenced block, through stdin --text", async () => {
  const answer = "Use this:\n\n```yaml\njobs:\n  t:\n    runs-on: macos-12\n    steps:\n      - uses: actions/upload-artifact@v3\n        with:\n          path: dist\n```\n";
  const run = await cli(["scan", "--offline", "--text", "--json", "-"], env(), { stdin: answer });
  const found = JSON.parse(run.stdout).results.map((r: { purl: string; findings: Array<{ code: string }>; locations: Array<{ line: number }> }) => [r.purl, r.findings.map((f) => f.code)[0], r.locations[0]!.line]);
  assert.deepEqual(found, [
    ["pkg:github/actions/runner-images@macos-12", "retired-runner", 6],
    ["pkg:github/actions/upload-artifact@v3", "action-discontinued", 8],
  ]);
  assert.equal(run.code, 1);
});

test("MCP verify_packages takes GitHub purls; scan_snippet reads a workflow; the decision log records them", async () => {
  const e = env();
  const client = new Client({ name: "bouncer-test", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [MAIN, "mcp", "--offline"], env: e }));
  try {
    const verified = await client.callTool({ name: "verify_packages", arguments: { packages: ["pkg:githubactions/github/codeql-action/init@v99", "pkg:github/actions/check-out@v4"] } });
    const results = (verified.structuredContent as { results: Array<{ package: string; verdict: string; didYouMean: string[] }> }).results;
    assert.deepEqual(results.map((r) => [r.package, r.verdict]), [
      ["pkg:githubactions/github/codeql-action/init@v99", "block"],
      ["pkg:github/actions/check-out@v4", "block"],
    ]);
    assert.equal(results[1]!.didYouMean[0], "actions/checkout");
    const snippet = await client.callTool({ name: "scan_snippet", arguments: { text: "```yaml\n- uses: actions/cache@v2\n```\n" } });
    assert.ok((snippet.structuredContent as { results: Array<{ package: string }> }).results.some((r) => r.package === "pkg:github/actions/cache@v2"));
  } finally {
    await client.close();
  }
  const log = await verifyLedger(e.BOUNCER_HOME);
  assert.ok(log.entries >= 3, String(log.entries));
  assert.deepEqual(log.problems, []);
});

test("git dependencies on github.com in package.json, lockfiles and requirements: the repository and ref are judged", async () => {
  const dir = tree({
    "package.json": JSON.stringify({ name: "x", dependencies: { co: "github:actions/checkout#v4", bad: "github:actions/setup-node#v2.99.0" } }),
    "requirements.txt": "x @ git+https://github.com/action/checkout@v4\n",
  });
  const run = await cli(["scan", ".", "--offline", "--json"], env(), { cwd: dir });
  const byPurl = new Map(JSON.parse(run.stdout).results.map((r: { purl: string; findings: Array<{ code: string }> }) => [r.purl, r.findings.map((f) => f.code)]));
  assert.deepEqual(byPurl.get("pkg:github/actions/checkout@v4"), []);
  assert.deepEqual(byPurl.get("pkg:github/actions/setup-node@v2.99.0"), ["ref-not-found"]);
  assert.ok((byPurl.get("pkg:github/action/checkout@v4") as string[]).includes("typosquat"));
  assert.deepEqual(byPurl.get("pkg:npm/co"), ["not-a-registry-package"]);
});
