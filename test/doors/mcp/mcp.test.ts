// The MCP server over stdio, driven by the official MCP client library, plus raw malformed input.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { verifyLedger } from "../../../src/ledger/ledger.ts";
import { startCliEnv } from "../../support/cli-env.ts";
import type { RegistryServer } from "../../support/registry-server.ts";
import { MAIN } from "../cli/run.ts";

let server: RegistryServer;
let client: Client;
let env: Record<string, string>;

before(async () => {
  ({ server, env } = await startCliEnv());
  client = new Client({ name: "bouncer-test", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [MAIN, "mcp"], env }));
});
after(async () => {
  await client?.close();
  await server?.close();
});

interface Structured {
  results: Array<{ package: string; verdict: string; reasons: string[]; didYouMean: string[]; advice: string }>;
  summary: Record<string, number>;
}

test("lists three tools with input and output schemas", async () => {
  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), ["scan_snippet", "suggest_package", "verify_packages"]);
  for (const t of tools) {
    assert.equal(t.inputSchema.type, "object");
    assert.ok(t.outputSchema, t.name);
    assert.ok(t.description && t.description.length > 40);
  }
  assert.match(client.getInstructions() ?? "", /verify_packages/);
});

test("verify_packages: verdicts, reasons and what to use instead", async () => {
  const res = await client.callTool({ name: "verify_packages", arguments: { packages: ["pkg:npm/react", "reakt", "flatmap-stream"], ecosystem: "npm" } });
  assert.equal(res.isError, false);
  const s = res.structuredContent as unknown as Structured;
  const by = Object.fromEntries(s.results.map((r) => [r.package, r]));
  assert.equal(by["pkg:npm/react"]!.verdict, "allow");
  assert.equal(by["pkg:npm/reakt"]!.verdict, "block");
  assert.equal(by["pkg:npm/reakt"]!.didYouMean[0], "react");
  assert.match(by["pkg:npm/reakt"]!.advice, /use react instead/);
  assert.equal(by["pkg:npm/flatmap-stream"]!.verdict, "block");
  assert.match((res.content as Array<{ text: string }>)[0]!.text, /BLOCK pkg:npm\/reakt/);
  // No feed is loaded in this environment: the answer says so.
  assert.match((res.content as Array<{ text: string }>)[0]!.text, /\nNOTICE no known-malicious feed is loaded/);
  assert.deepEqual((res.structuredContent as { notices?: Array<{ code: string }> }).notices?.map((n) => n.code), ["no-malicious-feed"]);
});

test("scan_snippet finds installs and imports in a draft answer", async () => {
  const text = "Install it:\n\n```bash\npip install requests fastapi-secure-auth-extension\n```\n\n```js\nimport React from 'react';\n```\n";
  const res = await client.callTool({ name: "scan_snippet", arguments: { text } });
  const s = res.structuredContent as unknown as Structured;
  const by = Object.fromEntries(s.results.map((r) => [r.package, r.verdict]));
  assert.equal(by["pkg:pypi/requests"], "allow");
  assert.equal(by["pkg:pypi/fastapi-secure-auth-extension"], "block");
  assert.equal(by["pkg:npm/react"], "allow");
});

test("suggest_package returns verified real packages", async () => {
  const res = await client.callTool({ name: "suggest_package", arguments: { ecosystem: "npm", name: "reactt" } });
  const s = res.structuredContent as unknown as Structured;
  assert.equal(s.results[0]?.package, "pkg:npm/react");
  assert.equal(s.results[0]?.verdict, "allow");
});

test("bad arguments are tool errors the model can correct", async () => {
  const bad = await client.callTool({ name: "verify_packages", arguments: { packages: "react" } });
  assert.equal(bad.isError, true);
  assert.match((bad.content as Array<{ text: string }>)[0]!.text, /"packages" must be a non-empty list/);
  const eco = await client.callTool({ name: "suggest_package", arguments: { ecosystem: "maven", name: "x" } });
  assert.equal(eco.isError, true);
  await assert.rejects(client.callTool({ name: "no_such_tool", arguments: {} }), /unknown tool/);
});

test("every decision reached the decision log, intact", async () => {
  const v = await verifyLedger(env.BOUNCER_HOME!);
  assert.ok(v.entries >= 5);
  assert.deepEqual(v.problems, []);
});

test("raw malformed input gets JSON-RPC errors and the server keeps serving", async () => {
  const child = spawn(process.execPath, [MAIN, "mcp"], { env, stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let buffer = "";
  const got = new Promise<void>((resolve) => {
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      buffer += d;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      lines.push(...parts.filter(Boolean));
      if (lines.length >= 4) resolve();
    });
  });
  child.stdin.write("{not json\n");
  child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "verify_packages", arguments: {} } })}\n`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "nope" })}\n`);
  child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id: 3, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "0" } } })}\n`);
  child.stdin.write(`${JSON.stringify({ id: 4, method: "ping" })}\n`);
  await got;
  child.stdin.end();
  await new Promise((r) => child.on("close", r));
  const msgs = lines.map((l) => JSON.parse(l));
  const byId = (id: number | null) => msgs.find((m) => m.id === id);
  assert.equal(byId(null)?.error.code, -32700);
  assert.equal(byId(1)?.error.message, "call initialize first");
  assert.equal(byId(2)?.error.code, -32601);
  assert.equal(byId(3)?.result.protocolVersion, "2025-11-25");
  assert.equal(byId(4)?.error.code, -32600, "a message without jsonrpc is an invalid request");
});
