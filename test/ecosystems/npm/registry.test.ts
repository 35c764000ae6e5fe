import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  createNpmRegistrySource,
  downloadsFromResponse,
  normalizeRepositoryUrl,
  npmDocumentPath,
  observationFromNpmDocument,
} from "../../../src/ecosystems/npm/registry.ts";
import { createDownloadsClient } from "../../../src/ecosystems/npm/downloads.ts";
import { mapBounded } from "../../../src/engine/check.ts";
import type { RegistryConfig } from "../../../src/ecosystems/types.ts";
import type { Fetcher } from "../../../src/sources/http.ts";
import type { Observation } from "../../../src/sources/types.ts";
import { mutate, randomJson, random } from "../../support/fuzz.ts";
import { checkHostileAnswers, checkObservationShape, fuzzLookups, HTTP_REASONS } from "../../support/registry-checks.ts";
import { HOSTILE, npmDocument, type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";

// A time limit no answer misses on a loaded machine; the test of the limit itself takes a short one.
const LIMITS = { timeoutMs: 30_000, maxBytes: 1024 * 1024, abbreviatedMaxBytes: 1024 * 1024 };

describe("npm registry source", () => {
  let server: RegistryServer;
  let config: RegistryConfig;
  const lookup = (name: string) => createNpmRegistrySource(config, LIMITS).lookup("npm", name);

  before(async () => {
    server = await startRegistryServer();
    config = { baseUrl: server.npmBase, downloadsUrl: server.downloadsBase, fetch };
  });
  after(() => server.close());

  test("an old, popular package: creation time, versions, latest, downloads, repository", async () => {
    const o = await lookup("react");
    assert.equal(o.source, "npm-registry");
    assert.equal(o.existence, "exists");
    assert.equal(o.createdAt, "2011-10-26T17:46:21.942Z");
    assert.equal(o.latestVersion, "19.2.0");
    assert.deepEqual(Object.keys(o.versions!), ["0.0.1", "18.2.0", "19.2.0", "19.3.0-canary-1"]);
    assert.deepEqual(o.versions!["18.2.0"], {
      version: "18.2.0",
      publishedAt: "2022-06-14T19:46:38.369Z",
      deprecated: null,
      installScripts: [],
    });
    assert.equal(o.versions!["0.0.1"]!.deprecated, "not the React you are looking for");
    assert.equal(o.deprecated, null, "one deprecated version does not deprecate the package");
    assert.equal(o.downloadsLastMonth, 120_000_000);
    assert.equal(o.repositoryUrl, "https://github.com/facebook/react");
    assert.equal(o.securityHolder, false);
    assert.equal(o.unpublished, false);
  });

  test("every version deprecated: the package is deprecated", async () => {
    const o = await lookup("left-pad");
    assert.equal(o.deprecated, "use String.prototype.padStart()");
    assert.equal(o.repositoryUrl, "https://github.com/stevemao/left-pad");
  });

  test("a fresh package with an install script and no repository", async () => {
    const o = await lookup("react-hooks-toolkit-pro");
    assert.equal(o.createdAt, "2026-11-20T09:15:00.000Z");
    assert.equal(o.versions!["1.0.1"]!.publishedAt, "2026-11-23T06:00:00.000Z");
    assert.deepEqual(o.versions!["1.0.1"]!.installScripts, ["postinstall"]);
    assert.equal(o.repositoryUrl, null, "the document says there is none");
    assert.equal(o.downloadsLastMonth, 37);
  });

  test("install scripts from scripts and hasInstallScript", async () => {
    assert.deepEqual((await lookup("esbuild")).versions!["0.24.0"]!.installScripts, ["postinstall"]);
  });

  test("the 0.0.1-security placeholder is a security holder", async () => {
    const o = await lookup("flatmap-stream");
    assert.equal(o.existence, "exists");
    assert.equal(o.securityHolder, true);
  });

  test("an unpublished package: exists, unpublished, no versions", async () => {
    const o = await lookup("gone-pkg");
    assert.equal(o.existence, "exists");
    assert.equal(o.unpublished, true);
    assert.deepEqual(o.versions, {});
    assert.equal(o.latestVersion, null);
  });

  test("a mirror without time.created: createdAt stays unknown, never invented", async () => {
    const o = await lookup("mirror-lib");
    assert.equal(o.existence, "exists");
    assert.equal(o.createdAt, undefined);
    assert.equal("createdAt" in o && o.createdAt !== undefined, false);
    assert.equal(o.versions!["2.1.0"]!.publishedAt, "2021-03-01T00:00:00.000Z");
    assert.equal(o.repositoryUrl, "https://github.com/example/mirror-lib");
  });

  test("a missing package is absent", async () => {
    assert.deepEqual(await lookup("surely-not-a-real-package-xyz"), { source: "npm-registry", existence: "absent" });
  });

  test("scoped names are requested as @scope%2fname", async () => {
    const o = await lookup("@babel/core");
    assert.equal(o.existence, "exists");
    assert.equal(o.downloadsLastMonth, 80_000_000);
    assert.ok(server.requests().some((r) => r.path === "/npm/@babel%2fcore"));
    assert.ok(server.requests().some((r) => r.path === "/downloads/point/last-month/@babel/core"));
  });

  test("a full document over the cap falls back to the abbreviated one", async () => {
    const o = await lookup("huge-history");
    assert.equal(o.existence, "exists");
    assert.equal(o.latestVersion, "2.0.0");
    assert.equal(o.createdAt, undefined, "the abbreviated document has no times");
    assert.equal(o.versions!["1.0.0"]!.publishedAt, undefined);
    assert.deepEqual(o.versions!["2.0.0"]!.installScripts, ["install"]);
    assert.equal(o.repositoryUrl, undefined, "the abbreviated document cannot tell");
    const accepts = server.requests().filter((r) => r.path === "/npm/huge-history").map((r) => r.accept);
    assert.deepEqual(accepts.slice(-2), ["application/json", "application/vnd.npm.install-v1+json"]);
  });

  test("the abbreviated fallback says which facts it cannot give", async () => {
    const o = await lookup("huge-history");
    assert.deepEqual(o.unknownFacts, [
      { fact: "age", reason: "the registry sent only its abbreviated document, which has no dates" },
      { fact: "repository", reason: "the registry sent only its abbreviated document, which names no repository" },
    ]);
    assert.equal((await lookup("react")).unknownFacts, undefined, "a full document with times has no gaps");
  });

  test("a failed downloads API leaves popularity unknown and says why", async () => {
    const failing: Fetcher = (url, init) => (url.includes("/downloads/") ? Promise.resolve(new Response("x", { status: 500 })) : fetch(url, init));
    const o = await createNpmRegistrySource({ ...config, fetch: failing }, LIMITS).lookup("npm", "react");
    assert.equal(o.existence, "exists");
    assert.equal(o.downloadsLastMonth, undefined);
    assert.equal(o.unknownFacts?.length, 1);
    assert.equal(o.unknownFacts![0]!.fact, "popularity");
    assert.match(o.unknownFacts![0]!.reason, /^downloads API: .*failed \(HTTP 500\)/);
  });

  test("same-origin redirects are followed", async () => {
    assert.equal((await lookup("same-origin-redirect")).existence, "exists");
  });

  test("a package with no downloads data has downloads undefined, not 0", async () => {
    server.addNpmPackage(
      npmDocument({ name: "no-downloads-yet", created: "2026-11-22T00:00:00Z", versions: [{ version: "0.1.0", time: "2026-11-22T00:00:00Z" }] }),
    );
    const o = await lookup("no-downloads-yet");
    assert.equal(o.existence, "exists");
    assert.equal(o.downloadsLastMonth, undefined);
    assert.deepEqual(o.unknownFacts, [{ fact: "popularity", reason: "downloads API: it has no count for this package" }]);
  });

  test("without a downloads URL, the downloads API is not asked", async () => {
    const before = server.requestCount();
    const o = await createNpmRegistrySource({ baseUrl: server.npmBase, fetch }, LIMITS).lookup("npm", "left-pad");
    assert.equal(o.downloadsLastMonth, undefined);
    assert.equal(server.requestCount() - before, 1);
  });

  test("other ecosystems get no opinion and no request", async () => {
    const before = server.requestCount();
    assert.deepEqual(await createNpmRegistrySource(config).lookup("pypi", "requests"), { source: "npm-registry" });
    assert.equal(server.requestCount(), before);
  });

  test("names that cannot be a document path are unknown without a request", async () => {
    const before = server.requestCount();
    for (const name of ["..", "a/b", "@scope/", "@/x", "with space", ""]) {
      const o = await lookup(name);
      assert.equal(o.existence, "unknown", name);
      assert.match(o.unknownReason!, /cannot be a package document name/);
    }
    assert.equal(server.requestCount(), before);
  });

  test("concurrent lookups of one name share one request", async () => {
    const source = createNpmRegistrySource({ baseUrl: server.npmBase, fetch }, LIMITS);
    const before = server.requestCount();
    const results = await Promise.all(Array.from({ length: 5 }, () => source.lookup("npm", "left-pad")));
    assert.equal(server.requestCount() - before, 1);
    for (const o of results) assert.equal(o.existence, "exists");
  });

  test("each hostile response becomes unknown with a clear reason; one that never ends is ended by the time limit", async () => {
    const expected: Record<string, RegExp> = {
      [HOSTILE.status500]: /failed \(HTTP 500\)/,
      ...HTTP_REASONS,
      [HOSTILE.html]: /text\/html, not the expected/,
      [HOSTILE.wrongTypes]: /no usable version list/,
    };
    const short = { ...LIMITS, timeoutMs: 250 };
    const results = await checkHostileAnswers(server, expected, lookup, (name) => createNpmRegistrySource(config, short).lookup("npm", name));
    for (const [name, o] of results) assert.equal(o.downloadsLastMonth, undefined, name);
  });

  describe("scoped registries and credentials", () => {
    let corp: RegistryServer;
    before(async () => {
      corp = await startRegistryServer({ requireAuthorization: "Bearer corp-token" });
      corp.addNpmPackage(
        npmDocument({
          name: "@corp/internal-tool",
          created: "2024-02-02T00:00:00Z",
          repository: "https://git.corp.example/tools/internal-tool",
          versions: [{ version: "4.0.0", time: "2024-02-02T00:00:00Z" }],
        }),
        { downloads: 5 },
      );
    });
    after(() => corp.close());

    const scopedConfig = (): RegistryConfig => ({
      baseUrl: server.npmBase,
      downloadsUrl: server.downloadsBase,
      authorization: "Bearer public-token",
      scopes: { "@corp": { baseUrl: corp.npmBase, authorization: "Bearer corp-token" } },
      fetch,
    });

    test("a scoped package goes to its registry with that registry's credentials", async () => {
      const publicBefore = server.requests().length;
      const o = await createNpmRegistrySource(scopedConfig(), LIMITS).lookup("npm", "@corp/internal-tool");
      assert.equal(o.existence, "exists");
      assert.equal(o.repositoryUrl, "https://git.corp.example/tools/internal-tool");
      const corpRequests = corp.requests().filter((r) => r.server === "main");
      assert.ok(corpRequests.length > 0);
      for (const r of corpRequests) assert.equal(r.authorization, "Bearer corp-token");
      // The private name reaches neither the public registry nor the public downloads API.
      assert.equal(server.requests().length, publicBefore);
      assert.equal(o.downloadsLastMonth, undefined);
    });

    test("the main registry gets its own token; the downloads API gets none", async () => {
      const from = server.requests().length;
      await createNpmRegistrySource(scopedConfig(), LIMITS).lookup("npm", "left-pad");
      const made = server.requests().slice(from);
      assert.equal(made.find((r) => r.path === "/npm/left-pad")!.authorization, "Bearer public-token");
      assert.equal(made.find((r) => r.path.startsWith("/downloads/"))!.authorization, undefined);
    });

    test("other scopes use the main registry", async () => {
      const from = server.requests().length;
      const o = await createNpmRegistrySource(scopedConfig(), LIMITS).lookup("npm", "@babel/core");
      assert.equal(o.existence, "exists");
      assert.ok(server.requests().slice(from).some((r) => r.path === "/npm/@babel%2fcore"));
    });

    test("wrong credentials are unknown and say so", async () => {
      const cfg = { ...scopedConfig(), scopes: { "@corp": { baseUrl: corp.npmBase, authorization: "Bearer wrong" } } };
      const o = await createNpmRegistrySource(cfg, LIMITS).lookup("npm", "@corp/internal-tool");
      assert.equal(o.existence, "unknown");
      assert.match(o.unknownReason!, /refused access \(HTTP 401\); check the credentials/);
    });

    test("a redirect never carries credentials elsewhere", async () => {
      const o = await createNpmRegistrySource(scopedConfig(), LIMITS).lookup("npm", HOSTILE.redirectElsewhere);
      assert.equal(o.existence, "unknown");
      assert.equal(server.requests().filter((r) => r.server === "foreign").length, 0);
    });
  });
});

describe("npm document mapping", () => {
  test("document paths", () => {
    assert.equal(npmDocumentPath("left-pad"), "left-pad");
    assert.equal(npmDocumentPath("@types/node"), "@types%2fnode");
    assert.equal(npmDocumentPath("a?b#c"), "a%3Fb%23c");
    assert.equal(npmDocumentPath("@a/b/c"), null);
  });

  test("repository URLs are normalised", () => {
    assert.equal(normalizeRepositoryUrl("git+https://github.com/a/b.git"), "https://github.com/a/b");
    assert.equal(normalizeRepositoryUrl("github:a/b"), "https://github.com/a/b");
    assert.equal(normalizeRepositoryUrl("gitlab:a/b"), "https://gitlab.com/a/b");
    assert.equal(normalizeRepositoryUrl("a/b"), "https://github.com/a/b");
    assert.equal(normalizeRepositoryUrl("git@github.com:a/b.git"), "https://github.com/a/b");
    assert.equal(normalizeRepositoryUrl("git://github.com/a/b.git"), "https://github.com/a/b");
  });

  test("a repository field of the wrong type is unknown, not absent", () => {
    const doc = { ...npmDocument({ name: "x", created: "2020-01-01T00:00:00Z", versions: [{ version: "1.0.0", time: "2020-01-01T00:00:00Z" }] }), repository: 7 };
    assert.equal(observationFromNpmDocument("x", doc).repositoryUrl, undefined);
  });

  test("security placeholders of every form", () => {
    const T = "2017-08-01T00:00:00Z";
    const holder = (doc: Record<string, unknown>) => observationFromNpmDocument(String(doc.name), doc).securityHolder;
    // 0.0.2-security and 0.0.1-security.1 (most of the snapshot's placeholders), with no description.
    assert.equal(holder(npmDocument({ name: "monent", created: T, versions: [{ version: "0.0.2-security", time: T }] })), true);
    assert.equal(holder(npmDocument({ name: "s", created: T, versions: [{ version: "0.0.1-security.1", time: T }] })), true);
    // Earlier releases still listed, the placeholder as latest.
    const kept = npmDocument({ name: "k", created: T, versions: [{ version: "1.0.0", time: T }, { version: "0.0.2-security", time: T }], distTags: { latest: "0.0.2-security" } });
    assert.equal(holder(kept), true);
    // The holder's repository alone, or the description only in the manifest.
    assert.equal(holder(npmDocument({ name: "r", created: T, repository: "npm/security-holder", versions: [{ version: "1.0.0", time: T }] })), true);
    const manifestOnly = npmDocument({ name: "d", created: T, description: "Security holding package", versions: [{ version: "1.0.0", time: T }] });
    delete manifestOnly.description;
    assert.equal(holder(manifestOnly), true);
    // A "-security" pre-release that is not the latest is an ordinary release.
    const ordinary = npmDocument({ name: "o", created: T, versions: [{ version: "2.0.1-security", time: T }, { version: "2.0.1", time: T }] });
    assert.equal(holder(ordinary), false);
  });

  test("a document without times says its age is unknown", () => {
    const doc = npmDocument({ name: "x", versions: [{ version: "1.0.0", time: "2020-01-01T00:00:00Z" }] });
    assert.deepEqual(observationFromNpmDocument("x", doc).unknownFacts, [{ fact: "age", reason: "the registry document has no creation time" }]);
    delete doc.time;
    assert.deepEqual(observationFromNpmDocument("x", doc).unknownFacts, [{ fact: "age", reason: "the registry document has no publication times" }]);
  });

  test("a document for another name is unknown", () => {
    const doc = npmDocument({ name: "other", versions: [{ version: "1.0.0", time: "2020-01-01T00:00:00Z" }] });
    const o = observationFromNpmDocument("wanted", doc);
    assert.equal(o.existence, "unknown");
    assert.match(o.unknownReason!, /not for "wanted"/);
  });

  test("dist-tags.latest naming no listed version is not trusted", () => {
    const doc = { ...npmDocument({ name: "x", versions: [{ version: "1.0.0", time: "2020-01-01T00:00:00Z" }] }), "dist-tags": { latest: "constructor" } };
    assert.equal(observationFromNpmDocument("x", doc).latestVersion, undefined);
  });

  test("downloads answers of the wrong type say nothing", () => {
    assert.equal(downloadsFromResponse({ downloads: 12 }), 12);
    for (const bad of [{ downloads: "many" }, { downloads: -1 }, { downloads: 1.5 }, null, [], "12"]) {
      assert.equal(downloadsFromResponse(bad), undefined);
    }
  });
});

describe("npm downloads in bulk", () => {
  let server: RegistryServer;
  before(async () => {
    server = await startRegistryServer();
    const doc = (name: string) => npmDocument({ name, created: "2020-01-01T00:00:00Z", versions: [{ version: "1.0.0", time: "2020-01-01T00:00:00Z" }] });
    server.addNpmPackage(doc("zero-downloads"), { downloads: 0 });
    server.addNpmPackage(doc("lost-in-bulk"), { downloads: 7, omitFromBulk: true });
  });
  after(() => server.close());

  // Not timing tests: a loaded machine must not turn a slow answer into a failure.
  const BOUNDS = { ...LIMITS, timeoutMs: 10_000 };
  const client = (fetcher: Fetcher = fetch) => createDownloadsClient(fetcher, server.downloadsBase, { timeoutMs: BOUNDS.timeoutMs, maxBytes: 64 * 1024 });
  const downloadsPaths = (from: number) =>
    server
      .requests()
      .slice(from)
      .filter((r) => r.path.startsWith("/downloads/"))
      .map((r) => r.path);

  test("300 unscoped names announced by prefetch: one document request each, at most 3 downloads requests", async () => {
    const names = server.addSyntheticPackages("npm", 300, "bulk-");
    const source = createNpmRegistrySource({ baseUrl: server.npmBase, downloadsUrl: server.downloadsBase, fetch }, BOUNDS);
    const [documents, downloads] = [server.requestCount("npm"), server.requestCount("downloads")];
    source.prefetch!("npm", names);
    // As the engine asks: a bounded number of lookups at a time, in order.
    const observations = await mapBounded(names, 16, (name) => source.lookup("npm", name));
    assert.ok(server.requestCount("downloads") - downloads <= 3, `${server.requestCount("downloads") - downloads} downloads requests`);
    assert.equal(server.requestCount("npm") - documents, 300);
    for (const [i, o] of observations.entries()) assert.equal(o.downloadsLastMonth, 1_000 + i, names[i]);
  });

  test("scoped and legacy names are asked one by one; a private scope's names never reach the downloads API", async () => {
    const source = createNpmRegistrySource(
      { baseUrl: server.npmBase, downloadsUrl: server.downloadsBase, scopes: { "@corp": { baseUrl: "http://127.0.0.1:9/" } }, fetch },
      BOUNDS,
    );
    const from = server.requests().length;
    const names = ["left-pad", "@babel/core", "react", "Legacy-Name", "@corp/secret-tool"];
    source.prefetch!("npm", names);
    const observations = await Promise.all(names.slice(0, 4).map((name) => source.lookup("npm", name)));
    assert.deepEqual(
      observations.map((o) => o.downloadsLastMonth),
      [2_500_000, 80_000_000, 120_000_000, undefined],
    );
    assert.deepEqual(downloadsPaths(from).sort(), [
      "/downloads/point/last-month/@babel/core",
      "/downloads/point/last-month/Legacy-Name",
      "/downloads/point/last-month/left-pad,react",
    ]);
  });

  test("a count, 0, no figure, a name left out of the answer and a failed batch stay apart", async () => {
    const names = ["left-pad", "zero-downloads", "no-such-package-here", "lost-in-bulk"];
    const from = server.requests().length;
    const c = client();
    c.expect(names);
    assert.deepEqual(await Promise.all(names.map((n) => c.get(n))), [
      { kind: "count", downloads: 2_500_000 },
      { kind: "count", downloads: 0 },
      { kind: "none" },
      { kind: "failed", reason: 'the downloads API did not answer for "lost-in-bulk"' },
    ]);
    assert.equal(downloadsPaths(from).length, 1);

    const spoiled = client();
    spoiled.expect(["react", HOSTILE.status500]);
    for (const answer of await Promise.all([spoiled.get("react"), spoiled.get(HOSTILE.status500)])) {
      assert.equal(answer.kind, "failed");
      assert.match((answer as { reason: string }).reason, /HTTP 500/);
    }
    // Alone, a name gets the one-name answer.
    assert.deepEqual(await client().get("no-such-package-here"), { kind: "none" });
    assert.deepEqual(await client().get("zero-downloads"), { kind: "count", downloads: 0 });
    assert.match((await client().get(HOSTILE.rateLimited) as { reason: string }).reason, /rate limiting/);
  });

  test("an API without bulk queries is asked name by name", async () => {
    const noBulk: Fetcher = async (url, init) =>
      url.includes(",") ? Response.json({ error: "not found" }, { status: 404 }) : fetch(url, init);
    const c = client(noBulk);
    c.expect(["left-pad", "react"]);
    assert.deepEqual(await Promise.all([c.get("left-pad"), c.get("react")]), [
      { kind: "count", downloads: 2_500_000 },
      { kind: "count", downloads: 120_000_000 },
    ]);
  });

  test("a slow downloads API holds lookups back once: the next batches are asked ahead, four requests at most", async () => {
    const names = server.addSyntheticPackages("npm", 700, "ahead-");
    const asked: string[] = [];
    const held: Array<() => void> = [];
    let holding = true;
    const slow: Fetcher = async (url, init) => {
      asked.push(url);
      if (holding) await new Promise<void>((resolve) => held.push(resolve));
      return fetch(url, init);
    };
    const c = client(slow);
    c.expect(names);
    const first = c.get(names[0]!);
    assert.equal(asked.length, 4, "the batch waited for and three ahead, at once");
    holding = false;
    for (const go of held) go();
    assert.deepEqual(await first, { kind: "count", downloads: 1_000 });
    const answers = await Promise.all(names.slice(1).map((n) => c.get(n)));
    assert.deepEqual(answers[698], { kind: "count", downloads: 1_699 });
    assert.equal(asked.length, 6, "700 names, 128 a request");
  });

  test("long names are split over requests so that no URL grows past its bound", async () => {
    const names = Array.from({ length: 40 }, (_, i) => `${"n".repeat(200)}${i}`);
    const from = server.requests().length;
    const c = client();
    c.expect(names);
    for (const answer of await Promise.all(names.map((n) => c.get(n)))) assert.deepEqual(answer, { kind: "none" });
    const paths = downloadsPaths(from);
    assert.ok(paths.length >= 2 && paths.length <= 3, `${paths.length} requests`);
    for (const path of paths) assert.ok(path.length < 4_100, `${path.length} characters`);
  });
});

function checkShape(o: Observation): void {
  checkObservationShape(o, "npm-registry");
  for (const v of Object.values(o.versions ?? {})) {
    assert.ok(v.publishedAt === undefined || typeof v.publishedAt === "string");
    assert.ok(v.deprecated === null || typeof v.deprecated === "string");
    assert.ok(Array.isArray(v.installScripts));
  }
  assert.ok(o.downloadsLastMonth === undefined || Number.isInteger(o.downloadsLastMonth));
}

describe("npm fuzz", () => {
  test("random bytes and random JSON never throw and never exist", async () => {
    const source = (fetch: Fetcher) => createNpmRegistrySource({ baseUrl: "https://registry.example/", downloadsUrl: "https://api.example/", fetch }, LIMITS);
    await fuzzLookups(20261123, (fetch) => source(fetch).lookup("npm", "fuzz-target"), checkShape);
  });

  test("mutated real documents never throw and keep their types", () => {
    const rand = random(7);
    const base = npmDocument({
      name: "fuzz-target",
      created: "2020-01-01T00:00:00Z",
      description: "d",
      repository: { type: "git", url: "https://github.com/a/b" },
      versions: [
        { version: "1.0.0", time: "2020-01-01T00:00:00Z", scripts: { postinstall: "x" }, deprecated: "old" },
        { version: "2.0.0", time: "2021-01-01T00:00:00Z" },
      ],
    });
    for (let i = 0; i < 500; i++) {
      let doc = base as unknown;
      for (let k = 1 + Math.floor(rand() * 3); k > 0; k--) doc = mutate(rand, doc);
      checkShape(observationFromNpmDocument("fuzz-target", doc));
      checkShape(observationFromNpmDocument("fuzz-target", doc, true));
    }
    for (let i = 0; i < 200; i++) assert.notEqual(observationFromNpmDocument("fuzz-target", randomJson(rand)).existence, "exists");
  });
});
