import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import {
  codeHostRepository,
  createPypiRegistrySource,
  observationFromPypiJson,
  observationFromSimpleHtml,
  observationFromSimpleJson,
  versionFromFilename,
} from "../../../src/ecosystems/pypi/registry.ts";
import type { RegistryConfig } from "../../../src/ecosystems/types.ts";
import type { Fetcher } from "../../../src/sources/http.ts";
import type { Observation } from "../../../src/sources/types.ts";
import { mutate, random, randomBody, randomJson } from "../../support/fuzz.ts";
import { checkHostileAnswers, checkObservationShape, fuzzLookups, HTTP_REASONS } from "../../support/registry-checks.ts";
import { HOSTILE, type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";
import { BLOWUP_MS } from "../../support/bounded.ts";

// A time limit no answer misses on a loaded machine; the test of the limit itself takes a short one.
const LIMITS = { timeoutMs: 30_000, maxBytes: 1024 * 1024 };

describe("PyPI registry source", () => {
  let server: RegistryServer;
  let config: RegistryConfig;
  const lookup = (name: string) => createPypiRegistrySource(config, LIMITS).lookup("pypi", name);

  before(async () => {
    server = await startRegistryServer();
    config = { baseUrl: server.pypiBase, fetch };
  });
  after(() => server.close());

  test("an old project: first upload, per-version times, latest, repository", async () => {
    const o = await lookup("requests");
    assert.equal(o.source, "pypi-registry");
    assert.equal(o.existence, "exists");
    assert.equal(o.createdAt, "2011-02-14T18:20:00.000Z");
    assert.equal(o.latestVersion, "2.32.3");
    assert.deepEqual(o.versions!["2.32.3"], {
      version: "2.32.3",
      publishedAt: "2024-05-29T15:37:47.000Z",
      yanked: false,
      sdistOnly: false,
    });
    assert.equal(o.versions!["0.2.0"]!.sdistOnly, true);
    assert.equal(o.repositoryUrl, "https://github.com/psf/requests");
    assert.equal(o.unpublished, false);
    assert.equal(o.downloadsLastMonth, undefined, "PyPI has no popularity data");
    assert.equal(o.popularityRank, undefined);
  });

  test("PEP 792 status through each API of the local registry: JSON API, PEP 691 JSON, HTML", async () => {
    const release = { "1.0.0": [{ filename: "st_x-1.0.0-py3-none-any.whl", uploadTime: "2019-01-01T00:00:00Z" }] };
    server.addPypiProject({ name: "st-json-api", releases: release, projectStatus: { status: "archived", reason: "done" } });
    server.addPypiProject({ name: "st-simple-json", api: "simple-only", releases: {}, projectStatus: { status: "quarantined", reason: "malware" } });
    server.addPypiProject({ name: "st-simple-html", api: "simple-html-only", releases: {}, projectStatus: { status: "quarantined" } });
    assert.deepEqual((await lookup("st-json-api")).projectStatus, { status: "archived", reason: "done" });
    const json = await lookup("st-simple-json");
    assert.equal(json.existence, "exists");
    assert.deepEqual(json.projectStatus, { status: "quarantined", reason: "malware" });
    const html = await lookup("st-simple-html");
    assert.equal(html.existence, "exists");
    assert.deepEqual(html.projectStatus, { status: "quarantined", reason: null });
  });

  test("a JSON API hit needs one request", async () => {
    const before = server.requestCount();
    await lookup("requests");
    assert.equal(server.requestCount() - before, 1);
  });

  test("names are matched after PEP 503 normalisation, through the API's redirect", async () => {
    for (const name of ["PyYAML", "pyyaml", "py_yaml", "Py.YAML"]) {
      const o = await lookup(name);
      assert.equal(o.existence, name === "py_yaml" || name === "Py.YAML" ? "absent" : "exists", name);
    }
    assert.equal((await lookup("pyyaml")).repositoryUrl, "https://github.com/yaml/pyyaml");
  });

  test("a fresh, sdist-only project without a repository", async () => {
    const o = await lookup("fastapi-secure-auth-extension");
    assert.equal(o.createdAt, "2026-11-19T10:00:00.000Z");
    assert.equal(o.versions!["0.1.0"]!.sdistOnly, true);
    assert.equal(o.repositoryUrl, null);
  });

  test("a home page that is not a code host is no repository", async () => {
    const o = await lookup("legacy-sdist-lib");
    assert.equal(o.repositoryUrl, null);
    assert.equal(o.versions!["0.9"]!.sdistOnly, true, ".zip sdists count");
    assert.equal(o.createdAt, "2012-06-01T08:00:00.000Z");
  });

  test("yanked releases: reason per version; all yanked means unpublished", async () => {
    const all = await lookup("yanked-everything");
    assert.equal(all.existence, "exists");
    assert.equal(all.unpublished, true);
    assert.equal(all.versions!["1.0.0"]!.yanked, "security issue");
    const some = await lookup("partly-yanked");
    assert.equal(some.unpublished, false);
    assert.equal(some.versions!["1.0.0"]!.yanked, false);
    assert.equal(some.versions!["1.1.0"]!.yanked, "broken build");
    assert.equal(some.repositoryUrl, "https://gitlab.com/example/partly-yanked");
  });

  test("a project with no files is unpublished", async () => {
    const o = await lookup("empty-project");
    assert.equal(o.existence, "exists");
    assert.equal(o.unpublished, true);
    assert.equal(o.createdAt, null);
  });

  test("an index with only the simple API (PEP 691) still answers", async () => {
    const o = await lookup("private-only-simple");
    assert.equal(o.existence, "exists");
    assert.equal(o.createdAt, "2023-03-03T00:00:00.000Z");
    assert.equal(o.versions!["3.0.0"]!.publishedAt, "2023-03-03T00:00:00.000Z");
    assert.equal(o.latestVersion, undefined, "the simple API does not order versions");
    assert.equal(o.repositoryUrl, undefined, "the simple API cannot tell");
    const simple = server.requests().filter((r) => r.path === "/pypi/simple/private-only-simple/");
    assert.match(simple.at(-1)!.accept!, /application\/vnd\.pypi\.simple\.v1\+json/);
  });

  test("an index with only PEP 503 HTML still answers, without inventing times", async () => {
    const o = await lookup("html-only-index");
    assert.equal(o.existence, "exists");
    assert.equal(o.createdAt, undefined);
    assert.equal(o.versions!["1.0"]!.publishedAt, undefined);
    assert.equal(o.versions!["1.1"]!.yanked, "do not use");
    assert.equal(o.versions!["1.0"]!.sdistOnly, true);
  });

  test("absent in both APIs is absent", async () => {
    assert.deepEqual(await lookup("numpay-not-real"), { source: "pypi-registry", existence: "absent" });
  });

  test("JSON API absent but simple API failing is unknown, not absent", async () => {
    const fetcher: Fetcher = async (url) =>
      url.includes("/simple/") ? new Response("down", { status: 503 }) : new Response("{}", { status: 404 });
    const o = await createPypiRegistrySource({ baseUrl: "https://pypi.example/", fetch: fetcher }, LIMITS).lookup("pypi", "x");
    assert.equal(o.existence, "unknown");
    assert.match(o.unknownReason!, /JSON API has no "x" but the simple API could not confirm it: pypi\.example failed \(HTTP 503\)/);
  });

  test("a JSON document without releases takes its files from the simple API", async () => {
    const fetcher: Fetcher = async (url) =>
      url.includes("/simple/")
        ? Response.json(
            { meta: { "api-version": "1.1" }, name: "x", files: [{ filename: "x-1.0.tar.gz", "upload-time": "2020-01-01T00:00:00Z", yanked: false }] },
            { headers: { "content-type": "application/vnd.pypi.simple.v1+json" } },
          )
        : Response.json({ info: { name: "x", version: "1.0", project_urls: { Source: "https://github.com/x/x" } } });
    const o = await createPypiRegistrySource({ baseUrl: "https://pypi.example/", fetch: fetcher }, LIMITS).lookup("pypi", "x");
    assert.equal(o.existence, "exists");
    assert.equal(o.latestVersion, "1.0");
    assert.equal(o.repositoryUrl, "https://github.com/x/x");
    assert.equal(o.createdAt, "2020-01-01T00:00:00.000Z");
    assert.equal(o.versions!["1.0"]!.sdistOnly, true);
  });

  test("a JSON document without releases while the simple API fails: exists, and says release dates are unknown", async () => {
    const fetcher: Fetcher = async (url) =>
      url.includes("/simple/") ? new Response("down", { status: 503 }) : Response.json({ info: { name: "x", version: "1.0" } });
    const o = await createPypiRegistrySource({ baseUrl: "https://pypi.example/", fetch: fetcher }, LIMITS).lookup("pypi", "x");
    assert.equal(o.existence, "exists");
    assert.equal(o.createdAt, undefined);
    assert.deepEqual(
      o.unknownFacts?.map((g) => g.fact),
      ["age", "releases"],
    );
    assert.match(o.unknownFacts![0]!.reason, /^the JSON API lists no releases and the simple API failed: pypi\.example failed \(HTTP 503\)/);
  });

  test("credentials go to the index origin only", async () => {
    const seen: Array<[string, string | null]> = [];
    const fetcher: Fetcher = async (url, init) => {
      seen.push([url, new Headers(init?.headers).get("authorization")]);
      return new Response("", { status: 404 });
    };
    await createPypiRegistrySource({ baseUrl: "https://idx.example/", authorization: "Basic abc", fetch: fetcher }, LIMITS).lookup("pypi", "x");
    assert.deepEqual(seen, [
      ["https://idx.example/pypi/x/json", "Basic abc"],
      ["https://idx.example/simple/x/", "Basic abc"],
    ]);
  });

  test("concurrent lookups of one project share one request", async () => {
    const source = createPypiRegistrySource(config, LIMITS);
    const before = server.requestCount();
    await Promise.all([source.lookup("pypi", "requests"), source.lookup("pypi", "Requests"), source.lookup("pypi", "requests")]);
    assert.equal(server.requestCount() - before, 1);
  });

  test("other ecosystems get no opinion", async () => {
    assert.deepEqual(await createPypiRegistrySource(config).lookup("npm", "react"), { source: "pypi-registry" });
  });

  test("each hostile response becomes unknown with both APIs' reasons; one that never ends is ended by the time limit", async () => {
    const expected: Record<string, RegExp> = {
      [HOSTILE.status500]: /JSON API: .*HTTP 500.*; simple API: .*HTTP 500/,
      ...HTTP_REASONS,
      [HOSTILE.html]: /text\/html.*; simple API: the simple API sent a page that is not a project index page/,
      [HOSTILE.wrongTypes]: /no usable release list.*not a project page/,
    };
    const short = { ...LIMITS, timeoutMs: 250 };
    await checkHostileAnswers(server, expected, lookup, (name) => createPypiRegistrySource(config, short).lookup("pypi", name));
  });
});

describe("PyPI mapping", () => {
  test("versions from distribution file names", () => {
    assert.deepEqual(versionFromFilename("requests", "requests-2.32.3-py3-none-any.whl"), { version: "2.32.3", sdist: false });
    assert.deepEqual(versionFromFilename("zope.interface", "zope_interface-6.0-cp311-cp311-linux_x86_64.whl"), { version: "6.0", sdist: false });
    assert.deepEqual(versionFromFilename("foo-bar", "foo-bar-1.0.tar.gz"), { version: "1.0", sdist: true });
    assert.deepEqual(versionFromFilename("foo-bar", "foo_bar-1.0rc1.zip"), { version: "1.0rc1", sdist: true });
    assert.deepEqual(versionFromFilename("setuptools", "setuptools-0.6c11-py2.7.egg"), { version: "0.6c11", sdist: false });
    assert.equal(versionFromFilename("foo", "foo-bar-1.0.tar.gz"), null, "another project's file");
    assert.equal(versionFromFilename("foo", "foo-1.0.exe"), null);
    assert.equal(versionFromFilename("foo", "README"), null);
  });

  test("repositories only on code hosts, trimmed to the repository", () => {
    assert.equal(codeHostRepository("https://github.com/psf/requests/tree/main"), "https://github.com/psf/requests");
    assert.equal(codeHostRepository("https://www.github.com/psf/requests.git"), "https://github.com/psf/requests");
    assert.equal(codeHostRepository("https://gitlab.com/group/sub/proj"), "https://gitlab.com/group/sub/proj");
    assert.equal(codeHostRepository("https://github.com/psf"), null, "an organisation is not a repository");
    assert.equal(codeHostRepository("https://requests.readthedocs.io"), null);
    assert.equal(codeHostRepository("javascript:alert(1)"), null);
    assert.equal(codeHostRepository(42), null);
  });

  test("project_urls labels that name the source win over the rest", () => {
    const o = observationFromPypiJson("x", {
      info: { name: "x", project_urls: { Homepage: "https://github.com/org/website", Source: "https://github.com/org/x" } },
      releases: {},
    });
    assert.equal(o.repositoryUrl, "https://github.com/org/x");
  });

  test("a mirror without project_urls or home_page cannot tell about the repository", () => {
    assert.equal(observationFromPypiJson("x", { info: { name: "x" }, releases: {} }).repositoryUrl, undefined);
  });

  test("zone-less upload_time is UTC", () => {
    const o = observationFromPypiJson("x", { info: { name: "x" }, releases: { "1": [{ filename: "x-1.tar.gz", upload_time: "2020-05-05T10:00:00" }] } });
    assert.equal(o.createdAt, "2020-05-05T10:00:00.000Z");
    assert.equal(o.versions!["1"]!.sdistOnly, true);
  });

  test("a document for another project is unknown", () => {
    assert.equal(observationFromPypiJson("x", { info: { name: "y" }, releases: {} }).existence, "unknown");
    assert.equal(observationFromSimpleJson("x", { meta: { "api-version": "1.1" }, name: "y", files: [] }).existence, "unknown");
  });

  test("PEP 792 status markers", () => {
    const page = (status: string) => ({ meta: { "api-version": "1.4" }, name: "x", files: [{ filename: "x-1.0.tar.gz", yanked: false }], "project-status": { status } });
    assert.deepEqual(observationFromSimpleJson("x", page("quarantined")).projectStatus, { status: "quarantined", reason: null });
    assert.deepEqual(observationFromSimpleJson("x", page("archived")).projectStatus, { status: "archived", reason: null });
    assert.equal(observationFromSimpleJson("x", page("deprecated")).deprecated, "deprecated by its maintainers");
    assert.equal(observationFromSimpleJson("x", page("active")).deprecated, undefined);
    assert.equal(observationFromSimpleJson("x", page("active")).projectStatus, undefined);
    assert.equal(observationFromSimpleJson("x", page("something-new")).projectStatus, undefined);
  });

  test("PEP 792 fixture documents: PEP 691 JSON, HTML meta tags (either attribute order), the JSON API's info.project_status", () => {
    const fixture = (file: string) => readFileSync(new URL(`fixtures/pep792/${file}`, import.meta.url), "utf8");
    const quarantined = observationFromSimpleJson("quarantined-pkg", JSON.parse(fixture("simple-quarantined.json")));
    assert.equal(quarantined.existence, "exists");
    assert.deepEqual(quarantined.projectStatus, { status: "quarantined", reason: "reported as malware; under review" });
    const archivedHtml = observationFromSimpleHtml("archived-pkg", fixture("simple-archived.html"));
    assert.deepEqual(archivedHtml.projectStatus, { status: "archived", reason: "moved to new-pkg & no longer maintained" });
    assert.deepEqual(Object.keys(archivedHtml.versions!), ["2.0.0"]);
    const quarantinedHtml = observationFromSimpleHtml("quarantined-pkg", fixture("simple-quarantined.html"));
    assert.equal(quarantinedHtml.existence, "exists");
    assert.deepEqual(quarantinedHtml.projectStatus, { status: "quarantined", reason: null });
    const archivedJson = observationFromPypiJson("archived-pkg", JSON.parse(fixture("json-api-archived.json")));
    assert.deepEqual(archivedJson.projectStatus, { status: "archived", reason: null });
    assert.equal(archivedJson.latestVersion, "2.0.0");
    // A bare string is read too; an over-long reason is cut.
    const bare = observationFromPypiJson("x", { info: { name: "x", project_status: "quarantined", project_status_reason: "r".repeat(2000) } });
    assert.equal(bare.projectStatus?.status, "quarantined");
    assert.equal(bare.projectStatus?.reason?.length, 500);
  });

  test("simple API upload times are used only when every file has one", () => {
    const o = observationFromSimpleJson("x", {
      meta: { "api-version": "1.1" },
      name: "x",
      files: [
        { filename: "x-1.0.tar.gz", "upload-time": "2020-01-01T00:00:00Z" },
        { filename: "x-0.9.tar.gz" },
      ],
    });
    assert.equal(o.createdAt, undefined);
    assert.equal(o.versions!["1.0"]!.publishedAt, "2020-01-01T00:00:00.000Z");
  });

  test("HTML: anchors with file names, data-yanked, entities; a login page is not an index", () => {
    const html = `<html><head><meta name="pypi:repository-version" content="1.0"></head><body>
      <a href="../../x-1.0.tar.gz#sha256=00">x-1.0.tar.gz</a>
      <A HREF="x-1.1-py3-none-any.whl" data-yanked="bad &amp; broken">x-1.1-py3-none-any.whl</A>
      <a href="x-1.1.tar.gz" data-yanked>x-1.1.tar.gz</a></body></html>`;
    const o = observationFromSimpleHtml("x", html);
    assert.equal(o.existence, "exists");
    assert.deepEqual(Object.keys(o.versions!).sort(), ["1.0", "1.1"]);
    assert.equal(o.versions!["1.1"]!.yanked, "bad & broken");
    assert.equal(o.versions!["1.0"]!.sdistOnly, true);
    assert.equal(observationFromSimpleHtml("x", '<html><a href="/login">Login</a></html>').existence, "unknown");
    const empty = observationFromSimpleHtml("x", '<meta name="pypi:repository-version" content="1.0"><h1>Links for x</h1>');
    assert.equal(empty.existence, "exists");
    assert.equal(empty.unpublished, true);
  });

  test("hostile HTML does not blow up", () => {
    const started = Date.now();
    observationFromSimpleHtml("x", "<a ".repeat(500_000));
    observationFromSimpleHtml("x", "<meta ".repeat(500_000));
    observationFromSimpleHtml("x", `<a x>${"y".repeat(1_000_000)}`);
    assert.ok(Date.now() - started < BLOWUP_MS, `took ${Date.now() - started} ms`);
  });
});

function checkShape(o: Observation): void {
  checkObservationShape(o, "pypi-registry");
  for (const v of Object.values(o.versions ?? {})) {
    assert.ok(v.publishedAt === undefined || v.publishedAt === null || typeof v.publishedAt === "string");
    assert.ok(typeof v.yanked === "boolean" || typeof v.yanked === "string");
    assert.equal(typeof v.sdistOnly, "boolean");
  }
}

describe("PyPI fuzz", () => {
  test("random bytes and random JSON never throw and never exist", async () => {
    await fuzzLookups(1123, (fetch) => createPypiRegistrySource({ baseUrl: "https://pypi.example/", fetch }, LIMITS).lookup("pypi", "fuzz-target"), checkShape);
  });

  test("mutated real documents never throw and keep their types", () => {
    const rand = random(99);
    const json = {
      info: { name: "fuzz-target", version: "1.0", project_urls: { Source: "https://github.com/a/b" }, home_page: null },
      releases: {
        "1.0": [
          { filename: "fuzz_target-1.0-py3-none-any.whl", packagetype: "bdist_wheel", upload_time_iso_8601: "2020-01-01T00:00:00Z", yanked: false, yanked_reason: null },
          { filename: "fuzz-target-1.0.tar.gz", packagetype: "sdist", upload_time_iso_8601: "2020-01-01T00:00:00Z", yanked: true, yanked_reason: "x" },
        ],
      },
    };
    const simple = { meta: { "api-version": "1.1" }, name: "fuzz-target", versions: ["1.0"], files: json.releases["1.0"].map((f) => ({ filename: f.filename, "upload-time": f.upload_time_iso_8601, yanked: f.yanked })) };
    for (let i = 0; i < 500; i++) {
      checkShape(observationFromPypiJson("fuzz-target", mutate(rand, mutate(rand, json))));
      checkShape(observationFromSimpleJson("fuzz-target", mutate(rand, mutate(rand, simple))));
    }
    for (let i = 0; i < 200; i++) {
      const garbage = randomJson(rand);
      assert.notEqual(observationFromPypiJson("fuzz-target", garbage).existence, "exists");
      assert.notEqual(observationFromSimpleJson("fuzz-target", garbage).existence, "exists");
      assert.notEqual(observationFromSimpleHtml("fuzz-target", String(randomBody(rand))).existence, "exists");
    }
  });
});
