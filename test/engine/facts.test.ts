// Facts in, verdicts out, against a local registry and a small offline index built from snapshot rows:
// security placeholders (issue 8 item 10), unknown facts (item 11), and the offline index as a source
// of facts rather than a veto (item 13).
import assert from "node:assert/strict";
import { copyFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import type { PackageResult } from "../../src/core/model.ts";
import { defaultPolicy } from "../../src/core/policy.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";
import { checkPackages } from "../../src/engine/check.ts";
import { makeRequest } from "../../src/engine/requests.ts";
import { INDEX_FILE, type OpenEngine, openEngine } from "../../src/engine/setup.ts";
import type { Fetcher } from "../../src/sources/http.ts";
import { buildIndex } from "../../src/sources/offline-index/build.ts";
import { FIXED_NOW, npmDocument, type RegistryServer, startRegistryServer } from "../support/registry-server.ts";

// Rows as ../shared/registry-snapshot has them (the placeholders are real rows of it).
const NPM_TSV = `name\tversion\tdownloads_a_month\tsummary
react\t19.3.1\t351327975\tReact is a JavaScript library for building user interfaces.
cross-env\t10.1.0\t59853222\tRun scripts that set and use environment variables across platforms
crossenv\t0.0.2-security\t10533\tsecurity holding package
monent\t0.0.2-security\t1202\tsecurity holding package
jquery.js\t0.0.2-security\t956\tsecurity holding package
stardrop-linux-x64\t0.0.1-security.1\t1650\tsecurity holding package
listed-modest\t2.0.0\t480\t
`;
const PYPI_TSV = `name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary
requests\t2.32.3\t2024-05\t6\tPython HTTP for Humans.
obscure\t0.1\t2020-01\t\t
`;

const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(Date.parse(FIXED_NOW) - d * DAY).toISOString();
const REPO = (name: string) => ({ type: "git", url: `git+https://github.com/example/${name}.git` });

let server: RegistryServer;
let dir: string;
let template: string | undefined;
const engines: OpenEngine[] = [];

before(async () => {
  server = await startRegistryServer();
  dir = mkdtempSync(path.join(tmpdir(), "bouncer-facts-"));
  writeFileSync(path.join(dir, "npm.tsv"), NPM_TSV);
  writeFileSync(path.join(dir, "pypi.tsv"), PYPI_TSV);
  await buildIndex({
    out: path.join(dir, INDEX_FILE),
    inputs: [
      { ecosystem: "npm", file: path.join(dir, "npm.tsv"), normalize: (n) => getEcosystem("npm")!.canonicalName(n) },
      { ecosystem: "pypi", file: path.join(dir, "pypi.tsv"), normalize: (n) => getEcosystem("pypi")!.canonicalName(n) },
    ],
  });
  // The similarity tables are built once and copied to every engine's data directory.
  const first = await engine();
  for (const eco of ["npm", "pypi"]) first.intel(eco)!.suggest("reqests", 1);
  template = first.dataDir;
});
after(async () => {
  for (const e of engines) await e.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An engine with the index built (as the README and the demo do) and a cache of its own. */
async function engine(options: { offline?: boolean; fetch?: Fetcher } = {}): Promise<OpenEngine> {
  const dataDir = mkdtempSync(path.join(dir, "data-"));
  copyFileSync(path.join(dir, INDEX_FILE), path.join(dataDir, INDEX_FILE));
  const tables = template && path.join(template, "similarity");
  if (tables && existsSync(tables)) cpSync(tables, path.join(dataDir, "similarity"), { recursive: true });
  const e = await openEngine({
    dataDir,
    offline: options.offline ?? false,
    policy: defaultPolicy(),
    now: new Date(FIXED_NOW),
    registries: { npm: server.npmBase, npmDownloads: server.downloadsBase, pypi: server.pypiBase },
    fetch: options.fetch,
  });
  engines.push(e);
  return e;
}

/** Plain fetch, except that URLs matching `pattern` get `answer` (a failure by default). */
const routed =
  (pattern: RegExp, answer: (url: string) => Response = () => new Response("unavailable", { status: 503 })): Fetcher =>
  (url, init) =>
    pattern.test(url) ? Promise.resolve(answer(url)) : fetch(url, init);

async function check(e: OpenEngine, ecosystem: string, names: string[]): Promise<Record<string, PackageResult>> {
  const eco = getEcosystem(ecosystem)!;
  const results = await checkPackages(names.map((n) => makeRequest(eco, n, null)), e);
  return Object.fromEntries(results.map((r) => [r.name, r]));
}

const codes = (r: PackageResult | undefined) => (r?.findings ?? []).map((f) => f.code).sort();
const only = (r: PackageResult | undefined, code: string) => r?.findings.find((f) => f.code === code);

describe("security placeholders of every form are security-holding (item 10)", () => {
  before(() => {
    const holder = { description: undefined, created: "2017-08-01T00:00:00.000Z" };
    // 0.0.2-security, without the description that the old rule looked for.
    server.addNpmPackage(npmDocument({ name: "monent", created: holder.created, versions: [{ version: "0.0.2-security", time: holder.created }] }), {
      downloads: 1202,
    });
    // Old releases still listed, the placeholder as latest.
    server.addNpmPackage(
      npmDocument({
        name: "jquery.js",
        created: holder.created,
        versions: [
          { version: "1.0.0", time: holder.created },
          { version: "0.0.2-security", time: "2017-08-02T00:00:00.000Z" },
        ],
        distTags: { latest: "0.0.2-security" },
      }),
      { downloads: 956 },
    );
    server.addNpmPackage(
      npmDocument({ name: "crossenv", created: holder.created, versions: [{ version: "0.0.1-security.1", time: holder.created }] }),
      { downloads: 10533 },
    );
    // Only the holder's repository says it.
    server.addNpmPackage(
      npmDocument({
        name: "held-by-repo",
        created: "2019-01-01T00:00:00.000Z",
        repository: { type: "git", url: "git+https://github.com/npm/security-holder.git" },
        versions: [{ version: "1.0.1", time: "2019-01-01T00:00:00.000Z" }],
      }),
      { downloads: 5000 },
    );
    // The index lists it as a placeholder, but the registry now serves a real package: its answer stands.
    server.addNpmPackage(
      npmDocument({
        name: "stardrop-linux-x64",
        created: "2019-01-01T00:00:00.000Z",
        repository: REPO("stardrop"),
        versions: [{ version: "2.0.0", time: "2019-01-01T00:00:00.000Z" }],
      }),
      { downloads: 5000 },
    );
  });

  test("from the registry document: -security versions, the holder's repository, unpublished", async () => {
    const r = await check(await engine(), "npm", ["monent", "jquery.js", "crossenv", "held-by-repo", "gone-pkg", "stardrop-linux-x64"]);
    for (const name of ["monent", "jquery.js", "crossenv", "held-by-repo", "gone-pkg"]) {
      assert.equal(r[name]?.verdict, "block", name);
      assert.ok(only(r[name], "security-holding"), `${name}: ${codes(r[name])}`);
    }
    assert.match(only(r["gone-pkg"], "security-holding")!.message, /unpublished/);
    assert.equal(r["stardrop-linux-x64"]?.verdict, "allow", "the registry's answer stands over the index row");
  });

  test("offline, from the index rows: the latest version is the placeholder", async () => {
    const r = await check(await engine({ offline: true }), "npm", ["crossenv", "monent", "jquery.js", "stardrop-linux-x64", "react"]);
    for (const name of ["crossenv", "monent", "jquery.js", "stardrop-linux-x64"]) {
      assert.equal(r[name]?.verdict, "block", name);
      assert.ok(only(r[name], "security-holding"), `${name}: ${codes(r[name])}`);
    }
    assert.equal(r.react?.verdict, "allow");
  });
});

describe("unknown facts are findings (item 11)", () => {
  before(() => {
    const published = (name: string, created: string, downloads: number) =>
      server.addNpmPackage(npmDocument({ name, created, repository: REPO(name), versions: [{ version: "1.0.0", time: created }] }), { downloads });
    published("years-old-lib", "2015-06-01T00:00:00.000Z", 50_000);
    published("days-old-lib", daysAgo(5), 50_000);
    const timeless = (name: string, downloads: number) => {
      const doc = npmDocument({ name, repository: REPO(name), versions: [{ version: "1.0.0", time: "2016-01-01T00:00:00.000Z" }] });
      delete doc.time;
      server.addNpmPackage(doc, { downloads });
    };
    timeless("timeless-small", 37);
    timeless("timeless-popular", 2_000_000);
    server.addPypiProject({
      name: "fresh-pypi-project",
      info: { project_urls: { Source: "https://github.com/example/fresh-pypi-project" } },
      releases: { "0.1.0": [{ filename: "fresh_pypi_project-0.1.0-py3-none-any.whl", uploadTime: daysAgo(3).slice(0, 19) }] },
    });
  });

  test("a failed downloads API: a package years old warns, a new one cannot be established", async () => {
    const r = await check(await engine({ fetch: routed(/\/downloads\//) }), "npm", ["years-old-lib", "days-old-lib"]);
    const old = r["years-old-lib"]!;
    assert.equal(old.verdict, "warn");
    assert.deepEqual(codes(old), ["incomplete-facts"]);
    assert.deepEqual(old.findings[0]!.details, { unknown: ["popularity"] });
    assert.match(old.findings[0]!.message, /popularity could not be established \(downloads API: .*HTTP 503.*\); judged on its age/);
    const fresh = r["days-old-lib"]!;
    assert.equal(fresh.verdict, "block");
    assert.match(only(fresh, "unverifiable")!.message, /popularity could not be established .*history cannot be told/);
  });

  test("a document without time: unpopular is unverifiable, popular warns", async () => {
    const r = await check(await engine(), "npm", ["timeless-small", "timeless-popular"]);
    assert.equal(r["timeless-small"]!.verdict, "block");
    assert.match(only(r["timeless-small"], "unverifiable")!.message, /its age could not be established \(the registry document has no publication times\)/);
    assert.equal(r["timeless-popular"]!.verdict, "warn");
    assert.deepEqual(only(r["timeless-popular"], "incomplete-facts")!.details, { unknown: ["age"] });
  });

  test("PyPI JSON without releases while the simple API fails: never allowed without a finding", async () => {
    const fetcher = routed(/\/pypi\/(pypi\/(norel|requests)\/json|simple\/(norel|requests)\/)$/, (url) =>
      url.includes("/simple/")
        ? new Response("unavailable", { status: 503 })
        : Response.json({ info: { name: url.includes("norel") ? "norel" : "requests", version: "1.0", project_urls: { Source: "https://github.com/x/y" } } }),
    );
    const r = await check(await engine({ fetch: fetcher }), "pypi", ["norel", "requests"]);
    assert.equal(r.norel!.verdict, "block");
    assert.match(only(r.norel, "unverifiable")!.message, /age and releases could not be established \(the JSON API lists no releases and the simple API failed/);
    // Ranked 6th in the index: an established project is warned, not blocked, for one failing API.
    assert.equal(r.requests!.verdict, "warn");
    assert.deepEqual(only(r.requests, "incomplete-facts")!.details, { unknown: ["age", "releases"] });
  });

  test("a PyPI project missing from the complete index is unpopular: new and unpopular blocks", async () => {
    const r = await check(await engine(), "pypi", ["fresh-pypi-project"]);
    assert.equal(r["fresh-pypi-project"]!.verdict, "block");
    assert.deepEqual(codes(r["fresh-pypi-project"]), ["low-popularity", "new-package"]);
  });
});

describe("the offline index is a source of facts, not a veto (item 13)", () => {
  before(() => {
    server.addNpmPackage(
      npmDocument({ name: "small-unlisted-lib", created: "2019-04-01T00:00:00.000Z", repository: REPO("small"), versions: [{ version: "3.1.0", time: "2019-04-01T00:00:00.000Z" }] }),
      { downloads: 5_000 },
    );
    server.addNpmPackage(
      npmDocument({ name: "@acme/new-popular", created: "2026-09-01T00:00:00.000Z", repository: REPO("acme"), versions: [{ version: "1.0.0", time: "2026-09-01T00:00:00.000Z" }] }),
      { downloads: 2_000_000 },
    );
  });

  test("when the registry answered, its answer stands: names the index does not list are allowed", async () => {
    const r = await check(await engine(), "npm", ["small-unlisted-lib", "@acme/new-popular", "react"]);
    for (const name of ["small-unlisted-lib", "@acme/new-popular", "react"]) {
      assert.equal(r[name]!.verdict, "allow", `${name}: ${JSON.stringify(r[name]!.findings)}`);
      assert.deepEqual(r[name]!.findings, [], name);
    }
  });

  test("when the registry is unreachable, the index tells existence and popularity", async () => {
    const r = await check(await engine({ fetch: routed(/\/npm\//) }), "npm", ["react", "listed-modest", "small-unlisted-lib"]);
    assert.equal(r.react!.verdict, "warn", JSON.stringify(r.react!.findings));
    assert.deepEqual(only(r.react, "incomplete-facts")!.details, { unknown: ["age", "releases", "repository"] });
    assert.match(only(r.react, "incomplete-facts")!.message, /npm-registry: .*HTTP 503/);
    // Too little history in the index to stand without the registry.
    assert.equal(r["listed-modest"]!.verdict, "block");
    assert.ok(only(r["listed-modest"], "unverifiable"));
    assert.equal(r["small-unlisted-lib"]!.verdict, "block");
    assert.deepEqual(codes(r["small-unlisted-lib"]), ["unverifiable"]);
  });

  test("offline, absence from the incomplete npm index is still unverifiable", async () => {
    const r = await check(await engine({ offline: true }), "npm", ["small-unlisted-lib"]);
    assert.equal(r["small-unlisted-lib"]!.verdict, "block");
    assert.match(only(r["small-unlisted-lib"], "unverifiable")!.message, /not in the offline npm index, which lists only packages with at least 480 downloads/);
  });
});
