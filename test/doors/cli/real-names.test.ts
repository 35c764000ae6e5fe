// Issue 8 item 14: with the registry unreachable, a real package is never answered with a look-alike
// ("use panda" for pandas leads into a slopsquat): the CLI (registry down, offline) and the MCP server.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { FIXED_NOW } from "../../support/registry-server.ts";
import { cli, MAIN } from "./run.ts";

const REAL = ["pkg:pypi/pandas", "pkg:pypi/fastapi", "pkg:pypi/requests", "pkg:npm/express"];

let down: Server;
let env: Record<string, string>;

before(async () => {
  // Every registry, downloads API and index answers 503.
  down = createServer((_req, res) => res.writeHead(503, { "content-type": "text/plain" }).end("unavailable"));
  await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(down.address() as AddressInfo).port}/`;
  env = {
    PATH: process.env.PATH ?? "",
    HOME: mkdtempSync(path.join(tmpdir(), "home-")),
    BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "bouncer-")),
    BOUNCER_NOW: FIXED_NOW,
    BOUNCER_NPM_REGISTRY: base,
    BOUNCER_NPM_DOWNLOADS_API: base,
    BOUNCER_PYPI_URL: base,
  };
});
after(() => down.close());

interface Result {
  purl: string;
  name: string;
  verdict: string;
  didYouMean: string[];
  findings: Array<{ code: string }>;
}

function assertOwnName(results: Result[]): void {
  assert.equal(results.length, REAL.length);
  for (const r of results) {
    assert.equal(r.verdict, "block", r.purl);
    assert.ok(r.findings.some((f) => f.code === "unverifiable"), r.purl);
    assert.deepEqual(r.didYouMean, [r.name], r.purl);
  }
}

test("registry down (503): pandas, fastapi, requests and express are answered with their own names", async () => {
  const run = await cli(["check", "--json", ...REAL], env);
  assert.equal(run.code, 1, run.stderr);
  assertOwnName(JSON.parse(run.stdout).results);
});

test("offline with no index: the same", async () => {
  const run = await cli(["check", "--offline", "--json", ...REAL], env);
  assert.equal(run.code, 1, run.stderr);
  assertOwnName(JSON.parse(run.stdout).results);
});

test("a wrong name is still answered with the real one when the registry is down", async () => {
  const run = await cli(["check", "--json", "pkg:pypi/pandass", "pkg:npm/expresss"], env);
  const results = JSON.parse(run.stdout).results as Result[];
  assert.deepEqual(
    results.map((r) => r.didYouMean[0]),
    ["pandas", "express"],
  );
});

test("MCP, registry down: the advice keeps the real name and never says to use a look-alike", async () => {
  const client = new Client({ name: "bouncer-test", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [MAIN, "mcp"], env }));
  try {
    const res = await client.callTool({ name: "verify_packages", arguments: { packages: REAL } });
    const s = res.structuredContent as { results: Array<{ package: string; verdict: string; didYouMean: string[]; advice: string }> };
    const text = (res.content as Array<{ text: string }>)[0]!.text;
    assert.doesNotMatch(text, /use \S+ instead/);
    for (const r of s.results) {
      const name = r.package.replace(/^pkg:\w+\//, "");
      assert.deepEqual(r.didYouMean, [name], r.package);
      assert.match(r.advice, new RegExp(`${name} is a known package: keep that name`), r.package);
      assert.doesNotMatch(r.advice, /instead/, r.package);
    }
    const suggested = await client.callTool({ name: "suggest_package", arguments: { ecosystem: "pypi", name: "pandas" } });
    const names = (suggested.structuredContent as { results: Array<{ package: string }> }).results.map((r) => r.package);
    assert.ok(!names.some((p) => p !== "pkg:pypi/pandas"), names.join(", "));
    assert.match(client.getInstructions() ?? "", /keeps its name/);
  } finally {
    await client.close();
  }
});
