// The real npm and pip clients through the proxy, each in an isolated home, cache and configuration.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { HOSTILE } from "../../support/registry-server.ts";
import { osvRecord, type ProxyFixture, publishNpm, publishPypi, startProxy } from "./setup.ts";

const OLD = "2015-06-01T00:00:00.000Z";
const MIDDLE = "2021-06-01T00:00:00.000Z";
const YOUNG = "2026-11-23T09:00:00.000Z"; // 3 h before the fixed clock

interface Run {
  code: number;
  output: string;
}

function run(command: string, args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { env, cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}\n${stderr}` });
    });
  });
}

/** The client's path and major version, or null when it is not installed here. */
function probe(command: string, args: string[], pattern: RegExp): { path: string; major: number } | null {
  try {
    const out = execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const m = pattern.exec(out);
    return m ? { path: m[1] ?? command, major: Number(m[2]) } : null;
  } catch {
    return null;
  }
}

const npmClient = probe("npm", ["--version"], /^()(\d+)\./);
const python = probe("python3", ["-c", "import sys, pip; print(sys.executable, pip.__version__)"], /^(\S+) (\d+)\./);
const NODE_DIR = dirname(process.execPath);

describe("real clients through the proxy", { concurrency: 2 }, () => {
  let p: ProxyFixture;
  let base: string;
  let home: string;
  before(async () => {
    p = await startProxy({
      minimumVersionAgeHours: 48,
      osv: [osvRecord("MAL-2026-0201", "npm", "e2e-evil", ["1.0.1"]), osvRecord("MAL-2026-0202", "PyPI", "e2e-evil-py", ["1.0.1"])],
    });
    publishNpm(p.up, "e2e-good", [
      { version: "1.0.0", time: OLD, dependencies: { "e2e-dep": "^2.0.0" } },
      { version: "1.1.0", time: YOUNG },
    ]);
    publishNpm(p.up, "e2e-dep", [{ version: "2.0.0", time: OLD }, { version: "2.1.0", time: MIDDLE }]);
    publishNpm(p.up, "e2e-evil", [{ version: "1.0.0", time: OLD }, { version: "1.0.1", time: MIDDLE }]);
    publishPypi(p.up, "e2e-good-py", [{ version: "1.0.0", time: OLD }, { version: "1.1.0", time: YOUNG }]);
    publishPypi(p.up, "e2e-evil-py", [{ version: "1.0.0", time: OLD }, { version: "1.0.1", time: MIDDLE }]);
    base = await p.listen();
    home = mkdtempSync(join(tmpdir(), "bouncer-clients-"));
    writeFileSync(join(home, "empty-npmrc"), "");
    writeFileSync(join(home, "empty-global-npmrc"), "");
  });
  after(async () => {
    await p.close();
    rmSync(home, { recursive: true, force: true });
  });

  const npmInstall = async (spec: string) => {
    const project = mkdtempSync(join(home, "npm-"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "e2e-project", version: "1.0.0", private: true }));
    const env = {
      PATH: `${NODE_DIR}${delimiter}${process.env.PATH ?? ""}`,
      HOME: home,
      npm_config_cache: join(project, ".cache"),
      npm_config_userconfig: join(home, "empty-npmrc"),
      npm_config_globalconfig: join(home, "empty-global-npmrc"),
      npm_config_update_notifier: "false",
    };
    const args = ["install", spec, "--registry", `${base}/npm/`, "--no-audit", "--no-fund", "--ignore-scripts", "--fetch-retries=0", "--no-progress"];
    return { project, ...(await run("npm", args, env, project)) };
  };

  const pipInstall = async (spec: string) => {
    const target = mkdtempSync(join(home, "pip-"));
    const env = { PATH: process.env.PATH ?? "", HOME: home, PIP_CONFIG_FILE: "/dev/null", PIP_NO_INPUT: "1", PYTHONDONTWRITEBYTECODE: "1" };
    const args = ["-m", "pip", "install", "--isolated", "--no-cache-dir", "--disable-pip-version-check", "--retries", "0", "--timeout", "15"];
    args.push("--index-url", `${base}/pypi/simple/`, "--target", target, spec);
    return { target, ...(await run(python!.path, args, env, home)) };
  };

  const npmTest = npmClient && npmClient.major >= 9 ? test : test.skip;
  const pipTest = python && python.major >= 21 ? test : test.skip;

  npmTest("npm installs a good package and its dependency, choosing the version old enough", async () => {
    const { code, output, project } = await npmInstall("e2e-good");
    assert.equal(code, 0, output);
    const installed = (name: string) => JSON.parse(readFileSync(join(project, "node_modules", name, "package.json"), "utf8")).version;
    assert.equal(installed("e2e-good"), "1.0.0");
    assert.equal(installed("e2e-dep"), "2.1.0");
    assert.match(output, /npm notice Bouncer hid e2e-good@1\.1\.0 \(published 3 hours ago; the policy wants at least 48 h\)/);
    const lock = readFileSync(join(project, "package-lock.json"), "utf8");
    assert.match(lock, new RegExp(`"resolved": "${base}/npm/e2e-good/-/e2e-good-1\\.0\\.0\\.tgz"`));
  });

  npmTest("npm refuses a hallucinated name and shows why", async () => {
    const { code, output, project } = await npmInstall("left-padd");
    assert.notEqual(code, 0);
    assert.match(output, /Bouncer blocked pkg:npm\/left-padd: not-found: the npm registry has no package named "left-padd"/);
    assert.match(output, /did you mean left-pad/);
    assert.ok(!existsSync(join(project, "node_modules", "left-padd")));
  });

  npmTest("npm refuses a known-malicious package", async () => {
    const { code, output, project } = await npmInstall("e2e-evil");
    assert.notEqual(code, 0);
    assert.match(output, /403 Blocked by Bouncer - GET .*e2e-evil - Bouncer blocked pkg:npm\/e2e-evil: known-malicious: .*MAL-2026-0201/);
    assert.ok(!existsSync(join(project, "node_modules", "e2e-evil")));
  });

  npmTest("npm fails when the upstream fails: nothing is served unverified", async () => {
    const { code, output, project } = await npmInstall(HOSTILE.status500);
    assert.notEqual(code, 0);
    assert.match(output, /502 Bad Gateway .*Bouncer could not verify hostile-500/);
    assert.ok(!existsSync(join(project, "node_modules", HOSTILE.status500)));
  });

  pipTest("pip installs a good project, choosing the version old enough", async () => {
    const { code, output, target } = await pipInstall("e2e-good-py");
    assert.equal(code, 0, output);
    assert.deepEqual(readdirSync(target).sort(), ["e2e_good_py", "e2e_good_py-1.0.0.dist-info"]);
    assert.match(output, /Downloading http:\/\/127\.0\.0\.1:\d+\/pypi\/files\/e2e-good-py\/e2e_good_py-1\.0\.0-py3-none-any\.whl/);
  });

  pipTest("pip refuses a hallucinated name and shows why", async () => {
    const { code, output, target } = await pipInstall("numpay");
    assert.notEqual(code, 0);
    assert.match(output, /Bouncer blocked pkg:pypi\/numpay: not-found/);
    assert.match(output, /did you mean numpy/);
    assert.deepEqual(readdirSync(target), []);
  });

  pipTest("pip refuses a known-malicious project", async () => {
    const { code, output, target } = await pipInstall("e2e-evil-py==1.0.1");
    assert.notEqual(code, 0);
    assert.match(output, /Bouncer blocked pkg:pypi\/e2e-evil-py: known-malicious: .*MAL-2026-0202/);
    assert.deepEqual(readdirSync(target), []);
  });

  pipTest("pip fails when the upstream fails: nothing is served unverified", async () => {
    const { code, output, target } = await pipInstall(HOSTILE.status500);
    assert.notEqual(code, 0);
    assert.match(output, /Bouncer could not verify hostile-500/);
    assert.deepEqual(readdirSync(target), []);
  });
});

describe("real clients through a proxy with a token", { concurrency: 2 }, () => {
  const TOKEN = "e2e-token-0123456789abcdef";
  let p: ProxyFixture;
  let base: string;
  let home: string;
  before(async () => {
    p = await startProxy({ token: TOKEN });
    publishNpm(p.up, "e2e-private", [{ version: "1.0.0", time: OLD }]);
    publishPypi(p.up, "e2e-private-py", [{ version: "1.0.0", time: OLD }]);
    base = await p.listen();
    home = mkdtempSync(join(tmpdir(), "bouncer-clients-token-"));
  });
  after(async () => {
    await p.close();
    rmSync(home, { recursive: true, force: true });
  });

  const npmTest = npmClient && npmClient.major >= 9 ? test : test.skip;
  const pipTest = python && python.major >= 21 ? test : test.skip;

  npmTest("npm sends its _authToken for the proxy URL", async () => {
    const project = mkdtempSync(join(home, "npm-"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "e2e-project", version: "1.0.0", private: true }));
    const npmrc = join(home, "npmrc");
    writeFileSync(npmrc, `${base.replace(/^http:/, "")}/npm/:_authToken=${TOKEN}\n`);
    writeFileSync(join(home, "global-npmrc"), "");
    const env = {
      PATH: `${NODE_DIR}${delimiter}${process.env.PATH ?? ""}`,
      HOME: home,
      npm_config_cache: join(project, ".cache"),
      npm_config_userconfig: npmrc,
      npm_config_globalconfig: join(home, "global-npmrc"),
      npm_config_update_notifier: "false",
    };
    const args = ["install", "e2e-private", "--registry", `${base}/npm/`, "--no-audit", "--no-fund", "--ignore-scripts", "--fetch-retries=0"];
    const { code, output } = await run("npm", args, env, project);
    assert.equal(code, 0, output);
    assert.ok(existsSync(join(project, "node_modules", "e2e-private", "package.json")));
    assert.deepEqual(p.up.requests().filter((r) => r.authorization?.includes(TOKEN)), [], "the token is not forwarded");
  });

  pipTest("pip sends the token as the password of its index URL", async () => {
    const target = mkdtempSync(join(home, "pip-"));
    const env = { PATH: process.env.PATH ?? "", HOME: home, PIP_CONFIG_FILE: "/dev/null", PIP_NO_INPUT: "1" };
    const index = base.replace("http://", `http://bouncer:${TOKEN}@`);
    const args = ["-m", "pip", "install", "--isolated", "--no-cache-dir", "--disable-pip-version-check", "--retries", "0"];
    args.push("--index-url", `${index}/pypi/simple/`, "--target", target, "e2e-private-py");
    const { code, output } = await run(python!.path, args, env, home);
    assert.equal(code, 0, output);
    assert.deepEqual(readdirSync(target).sort(), ["e2e_private_py", "e2e_private_py-1.0.0.dist-info"]);
  });
});
