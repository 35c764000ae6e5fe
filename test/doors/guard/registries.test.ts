// Issue 8 item 4: the index the real tool installs from is the index judged; merged indexes are
// checked for dependency confusion; what cannot be judged is refused; credentials never follow a
// registry that project files or the command line chose.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { type CliEnv, startCliEnv } from "../../support/cli-env.ts";
import { type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";
import { readIfExists as readConfigFile } from "../../../src/doors/cli/config.ts";
import { requirementFileOptions } from "../../../src/doors/guard/registries.ts";
import { unaskedIndexes } from "../../../src/doors/guard/indexes.ts";
import { cli } from "../cli/run.ts";
import { type FakeTools, fakeTools } from "./fakes.ts";

let ctx: CliEnv;
/** The private index: only it has corp-lib-N (npm: corp-pkg-N). */
let priv: RegistryServer;
let tools: FakeTools;
let env: Record<string, string>;
let privSimple: string;
/** A trusted policy (the user's, by BOUNCER_POLICY) that trusts the private registry's host, over plain http. */
let trustPriv: Record<string, string>;
let next = 0;
/** A private name no earlier run has looked up (the cache must not answer for it). */
const corpLib = () => `corp-lib-${next++}`;
const corpPkg = () => `corp-pkg-${next++}`;

before(async () => {
  ctx = await startCliEnv();
  priv = await startRegistryServer();
  priv.addSyntheticPackages("pypi", 1000, "corp-lib-");
  priv.addSyntheticPackages("npm", 1000, "corp-pkg-");
  privSimple = `${priv.pypiBase}simple/`;
  tools = fakeTools(["npm", "pip", "uv", "pipenv", "poetry", "yarn", "bun"]);
  env = { ...ctx.env, PATH: `${tools.bin}:${ctx.env.PATH}` };
  const policy = path.join(dir({ "policy.json": JSON.stringify({ lockfileHosts: [`http://${new URL(priv.url).host}`] }) }), "policy.json");
  trustPriv = { BOUNCER_POLICY: policy };
});
after(async () => {
  await ctx.server.close();
  await priv.close();
});

function dir(files: Record<string, string> = {}): string {
  const d = mkdtempSync(path.join(tmpdir(), "reg-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    writeFileSync(path.join(d, name), text);
  }
  return d;
}

const asked = (server: RegistryServer, name: string) => server.requests().some((r) => r.path.includes(name));

test("--extra-index-url and its kin: a name on both indexes is dependency confusion and is blocked", async () => {
  const cases: Array<{ argv: string[]; env?: Record<string, string>; files?: Record<string, string> }> = [
    { argv: ["pip", "install", "--extra-index-url", privSimple, "requests"] },
    { argv: ["pip", "install", "requests"], env: { PIP_EXTRA_INDEX_URL: privSimple } },
    { argv: ["pip", "install", "-r", "requirements.txt"], env: trustPriv, files: { "requirements.txt": `--extra-index-url ${privSimple}\nrequests\n` } },
    { argv: ["uv", "pip", "install", "--index", privSimple, "requests"] },
    { argv: ["uv", "add", "requests"], env: { UV_INDEX: privSimple } },
    { argv: ["uv", "add", "requests"], env: { UV_EXTRA_INDEX_URL: privSimple } },
    {
      argv: ["uv", "add", "requests"],
      env: trustPriv,
      files: { "pyproject.toml": `[project]\nname = "app"\nversion = "1"\n\n[[tool.uv.index]]\nname = "corp"\nurl = "${privSimple}"\n` },
    },
  ];
  for (const c of cases) {
    const count = tools.calls().length;
    const run = await cli(c.argv, { ...env, ...c.env }, { cwd: dir(c.files) });
    const what = `${c.argv.join(" ")} ${JSON.stringify(c.env ?? c.files ?? {})}`;
    assert.equal(run.code, 1, `${what}: ${run.stderr}`);
    assert.match(run.stderr, /dependency-confusion/, what);
    assert.match(run.stderr, /more than one of the indexes/, what);
    assert.equal(tools.calls().length, count, what);
  }
  // The trusted policy may lower the finding (a mirror that carries public packages on purpose).
  const policy = path.join(dir({ "policy.json": JSON.stringify({ codes: { "dependency-confusion": "warn" } }) }), "policy.json");
  const lowered = await cli(["pip", "install", "--extra-index-url", privSimple, "requests"], { ...env, BOUNCER_POLICY: policy }, { cwd: dir() });
  assert.equal(lowered.code, 7, lowered.stderr);
  assert.match(lowered.stderr, /dependency-confusion/);
  // An index that cannot answer leaves dependency confusion open: not a pass.
  const silent = await cli(["pip", "install", "--extra-index-url", "http://127.0.0.1:1/simple/", "requests"], env, { cwd: dir() });
  assert.equal(silent.code, 1, silent.stderr);
  assert.match(silent.stderr, /dependency confusion not ruled out/);
  // A name only the private index has is judged there, and installs.
  const name = corpLib();
  const ok = await cli(["pip", "install", "--extra-index-url", privSimple, name], env, { cwd: dir() });
  assert.equal(ok.code, 7, ok.stderr);
  assert.ok(asked(priv, name));
});

test("the index set by -i in a nested requirements file, PIP_INDEX_URL, UV_DEFAULT_INDEX or the Pipfile is the one judged", async () => {
  const cases: Array<(name: string) => { argv: string[]; env?: Record<string, string>; files?: Record<string, string> }> = [
    (n) => ({ argv: ["pip", "install", "-r", "requirements.txt"], env: trustPriv, files: { "requirements.txt": "-r more/inner.txt\n", "more/inner.txt": `--index-url ${privSimple}\n${n}\n` } }),
    (n) => ({ argv: ["pip", "install", n], env: { PIP_INDEX_URL: privSimple } }),
    (n) => ({ argv: ["uv", "pip", "install", n], env: { UV_DEFAULT_INDEX: privSimple } }),
    (n) => ({ argv: ["uv", "pip", "install", n], env: { UV_INDEX_URL: privSimple } }),
    (n) => ({ argv: ["uv", "pip", "install", "--default-index", privSimple, n] }),
    (n) => ({ argv: ["pipenv", "install", n], env: trustPriv, files: { Pipfile: `[[source]]\nurl = "${privSimple}"\nverify_ssl = true\nname = "corp"\n` } }),
    (n) => ({
      argv: ["poetry", "add", n],
      env: trustPriv,
      files: { "pyproject.toml": `[tool.poetry]\nname = "app"\n\n[[tool.poetry.source]]\nname = "corp"\nurl = "${privSimple}"\n` },
    }),
  ];
  for (const make of cases) {
    const name = corpLib();
    const c = make(name);
    const run = await cli(c.argv, { ...env, ...c.env }, { cwd: dir(c.files) });
    const what = c.argv.join(" ");
    assert.equal(run.code, 7, `${what}: ${run.stderr}`);
    assert.ok(asked(priv, name), what);
    assert.ok(!asked(ctx.server, name), what);
  }
  // An index that cannot be reached is not a pass.
  const down = await cli(["pip", "install", "-i", "http://127.0.0.1:1/simple/", "requests"], env, { cwd: dir() });
  assert.equal(down.code, 1, down.stderr);
  assert.match(down.stderr, /unverifiable/);
});

test("--find-links, PIP_FIND_LINKS and --no-index are refused with a reason unless the trusted policy allows it", async () => {
  const cases: Array<{ argv: string[]; env?: Record<string, string>; files?: Record<string, string> }> = [
    { argv: ["pip", "install", "--find-links", "./wheels", "requests"] },
    { argv: ["pip", "install", "requests"], env: { PIP_FIND_LINKS: "./wheels" } },
    { argv: ["pip", "install", "--no-index", "requests"] },
    { argv: ["pip", "install", "-r", "r.txt"], files: { "r.txt": "--find-links ./wheels\nrequests\n" } },
    { argv: ["uv", "pip", "install", "-f", "./wheels", "requests"] },
  ];
  for (const c of cases) {
    const run = await cli(c.argv, { ...env, ...c.env }, { cwd: dir(c.files) });
    assert.equal(run.code, 1, `${c.argv.join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, /cannot judge/, c.argv.join(" "));
  }
  const policy = path.join(dir({ "policy.json": JSON.stringify({ codes: { unverifiable: "warn" } }) }), "policy.json");
  const allowed = await cli(["pip", "install", "--find-links", "./wheels", "requests"], { ...env, BOUNCER_POLICY: policy }, { cwd: dir() });
  assert.equal(allowed.code, 7, allowed.stderr);
});

test("npm: --registry, --@scope:registry, npm_config_*, --userconfig and the project .npmrc choose where names are looked up", async () => {
  const cases: Array<(name: string) => { argv: string[]; env?: Record<string, string>; files?: Record<string, string> }> = [
    (n) => ({ argv: ["npm", "install", "--registry", priv.npmBase, n] }),
    (n) => ({ argv: ["npm", "install", n], env: { npm_config_registry: priv.npmBase } }),
    (n) => ({ argv: ["npm", "install", n], env: trustPriv, files: { ".npmrc": `registry=${priv.npmBase}\n` } }),
    (n) => ({ argv: ["npm", "install", "--userconfig", "conf/npmrc", n], env: trustPriv, files: { "conf/npmrc": `registry=${priv.npmBase}\n` } }),
    (n) => ({ argv: ["npm", "install", `--@corp:registry=${priv.npmBase}`, `@corp/${n}`] }),
    (n) => ({ argv: ["npm", "install", `@corp/${n}`], env: { "npm_config_@corp:registry": priv.npmBase } }),
    (n) => ({ argv: ["npm", "install", `@corp/${n}`], env: trustPriv, files: { ".npmrc": `@corp:registry=${priv.npmBase}\n` } }),
  ];
  for (const make of cases) {
    const name = corpPkg();
    const c = make(name);
    await cli(c.argv, { ...env, ...c.env }, { cwd: dir(c.files) });
    assert.ok(asked(priv, name), c.argv.join(" "));
    assert.ok(!ctx.server.requests().some((r) => r.path.includes(name) && !r.path.includes("downloads")), c.argv.join(" "));
  }
});

test("credentials: environment variables in project files are never expanded into a request; the home .npmrc's token goes to its host only", async () => {
  const secret = "s3cret-from-the-environment";
  const host = new URL(priv.npmBase).host;
  const leaked = () => [...priv.requests(), ...ctx.server.requests()].some((r) => JSON.stringify(r).includes(secret));
  const base = { ...env, NPM_TOKEN: secret, HOME: dir() };
  // A project .npmrc names the registry and asks for the token.
  const name = corpPkg();
  await cli(["npm", "install", name], { ...base, ...trustPriv }, { cwd: dir({ ".npmrc": `registry=${priv.npmBase}\n//${host}/npm/:_authToken=\${NPM_TOKEN}\n` }) });
  assert.ok(asked(priv, name));
  assert.ok(!leaked());
  // A registry URL built from a variable is refused, never fetched.
  const built = await cli(["npm", "install", "left-pad"], base, { cwd: dir({ ".npmrc": `registry=http://${host}/npm/\${NPM_TOKEN}/\n` }) });
  assert.equal(built.code, 1, built.stderr);
  assert.match(built.stderr, /does not expand/);
  // The same in a requirements file.
  const req = await cli(["pip", "install", "-r", "requirements.txt"], base, {
    cwd: dir({ "requirements.txt": `--index-url http://user:\${NPM_TOKEN}@${host}/pypi/simple/\nrequests\n` }),
  });
  assert.equal(req.code, 1, req.stderr);
  assert.ok(!leaked());
  // The user's own ~/.npmrc sets a token for the private host: it goes there, and nowhere else.
  const home = dir({ ".npmrc": `//${host}/npm/:_authToken=home-token\n` });
  const other = corpPkg();
  await cli(["npm", "install", other], { ...env, HOME: home }, { cwd: dir({ ".npmrc": `registry=${priv.npmBase}\n` }) });
  assert.ok(priv.requests().some((r) => r.path.includes(other) && r.authorization === "Bearer home-token"));
  assert.ok(!ctx.server.requests().some((r) => r.authorization === "Bearer home-token"));
});

test("index options are read from requirements files inside the project only: never outside it, never in .git", () => {
  const root = dir({
    "outside.txt": "--index-url https://outside.example/simple/\n",
    "app/requirements.txt": "-r ../outside.txt\n-r .git/config\n-r /proc/self/environ\n-r sub/inner.txt\nrequests\n",
    "app/sub/inner.txt": "--extra-index-url https://corp.example/simple/\n-f ./wheels\n--no-index\n",
    "app/.git/config": "--index-url https://git.example/simple/\n",
  });
  const read: string[] = [];
  const cwd = path.join(root, "app");
  const choice = requirementFileOptions(["requirements.txt"], cwd, (f) => {
    read.push(f);
    return readConfigFile(f);
  });
  assert.deepEqual(choice.primary, []);
  assert.deepEqual(choice.extra.map((e) => e.url), ["https://corp.example/simple/"]);
  assert.deepEqual(choice.findLinks, ["./wheels"]);
  assert.equal(choice.noIndex, true);
  assert.deepEqual(read, [path.join(realpathSync(cwd), "requirements.txt"), path.join(realpathSync(cwd), "sub", "inner.txt")]);
});

test("offline, an install that merges indexes leaves the others unjudged (its ecosystem's packages are unverifiable)", () => {
  const index = (url: string) => ({ url, base: url });
  assert.equal(unaskedIndexes("pypi", [index("https://pypi.org/simple/")]), undefined);
  const unasked = unaskedIndexes("pypi", [index("https://pypi.org/simple/"), index("https://extra.example/simple/")]);
  assert.equal(unasked?.ecosystem, "pypi");
  assert.match(unasked!.reason, /other indexes this install merges were not asked/);
});

const c0 = (make: (n: string) => { argv: string[] }) => make("x");

test("a registry or index only the project's files name is not believed: not asked, its packages unverifiable, with how to trust it", async () => {
  const venv = (n: string) => ({ argv: ["pip", "install", n], env: { VIRTUAL_ENV: "VENV" }, files: { ".venv/pip.conf": `[global]\nindex-url = ${privSimple}\n` } });
  const cases: Array<(name: string) => { argv: string[]; env?: Record<string, string>; files?: Record<string, string> }> = [
    (n) => ({ argv: ["npm", "install", n], files: { ".npmrc": `registry=${priv.npmBase}\n` } }),
    (n) => ({ argv: ["npm", "install", "--userconfig", "conf/npmrc", n], files: { "conf/npmrc": `registry=${priv.npmBase}\n` } }),
    (n) => ({ argv: ["npm", "install", `@corp/${n}`], files: { ".npmrc": `@corp:registry=${priv.npmBase}\n` } }),
    // The folder the tool is told to work in.
    (n) => ({ argv: ["yarn", "--cwd", "sub", "add", n], files: { "sub/package.json": "{}", "sub/.npmrc": `registry=${priv.npmBase}\n` } }),
    // yarn's and bun's own files.
    (n) => ({ argv: ["yarn", "add", n], files: { ".yarnrc.yml": `npmRegistryServer: "${priv.npmBase}"\n` } }),
    (n) => ({ argv: ["yarn", "add", n], files: { ".yarnrc": `registry "${priv.npmBase}"\n` } }),
    (n) => ({ argv: ["bun", "add", n], files: { "bunfig.toml": `[install]\nregistry = "${priv.npmBase}"\n` } }),
    // The project's own policy cannot trust a host.
    (n) => ({ argv: ["npm", "install", n], files: { ".npmrc": `registry=${priv.npmBase}\n`, "bouncer.policy.json": JSON.stringify({ lockfileHosts: [`http://${new URL(priv.url).host}`] }) } }),
    (n) => ({ argv: ["pip", "install", "-r", "requirements.txt"], files: { "requirements.txt": `--index-url ${privSimple}\n${n}\n` } }),
    (n) => ({ argv: ["pip", "install", "-r", "requirements.txt"], files: { "requirements.txt": `--extra-index-url ${privSimple}\n${n}\n` } }),
    (n) => ({ argv: ["uv", "add", n], files: { "pyproject.toml": `[project]\nname = "app"\nversion = "1"\n\n[[tool.uv.index]]\nname = "corp"\nurl = "${privSimple}"\ndefault = true\n` } }),
    (n) => ({ argv: ["uv", "pip", "install", n], files: { "uv.toml": `index-url = "${privSimple}"\n` } }),
    (n) => ({ argv: ["pipenv", "install", n], files: { Pipfile: `[[source]]\nurl = "${privSimple}"\nverify_ssl = true\nname = "corp"\n` } }),
    (n) => ({ argv: ["poetry", "add", n], files: { "pyproject.toml": `[tool.poetry]\nname = "app"\n\n[[tool.poetry.source]]\nname = "corp"\nurl = "${privSimple}"\n` } }),
    venv,
  ];
  for (const make of cases) {
    // A popular name too: the project's registry could serve anything under it.
    const python = c0(make).argv[0] !== "npm" && c0(make).argv[0] !== "yarn" && c0(make).argv[0] !== "bun";
    for (const name of [python ? "requests" : "left-pad", make === cases[2] ? corpPkg() : corpLib()]) {
      const c = make(name);
      const cwd = dir(c.files);
      const caseEnv = { ...env, ...c.env };
      if (caseEnv.VIRTUAL_ENV) caseEnv.VIRTUAL_ENV = path.join(cwd, ".venv");
      const count = tools.calls().length;
      const seen = priv.requests().length;
      const run = await cli(c.argv, caseEnv, { cwd });
      const what = `${c.argv.join(" ")} ${JSON.stringify(c.files)}`;
      assert.equal(run.code, 1, `${what}: ${run.stderr}`);
      assert.match(run.stderr, /unverifiable/, what);
      assert.match(run.stderr, /does not choose whom Bouncer believes \(to trust it, add/, what);
      assert.equal(tools.calls().length, count, what);
      assert.deepEqual(priv.requests().slice(seen), [], what);
    }
  }
});

test("a project's registry the user's configuration names, or the public one, is believed", async () => {
  const host = new URL(priv.npmBase).host;
  const cases: Array<{ argv: string[]; home?: Record<string, string>; files: Record<string, string>; name: string; server: RegistryServer }> = [
    // The user's ~/.npmrc routes a scope there, or holds a token for it.
    { argv: ["npm", "install"], home: { ".npmrc": `@mine:registry=${priv.npmBase}\n` }, files: { ".npmrc": `registry=${priv.npmBase}\n` }, name: corpPkg(), server: priv },
    { argv: ["npm", "install"], home: { ".npmrc": `//${host}/npm/:_authToken=t\n` }, files: { ".npmrc": `registry=${priv.npmBase}\n` }, name: corpPkg(), server: priv },
    // The registry Bouncer itself judges at.
    { argv: ["npm", "install"], files: { ".npmrc": `registry=${ctx.server.npmBase}\n` }, name: "left-pad", server: ctx.server },
    // yarn and bun: the user's own file names the registry the project's does.
    { argv: ["yarn", "add"], home: { ".yarnrc.yml": `npmRegistryServer: "${priv.npmBase}"\n` }, files: { ".yarnrc.yml": `npmRegistryServer: "${priv.npmBase}"\n` }, name: corpPkg(), server: priv },
    { argv: ["bun", "add"], home: { ".bunfig.toml": `[install]\nregistry = "${priv.npmBase}"\n` }, files: { "bunfig.toml": `[install]\nregistry = { url = "${priv.npmBase}" }\n` }, name: corpPkg(), server: priv },
    // The user's pip.conf names the index.
    { argv: ["pip", "install"], home: { ".config/pip/pip.conf": `[global]\nindex-url = ${privSimple}\n` }, files: { "requirements.txt": `--index-url ${privSimple}\n` }, name: corpLib(), server: priv },
  ];
  for (const c of cases) {
    const argv = [...c.argv, ...(c.argv[0] === "pip" ? ["-r", "requirements.txt"] : [c.name])];
    if (c.argv[0] === "pip") c.files["requirements.txt"] += `${c.name}\n`;
    const run = await cli(argv, { ...env, HOME: dir(c.home) }, { cwd: dir(c.files) });
    const what = `${argv.join(" ")} ${JSON.stringify(c.files)}`;
    assert.equal(run.code, 7, `${what}: ${run.stderr}`);
    assert.ok(asked(c.server, c.name), what);
  }
});

test("a subfolder's install reads the configuration of the project's root, as uv, Poetry and npm look up for it", async () => {
  const cases: Array<{ argv: (n: string) => string[]; files: Record<string, string> }> = [
    { argv: (n) => ["uv", "add", n], files: { "uv.toml": `index-url = "${privSimple}"\n`, "app/main.py": "" } },
    { argv: (n) => ["poetry", "add", n], files: { "pyproject.toml": `[tool.poetry]\nname = "app"\n\n[[tool.poetry.source]]\nname = "corp"\nurl = "${privSimple}"\n`, "app/main.py": "" } },
    { argv: (n) => ["npm", "install", n], files: { "package.json": "{}", ".npmrc": `registry=${priv.npmBase}\n`, "app/index.js": "" } },
  ];
  for (const c of cases) {
    const root = dir(c.files);
    const name = c.argv("x")[0] === "npm" ? "left-pad" : "requests";
    const run = await cli(c.argv(name), env, { cwd: path.join(root, "app") });
    assert.equal(run.code, 1, `${c.argv(name).join(" ")}: ${run.stderr}`);
    assert.match(run.stderr, /does not choose whom Bouncer believes/);
  }
});
