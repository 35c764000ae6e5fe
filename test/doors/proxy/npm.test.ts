import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { ORIGIN, osvRecord, type ProxyFixture, publishNpm, startProxy } from "./setup.ts";

const OLD = "2015-06-01T00:00:00.000Z";
const MIDDLE = "2020-06-01T00:00:00.000Z";
const YOUNG = "2026-11-23T10:00:00.000Z"; // 2 h before the fixed clock
const ABBREVIATED = "application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*";

type Doc = { name: string; "dist-tags": Record<string, string>; versions: Record<string, { dist: { tarball: string } }>; time?: Record<string, string> };

describe("npm documents through the proxy", () => {
  let p: ProxyFixture;
  let goodBytes: Map<string, Buffer>;
  before(async () => {
    p = await startProxy({
      minimumVersionAgeHours: 48,
      osv: [osvRecord("MAL-2026-0001", "npm", "evil-old", ["1.0.0"]), osvRecord("MAL-2026-0002", "npm", "evil-latest", ["1.0.1"])],
    });
    goodBytes = publishNpm(p.up, "good-pkg", [
      { version: "1.0.0", time: OLD },
      { version: "1.2.0", time: MIDDLE },
      { version: "1.3.0", time: YOUNG },
      { version: "2.0.0-beta.1", time: YOUNG },
    ], { distTags: { latest: "1.3.0", next: "2.0.0-beta.1", legacy: "1.0.0" } });
    publishNpm(p.up, "@acme/widget", [{ version: "3.1.0", time: OLD }]);
    publishNpm(p.up, "evil-old", [{ version: "1.0.0", time: OLD }, { version: "1.1.0", time: MIDDLE }]);
    publishNpm(p.up, "evil-latest", [{ version: "1.0.0", time: OLD }, { version: "1.0.1", time: MIDDLE }]);
    // npm's placeholder as the snapshot has it (0.0.2-security), the description gone from the document.
    publishNpm(p.up, "crossenv", [{ version: "0.0.2-security", time: OLD }], { downloads: 10_533, edit: (doc) => delete doc.description });
    publishNpm(p.up, "timeless-pkg", [{ version: "1.0.0", time: OLD }, { version: "1.1.0", time: MIDDLE }], {
      edit: (doc) => delete (doc.time as Record<string, string>)["1.1.0"],
    });
    publishNpm(p.up, "tampered-pkg", [{ version: "1.0.0", time: OLD }], {
      edit: (doc) => {
        const v = (doc.versions as Record<string, Record<string, unknown>>)["1.0.0"]!;
        v.dist = { integrity: `sha512-${createHash("sha512").update("other bytes").digest("base64")}` };
      },
    });
  });
  after(() => p.close());

  test("the full document: young versions gone, tags moved, times kept only for kept versions, tarballs through the proxy", async () => {
    const res = await p.get("/npm/good-pkg", { accept: "application/json" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/json");
    const doc = (await res.json()) as Doc;
    assert.deepEqual(Object.keys(doc.versions), ["1.0.0", "1.2.0"]);
    assert.deepEqual(doc["dist-tags"], { latest: "1.2.0", next: "1.2.0", legacy: "1.0.0" });
    assert.deepEqual(Object.keys(doc.time!).sort(), ["1.0.0", "1.2.0", "created", "modified"]);
    assert.equal(doc.versions["1.2.0"]!.dist.tarball, `${ORIGIN}/npm/good-pkg/-/good-pkg-1.2.0.tgz`);
    assert.match(res.headers.get("npm-notice") ?? "", /hid good-pkg@1\.3\.0 \(published 2 hours ago; the policy wants at least 48 h\)/);
  });

  test("the abbreviated document when npm asks for it", async () => {
    const res = await p.get("/npm/good-pkg", { accept: ABBREVIATED });
    assert.equal(res.headers.get("content-type"), "application/vnd.npm.install-v1+json");
    const doc = (await res.json()) as Doc & Record<string, unknown>;
    assert.deepEqual(Object.keys(doc).sort(), ["dist-tags", "modified", "name", "versions"]);
    assert.deepEqual(Object.keys(doc.versions), ["1.0.0", "1.2.0"]);
    assert.equal(doc.versions["1.0.0"]!.dist.tarball, `${ORIGIN}/npm/good-pkg/-/good-pkg-1.0.0.tgz`);
    assert.equal((doc.versions["1.0.0"] as Record<string, unknown>).description, undefined);
  });

  test("scoped names, encoded or not", async () => {
    for (const path of ["/npm/@acme%2fwidget", "/npm/@acme/widget", "/npm/%40acme%2Fwidget"]) {
      const res = await p.get(path);
      assert.equal(res.status, 200, path);
      const doc = (await res.json()) as Doc;
      assert.equal(doc.name, "@acme/widget");
      assert.equal(doc.versions["3.1.0"]!.dist.tarball, `${ORIGIN}/npm/@acme/widget/-/widget-3.1.0.tgz`);
    }
  });

  test("a tarball is streamed and matches the registry's integrity", async () => {
    const res = await p.get("/npm/good-pkg/-/good-pkg-1.2.0.tgz");
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), goodBytes.get("1.2.0"));
    const scoped = await p.get("/npm/@acme/widget/-/widget-3.1.0.tgz");
    assert.equal(scoped.status, 200);
    assert.ok((await scoped.arrayBuffer()).byteLength > 100);
  });

  test("a hidden version's tarball is refused with the reason", async () => {
    const res = await p.get("/npm/good-pkg/-/good-pkg-1.3.0.tgz");
    assert.equal(res.status, 403);
    assert.match(((await res.json()) as { error: string }).error, /hid good-pkg@1\.3\.0: published 2 hours ago/);
    assert.equal((await p.get("/npm/good-pkg/-/good-pkg-9.9.9.tgz")).status, 404);
    assert.equal((await p.get("/npm/good-pkg/-/other-1.0.0.tgz")).status, 404);
  });

  test("one version's manifest, by version or tag", async () => {
    const byTag = await p.get("/npm/good-pkg/latest");
    assert.equal(((await byTag.json()) as { version: string }).version, "1.2.0");
    assert.equal((await p.get("/npm/good-pkg/1.3.0")).status, 403);
    assert.equal((await p.get("/npm/good-pkg/7.0.0")).status, 404);
  });

  test("a tarball whose bytes do not match the integrity fails instead of completing", async () => {
    const res = await p.get("/npm/tampered-pkg/-/tampered-pkg-1.0.0.tgz");
    assert.equal(res.status, 200);
    await assert.rejects(res.arrayBuffer(), /sha512 digest does not match/);
  });

  test("an unknown publish time fails closed when a minimum age is set", async () => {
    const doc = (await (await p.get("/npm/timeless-pkg")).json()) as Doc;
    assert.deepEqual(Object.keys(doc.versions), ["1.0.0"]);
    assert.deepEqual(doc["dist-tags"], { latest: "1.0.0" });
  });

  test("a version the feed marks malicious is removed; a malicious latest blocks the package", async () => {
    const doc = (await (await p.get("/npm/evil-old")).json()) as Doc;
    assert.deepEqual(Object.keys(doc.versions), ["1.1.0"]);
    const tarball = await p.get("/npm/evil-old/-/evil-old-1.0.0.tgz");
    assert.equal(tarball.status, 403);
    assert.match(((await tarball.json()) as { error: string }).error, /known-malicious \(MAL-2026-0001\)/);

    const res = await p.get("/npm/evil-latest");
    assert.equal(res.status, 403);
    assert.equal(res.statusText, "Blocked by Bouncer");
    assert.match(((await res.json()) as { error: string }).error, /^Bouncer blocked pkg:npm\/evil-latest: known-malicious: .*MAL-2026-0002/);
  });

  test("a hallucinated name: 404 with the reason and what was probably meant", async () => {
    const res = await p.get("/npm/left-padd");
    assert.equal(res.status, 404);
    const { error } = (await res.json()) as { error: string };
    assert.match(error, /^Bouncer blocked pkg:npm\/left-padd: not-found: the npm registry has no package named "left-padd"/);
    assert.match(error, /did you mean left-pad/);
  });

  test("a package the policy blocks: 403 with every reason", async () => {
    const res = await p.get("/npm/react-hooks-toolkit-pro");
    assert.equal(res.status, 403);
    const { error } = (await res.json()) as { error: string };
    assert.match(error, /new-package/);
    assert.match(error, /install-scripts/);
    assert.equal((await p.get("/npm/flatmap-stream")).status, 403);
    const placeholder = await p.get("/npm/crossenv");
    assert.equal(placeholder.status, 403);
    assert.match(((await placeholder.json()) as { error: string }).error, /security-holding/);
  });

  test("every decision is in the log under the proxy door", () => {
    const entries = readFileSync(join(p.dataDir, "ledger.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    const purls = entries.map((e: { purl: string }) => e.purl);
    assert.ok(entries.every((e: { door: string }) => e.door === "proxy"));
    assert.ok(purls.includes("pkg:npm/good-pkg"));
    assert.ok(purls.includes("pkg:npm/good-pkg@1.2.0"), "a tarball is a decision on its exact version");
    const blocked = entries.find((e: { purl: string }) => e.purl === "pkg:npm/left-padd");
    assert.equal(blocked.verdict, "block");
    assert.match(blocked.context, /^GET \/npm\/left-padd/);
  });

  test("a judged document is reused: no new upstream request, no new decision", async () => {
    await p.get("/npm/@acme/widget");
    const before = p.up.requestCount();
    const lines = readFileSync(join(p.dataDir, "ledger.jsonl"), "utf8").split("\n").length;
    for (const accept of ["application/json", ABBREVIATED]) assert.equal((await p.get("/npm/@acme%2fwidget", { accept })).status, 200);
    assert.equal(p.up.requestCount(), before);
    assert.equal(readFileSync(join(p.dataDir, "ledger.jsonl"), "utf8").split("\n").length, lines);
  });

  test("other registry endpoints", async () => {
    assert.equal((await p.get("/npm/-/ping")).status, 200);
    assert.equal((await p.get("/npm/-/v1/search?text=x")).status, 404);
    const put = await p.handler(new Request(`${ORIGIN}/npm/good-pkg`, { method: "PUT", body: "{}" }));
    assert.equal(put.status, 405);
    assert.equal((await p.get("/nothing-here")).status, 404);
  });
});
