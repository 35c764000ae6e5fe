import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { wheel } from "../../support/artifacts.ts";
import { HOSTILE } from "../../support/registry-server.ts";
import { ORIGIN, osvRecord, type ProxyFixture, publishPypi, startProxy } from "./setup.ts";

const OLD = "2016-03-01T00:00:00";
const MIDDLE = "2021-03-01T00:00:00";
const YOUNG = "2026-11-23T10:00:00"; // 2 h before the fixed clock
const PIP = { "user-agent": 'pip/23.2.1 {"ci":null}', accept: "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01" };

type SimpleJson = { meta: { "api-version": string }; name: string; versions?: string[]; files: Array<{ filename: string; url: string; hashes: Record<string, string>; yanked: boolean | string }> };

describe("PyPI through the proxy", () => {
  let p: ProxyFixture;
  let wheels: Map<string, { filename: string; bytes: Buffer }>;
  before(async () => {
    p = await startProxy({ minimumVersionAgeHours: 48, osv: [osvRecord("MAL-2026-0100", "PyPI", "evil-py", ["1.0.0"])] });
    wheels = publishPypi(p.up, "good-lib", [
      { version: "1.0.0", time: OLD },
      { version: "1.1.0", time: YOUNG },
    ]);
    publishPypi(p.up, "evil-py", [
      { version: "1.0.0", time: OLD },
      { version: "1.1.0", time: MIDDLE },
    ]);
    publishPypi(p.up, "swap-lib", [{ version: "2.0.0", time: OLD }]);
  });
  after(() => p.close());

  test("PEP 691 JSON: too-young files gone, URLs through the proxy, hashes kept", async () => {
    const res = await p.get("/pypi/simple/good-lib/", { accept: "application/vnd.pypi.simple.v1+json" });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "application/vnd.pypi.simple.v1+json");
    const page = (await res.json()) as SimpleJson;
    assert.equal(page.name, "good-lib");
    assert.deepEqual(page.versions, ["1.0.0"]);
    assert.deepEqual(page.files.map((f) => f.filename), [wheels.get("1.0.0")!.filename]);
    assert.equal(page.files[0]!.url, `${ORIGIN}/pypi/files/good-lib/${wheels.get("1.0.0")!.filename}`);
    assert.match(page.files[0]!.hashes.sha256!, /^[0-9a-f]{64}$/);
  });

  test("PEP 503 HTML by default and for text/html", async () => {
    for (const headers of [{}, { accept: "text/html" }] as Array<Record<string, string>>) {
      const res = await p.get("/pypi/simple/good-lib/", headers);
      assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
      const html = await res.text();
      const links = [...html.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)];
      assert.equal(links.length, 1);
      assert.match(links[0]![1]!, /^http:\/\/proxy\.test\/pypi\/files\/good-lib\/good_lib-1\.0\.0-py3-none-any\.whl#sha256=[0-9a-f]{64}$/);
    }
  });

  test("yanked files stay yanked, with their reason", async () => {
    const page = (await (await p.get("/pypi/simple/partly-yanked/", PIP)).json()) as SimpleJson;
    assert.deepEqual(
      page.files.map((f) => [f.filename, f.yanked]),
      [
        ["partly_yanked-1.0.0-py3-none-any.whl", false],
        ["partly_yanked-1.1.0-py3-none-any.whl", "broken build"],
      ],
    );
    const html = await (await p.get("/pypi/simple/partly-yanked/")).text();
    assert.match(html, /data-yanked="broken build">partly_yanked-1\.1\.0/);
  });

  test("names are normalised by redirect, as PyPI does", async () => {
    const res = await p.get("/pypi/simple/Good_Lib/");
    assert.equal(res.status, 301);
    assert.equal(res.headers.get("location"), `${ORIGIN}/pypi/simple/good-lib/`);
    const slash = await p.get("/pypi/simple/good-lib");
    assert.equal(slash.status, 301);
    assert.equal(slash.headers.get("location"), `${ORIGIN}/pypi/simple/good-lib/`);
  });

  test("a hallucinated project: pip gets the reason as a Content-Type it prints, others as the status line", async () => {
    const forPip = await p.get("/pypi/simple/numpay/", PIP);
    assert.equal(forPip.status, 200);
    const type = forPip.headers.get("content-type") ?? "";
    assert.match(type, /^text\/x-bouncer-refusal; reason="Bouncer blocked pkg:pypi\/numpay: not-found: /);
    assert.match(type, /did you mean numpy/);
    assert.equal(forPip.headers.get("cache-control"), "no-store");

    const other = await p.get("/pypi/simple/numpay/", { accept: "text/html" });
    assert.equal(other.status, 404);
    assert.match(other.statusText, /^Bouncer blocked pkg:pypi\/numpay: not-found/);
    assert.match(await other.text(), /did you mean numpy/);
  });

  test("PEP 792: a quarantined project is refused through the policy's verdict; an archived one is served with a warning", async () => {
    p.up.addPypiProject({ name: "quarantined-lib", releases: {}, projectStatus: { status: "quarantined", reason: "malware under review" } });
    const refused = await p.get("/pypi/simple/quarantined-lib/", PIP);
    assert.match(refused.headers.get("content-type") ?? "", /^text\/x-bouncer-refusal; reason="Bouncer blocked pkg:pypi\/quarantined-lib: quarantined: /);
    const other = await p.get("/pypi/simple/quarantined-lib/", { accept: "text/html" });
    assert.equal(other.status, 403);
    assert.match(other.statusText, /quarantined/);
    publishPypi(p.up, "archived-lib", [{ version: "1.0.0", time: OLD }]);
    p.up.addPypiProject({
      name: "archived-lib",
      info: { project_urls: { Source: "https://github.com/example/archived-lib" } },
      releases: { "1.0.0": [{ filename: "archived_lib-1.0.0-py3-none-any.whl", uploadTime: OLD }] },
      projectStatus: { status: "archived" },
    });
    const served = await p.get("/pypi/simple/archived-lib/", PIP);
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("x-bouncer-verdict"), "warn");
  });

  test("a wheel is streamed and verified; a hidden one is refused with the reason", async () => {
    const w = wheels.get("1.0.0")!;
    const res = await p.get(`/pypi/files/good-lib/${w.filename}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), w.bytes);

    const young = await p.get(`/pypi/files/good-lib/${wheels.get("1.1.0")!.filename}`);
    assert.equal(young.status, 403);
    assert.match(young.statusText, /hid good_lib-1\.1\.0-py3-none-any\.whl: published 2 hours ago/);
    assert.equal((await p.get("/pypi/files/good-lib/good_lib-9.0-py3-none-any.whl")).status, 404);
  });

  test("a file whose bytes changed upstream fails instead of completing", async () => {
    const page = (await (await p.get("/pypi/simple/swap-lib/", PIP)).json()) as SimpleJson;
    const filename = page.files[0]!.filename;
    p.up.addFile(`packages/${filename}`, wheel("swap-lib", "6.6.6").bytes, "application/octet-stream");
    const res = await p.get(`/pypi/files/swap-lib/${filename}`);
    assert.equal(res.status, 200);
    await assert.rejects(res.arrayBuffer(), /sha256 digest does not match/);
  });

  test("malicious versions are removed from the page and refused as files", async () => {
    const page = (await (await p.get("/pypi/simple/evil-py/", PIP)).json()) as SimpleJson;
    assert.deepEqual(page.versions, ["1.1.0"]);
    const res = await p.get(`/pypi/files/evil-py/${wheel("evil-py", "1.0.0").filename}`);
    assert.equal(res.status, 403);
    assert.match(res.statusText, /known-malicious \(MAL-2026-0100\)/);
  });

  test("an HTML-only index gives no upload times: with a minimum age nothing can be shown", async () => {
    const res = await p.get("/pypi/simple/html-only-index/", { accept: "text/html" });
    assert.equal(res.status, 403);
    assert.match(await res.text(), /hid every file of html-only-index: .*publish time unknown/);
  });

  test("the JSON API: releases filtered, latest moved back, file URLs through the proxy", async () => {
    const res = await p.get("/pypi/pypi/good-lib/json");
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { info: { version: string }; releases: Record<string, Array<{ url: string }>>; urls: Array<{ url: string }> };
    assert.deepEqual(Object.keys(doc.releases), ["1.0.0"]);
    assert.equal(doc.info.version, "1.0.0");
    assert.equal(doc.urls[0]!.url, `${ORIGIN}/pypi/files/good-lib/${wheels.get("1.0.0")!.filename}`);
    const missing = await p.get("/pypi/pypi/numpay/json");
    assert.equal(missing.status, 404);
    assert.match(((await missing.json()) as { message: string }).message, /not-found/);
  });

  test("an upstream that fails is not served: pip sees why", async () => {
    const forPip = await p.get(`/pypi/simple/${HOSTILE.status500}/`, PIP);
    assert.match(forPip.headers.get("content-type") ?? "", /^text\/x-bouncer-refusal; reason="Bouncer could not verify hostile-500, so it is not served: .*HTTP 500/);
    const other = await p.get(`/pypi/simple/${HOSTILE.status500}/`);
    assert.equal(other.status, 502);
  });

  test("the list of every project is not served", async () => {
    assert.equal((await p.get("/pypi/simple/")).status, 404);
  });
});
