// Fail closed: hostile or failing upstreams, tokens, credentials, loops, and the bytes on a real socket.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { request as httpRequest } from "node:http";
import { after, before, describe, test } from "node:test";
import { createProxy } from "../../../src/doors/proxy/index.ts";
import type { Fetcher } from "../../../src/sources/http.ts";
import { HOSTILE, type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";
import { type ProxyFixture, publishNpm, startProxy } from "./setup.ts";

const OLD = "2015-06-01T00:00:00.000Z";
const TOKEN = "client-token-0123456789";
const UPSTREAM_SECRET = "Bearer upstream-secret";

describe("upstreams that fail are never served unfiltered", () => {
  let p: ProxyFixture;
  const proxyFetch: Fetcher = async (url, init) => {
    if (url.endsWith("/npm/doc-fails")) throw new TypeError("fetch failed");
    if (url.endsWith("/npm/doc-hangs")) {
      return new Promise<Response>((_, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
    }
    if (url.endsWith("/flood-pkg-1.0.0.tgz")) {
      let sent = 0;
      return new Response(new ReadableStream({ pull: (c) => void (sent++ < 100 ? c.enqueue(new Uint8Array(100)) : c.close()) }), { status: 200 });
    }
    if (url.endsWith("/stall-pkg-1.0.0.tgz")) {
      return new Response(new ReadableStream({ start: (c) => c.enqueue(new Uint8Array(64)) }), { status: 200 });
    }
    return fetch(url, init);
  };
  before(async () => {
    p = await startProxy({
      proxyFetch,
      // Time limits long enough never to end an exchange that answers, however loaded the machine:
      // the tests of the time limits themselves use a proxy of their own (`withLimits`).
      limits: { documentTimeoutMs: 60_000, maxDocumentBytes: 256 * 1024, fileIdleTimeoutMs: 60_000, maxFileBytes: 300 },
      instanceId: "loop-test",
      warm: true,
    });
    for (const name of ["doc-fails", "doc-hangs", "stall-pkg", "big-pkg", "flood-pkg"]) publishNpm(p.up, name, [{ version: "1.0.0", time: OLD }]);
    p.up.addFile("npm/big-pkg/-/big-pkg-1.0.0.tgz", Buffer.alloc(4096, 1), "application/octet-stream");
  });
  after(() => p.close());
  /** Another proxy over the same engine and upstream, with other limits. */
  const withLimits = (limits: Parameters<typeof createProxy>[0]["limits"]) => {
    const proxy = createProxy({ gate: p.gate, upstreams: { npm: p.up.npmBase, pypi: p.up.pypiBase }, publicUrl: "http://proxy.test", fetch: proxyFetch, limits });
    return (path: string) => proxy(new Request(`http://proxy.test${path}`));
  };

  for (const [name, pattern] of [
    [HOSTILE.status500, /HTTP 500/],
    [HOSTILE.invalidJson, /not valid JSON/],
    [HOSTILE.html, /text\/html/],
    [HOSTILE.huge, /more than 256 kB/],
    [HOSTILE.wrongTypes, /no version list|not a package document|no usable version/],
    ["doc-fails", /cannot reach/],
    ["doc-hangs", /within 300 ms/],
  ] as const) {
    test(`${name}: 502 with the reason, no document`, async () => {
      // A document that never comes is ended by the time limit: the only document this proxy asks for.
      const res = name === "doc-hangs" ? await withLimits({ documentTimeoutMs: 300 })(`/npm/${name}`) : await p.get(`/npm/${name}`);
      assert.equal(res.status, 502);
      const { error } = (await res.json()) as { error: string };
      assert.match(error, pattern);
      assert.doesNotMatch(error, /"versions"/);
    });
  }

  test("a redirect to another host is not followed for documents", async () => {
    const res = await p.get(`/npm/${HOSTILE.redirectElsewhere}`);
    assert.equal(res.status, 502);
    assert.match(((await res.json()) as { error: string }).error, /another origin/);
    assert.deepEqual(p.up.requests().filter((r) => r.server === "foreign"), []);
  });

  test("a stalled or oversized file fails instead of completing", async () => {
    // The only file the proxy with the short idle limit streams is the one that stalls.
    const stalled = await withLimits({ fileIdleTimeoutMs: 100 })("/npm/stall-pkg/-/stall-pkg-1.0.0.tgz");
    await assert.rejects(stalled.arrayBuffer(), /stalled for 100 ms/);
    const flood = await p.get("/npm/flood-pkg/-/flood-pkg-1.0.0.tgz");
    await assert.rejects(flood.arrayBuffer(), /larger than 300 bytes/);
    const announced = await p.get("/npm/big-pkg/-/big-pkg-1.0.0.tgz");
    assert.equal(announced.status, 502);
    assert.match(((await announced.json()) as { error: string }).error, /announced a file over 300 bytes/);
  });

  test("failures are not cached: the next request asks again", async () => {
    const before = p.up.requestCount();
    assert.equal((await p.get(`/npm/${HOSTILE.status500}`)).status, 502);
    assert.ok(p.up.requestCount() > before);
  });

  test("when Bouncer itself fails (the decision cannot be logged), nothing is served", async () => {
    const fail = () => Promise.reject(new Error("the decision log cannot be written"));
    const broken = createProxy({
      gate: { ...p.gate, check: fail, checkWithFacts: fail },
      upstreams: { npm: p.up.npmBase, pypi: p.up.pypiBase },
      publicUrl: "http://proxy.test",
    });
    const res = await broken(new Request("http://proxy.test/npm/left-pad"));
    assert.equal(res.status, 500);
    assert.match(((await res.json()) as { error: string }).error, /served nothing: the decision log cannot be written/);
    const file = await broken(new Request("http://proxy.test/pypi/simple/requests/"));
    assert.equal(file.status, 500);
  });

  test("a request that comes back from this proxy is a loop", async () => {
    const res = await p.get("/npm/left-pad", { "x-bouncer-hop": "loop-test" });
    assert.equal(res.status, 508);
    assert.equal((await p.get("/npm/left-pad", { "x-bouncer-hop": "another-proxy" })).status, 200);
  });
});

describe("tokens and credentials", () => {
  let up: RegistryServer;
  let p: ProxyFixture;
  let cdnBytes: Buffer;
  before(async () => {
    up = await startRegistryServer({ requireAuthorization: UPSTREAM_SECRET });
    p = await startProxy({ upstream: up, token: TOKEN, npmAuthorization: UPSTREAM_SECRET, artifactOrigins: [up.foreignUrl] });
    publishNpm(up, "private-pkg", [{ version: "1.0.0", time: OLD }]);
    // A tarball on another origin (a CDN): the foreign server answers every path with the same kind of body.
    cdnBytes = Buffer.from(await (await fetch(`${up.foreignUrl}cdn/cdn-pkg-1.0.0.tgz`)).arrayBuffer());
    publishNpm(up, "cdn-pkg", [{ version: "1.0.0", time: OLD }], {
      edit: (doc) => {
        (doc.versions as Record<string, Record<string, unknown>>)["1.0.0"]!.dist = {
          tarball: `${up.foreignUrl}cdn/cdn-pkg-1.0.0.tgz`,
          integrity: `sha512-${createHash("sha512").update(cdnBytes).digest("base64")}`,
        };
      },
    });
  });
  after(async () => {
    await p.close();
    await up.close();
  });

  const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

  test("without the token: 401 and nothing asked upstream", async () => {
    const before = up.requestCount();
    for (const authorization of [undefined, `Bearer ${TOKEN}x`, basic("me", "wrong"), "Token abc"]) {
      const res = await p.get("/npm/private-pkg", authorization ? { authorization } : {});
      assert.equal(res.status, 401, String(authorization));
      assert.equal(res.headers.get("www-authenticate"), 'Basic realm="bouncer"');
    }
    assert.equal(up.requestCount(), before);
  });

  test("with the token as npm (Bearer) or pip (Basic password) sends it", async () => {
    const bearer = await p.get("/npm/private-pkg", { authorization: `Bearer ${TOKEN}` });
    assert.equal(bearer.status, 200);
    const viaBasic = await p.get("/npm/private-pkg/-/private-pkg-1.0.0.tgz", { authorization: basic("anyone", TOKEN) });
    assert.equal(viaBasic.status, 200);
    assert.ok((await viaBasic.arrayBuffer()).byteLength > 0);
  });

  test("upstream credentials go to the upstream only; the client's token goes nowhere", async () => {
    const res = await p.get("/npm/cdn-pkg/-/cdn-pkg-1.0.0.tgz", { authorization: `Bearer ${TOKEN}` });
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), cdnBytes);
    const seen = up.requests();
    assert.ok(seen.some((r) => r.server === "main" && r.path === "/npm/private-pkg" && r.authorization === UPSTREAM_SECRET));
    assert.ok(seen.some((r) => r.server === "foreign" && r.path === "/cdn/cdn-pkg-1.0.0.tgz"));
    assert.deepEqual(seen.filter((r) => r.server === "foreign" && r.authorization), [], "no credentials to another origin");
    assert.deepEqual(seen.filter((r) => r.authorization?.includes(TOKEN) || r.authorization?.includes(Buffer.from(`anyone:${TOKEN}`).toString("base64"))), []);
  });
});

describe("on a real socket", () => {
  let p: ProxyFixture;
  let base: string;
  before(async () => {
    p = await startProxy();
    publishNpm(p.up, "tampered-pkg", [{ version: "1.0.0", time: OLD }], {
      edit: (doc) => {
        (doc.versions as Record<string, Record<string, unknown>>)["1.0.0"]!.dist = { integrity: `sha512-${createHash("sha512").update("x").digest("base64")}` };
      },
    });
    publishNpm(p.up, "big-tampered", [{ version: "1.0.0", time: OLD }], {
      edit: (doc) => {
        (doc.versions as Record<string, Record<string, unknown>>)["1.0.0"]!.dist = { integrity: `sha512-${createHash("sha512").update("y").digest("base64")}` };
      },
    });
    p.up.addFile("npm/big-tampered/-/big-tampered-1.0.0.tgz", Buffer.alloc(2 * 1024 * 1024, 7), "application/octet-stream");
    base = await p.listen();
  });
  after(() => p.close());

  test("a body that fails verification breaks the connection: the client never gets a complete download", async () => {
    // Small bodies fail before the headers are even flushed; larger ones midway: either way, no complete body.
    await assert.rejects(async () => {
      const res = await fetch(`${base}/npm/tampered-pkg/-/tampered-pkg-1.0.0.tgz`);
      await res.arrayBuffer();
    });
    const big = await fetch(`${base}/npm/big-tampered/-/big-tampered-1.0.0.tgz`);
    assert.equal(big.status, 200, "a large body starts streaming before it is verified");
    await assert.rejects(big.arrayBuffer(), /terminated/);
  });

  test("reason phrases and error bodies reach the client", async () => {
    const npmRes = await fetch(`${base}/npm/left-padd`);
    assert.equal(npmRes.status, 404);
    assert.match(((await npmRes.json()) as { error: string }).error, /did you mean left-pad/);
    const pipRes = await fetch(`${base}/pypi/simple/numpay/`);
    assert.match(pipRes.statusText, /^Bouncer blocked pkg:pypi\/numpay: not-found/);
    await pipRes.arrayBuffer();
  });

  test("HEAD answers without a body; a bad Host header is refused", async () => {
    const head = await fetch(`${base}/npm/left-pad`, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal((await head.arrayBuffer()).byteLength, 0);
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(base);
      const req = httpRequest({ host: url.hostname, port: url.port, path: "/npm/left-pad", headers: { host: "evil host" } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    assert.equal(status, 400);
  });
});
