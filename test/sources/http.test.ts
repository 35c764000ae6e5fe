import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  authorizationFor,
  getBody,
  getJson,
  isoTime,
  singleFlight,
  UnverifiableError,
  type UnverifiableKind,
} from "../../src/sources/http.ts";
import { createDnsCache, createNodeFetcher } from "../../src/sources/node-fetch.ts";
import { HOSTILE, type RegistryServer, startRegistryServer } from "../support/registry-server.ts";

const TIMEOUT = 250;

async function failure(promise: Promise<unknown>): Promise<UnverifiableError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UnverifiableError, `expected UnverifiableError, got ${error}`);
    return error;
  }
  assert.fail("expected the request to fail");
}

// The engine's node:http fetcher and global fetch (which the proxy and tests inject) keep every protection.
for (const [label, fetcher] of [["node:http fetcher", createNodeFetcher()], ["global fetch", fetch]] as const) {
  describe(`bounded GET (${label})`, () => {
    let server: RegistryServer;
    before(async () => {
      server = await startRegistryServer();
    });
    after(() => server.close());

    test("returns parsed JSON, status and URL", async () => {
      const res = await getJson(fetcher, `${server.npmBase}left-pad`, { timeoutMs: TIMEOUT });
      assert.equal(res.status, 200);
      assert.equal(res.url, `${server.npmBase}left-pad`);
      assert.equal((res.json as { name: string }).name, "left-pad");
    });

    test("sends the Accept header it is given", async () => {
      const res = await getJson(fetcher, `${server.npmBase}react`, { accept: "application/vnd.npm.install-v1+json" });
      assert.equal((res.json as { modified?: string }).modified !== undefined, true);
      assert.equal(server.requests().at(-1)!.accept, "application/vnd.npm.install-v1+json");
    });

    test("404 and 410 are answers, not errors", async () => {
      const res = await getJson(fetcher, `${server.npmBase}no-such-package-here`);
      assert.deepEqual(res, { status: 404, url: `${server.npmBase}no-such-package-here`, json: undefined });
    });

    test("follows redirects on the same origin and reports the final URL", async () => {
      const res = await getJson(fetcher, `${server.npmBase}same-origin-redirect`, { timeoutMs: TIMEOUT });
      assert.equal(res.url, `${server.url}moved/npm/same-origin-redirect`);
      assert.equal((res.json as { name: string }).name, "same-origin-redirect");
    });

    test("refuses a redirect to another origin and sends it nothing, credentials least of all", async () => {
      const before = server.requests().filter((r) => r.server === "foreign").length;
      const error = await failure(
        getJson(fetcher, `${server.npmBase}${HOSTILE.redirectElsewhere}`, { headers: { authorization: "Bearer secret" } }),
      );
      assert.equal(error.kind, "redirect");
      assert.match(error.message, /another origin .*refused/);
      assert.equal(server.requests().filter((r) => r.server === "foreign").length, before);
      assert.equal(server.requests().at(-1)!.authorization, "Bearer secret"); // it did go to the configured origin
    });

    test("limits redirect chains", async () => {
      const error = await failure(getJson(fetcher, `${server.npmBase}same-origin-redirect`, { maxRedirects: 0 }));
      assert.equal(error.kind, "redirect");
      assert.match(error.message, /too many/);
    });

    test("every hostile answer becomes a distinct, bounded UnverifiableError", async () => {
      const cases: Array<[string, UnverifiableKind, RegExp]> = [
        [HOSTILE.status500, "status", /HTTP 500/],
        [HOSTILE.rateLimited, "status", /rate limiting \(HTTP 429\)/],
        [HOSTILE.hang, "timeout", /within 250 ms/],
        [HOSTILE.drip, "timeout", /within 250 ms/],
        [HOSTILE.huge, "too-large", /more than 1 MB/],
        [HOSTILE.invalidJson, "invalid-json", /not valid JSON/],
        [HOSTILE.html, "content-type", /text\/html/],
      ];
      const started = Date.now();
      const errors = await Promise.all(
        cases.map(([name]) => failure(getJson(fetcher, `${server.npmBase}${name}`, { timeoutMs: TIMEOUT, maxBytes: 1024 * 1024 }))),
      );
      for (const [i, [name, kind, pattern]] of cases.entries()) {
        assert.equal(errors[i]!.kind, kind, name);
        assert.match(errors[i]!.message, pattern, name);
      }
      assert.ok(Date.now() - started < TIMEOUT + 1000, "bounded by the timeout");
    });

    test("the status code is kept on status errors", async () => {
      const error = await failure(getJson(fetcher, `${server.npmBase}${HOSTILE.status500}`));
      assert.equal(error.status, 500);
    });

    test("a declared Content-Length over the cap is refused before reading", async () => {
      const fileUrl = server.addFile("big.json", Buffer.alloc(200_000, 32), "application/json");
      const error = await failure(getJson(fetcher, fileUrl, { maxBytes: 100_000 }));
      assert.equal(error.kind, "too-large");
      assert.match(error.message, /98 kB/);
    });

    test("a body exactly at the cap is read", async () => {
      const fileUrl = server.addFile("exact.json", `"${"a".repeat(98)}"`, "application/json");
      const res = await getJson(fetcher, fileUrl, { maxBytes: 100 });
      assert.equal(res.json, "a".repeat(98));
    });

    test("the content types allowed can be chosen", async () => {
      const fileUrl = server.addFile("page.html", "<html></html>", "text/html; charset=utf-8");
      const res = await getBody(fetcher, fileUrl, { contentTypes: ["text/html"] });
      assert.equal(res.text, "<html></html>");
      assert.equal((await failure(getBody(fetcher, fileUrl))).kind, "content-type");
    });

    test("a connection refused is a network error naming the host", async () => {
      const { createServer } = await import("node:net");
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
      const port = (probe.address() as { port: number }).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const error = await failure(getJson(fetcher, `http://127.0.0.1:${port}/x`, { timeoutMs: TIMEOUT }));
      assert.equal(error.kind, "network");
      assert.match(error.message, new RegExp(`cannot reach 127.0.0.1:${port}`));
    });

    test("the caller's signal cancels, and says so", async () => {
      const controller = new AbortController();
      const pending = getJson(fetcher, `${server.npmBase}${HOSTILE.hang}`, { signal: controller.signal, timeoutMs: 5_000 });
      setImmediate(() => controller.abort());
      const error = await failure(pending);
      assert.equal(error.kind, "aborted");
    });

    test("URLs that are not http(s) are refused without a request", async () => {
      let called = false;
      const spy = async () => {
        called = true;
        return new Response("{}");
      };
      assert.equal((await failure(getJson(spy, "file:///etc/passwd"))).kind, "bad-url");
      assert.equal((await failure(getJson(spy, "not a url"))).kind, "bad-url");
      assert.equal(called, false);
    });
  });
}

describe("a slow registry", () => {
  test("latency counts against the total budget", async () => {
    const slow = await startRegistryServer({ latencyMs: 400 });
    try {
      const error = await failure(getJson(fetch, `${slow.npmBase}left-pad`, { timeoutMs: 100 }));
      assert.equal(error.kind, "timeout");
    } finally {
      await slow.close();
    }
  });
});

describe("credentials", () => {
  test("authorizationFor only gives the header to the origin it was configured for", () => {
    const base = "https://npm.corp.example/api/npm/";
    assert.deepEqual(authorizationFor(`${base}pkg`, base, "Bearer t"), { authorization: "Bearer t" });
    assert.deepEqual(authorizationFor("https://registry.npmjs.org/pkg", base, "Bearer t"), {});
    assert.deepEqual(authorizationFor("http://npm.corp.example/api/npm/pkg", base, "Bearer t"), {}, "scheme is part of the origin");
    assert.deepEqual(authorizationFor("https://npm.corp.example:8443/pkg", base, "Bearer t"), {}, "port is part of the origin");
    assert.deepEqual(authorizationFor(`${base}pkg`, base, undefined), {});
    assert.deepEqual(authorizationFor(`${base}pkg`, "not a url", "Bearer t"), {});
  });
});

describe("singleFlight", () => {
  test("shares one in-flight call per key, then starts afresh", async () => {
    const flight = singleFlight<number>();
    let calls = 0;
    const work = () => new Promise<number>((resolve) => setImmediate(() => resolve(++calls)));
    const [a, b, c] = await Promise.all([flight("k", work), flight("k", work), flight("other", work)]);
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(calls, 2);
    assert.equal(await flight("k", work), 3);
  });

  test("a caller's abort stops only that caller", async () => {
    const flight = singleFlight<string>();
    const controller = new AbortController();
    let finish!: (v: string) => void;
    const work = () => new Promise<string>((resolve) => (finish = resolve));
    const first = flight("k", work, controller.signal);
    const second = flight("k", work);
    controller.abort();
    await assert.rejects(first, (e: unknown) => e instanceof UnverifiableError && e.kind === "aborted");
    finish("done");
    assert.equal(await second, "done");
    await assert.rejects(flight("k", work, controller.signal), /cancelled/);
  });
});

describe("isoTime", () => {
  test("normalises times and reads zone-less ones as UTC", () => {
    assert.equal(isoTime("2013-09-24T17:11:34"), "2013-09-24T17:11:34.000Z");
    assert.equal(isoTime("2013-09-24T17:11:34.123456Z"), "2013-09-24T17:11:34.123Z");
    assert.equal(isoTime("2020-01-01T00:00:00+02:00"), "2019-12-31T22:00:00.000Z");
  });

  test("anything else is undefined", () => {
    for (const value of ["not a date", "", 42, null, {}, "2020", "9".repeat(100)]) assert.equal(isoTime(value), undefined);
  });
});

describe("the node:http fetcher", () => {
  let server: RegistryServer;
  before(async () => {
    server = await startRegistryServer();
  });
  after(() => server.close());

  test("keeps connections alive: sequential requests share one", async () => {
    const fetcher = createNodeFetcher();
    const before = server.connectionCount();
    for (let i = 0; i < 20; i++) assert.equal((await getJson(fetcher, `${server.npmBase}left-pad`)).status, 200);
    assert.equal(server.connectionCount() - before, 1);
  });

  test("opens at most maxSockets connections to an origin", async () => {
    const fetcher = createNodeFetcher({ maxSockets: 4 });
    const before = server.connectionCount();
    const answers = await Promise.all(Array.from({ length: 40 }, () => getJson(fetcher, `${server.npmBase}react`)));
    for (const a of answers) assert.equal((a.json as { name: string }).name, "react");
    const opened = server.connectionCount() - before;
    assert.ok(opened >= 1 && opened <= 4, `${opened} connections`);
  });

  test("one DNS resolution for concurrent requests to a host, none from the network", async () => {
    const asked: string[] = [];
    const resolve = async (hostname: string) => {
      asked.push(hostname);
      await new Promise((r) => setImmediate(r)); // still pending while the other requests start
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const fetcher = createNodeFetcher({ lookup: createDnsCache({ resolve }) });
    const base = server.npmBase.replace("127.0.0.1", "registry.bouncer.test");
    const answers = await Promise.all(["left-pad", "react", "esbuild", "left-pad"].map((n) => getJson(fetcher, base + n)));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200],
    );
    assert.deepEqual(asked, ["registry.bouncer.test"]);
  });

  test("decodes gzip, and the byte cap counts decoded bytes (a small bomb is too large)", async () => {
    const { gzipSync } = await import("node:zlib");
    const { createServer } = await import("node:http");
    const json = JSON.stringify({ name: "zipped", padding: " ".repeat(2 * 1024 * 1024) });
    const zipped = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      res.end(gzipSync(json));
    });
    await new Promise<void>((r) => zipped.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(zipped.address() as { port: number }).port}/`;
    try {
      const fetcher = createNodeFetcher();
      assert.equal(((await getJson(fetcher, url)).json as { name: string }).name, "zipped");
      const error = await failure(getJson(fetcher, url, { maxBytes: 1024 * 1024 }));
      assert.equal(error.kind, "too-large");
    } finally {
      zipped.closeAllConnections();
      await new Promise((r) => zipped.close(r));
    }
  });

  test("a kept connection the server closed meanwhile is retried once on a new one", async () => {
    const { createServer } = await import("node:net");
    const sockets: Array<{ destroy(): void }> = [];
    // The first connection answers once, then drops the next request unanswered (an idle close racing a reuse).
    const flaky = createServer((socket) => {
      const n = sockets.push(socket);
      let requests = 0;
      socket.on("data", () => {
        if (n === 1 && ++requests > 1) return socket.destroy();
        socket.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 13\r\nconnection: keep-alive\r\n\r\n{"name":"ok"}');
      });
    });
    await new Promise<void>((r) => flaky.listen(0, "127.0.0.1", r));
    const url = `http://127.0.0.1:${(flaky.address() as { port: number }).port}/x`;
    try {
      const fetcher = createNodeFetcher();
      assert.deepEqual((await getJson(fetcher, url)).json, { name: "ok" });
      assert.deepEqual((await getJson(fetcher, url)).json, { name: "ok" });
      assert.equal(sockets.length, 2);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => flaky.close(r));
    }
  });
});

describe("the node:http fetcher, bodies cut short", () => {
  // Headers that promise 100 bytes; then 10 bytes and a close, or 10 bytes and silence.
  let stall: import("node:net").Server;
  let url: string;
  const sockets: Array<{ destroy(): void }> = [];
  before(async () => {
    const { createServer } = await import("node:net");
    stall = createServer((socket) => {
      sockets.push(socket);
      socket.once("data", (request) => {
        socket.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"name":"x`);
        if (String(request).startsWith("GET /cut")) socket.destroy();
      });
    });
    await new Promise<void>((r) => stall.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(stall.address() as { port: number }).port}/`;
  });
  after(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((r) => stall.close(r));
  });

  test("a body cut before its declared length is a network error, never a shorter body", async () => {
    const error = await failure(getJson(createNodeFetcher(), `${url}cut`, { timeoutMs: 5_000 }));
    assert.equal(error.kind, "network");
  });

  test("a body that stops coming is bounded by the time budget", async () => {
    const error = await failure(getJson(createNodeFetcher(), `${url}stall`, { timeoutMs: TIMEOUT }));
    assert.equal(error.kind, "timeout");
  });
});

describe("the DNS cache", () => {
  type Callback = (error: Error | null, address?: unknown, family?: number) => void;
  const ask = (lookup: ReturnType<typeof createDnsCache>, host: string, options: object) =>
    new Promise<unknown[]>((resolve) => (lookup as unknown as (h: string, o: object, cb: Callback) => void)(host, options, (...args) => resolve(args)));

  test("coalesces concurrent lookups, serves the answer until it expires, and keeps no failure", async () => {
    let clock = 0;
    let calls = 0;
    let fail = false;
    let release!: () => void;
    const resolve = async () => {
      calls++;
      await new Promise<void>((r) => (release = r));
      if (fail) throw Object.assign(new Error("getaddrinfo EAI_AGAIN"), { code: "EAI_AGAIN" });
      return [
        { address: "::1", family: 6 },
        { address: "127.0.0.1", family: 4 },
      ];
    };
    const lookup = createDnsCache({ resolve, ttlMs: 1_000, now: () => clock });
    const pending = Promise.all(Array.from({ length: 10 }, () => ask(lookup, "registry.example", {})));
    await new Promise((r) => setImmediate(r));
    release();
    for (const args of await pending) assert.deepEqual(args, [null, "::1", 6]);
    assert.equal(calls, 1);
    // Families and `all`, as net asks, from the same answer.
    assert.deepEqual(await ask(lookup, "REGISTRY.example", { family: 4 }), [null, "127.0.0.1", 4]);
    assert.deepEqual(await ask(lookup, "registry.example", { all: true, family: 4 }), [null, [{ address: "127.0.0.1", family: 4 }]]);
    assert.equal(calls, 1);

    clock = 1_000; // expired: asked again, and this time the resolver fails
    fail = true;
    const failed = ask(lookup, "registry.example", {});
    await new Promise((r) => setImmediate(r));
    release();
    assert.equal(((await failed)[0] as { code: string }).code, "EAI_AGAIN");
    fail = false;
    const again = ask(lookup, "registry.example", { all: true });
    await new Promise((r) => setImmediate(r));
    release();
    assert.equal(((await again)[1] as unknown[]).length, 2);
    assert.equal(calls, 3, "a failure is not served from the cache");
  });

  test("by default, the system resolver answers (localhost, from the hosts file)", async () => {
    const [error, address] = await ask(createDnsCache(), "localhost", { family: 4 });
    assert.equal(error, null);
    assert.match(String(address), /^127\./);
  });

  test("a family the host does not have is ENOTFOUND; entries are bounded", async () => {
    let calls = 0;
    const resolve = async () => {
      calls++;
      return [{ address: "127.0.0.1", family: 4 }];
    };
    const lookup = createDnsCache({ resolve, maxEntries: 2 });
    assert.equal(((await ask(lookup, "a.example", { family: 6 }))[0] as { code: string }).code, "ENOTFOUND");
    await ask(lookup, "b.example", {});
    await ask(lookup, "c.example", {}); // a.example leaves
    await ask(lookup, "b.example", {});
    assert.equal(calls, 3);
    await ask(lookup, "a.example", {});
    assert.equal(calls, 4);
    // dns.lookup's shape without options.
    const bare = await new Promise<unknown[]>((resolve) => (lookup as unknown as (h: string, cb: Callback) => void)("a.example", (...args) => resolve(args)));
    assert.deepEqual(bare, [null, "127.0.0.1", 4]);
  });
});
