// The trust model of configuration (issue 8 item 2): the project under review does not configure its
// own checker. Its .npmrc gets no secrets and steers no verdict; its policy only makes Bouncer stricter.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import type { PackageResult, Report } from "../../../src/core/model.ts";
import { startCliEnv } from "../../support/cli-env.ts";
import { npmDocument, type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";
import { cli } from "./run.ts";

const SECRET = "s3cret-npm-token-value";
let server: RegistryServer;
/** The registry the project's .npmrc chooses: it says every name exists and is popular. */
let hostile: RegistryServer;
let env: Record<string, string>;

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "reviewed-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const packageJson = (dependencies: Record<string, string>) => JSON.stringify({ name: "reviewed", dependencies });
const result = (stdout: string, name: string): PackageResult => (JSON.parse(stdout) as Report).results.find((r) => r.name === name)!;

/** A private registry of its own that serves @corp/auth (a fresh origin: no idle keep-alive connection of earlier tests to race with). */
async function withCorp(body: (corp: RegistryServer) => Promise<void>): Promise<void> {
  const corp = await startRegistryServer();
  try {
    corp.addNpmPackage(
      npmDocument({ name: "@corp/auth", created: "2015-01-01T00:00:00Z", repository: "github:corp/auth", versions: [{ version: "2.0.0", time: "2015-01-01T00:00:00Z" }] }),
    );
    await body(corp);
  } finally {
    await corp.close();
  }
}

before(async () => {
  ({ server, env } = await startCliEnv());
  hostile = await startRegistryServer();
  for (const name of ["no-such-package-xyz", "@evil/x"]) {
    hostile.addNpmPackage(
      npmDocument({ name, created: "2012-01-01T00:00:00Z", repository: "github:a/b", versions: [{ version: "1.0.0", time: "2012-01-01T00:00:00Z" }] }),
      { downloads: 50_000_000 },
    );
  }
});
after(async () => {
  await server.close();
  await hostile.close();
});

test("a project .npmrc gets no secret and steers no verdict; its private scope fails closed", async () => {
  // The trusted registry comes from the user's own ~/.npmrc here, not from a variable.
  const { BOUNCER_NPM_REGISTRY: _, ...base } = env;
  writeFileSync(path.join(env.HOME!, ".npmrc"), `registry=${server.npmBase}\n`);
  const port = new URL(hostile.url).port;
  const dir = project({
    "package.json": packageJson({ react: "^19.2.0", "no-such-package-xyz": "1.0.0", "@evil/x": "1.0.0" }),
    ".npmrc": [
      `registry=${hostile.npmBase}`,
      `//127.0.0.1:${port}/:_authToken=\${NPM_TOKEN}`,
      `@evil:registry=${hostile.npmBase}`,
      `//127.0.0.1:${port}/:_password=${Buffer.from("literal").toString("base64")}`,
    ].join("\n"),
  });
  const run = await cli(["scan", "--json", "."], { ...base, NPM_TOKEN: SECRET }, { cwd: dir });
  assert.equal(run.code, 1, run.stderr);
  assert.deepEqual(hostile.requests(), [], "the project's registry is never asked");
  assert.ok(!JSON.stringify(server.requests()).includes(SECRET));
  assert.equal(result(run.stdout, "react").verdict, "allow");
  assert.equal(result(run.stdout, "no-such-package-xyz").findings[0]!.code, "not-found", "judged at the trusted registry");
  const scoped = result(run.stdout, "@evil/x");
  assert.equal(scoped.verdict, "block");
  assert.match(scoped.findings[0]!.message, /routes @evil packages to http:\/\/127\.0\.0\.1:\d+\/npm\/, a registry your trusted configuration does not name/);
  assert.match(run.stderr, /\.npmrc: ignored registry=http:\/\/127\.0\.0\.1:\d+\/npm\/: the project does not choose/);
  assert.match(run.stderr, /its credentials \(\/\/127\.0\.0\.1:\d+\/:_authToken, \/\/127\.0\.0\.1:\d+\/:_password\) are not used/);
  assert.ok(!run.stderr.includes(SECRET) && !run.stdout.includes(SECRET));
});

test("yarn's .yarnrc.yml and bun's bunfig.toml are read as the project's .npmrc is: their registry ignored, their private scopes fenced", async () => {
  const files: Array<[string, string]> = [
    [".yarnrc.yml", `npmRegistryServer: "${hostile.npmBase}"\nnpmScopes:\n  evil:\n    npmRegistryServer: "${hostile.npmBase}"\n`],
    ["bunfig.toml", `[install]\nregistry = "${hostile.npmBase}"\n[install.scopes]\nevil = { url = "${hostile.npmBase}" }\n`],
  ];
  for (const [name, text] of files) {
    const dir = project({ "package.json": packageJson({ react: "^19.2.0", "@evil/x": "1.0.0" }), [name]: text });
    const run = await cli(["scan", "--json", "."], env, { cwd: dir });
    assert.equal(run.code, 1, run.stderr);
    assert.deepEqual(hostile.requests(), [], name);
    assert.equal(result(run.stdout, "react").verdict, "allow", name);
    assert.match(result(run.stdout, "@evil/x").findings[0]!.message, new RegExp(`${name.replace(".", "\\.")} routes @evil packages to http://127\\.0\\.0\\.1:\\d+/npm/`), name);
    assert.match(run.stderr, new RegExp(`${name.replace(".", "\\.")}: ignored registry=`), name);
  }
});

test("a scope the project routes to a registry the user trusts is looked up there, with the user's token", async () => {
  await withCorp(async (corp) => {
    const home = mkdtempSync(path.join(tmpdir(), "home-"));
    writeFileSync(path.join(home, ".npmrc"), `@corp:registry=${corp.npmBase}\n//${new URL(corp.url).host}/:_authToken=user-token\n`);
    const dir = project({ "package.json": packageJson({ "@corp/auth": "^2.0.0" }), ".npmrc": `@corp:registry=${corp.npmBase}\n` });
    const run = await cli(["check", "--json", "pkg:npm/%40corp/auth"], { ...env, HOME: home }, { cwd: dir });
    assert.equal(result(run.stdout, "@corp/auth").findings.some((f) => f.code === "unverifiable"), false, run.stdout + run.stderr);
    const asked = corp.requests().filter((r) => r.path.includes("corp"));
    assert.ok(asked.length > 0 && asked.every((r) => r.authorization === "Bearer user-token"));
  });
});

test("the fence is case-exact, as npm's scope keys: the project's @Corp is fenced, the user's @corp checked there", async () => {
  await withCorp(async (corp) => {
    const home = mkdtempSync(path.join(tmpdir(), "home-"));
    writeFileSync(path.join(home, ".npmrc"), `@corp:registry=${corp.npmBase}\n`);
    const dir = project({
      "package.json": packageJson({ "@corp/auth": "^2.0.0", "@Corp/auth": "1.0.0" }),
      ".npmrc": `@Corp:registry=${hostile.npmBase}\n`,
    });
    const before = hostile.requests().length;
    const run = await cli(["scan", "--json", "."], { ...env, HOME: home }, { cwd: dir });
    // npm fetches "@Corp/auth" from the project's registry: never reported clean.
    const fenced = result(run.stdout, "@Corp/auth");
    assert.equal(fenced.verdict, "block", run.stdout);
    assert.match(fenced.findings[0]!.message, /routes @Corp packages to http:\/\/127\.0\.0\.1:\d+\/npm\/, a registry your trusted configuration does not name/);
    assert.equal(fenced.findings[0]!.message.split("routes @Corp").length, 2, "one reason, from npm's registry only");
    assert.equal(hostile.requests().length, before, "the project's registry is never asked");
    // "@corp/auth" goes where the user routes @corp: judged there, not fenced.
    // "@corp/auth" goes where the user routes @corp (a scan leaves the user's private scopes out): checked there, not fenced.
    const checked = await cli(["check", "--json", "pkg:npm/%40corp/auth"], { ...env, HOME: home }, { cwd: dir });
    assert.equal(result(checked.stdout, "@corp/auth").findings.some((f) => f.code === "unverifiable"), false, checked.stdout + checked.stderr);
    assert.ok(corp.requests().some((r) => r.path.includes("corp")));
  });
});

test("a project that routes the user's own scope elsewhere wins in npm, so it is fenced; an npm_config_ variable outranks the project", async () => {
  await withCorp(async (corp) => {
    const home = mkdtempSync(path.join(tmpdir(), "home-"));
    writeFileSync(path.join(home, ".npmrc"), `@corp:registry=${corp.npmBase}\n`);
    const dir = project({ "package.json": packageJson({ "@corp/auth": "^2.0.0" }), ".npmrc": `@corp:registry=${hostile.npmBase}\n` });
    const before = hostile.requests().length;
    // npm reads the project's .npmrc over ~/.npmrc: it would fetch @corp/auth from the project's registry.
    const fenced = await cli(["check", "--json", "pkg:npm/%40corp/auth"], { ...env, HOME: home }, { cwd: dir });
    const r = result(fenced.stdout, "@corp/auth");
    assert.equal(r.verdict, "block", fenced.stdout + fenced.stderr);
    assert.match(r.findings[0]!.message, /routes @corp packages to http:\/\/127\.0\.0\.1:\d+\/npm\//);
    assert.equal(hostile.requests().length, before, "the project's registry is never asked");
    // npm_config_@corp:registry outranks every .npmrc: npm fetches from the user's registry, checked there.
    const env2 = { ...env, HOME: home, "npm_config_@corp:registry": corp.npmBase };
    const routed = await cli(["check", "--json", "pkg:npm/%40corp/auth"], env2, { cwd: dir });
    assert.equal(result(routed.stdout, "@corp/auth").findings.some((f) => f.code === "unverifiable"), false, routed.stdout + routed.stderr);
  });
});

test('a project policy {"allow":["*"]} does not turn its own gate green', async () => {
  const dir = project({
    "package.json": packageJson({ "no-such-package-xyz": "1.0.0" }),
    "bouncer.policy.json": JSON.stringify({
      allow: ["*"],
      codes: { "not-found": "allow", "known-malicious": "allow", unverifiable: "warn" },
      thresholds: { newPackageDays: 1 },
      registries: { npm: hostile.npmBase },
    }),
  });
  const run = await cli(["scan", "--json", "."], env, { cwd: dir });
  assert.equal(run.code, 1, run.stdout);
  assert.equal(result(run.stdout, "no-such-package-xyz").verdict, "block");
  for (const key of ['allow "\\*"', 'codes.not-found "allow"', 'codes.known-malicious "allow"', 'codes.unverifiable "warn"', 'thresholds.newPackageDays "1"', "registries.npm"]) {
    assert.match(run.stderr, new RegExp(`bouncer\\.policy\\.json: ignored ${key}`), key);
  }
  assert.deepEqual(hostile.requests(), []);
});

test("a project policy makes Bouncer stricter", async () => {
  const dir = project({ "bouncer.policy.json": JSON.stringify({ codes: { deprecated: "block" }, deny: ["npm:react"] }) });
  const run = await cli(["check", "--json", "pkg:npm/left-pad", "pkg:npm/react"], env, { cwd: dir });
  assert.equal(run.code, 1);
  assert.equal(result(run.stdout, "left-pad").verdict, "block");
  assert.equal(result(run.stdout, "react").findings[0]!.code, "denied-by-policy");
  assert.equal(run.stderr, "");
});

test("trusted policies: user file, BOUNCER_POLICY and --policy may allow; none may lower known-malicious", async () => {
  const home = mkdtempSync(path.join(tmpdir(), "home-"));
  mkdirSync(path.join(home, ".config", "bouncer"), { recursive: true });
  writeFileSync(path.join(home, ".config", "bouncer", "policy.json"), JSON.stringify({ allow: ["npm:no-such-package-xyz"] }));
  assert.equal((await cli(["check", "pkg:npm/no-such-package-xyz"], { ...env, HOME: home })).code, 0);
  const dir = project({ "trusted.json": JSON.stringify({ codes: { "not-found": "warn" } }), "bad.json": JSON.stringify({ ecosystems: { npm: { codes: { "known-malicious": "warn" } } } }) });
  assert.equal((await cli(["check", "pkg:npm/no-such-package-xyz"], { ...env, BOUNCER_POLICY: "trusted.json" }, { cwd: dir })).code, 0);
  assert.equal((await cli(["check", "--policy", "trusted.json", "pkg:npm/no-such-package-xyz"], env, { cwd: dir })).code, 0);
  // The administrator's file is trusted too, and the user's overrides it.
  const admin = path.join(dir, "admin.json");
  writeFileSync(admin, JSON.stringify({ codes: { "not-found": "warn" } }));
  assert.equal((await cli(["check", "pkg:npm/no-such-package-xyz"], { ...env, BOUNCER_ADMIN_POLICY: admin })).code, 0);
  const bad = await cli(["check", "--policy", "bad.json", "pkg:npm/react"], env, { cwd: dir });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /ecosystems\.npm\.codes\.known-malicious: must be "block"/);
});

test("a configuration file that is not a regular file is not read", async () => {
  const run = await cli(["check", "--policy", "/dev/zero", "pkg:npm/react"], env);
  assert.equal(run.code, 2);
  assert.match(run.stderr, /cannot read policy file \/dev\/zero: not a regular file/);
});

test("a virtualenv's pip.conf inside the reviewed project steers nothing and is reported once", async () => {
  const dir = project({
    "requirements.txt": "no-such-package-xyz==1.0.0\n",
    ".venv/pip.conf": `[global]\nindex-url = ${hostile.pypiBase}simple/\n`,
  });
  const run = await cli(["scan", "--json", "."], { ...env, VIRTUAL_ENV: path.join(dir, ".venv") }, { cwd: dir });
  assert.equal(result(run.stdout, "no-such-package-xyz").verdict, "block");
  assert.equal(run.stderr.match(/pip\.conf: ignored: pip configuration inside the project under review is not trusted/g)?.length, 1, run.stderr);
  assert.deepEqual(hostile.requests(), []);
});
