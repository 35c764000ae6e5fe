// The MCP server over stdio, driven by the official MCP client library, plus raw malformed input.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { boundedLines, type InputLine } from "../../../src/doors/mcp/stdio.ts";
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

test("scan_snippet finds installs in compound shell lines of prose", async () => {
  const text = "First: cd app && pip install requests\nsource .venv/bin/activate && uv add fastapi-secure-auth-extension\n";
  const res = await client.callTool({ name: "scan_snippet", arguments: { text } });
  const s = res.structuredContent as unknown as Structured;
  assert.deepEqual(s.results.map((r) => `${r.package} ${r.verdict}`).sort(), ["pkg:pypi/fastapi-secure-auth-extension block", "pkg:pypi/requests allow"]);
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

/** A raw session: writes `send` (pieces of the byte stream) and returns the first `count` messages back. */
interface RpcMessage {
  id: number | string | null;
  result?: { protocolVersion?: string };
  error?: { code: number; message: string };
}

async function rawSession(send: string[], count: number): Promise<RpcMessage[]> {
  const child = spawn(process.execPath, [MAIN, "mcp"], { env, stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  let buffer = "";
  const got = new Promise<void>((resolve) => {
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      buffer += d;
      const parts = buffer.split("\n");
      buffer = parts.pop()!;
      lines.push(...parts.filter(Boolean));
      if (lines.length >= count) resolve();
    });
  });
  for (const piece of send) child.stdin.write(piece);
  await got;
  child.stdin.end();
  await new Promise((r) => child.on("close", r));
  return lines.map((l) => JSON.parse(l) as RpcMessage);
}

test("raw malformed input gets JSON-RPC errors and the server keeps serving", async () => {
  const msgs = await rawSession(
    [
      "{not json\n",
      `${JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "verify_packages", arguments: {} } })}\n`,
      `${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "nope" })}\n`,
      `${JSON.stringify({ jsonrpc: "2.0", id: 3, method: "initialize", params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "0" } } })}\n`,
      `${JSON.stringify({ id: 4, method: "ping" })}\n`,
    ],
    4,
  );
  const byId = (id: number | null) => msgs.find((m) => m.id === id);
  assert.equal(byId(null)?.error?.code, -32700);
  assert.equal(byId(1)?.error?.message, "call initialize first");
  assert.equal(byId(2)?.error?.code, -32601);
  assert.equal(byId(3)?.result?.protocolVersion, "2025-11-25");
  assert.equal(byId(4)?.error?.code, -32600, "a message without jsonrpc is an invalid request");
});

test("a line over the cap gets an invalid-request error and the server keeps serving", async () => {
  // A valid request, only too long: without the cap it would be read whole and answered.
  const padding = "x".repeat(64 * 1024);
  const msgs = await rawSession(
    [
      `{"jsonrpc":"2.0","id":8,"method":"ping","params":{"pad":"`,
      ...Array.from({ length: 40 }, () => padding),
      `"}}\n`,
      `${JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" })}\n`,
    ],
    2,
  );
  assert.deepEqual(msgs.map((m) => m.id), [null, 9]);
  assert.equal(msgs[0]!.error?.code, -32600);
  assert.match(msgs[0]!.error?.message ?? "", /longer than 1048576 bytes/);
  assert.deepEqual(msgs[1]!.result, {});
});

test("boundedLines reports a line over the cap once, as soon as it passes it, and reads on", async () => {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let chunksReadWhenReported = -1;
  let chunks = 0;
  async function* input(): AsyncGenerator<Buffer | string> {
    yield 'short\r\n{"a":';
    // 64 MiB without a newline: reported early, then dropped chunk by chunk.
    for (; chunks < 1024; chunks++) yield chunk;
    yield Buffer.from("\nnext\nlast");
  }
  const seen: InputLine[] = [];
  for await (const item of boundedLines(input(), 100_000)) {
    if ("tooLong" in item) chunksReadWhenReported = chunks;
    seen.push(item);
  }
  assert.deepEqual(seen, [{ line: "short" }, { tooLong: true }, { line: "next" }, { line: "last" }]);
  assert.equal(chunksReadWhenReported, 1);
});

test("boundedLines joins a character split across chunks", async () => {
  const bytes = Buffer.from("ä€\n");
  const seen: InputLine[] = [];
  for await (const item of boundedLines((async function* () {
    for (const b of bytes) yield Buffer.from([b]);
  })())) seen.push(item);
  assert.deepEqual(seen, [{ line: "ä€" }]);
});
