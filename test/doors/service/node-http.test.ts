// The one node:http adapter of the service: the limits it enforces for every handler behind it
// (bounded request bodies refused unread, client aborts reaching the handler), over loopback sockets.
import assert from "node:assert/strict";
import { createServer, request as httpRequest, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { type FetchHandler, nodeAdapter } from "../../../src/doors/service/node-http.ts";

const MAX = 1024;
let handler: FetchHandler = async () => new Response("unset");
let calls = 0;
let server: Server;
let port: number;

before(async () => {
  server = createServer(
    nodeAdapter(
      (request, info) => {
        calls++;
        return handler(request, info);
      },
      { maxBody: MAX, failure: "it failed\n" },
    ),
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Writes `head` (and `body`) on a raw connection, never ends the request, and collects what comes back until the server closes. */
function raw(head: string, body: Buffer | string = ""): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => (text += d));
    socket.on("close", () => resolve(text));
    socket.on("error", reject);
    socket.write(head);
    socket.write(body);
  });
}

// Timeouts: a server that waits for the whole body never answers these.
test("a body declared larger than the limit: 413 at once, the connection closed, the handler never called", { timeout: 10_000 }, async () => {
  calls = 0;
  // A gigabyte announced, three bytes sent: the answer cannot wait for the rest.
  const answer = await raw("POST /x HTTP/1.1\r\nHost: bouncer.test\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n", "abc");
  assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.match(answer, /\r\nconnection: close\r\n/i);
  assert.equal(calls, 0);
});

test("a chunked body that grows past the limit: 413 before the client has finished sending", { timeout: 10_000 }, async () => {
  calls = 0;
  const chunk = Buffer.alloc(MAX + 1, 120);
  // No last chunk is ever sent: only a refusal after the limit ends this exchange.
  const answer = await raw(`POST /x HTTP/1.1\r\nHost: bouncer.test\r\nTransfer-Encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n`, Buffer.concat([chunk, Buffer.from("\r\n")]));
  assert.match(answer, /^HTTP\/1\.1 413 /);
  assert.equal(calls, 0);
});

test("a body within the limit reaches the handler whole; GET bodies are not read", async () => {
  handler = async (request) => new Response(`${request.method} ${(await request.text()).length}`);
  const posted = await fetch(`http://127.0.0.1:${port}/x`, { method: "POST", body: "y".repeat(MAX) });
  assert.equal(await posted.text(), `POST ${MAX}`);
  const got = await fetch(`http://127.0.0.1:${port}/x`);
  assert.equal(await got.text(), "GET 0");
});

// A timeout: without the abort, the wait below never ends.
test("a client that leaves mid-stream aborts the handler's signal and cancels the body", { timeout: 10_000 }, async () => {
  let aborted!: () => void;
  const abortSeen = new Promise<void>((resolve) => (aborted = resolve));
  let cancelled!: () => void;
  const cancelSeen = new Promise<void>((resolve) => (cancelled = resolve));
  handler = async (request) => {
    request.signal.addEventListener("abort", () => aborted());
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("first"));
      },
      pull() {
        return new Promise(() => {}); // the rest never comes: only the client's leaving ends this
      },
      cancel() {
        cancelled();
      },
    });
    return new Response(body, { headers: { "content-type": "application/octet-stream" } });
  };
  const req = httpRequest({ host: "127.0.0.1", port, path: "/file" }, (res) => res.once("data", () => req.destroy()));
  req.on("error", () => {}); // the destroy above
  req.end();
  await abortSeen;
  await cancelSeen;
});

test("HEAD: the handler's headers and no body; a bad Host: 400; a handler that throws: 500 with the failure text", async () => {
  handler = async () => new Response("body", { headers: { "content-length": "4", "x-kind": "file" } });
  const head = await fetch(`http://127.0.0.1:${port}/x`, { method: "HEAD" });
  assert.equal(head.headers.get("x-kind"), "file");
  assert.equal(head.headers.get("content-length"), "4");
  assert.equal((await head.arrayBuffer()).byteLength, 0);
  const badHost = await raw("GET /x HTTP/1.1\r\nHost: evil host\r\nConnection: close\r\n\r\n");
  assert.match(badHost, /^HTTP\/1\.1 400 /);
  handler = async () => {
    throw new Error("boom");
  };
  const failed = await fetch(`http://127.0.0.1:${port}/x`);
  assert.equal(failed.status, 500);
  assert.equal(await failed.text(), "it failed\n");
});
