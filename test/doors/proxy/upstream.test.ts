import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { test } from "node:test";
import { UpstreamBudget } from "../../../src/doors/proxy/budget.ts";
import { MemoryCache } from "../../../src/doors/proxy/cache.ts";
import { presentedToken } from "../../../src/doors/proxy/index.ts";
import { fixDistTags, versionFromTarballName, wantsAbbreviated } from "../../../src/doors/proxy/npm.ts";
import { filesFromSimpleHtml, negotiateSimple } from "../../../src/doors/proxy/pypi.ts";
import { statusText } from "../../../src/doors/proxy/responses.ts";
import { digestsFromIntegrity, freshnessMs, hexDigest, verifiedStream } from "../../../src/doors/proxy/upstream.ts";

// No stream here stalls: time limits that a loaded machine never meets.
const LIMITS = { headersTimeoutMs: 60_000, idleTimeoutMs: 60_000, maxBytes: 1 << 20 };
const sri = (algorithm: string, data: string) => `${algorithm}-${createHash(algorithm).update(data).digest("base64")}`;

function source(chunks: string[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream({ pull: (c) => (i < chunks.length ? c.enqueue(Buffer.from(chunks[i++]!)) : c.close()) });
}

async function drain(stream: ReadableStream<Uint8Array>, seen: string[]): Promise<void> {
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    seen.push(Buffer.from(value).toString());
  }
}

test("verifiedStream passes a matching body through whole", async () => {
  const seen: string[] = [];
  await drain(verifiedStream(source(["ab", "cd", "ef"]), digestsFromIntegrity(sri("sha512", "abcdef")), LIMITS, () => {}, "x"), seen);
  assert.deepEqual(seen, ["ab", "cd", "ef"]);
});

test("verifiedStream never hands on the last chunk of a body that does not match", async () => {
  const seen: string[] = [];
  let aborted = false;
  const stream = verifiedStream(source(["ab", "cd", "ef"]), digestsFromIntegrity(sri("sha512", "abcdeX")), LIMITS, () => (aborted = true), "pkg@1");
  await assert.rejects(drain(stream, seen), /pkg@1: sha512 digest does not match/);
  assert.deepEqual(seen, ["ab", "cd"]);
  assert.ok(aborted);
});

test("verifiedStream: every algorithm given must match; over the cap fails", async () => {
  const both = [...digestsFromIntegrity(sri("sha512", "abc")), hexDigest("sha1", createHash("sha1").update("abd").digest("hex"))!];
  await assert.rejects(drain(verifiedStream(source(["abc"]), both, LIMITS, () => {}, "x"), []), /sha1 digest does not match/);
  await assert.rejects(drain(verifiedStream(source(["abc", "def"]), digestsFromIntegrity(sri("sha512", "abcdef")), { ...LIMITS, maxBytes: 4 }, () => {}, "x"), []), /larger than 4 bytes/);
  assert.throws(() => verifiedStream(source([]), [], LIMITS, () => {}, "x"), /no digest/);
});

test("digestsFromIntegrity keeps the strongest usable algorithm", () => {
  const mixed = `${sri("sha1", "a")} ${sri("sha512", "a")} sha512-short md5-xyz`;
  assert.deepEqual(digestsFromIntegrity(mixed).map((d) => d.algorithm), ["sha512"]);
  assert.deepEqual(digestsFromIntegrity(sri("sha256", "a")).map((d) => d.algorithm), ["sha256"]);
  assert.deepEqual(digestsFromIntegrity("nonsense"), []);
  assert.deepEqual(digestsFromIntegrity(42), []);
  assert.equal(hexDigest("sha256", "abc"), undefined);
});

test("freshnessMs reads Cache-Control", () => {
  assert.equal(freshnessMs("public, max-age=300"), 300_000);
  assert.equal(freshnessMs("max-age=600, s-maxage=60"), 600_000);
  assert.equal(freshnessMs("no-store"), 0);
  assert.equal(freshnessMs("private, no-cache"), 0);
  assert.equal(freshnessMs(null), undefined);
});

test("presentedToken: Bearer, or the password of Basic", () => {
  assert.equal(presentedToken("Bearer abc"), "abc");
  assert.equal(presentedToken(`Basic ${Buffer.from("user:s:ecret").toString("base64")}`), "s:ecret");
  assert.equal(presentedToken(`basic ${Buffer.from("only").toString("base64")}`), "only");
  assert.equal(presentedToken("Digest x"), undefined);
  assert.equal(presentedToken(null), undefined);
});

test("dist-tags follow the kept versions", () => {
  const kept = ["1.0.0", "1.2.0", "2.0.0", "3.0.0-rc.1"];
  assert.deepEqual(fixDistTags({ latest: "2.1.0", next: "3.0.0-rc.2", old: "1.2.0", backport: "1.3.0" }, kept), {
    latest: "2.0.0",
    next: "2.0.0",
    old: "1.2.0",
    backport: "1.2.0",
  });
  assert.deepEqual(fixDistTags({ latest: "1.0.0-beta" }, ["1.0.0-alpha"]), {}, "no final version left: the tag is dropped");
  assert.deepEqual(fixDistTags("nonsense", kept), {});
});

test("tarball names and Accept headers", () => {
  assert.equal(versionFromTarballName("@acme/widget", "widget-1.2.3-beta.1.tgz"), "1.2.3-beta.1");
  assert.equal(versionFromTarballName("left-pad", "left-pad-x.tgz"), null);
  assert.equal(versionFromTarballName("left-pad", "right-pad-1.0.0.tgz"), null);
  assert.ok(wantsAbbreviated("application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*"));
  assert.ok(!wantsAbbreviated("application/vnd.npm.install-v1+json; q=0, application/json"));
  assert.ok(!wantsAbbreviated(null));
  assert.equal(negotiateSimple("application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"), "json");
  assert.equal(negotiateSimple("text/html"), "html");
  assert.equal(negotiateSimple(null), "html");
  assert.equal(negotiateSimple("application/vnd.pypi.simple.v1+json;q=0.2, text/html"), "html");
  assert.equal(negotiateSimple("image/png"), null);
});

test("HTML anchors with entities, single quotes and fragments", () => {
  const html = `<a href='https://f.example/a-1.0.tar.gz#sha256=AB12' data-requires-python="&gt;=3.8" data-yanked>a-1.0.tar.gz</a>
  <A HREF="../b/a-1.1.whl">a-1.1.whl</A><a name="x">no href</a>`;
  const files = filesFromSimpleHtml(html);
  assert.deepEqual(
    files.map((f) => [f.filename, f.href, f.hashes, f.requiresPython, f.yanked]),
    [
      ["a-1.0.tar.gz", "https://f.example/a-1.0.tar.gz#sha256=AB12", { sha256: "ab12" }, ">=3.8", true],
      ["a-1.1.whl", "../b/a-1.1.whl", {}, undefined, false],
    ],
  );
});

test("status text is printable ASCII, bounded", () => {
  assert.equal(statusText("did you mean “numpy”…\r\nX"), 'did you mean "numpy"...X');
  assert.equal(statusText("x".repeat(400)).length, 300);
});

test("MemoryCache: expiry, LRU by count and by bytes", () => {
  const cache = new MemoryCache<string>(2, 100);
  cache.set("a", "A", 1000, 10);
  cache.set("b", "B", 1000, 10);
  assert.equal(cache.get("a", 0), "A"); // a is now the most recent
  cache.set("c", "C", 1000, 10);
  assert.equal(cache.get("b", 0), undefined, "least recently used goes first");
  assert.equal(cache.get("a", 1000), undefined, "expired");
  cache.set("big", "X", 1000, 101);
  assert.equal(cache.get("big", 0), undefined, "larger than the whole cache");
  cache.set("d", "D", 1000, 60);
  cache.grow("d", 50);
  assert.equal(cache.get("c", 0), undefined, "growth evicts others");
  assert.equal(cache.get("d", 0), undefined, "and an entry over the byte cap itself");
});

test("UpstreamBudget: bytes held while a request lasts, slots while a body streams, refusals at once", async () => {
  const budget = new UpstreamBudget({ maxFetches: 1, maxQueued: 1, maxBufferedBytes: 10 });
  const inner = async () => new Response(source(["abcd", "efgh"]));
  const documents = budget.documents(inner);
  // Outside a request, a body's bytes are released when it ends.
  assert.equal(await (await documents("http://u/a")).text(), "abcdefgh");
  assert.equal(budget.bufferedBytes, 0);
  // Inside one, they stay charged until it settles, and what does not fit fails that request.
  await budget.run(async () => {
    assert.equal(await (await documents("http://u/b")).text(), "abcdefgh");
    assert.equal(budget.bufferedBytes, 8);
    await assert.rejects((await documents("http://u/c")).text(), /holding its limit of 10 bytes/);
    assert.match(budget.refused() ?? "", /holding its limit/);
  });
  assert.equal(budget.bufferedBytes, 0);
  // One slot: a second exchange waits, a third is refused; cancelling the first body frees its slot.
  const first = await documents("http://u/d");
  const second = documents("http://u/e");
  await assert.rejects(documents("http://u/f"), /at its limit of 1 upstream requests at once and 1 waiting/);
  await first.body!.cancel();
  assert.equal(await (await second).text(), "abcdefgh");
  // Files are not charged: they stream.
  const files = budget.files(async () => new Response(source(["x".repeat(64)])));
  assert.equal((await (await files("http://u/file")).text()).length, 64);
});
