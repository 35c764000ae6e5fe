// GitHub references judged from the shipped index: every real tag resolves; invented refs, paths and inputs are caught.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parsePurl } from "../../../src/core/purl.ts";
import { checkPackages } from "../../../src/engine/check.ts";
import { makeRequest, parseRequestSpec } from "../../../src/engine/requests.ts";
import { scanText } from "../../../src/engine/scan.ts";
import { getEcosystem } from "../../../src/ecosystems/index.ts";
import { actionsIndex } from "../../../src/ecosystems/github/data.ts";
import { claimGithubReference } from "../../../src/ecosystems/github/index.ts";
import { github, githubEngine } from "./helpers.ts";

const DATASET = new URL("../../../../shared/datasets/github-actions/actions.jsonl", import.meta.url);

const codes = (r: { findings: Array<{ code: string }> }) => r.findings.map((f) => f.code);
const check = async (spec: string, engine = githubEngine()) => (await checkPackages([parseRequestSpec(spec, getEcosystem, "github")], engine))[0]!;

test("every tag and branch of a sample of dataset repositories resolves, and its metadata is the dataset's", async () => {
  const sample = new Set(["actions/checkout", "actions/setup-node", "docker/build-push-action", "github/codeql-action", "tj-actions/changed-files", "aws-actions/configure-aws-credentials", "softprops/action-gh-release"]);
  const rows = readFileSync(DATASET, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l)).filter((r) => sample.has(r.repo));
  assert.equal(rows.length, sample.size);
  const requests = [];
  for (const row of rows) {
    for (const tag of Object.keys(row.tags)) requests.push(makeRequest(github, row.repo, tag));
    for (const branch of Object.keys(row.branches)) requests.push(makeRequest(github, row.repo, branch));
    for (const t of Object.values<{ sha: string }>(row.tags).slice(0, 20)) requests.push(makeRequest(github, row.repo, t.sha));
  }
  const results = await checkPackages(requests, githubEngine());
  const broken = results.filter((r) => codes(r).some((c) => ["ref-not-found", "unverifiable", "not-found", "short-sha", "no-action-metadata"].includes(c)));
  // Tags of old releases without a root action.yml (before the action existed) are what they are.
  const noMeta = broken.filter((r) => codes(r).includes("no-action-metadata"));
  assert.deepEqual(broken.filter((r) => !codes(r).includes("no-action-metadata")).map((r) => r.purl), []);
  assert.ok(noMeta.length < results.length / 20, `${noMeta.length} refs without metadata`);
  assert.ok(results.length > 1000);
});

test("invented refs, paths and inputs are caught; names compare case-insensitively", async () => {
  assert.deepEqual(codes(await check("pkg:github/actions/checkout@v3.99.0")), ["ref-not-found"]);
  assert.deepEqual(codes(await check("pkg:github/actions/checkout@v99")), ["ref-not-found"]);
  assert.deepEqual(codes(await check("pkg:github/actions/checkout@abc1234")), ["short-sha"]);
  assert.deepEqual(codes(await check("pkg:githubactions/github/codeql-action/initialize@v3")), []);
  const ok = await check("pkg:github/Actions/Checkout@v4");
  assert.equal(ok.name, "actions/checkout");
  assert.equal(ok.purl, "pkg:github/actions/checkout@v4");
  const scanned = await scanText(
    [
      "jobs:",
      "  build:",
      "    runs-on: ubuntu-latest",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "        with:",
      "          fetch_depth: 0",
      "      - uses: github/codeql-action/initialize@v3",
      "      - uses: actions/setup-python@v5",
      "        with:",
      "          python-version: '3.12'",
    ].join("\n"),
    ".github/workflows/ci.yml",
    githubEngine(),
  );
  const byName = new Map(scanned.results.map((r) => [`${r.name}@${r.version}`, r]));
  const checkout = byName.get("actions/checkout@v4")!;
  const unknown = checkout.findings.find((f) => f.code === "unknown-input")!;
  assert.match(unknown.message, /takes no input "fetch_depth" \(\.github\/workflows\/ci\.yml:5\); did you mean "fetch-depth"\?/);
  assert.deepEqual(codes(byName.get("github/codeql-action/initialize@v3")!), ["no-action-metadata"]);
  assert.equal(byName.get("github/codeql-action/initialize@v3")!.verdict, "block");
  assert.ok(!codes(byName.get("actions/setup-python@v5")!).includes("unknown-input"));
});

test("a ref newer than the snapshot is unverifiable offline, not invented", async () => {
  const latest = actionsIndex().repos["actions/checkout"]!.latest!;
  const major = Number(/^v(\d+)/.exec(latest)![1]);
  const next = await check(`pkg:github/actions/checkout@v${major + 1}`);
  assert.deepEqual(codes(next), ["unverifiable"]);
  assert.match(next.findings[0]!.message, /may be newer/);
  assert.deepEqual(codes(await check("pkg:github/actions/checkout@0123456789abcdef0123456789abcdef01234567")), ["unverifiable"]);
});

test("typosquats of popular actions, with the real one suggested", async () => {
  for (const spec of ["pkg:github/action/checkout@v4", "pkg:github/actions/check-out@v4", "pkg:github/actoins/setup-node@v4"]) {
    const r = await check(spec);
    assert.ok(codes(r).includes("typosquat"), `${spec}: ${codes(r)}`);
    assert.equal(r.verdict, "block");
  }
  assert.equal((await check("pkg:github/action/checkout@v4")).findings.find((f) => f.code === "typosquat")!.target, "actions/checkout");
  assert.deepEqual((await check("pkg:github/actions/check-out@v4")).didYouMean[0], "actions/checkout");
});

test("known-compromised refs: the malicious commit is malware; tags that were re-pointed are flagged, later majors are not", async () => {
  const pinned = await check("pkg:github/tj-actions/changed-files@0e58ed8671d6b60d0890c21b07f8835ace038e67");
  assert.ok(codes(pinned).includes("known-malicious"), String(codes(pinned)));
  assert.equal(pinned.verdict, "block");
  assert.ok(codes(await check("pkg:github/tj-actions/changed-files@v45")).includes("compromised-action"));
  assert.ok(!codes(await check("pkg:github/tj-actions/changed-files@v47")).includes("compromised-action"));
  assert.ok(codes(await check("pkg:github/reviewdog/action-setup@v1")).includes("compromised-action"));
});

test("archived and moved repositories; retired artifact majors; removed runtimes by the clock", async () => {
  assert.ok(codes(await check("pkg:github/actions-rs/toolchain@v1")).includes("archived"));
  const moved = await check("pkg:github/crazy-max/ghaction-docker-meta@v3");
  assert.ok(codes(moved).includes("deprecated"));
  assert.equal(moved.findings.find((f) => f.code === "deprecated")!.target, "docker/metadata-action");
  const artifact = await check("pkg:github/actions/upload-artifact@v3");
  assert.ok(codes(artifact).includes("action-discontinued"));
  assert.equal(artifact.verdict, "block");
  assert.ok(!codes(await check("pkg:github/actions/upload-artifact@v3", githubEngine({ now: "2024-06-01T00:00:00Z" }))).includes("action-discontinued"));
  // node20: deprecated from 2025-09-19, removed 2026-09-16.
  const v4 = "pkg:github/actions/checkout@v4";
  assert.ok(!codes(await check(v4, githubEngine({ now: "2025-01-01T00:00:00Z" }))).some((c) => c.startsWith("runtime")));
  assert.ok(codes(await check(v4, githubEngine({ now: "2026-01-01T00:00:00Z" }))).includes("runtime-deprecated"));
  assert.ok(codes(await check(v4, githubEngine({ now: "2026-10-01T00:00:00Z" }))).includes("runtime-removed"));
});

test("mutable refs are findings only where the policy asks for full SHAs, with the SHA to pin to", async () => {
  assert.ok(!codes(await check("pkg:github/actions/checkout@v4")).includes("mutable-ref"));
  const policy = { ...(await import("../../../src/core/policy.ts")).defaultPolicy(), codes: { "mutable-ref": "block" as const } };
  const r = await check("pkg:github/actions/checkout@v4", githubEngine({ policy }));
  const pin = r.findings.find((f) => f.code === "mutable-ref")!;
  const sha = actionsIndex().repos["actions/checkout"]!.tags.v4![0];
  assert.equal(pin.details?.pin, sha);
  assert.match(pin.message, new RegExp(`pin to ${sha} # v4`));
  assert.equal(r.verdict, "block");
  const full = await check(`pkg:github/actions/checkout@${sha}`, githubEngine({ policy }));
  assert.ok(!codes(full).includes("mutable-ref"));
});

test("purls: github for repositories, githubactions for actions in a folder; both parse back", () => {
  assert.equal(github.toPurl("github/codeql-action/init", "v3"), "pkg:githubactions/github/codeql-action/init@v3");
  assert.equal(github.toPurl("actions/checkout", "v4"), "pkg:github/actions/checkout@v4");
  assert.deepEqual(github.fromPurl(parsePurl("pkg:githubactions/github/codeql-action/init@v3")), { name: "github/codeql-action/init", version: "v3" });
  assert.deepEqual(github.fromPurl(parsePurl("pkg:githubactions/actions/checkout@v4")), { name: "actions/checkout", version: "v4" });
  assert.equal(getEcosystem("githubactions"), github);
  assert.deepEqual(github.checkName("-bad/repo"), { ok: false, reason: '"-bad" is not a valid GitHub account name' });
});

test("git dependencies on github.com name a repository and a ref", () => {
  assert.deepEqual(claimGithubReference("github:Owner/Repo#v1.2.0"), { name: "owner/repo", version: "v1.2.0" });
  assert.deepEqual(claimGithubReference("git+https://github.com/psf/requests.git@v2.31.0#egg=requests"), { name: "psf/requests", version: "v2.31.0" });
  assert.deepEqual(claimGithubReference("requests[socks] @ git+https://github.com/psf/requests@v2.31.0"), { name: "psf/requests", version: "v2.31.0" });
  assert.deepEqual(claimGithubReference("git+ssh://git@github.com/actions/checkout.git#main"), { name: "actions/checkout", version: "main" });
  assert.deepEqual(claimGithubReference("github:actions/checkout#semver:^4"), { name: "actions/checkout", version: null });
  assert.equal(claimGithubReference("git+https://gitlab.com/a/b.git"), null);
});
