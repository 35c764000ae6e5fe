// Issue 8 item 1 at the MCP door: scan_snippet reads only the snippet. An include it names (a
// requirements -r) reads nothing from the server's disk, and the answer says so without content.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { startCliEnv } from "../../support/cli-env.ts";
import type { RegistryServer } from "../../support/registry-server.ts";
import { MAIN } from "../cli/run.ts";

let server: RegistryServer;
let client: Client;

before(async () => {
  const started = await startCliEnv();
  server = started.server;
  client = new Client({ name: "bouncer-test", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [MAIN, "mcp"], env: { ...started.env, SNIPPET_SECRET: "hunter2-in-the-environment" } }));
});
after(async () => {
  await client?.close();
  await server?.close();
});

test("scan_snippet: -r of a file on the server's disk reads nothing and echoes nothing", async () => {
  const text = "-r /etc/passwd\n-r ../../../proc/self/environ\n-c /etc/hostname\nrequests\n";
  const res = await client.callTool({ name: "scan_snippet", arguments: { text, filename: "requirements.txt" } });
  const answer = JSON.stringify(res);
  for (const leaked of ["root:", "hunter2-in-the-environment", "PATH="]) assert.ok(!answer.includes(leaked), `${leaked} in ${answer}`);
  const s = res.structuredContent as { notEvaluated: Array<{ file: string; reason: string }>; results: Array<{ package: string }> };
  assert.deepEqual(s.results.map((r) => r.package), ["pkg:pypi/requests"]);
  assert.deepEqual(
    s.notEvaluated.map((n) => n.reason),
    [
      'line 1: cannot read included file "/etc/passwd": not part of the scanned text',
      'line 2: cannot read included file "../../../proc/self/environ": not part of the scanned text',
      'line 3: cannot read included file "/etc/hostname": not part of the scanned text',
    ],
  );
});
