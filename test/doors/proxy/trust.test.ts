// What the proxy must never be steered into (issue 8 item 6): unverified bytes to a client that
// cannot see a cut, files from hosts a document names, unbounded memory, URLs from the Host header,
// names of any length.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { connect } from "node:net";
import { after, before, describe, test } from "node:test";
import { UpstreamBudget } from "../../../src/doors/proxy/index.ts";
import type { Fetcher } from "../../../src/sources/http.ts";
import { npmDocument } from "../../support/registry-server.ts";
import { type ProxyFixture, publishNpm, publishPypi, startProxy } from "./setup.ts";

const OLD = "2015-06-01T00:00:00.000Z";

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The bytes after the head, as they came (chunk framing included). */
  body: Buffer;
}

/** One request on a raw socket, read until the server closes it (or resets it). A null Host header is not sent. */
function rawGet(base: string, path: string, version: "1.0" | "1.1", headers: Record<string, string | null> = {}): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      const all = Buffer.concat(chunks);
      const end = all.indexOf("\r\n\r\n");
      const head = all.subarray(0, end < 0 ? all.length : end).toString("latin1").split("\r\n");
      const parsed: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const colon = line.indexOf(":");
        if (colon > 0) parsed[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ status: Number(/^HTTP\/1\.\d (\d{3})/.exec(head[0] ?? "")?.[1] ?? 0), headers: parsed, body: end < 0 ? Buffer.alloc(0) : all.subarray(end + 4) });
    };
    socket.on("data", (c: Buffer) => chunks.push(c));
    socket.on("error", finish);
    socket.on("close", finish);
    const lines = [`GET ${path} HTTP/${version}`, ...Object.entries(headers).flatMap(([k, v]) => (v === null ? [] : [`${k}: ${v}`]))];
    if (!Object.keys(headers).some((k) => k.toLowerCase() === "host")) lines.push(`Host: ${url.host}`);
    if (version === "1.1") lines.push("Connection: close");
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

/** A document whose tarball integrity names other bytes than the upstream serves. */
const tamper = (what: string) => (doc: Record<string, unknown>) => {
  (doc.versions as Record<string, Record<string, unknown>>)["1.0.0"]!.dist = { integrity: `sha512-${createHash("sha512").update(what).digest("base64")}` };
};

describe("a client that cannot detect a cut body gets a verified body or an error", () => {
  let p: ProxyFixture;
  let base: string;
  let good: Buffer;
  before(async () => {
    p = await startProxy();
    good = publishNpm(p.up, "whole-pkg", [{ version: "1.0.0", time: OLD }]).get("1.0.0")!;
    publishNpm(p.up, "cut-pkg", [{ version: "1.0.0", time: OLD }], { edit: tamper("other bytes") });
    // Large enough to stream past the first chunks before the digest is known.
    p.up.addFile("npm/cut-pkg/-/cut-pkg-1.0.0.tgz", Buffer.alloc(2 * 1024 * 1024, 7), "application/octet-stream");
    base = await p.listen();
  });
  after(() => p.close());

  test("HTTP/1.0 (no Host header needed): a matching file comes whole, with its length", async () => {
    const res = await rawGet(base, "/npm/whole-pkg/-/whole-pkg-1.0.0.tgz", "1.0", { Host: null });
    assert.equal(res.status, 200);
    assert.equal(res.headers["content-length"], String(good.length));
    assert.equal(res.headers["transfer-encoding"], undefined);
    assert.deepEqual(res.body, good);
  });

  test("HTTP/1.0: a file that fails verification is an error, not a short body that looks complete", async () => {
    const res = await rawGet(base, "/npm/cut-pkg/-/cut-pkg-1.0.0.tgz", "1.0");
    assert.equal(res.status, 502);
    assert.match(res.body.toString(), /sha512 digest does not match the registry's/);
  });

  test("HTTP/1.1: a mismatch aborts the chunked body (no last chunk); a match ends it properly", async () => {
    const cut = await rawGet(base, "/npm/cut-pkg/-/cut-pkg-1.0.0.tgz", "1.1");
    assert.equal(cut.status, 200);
    assert.equal(cut.headers["transfer-encoding"], "chunked");
    assert.ok(cut.body.length > 0, "part of the body was streamed");
    assert.ok(!cut.body.subarray(-5).equals(Buffer.from("0\r\n\r\n")), "the chunked body has no terminating chunk");
    const whole = await rawGet(base, "/npm/whole-pkg/-/whole-pkg-1.0.0.tgz", "1.1");
    assert.equal(whole.headers["transfer-encoding"], "chunked");
    assert.ok(whole.body.subarray(-5).equals(Buffer.from("0\r\n\r\n")));
  });
});

describe("package files come only from the upstream's origin or a configured artifact origin", () => {
  let p: ProxyFixture;
  let allowed: ProxyFixture;
  let wheelPage: object | undefined;
  // The upstream's project page for far-py names a wheel on another host.
  const proxyFetch: Fetcher = (url, init) =>
    url.endsWith("/simple/far-py/") && wheelPage
      ? Promise.resolve(new Response(JSON.stringify(wheelPage), { headers: { "content-type": "application/vnd.pypi.simple.v1+json" } }))
      : fetch(url, init);
  before(async () => {
    p = await startProxy({ proxyFetch });
    const foreign = p.up.foreignUrl;
    const bytes = Buffer.from(await (await fetch(`${foreign}elsewhere/far-pkg-1.0.0.tgz`)).arrayBuffer());
    publishNpm(p.up, "far-pkg", [{ version: "1.0.0", time: OLD }], {
      edit: (doc) => {
        (doc.versions as Record<string, Record<string, unknown>>)["1.0.0"]!.dist = {
          tarball: `${foreign}elsewhere/far-pkg-1.0.0.tgz`,
          integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
        };
      },
    });
    const wheel = publishPypi(p.up, "far-py", [{ version: "1.0.0", time: OLD }]).get("1.0.0")!;
    wheelPage = {
      meta: { "api-version": "1.0" },
      name: "far-py",
      files: [
        {
          filename: wheel.filename,
          url: `${foreign}files/${wheel.filename}`,
          hashes: { sha256: createHash("sha256").update(wheel.bytes).digest("hex") },
          "upload-time": OLD,
        },
      ],
    };
    allowed = await startProxy({ upstream: p.up, proxyFetch, artifactOrigins: [`${foreign}anything`] });
  });
  after(async () => {
    await allowed.close();
    await p.close();
  });

  test("a document naming a tarball on another host: refused, and that host is never asked", async () => {
    const asked = () => p.up.requests().filter((r) => r.server === "foreign" && r.path.includes("far-pkg")).length;
    const before = asked();
    const res = await p.get("/npm/far-pkg/-/far-pkg-1.0.0.tgz");
    assert.equal(res.status, 502);
    assert.match(((await res.json()) as { error: string }).error, /neither the upstream's origin nor an allowed artifact origin/);
    assert.equal(asked(), before);
  });

  test("the same file from an origin the configuration allows is served", async () => {
    const res = await allowed.get("/npm/far-pkg/-/far-pkg-1.0.0.tgz");
    assert.equal(res.status, 200);
    assert.ok((await res.arrayBuffer()).byteLength > 0);
  });

  test("a PyPI file at another host than the index is refused too", async () => {
    const page = await p.get("/pypi/simple/far-py/", { accept: "application/vnd.pypi.simple.v1+json" });
    assert.equal(page.status, 200);
    const files = ((await page.json()) as { files: Array<{ url: string }> }).files;
    assert.equal(files.length, 1);
    const res = await p.get(new URL(files[0]!.url).pathname);
    assert.equal(res.status, 502);
    assert.match(await res.text(), /neither the upstream's origin nor an allowed artifact origin/);
    assert.deepEqual(
      p.up.requests().filter((r) => r.server === "foreign" && r.path.includes("far_py")),
      [],
    );
  });
});

describe("the public URL comes from configuration, never the Host header", () => {
  let p: ProxyFixture;
  let base: string;
  before(async () => {
    p = await startProxy();
    publishNpm(p.up, "steer-pkg", [{ version: "1.0.0", time: OLD }]);
    base = await p.listen();
  });
  after(() => p.close());

  test("tarball URLs and redirects name the configured URL whatever Host says", async () => {
    const doc = await rawGet(base, "/npm/steer-pkg", "1.1", { Host: "attacker.example:8080" });
    assert.equal(doc.status, 200);
    const text = doc.body.toString();
    assert.doesNotMatch(text, /attacker\.example/);
    assert.match(text, new RegExp(`"tarball":"${base}/npm/steer-pkg/-/steer-pkg-1\\.0\\.0\\.tgz"`));
    const redirect = await rawGet(base, "/pypi/simple/Steer_Pkg/", "1.1", { Host: "attacker.example" });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.location, `${base}/pypi/simple/steer-pkg/`);
  });
});

describe("names have a bounded length", () => {
  let p: ProxyFixture;
  const atCap = "a".repeat(214);
  before(async () => {
    p = await startProxy();
    publishNpm(p.up, atCap, [{ version: "1.0.0", time: OLD }]);
  });
  after(() => p.close());

  test("longer than the cap: 400 before the engine or the upstream hears of it", async () => {
    const before = p.up.requestCount();
    const long = "a".repeat(215);
    for (const path of [
      `/npm/${long}`,
      `/npm/@scope/${long}`,
      `/npm/${long}/-/${long}-1.0.0.tgz`,
      `/npm/left-pad/-/${"b".repeat(256)}.tgz`,
      `/pypi/simple/${"p".repeat(201)}/`,
      `/pypi/pypi/${"p".repeat(201)}/json`,
      `/pypi/files/${"p".repeat(201)}/x.whl`,
      `/pypi/files/requests/${"f".repeat(256)}.whl`,
    ]) {
      const res = await p.get(path);
      assert.equal(res.status, 400, path.slice(0, 40));
      assert.match(await res.text(), /characters long; the limit is/);
    }
    assert.equal(p.up.requestCount(), before, "nothing was asked upstream (so the engine judged nothing)");
  });

  test("at the cap, the name is judged as usual", async () => {
    const res = await p.get(`/npm/${atCap}`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  });
});

describe("a global budget of upstream requests and buffered bytes", () => {
  const budget = new UpstreamBudget({ maxBufferedBytes: 1024 * 1024, maxFetches: 4, maxQueued: 64 });
  let p: ProxyFixture;
  before(async () => {
    p = await startProxy({ budget, engineFetch: budget.documents(fetch) });
    for (let i = 0; i < 6; i++) {
      const doc = npmDocument({ name: `wide-${i}`, created: OLD, repository: "https://github.com/example/wide", versions: [{ version: "1.0.0", time: OLD }] });
      doc.readme = "x".repeat(300 * 1024); // one request buffers it two or three times: one fits, six at once do not
      p.up.addNpmPackage(doc, { downloads: 100_000 });
    }
    publishNpm(p.up, "small-pkg", [{ version: "1.0.0", time: OLD }]);
  });
  after(() => p.close());

  test("over the budget: 503 with the reason, never more held than the budget; all released afterwards", async () => {
    let peak = 0;
    const watch = setInterval(() => {
      peak = Math.max(peak, budget.bufferedBytes);
    }, 1);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => p.get(`/npm/wide-${i}`)));
    clearInterval(watch);
    const statuses = answers.map((r) => r.status);
    assert.ok(statuses.includes(503), statuses.join());
    for (const res of answers) {
      assert.ok(res.status === 200 || res.status === 503, String(res.status));
      if (res.status === 503) {
        assert.equal(res.statusText, "Service Unavailable");
        assert.match(((await res.json()) as { error: string }).error, /Bouncer served nothing: Bouncer is holding its limit of 1 MB of upstream documents/);
      } else await res.arrayBuffer();
    }
    assert.ok(peak <= budget.limits.maxBufferedBytes, `peak ${peak}`);
    // Halves of refused requests still finishing in the background give their bytes back as they end.
    for (let i = 0; i < 10_000 && budget.bufferedBytes > 0; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(budget.bufferedBytes, 0);
    // A refusal for want of room is not remembered: the package is served once there is room.
    const again = await p.get("/npm/wide-0");
    assert.equal(again.status, 200);
    await again.arrayBuffer();
    assert.equal((await p.get("/npm/small-pkg")).status, 200);
  });

  test("more waiting upstream requests than the queue takes: 503 at once", async () => {
    const tight = new UpstreamBudget({ maxFetches: 1, maxQueued: 0 });
    const q = await startProxy({ upstream: p.up, budget: tight, engineFetch: tight.documents(fetch) });
    try {
      const answers = await Promise.all(["left-pad", "react", "esbuild"].map((n) => q.get(`/npm/${n}`)));
      const busy = answers.filter((r) => r.status === 503);
      assert.ok(busy.length > 0, answers.map((r) => r.status).join());
      assert.match(((await busy[0]!.json()) as { error: string }).error, /at its limit of 1 upstream requests at once/);
    } finally {
      await q.close();
    }
  });
});
