// Live lookups through a local GitHub API: refs, metadata, renames; rate limits and refusals are unverifiable, never clean.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { checkPackages } from "../../../src/engine/check.ts";
import { parseRequestSpec } from "../../../src/engine/requests.ts";
import { getEcosystem } from "../../../src/ecosystems/index.ts";
import { cachedSource, ObservationCache } from "../../../src/sources/cache.ts";
import type { DataSource } from "../../../src/sources/types.ts";
import { cli } from "../../doors/cli/run.ts";
import { type FakeGithub, SHA, startFakeGithub } from "./fake-api.ts";
import { github, githubEngine, NOW } from "./helpers.ts";

let api: FakeGithub;
let other: FakeGithub;

before(async () => {
  other = await startFakeGithub();
  api = await startFakeGithub({ elsewhere: other.base });
});
after(async () => {
  await api.close();
  await other.close();
});

const TOKEN = "Bearer test-token";
const live = (authorization: string | undefined = TOKEN): DataSource => github.createRegistrySource({ baseUrl: api.base, authorization, fetch: globalThis.fetch });
const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code);
const check = async (spec: string, source: DataSource = live()) =>
  (await checkPackages([parseRequestSpec(spec, getEcosystem, "github")], githubEngine({ sources: [source] })))[0]!;

test("an action outside the index: tag, annotated tag, branch and commit resolve; its action.yml is read at the ref", async () => {
  const v1 = await check("pkg:github/octo/hello@v1");
  assert.equal(v1.verdict, "allow", JSON.stringify(v1.findings));
  assert.deepEqual(codes(v1), []);
  for (const ref of ["v2", "main", SHA.old]) assert.deepEqual(codes(await check(`pkg:github/octo/hello@${ref}`)), [], ref);
  assert.deepEqual(codes(await check("pkg:github/octo/hello@v9")), ["ref-not-found"]);
  assert.deepEqual(codes(await check(`pkg:github/octo/hello@${"5".repeat(40)}`)), ["ref-not-found"]);
  assert.deepEqual(codes(await check("pkg:githubactions/octo/hello/sub@v1")), []);
  assert.ok(api.requests.some((r) => r.path === "/repos/octo/hello/contents/action.yml?ref=v1"));
  assert.ok(api.requests.some((r) => r.path === `/repos/octo/hello/git/tags/${SHA.tagObject}`));
});

test("the token goes to the configured API only, never to a host it redirects to", async () => {
  await check("pkg:github/octo/hello@v1");
  assert.ok(api.requests.every((r) => r.authorization === TOKEN));
  const moved = await check("pkg:github/octo/elsewhere@v1");
  assert.deepEqual(codes(moved), ["unverifiable"]);
  assert.equal(other.requests.length, 0);
});

test("404 is not-found; 401, 403 rate limits and 429 are unverifiable with what to do", async () => {
  const ghost = await check("pkg:github/ghost-owner/nothing@v1");
  assert.ok(codes(ghost).includes("not-found"));
  assert.equal(ghost.verdict, "block");
  const limited = await check("pkg:github/limited/thing@v1", live(""));
  assert.deepEqual(codes(limited), ["unverifiable"]);
  assert.match(limited.findings[0]!.message, /rate limiting until 2027-01-15T08:00:00\.000Z \(set GITHUB_TOKEN/);
  assert.equal(limited.verdict, "block");
  assert.match((await check("pkg:github/busy/thing@v1")).findings[0]!.message, /rate limiting/);
  const refused = await check("pkg:github/private/thing@v1");
  assert.match(refused.findings[0]!.message, /rejected the credentials \(HTTP 401\); check GITHUB_TOKEN/);
});

test("a renamed repository answers under its new name (301): reported as moved; archived is reported", async () => {
  const r = await check("pkg:github/octo/old-name@v1");
  assert.deepEqual(codes(r), ["deprecated"]);
  assert.equal(r.findings[0]!.target, "octo/new-name");
  assert.ok(codes(await check("pkg:github/octo/frozen@v1")).includes("archived"));
});

test("inputs of a live action: unknown, deprecated; cached by registry identity so a second run asks nothing", async () => {
  const cache = new ObservationCache(":memory:");
  const source = cachedSource(live(), cache, { now: () => new Date(NOW) });
  const { scanText } = await import("../../../src/engine/scan.ts");
  const workflow = "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: octo/hello@v1\n        with:\n          who_to_greet: me\n          old-style: x\n";
  const report = await scanText(workflow, ".github/workflows/x.yml", githubEngine({ sources: [source] }));
  const hello = report.results.find((r) => r.name === "octo/hello")!;
  assert.deepEqual(codes(hello).sort(), ["deprecated-input", "unknown-input"]);
  assert.match(hello.findings.find((f) => f.code === "unknown-input")!.message, /did you mean "who-to-greet"/);
  const before = api.requests.length;
  await scanText(workflow, ".github/workflows/x.yml", githubEngine({ sources: [source] }));
  assert.equal(api.requests.length, before);
  cache.close();
});

test("bouncer check pkg:githubactions/...: BOUNCER_GITHUB_API and GITHUB_TOKEN from the environment", async () => {
  const { mkdtempSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const env = {
    HOME: mkdtempSync(path.join(tmpdir(), "home-")),
    BOUNCER_HOME: mkdtempSync(path.join(tmpdir(), "bouncer-")),
    BOUNCER_NOW: NOW,
    BOUNCER_GITHUB_API: api.base,
    GITHUB_TOKEN: "env-token",
  };
  const start = api.requests.length;
  const run = await cli(["check", "--json", "pkg:githubactions/octo/hello/sub@v9", "pkg:github/octo/hello@v1"], env);
  const report = JSON.parse(run.stdout);
  assert.deepEqual(
    report.results.map((r: { purl: string; findings: Array<{ code: string }> }) => [r.purl, r.findings.map((f) => f.code)]),
    [
      ["pkg:githubactions/octo/hello/sub@v9", ["ref-not-found"]],
      ["pkg:github/octo/hello@v1", []],
    ],
  );
  assert.equal(run.code, 1);
  assert.ok(api.requests.slice(start).every((r) => r.authorization === "Bearer env-token"));
});

test("pins from the API: a tag's peeled commit and a branch head, where the policy wants full SHAs", async () => {
  const { defaultPolicy } = await import("../../../src/core/policy.ts");
  const policy = { ...defaultPolicy(), ecosystems: { github: { codes: { "mutable-ref": "warn" as const } } } };
  const pinOf = async (spec: string) => {
    const [r] = await checkPackages([parseRequestSpec(spec, getEcosystem, "github")], githubEngine({ sources: [live()], policy }));
    return r!.findings.find((f) => f.code === "mutable-ref")?.details?.pin;
  };
  assert.equal(await pinOf("pkg:github/octo/hello@v2"), SHA.v2);
  assert.equal(await pinOf("pkg:github/octo/hello@main"), SHA.main);
  assert.equal(await pinOf(`pkg:github/octo/hello@${SHA.old}`), undefined);
});
