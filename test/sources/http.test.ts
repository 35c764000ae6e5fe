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

describe("bounded GET", () => {
  let server: RegistryServer;
  before(async () => {
    server = await startRegistryServer();
  });
  after(() => server.close());

  test("returns parsed JSON, status and URL", async () => {
    const res = await getJson(fetch, `${server.npmBase}left-pad`, { timeoutMs: TIMEOUT });
    assert.equal(res.status, 200);
    assert.equal(res.url, `${server.npmBase}left-pad`);
    assert.equal((res.json as { name: string }).name, "left-pad");
  });

  test("sends the Accept header it is given", async () => {
    const res = await getJson(fetch, `${server.npmBase}react`, { accept: "application/vnd.npm.install-v1+json" });
    assert.equal((res.json as { modified?: string }).modified !== undefined, true);
    assert.equal(server.requests().at(-1)!.accept, "application/vnd.npm.install-v1+json");
  });

  test("404 and 410 are answers, not errors", async () => {
    const res = await getJson(fetch, `${server.npmBase}no-such-package-here`);
    assert.deepEqual(res, { status: 404, url: `${server.npmBase}no-such-package-here`, json: undefined });
  });

  test("follows redirects on the same origin and reports the final URL", async () => {
    const res = await getJson(fetch, `${server.npmBase}same-origin-redirect`, { timeoutMs: TIMEOUT });
    assert.equal(res.url, `${server.url}moved/npm/same-origin-redirect`);
    assert.equal((res.json as { name: string }).name, "same-origin-redirect");
  });

  test("refuses a redirect to another origin and sends it nothing, credentials least of all", async () => {
    const before = server.requests().filter((r) => r.server === "foreign").length;
    const error = await failure(
      getJson(fetch, `${server.npmBase}${HOSTILE.redirectElsewhere}`, { headers: { authorization: "Bearer secret" } }),
    );
    assert.equal(error.kind, "redirect");
    assert.match(error.message, /another origin .*refused/);
    assert.equal(server.requests().filter((r) => r.server === "foreign").length, before);
    assert.equal(server.requests().at(-1)!.authorization, "Bearer secret"); // it did go to the configured origin
  });

  test("limits redirect chains", async () => {
    const error = await failure(getJson(fetch, `${server.npmBase}same-origin-redirect`, { maxRedirects: 0 }));
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
      cases.map(([name]) => failure(getJson(fetch, `${server.npmBase}${name}`, { timeoutMs: TIMEOUT, maxBytes: 1024 * 1024 }))),
    );
    for (const [i, [name, kind, pattern]] of cases.entries()) {
      assert.equal(errors[i]!.kind, kind, name);
      assert.match(errors[i]!.message, pattern, name);
    }
    assert.ok(Date.now() - started < TIMEOUT + 1000, "bounded by the timeout");
  });

  test("the status code is kept on status errors", async () => {
    const error = await failure(getJson(fetch, `${server.npmBase}${HOSTILE.status500}`));
    assert.equal(error.status, 500);
  });

  test("a declared Content-Length over the cap is refused before reading", async () => {
    const fileUrl = server.addFile("big.json", Buffer.alloc(200_000, 32), "application/json");
    const error = await failure(getJson(fetch, fileUrl, { maxBytes: 100_000 }));
    assert.equal(error.kind, "too-large");
    assert.match(error.message, /98 kB/);
  });

  test("a body exactly at the cap is read", async () => {
    const fileUrl = server.addFile("exact.json", `"${"a".repeat(98)}"`, "application/json");
    const res = await getJson(fetch, fileUrl, { maxBytes: 100 });
    assert.equal(res.json, "a".repeat(98));
  });

  test("the content types allowed can be chosen", async () => {
    const fileUrl = server.addFile("page.html", "<html></html>", "text/html; charset=utf-8");
    const res = await getBody(fetch, fileUrl, { contentTypes: ["text/html"] });
    assert.equal(res.text, "<html></html>");
    assert.equal((await failure(getBody(fetch, fileUrl))).kind, "content-type");
  });

  test("a connection refused is a network error naming the host", async () => {
    const { createServer } = await import("node:net");
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await failure(getJson(fetch, `http://127.0.0.1:${port}/x`, { timeoutMs: TIMEOUT }));
    assert.equal(error.kind, "network");
    assert.match(error.message, new RegExp(`cannot reach 127.0.0.1:${port}`));
  });

  test("the caller's signal cancels, and says so", async () => {
    const controller = new AbortController();
    const pending = getJson(fetch, `${server.npmBase}${HOSTILE.hang}`, { signal: controller.signal, timeoutMs: 5_000 });
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
