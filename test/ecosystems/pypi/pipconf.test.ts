import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { baseFromIndexUrl, loadPipConfig, loadPipSettings, parsePipConfig, splitCredentials } from "../../../src/ecosystems/pypi/pipconf.ts";
import { random, randomBody } from "../../support/fuzz.ts";

const home = "/home/dev";
const files = (tree: Record<string, string>) => (file: string) => tree[file];

describe("parsePipConfig", () => {
  test("sections, normalised keys, continuation lines, comments", () => {
    const text = [
      "# comment",
      "[global]",
      "Index_URL = https://idx.example/simple",
      "extra-index-url =",
      "    https://a.example/simple",
      "    https://b.example/simple",
      "; another comment",
      "timeout: 60",
      "[install]",
      "index-url=https://install.example/simple/",
    ].join("\n");
    assert.deepEqual(parsePipConfig(text), {
      global: {
        "index-url": "https://idx.example/simple",
        "extra-index-url": "\nhttps://a.example/simple\nhttps://b.example/simple",
        timeout: "60",
      },
      install: { "index-url": "https://install.example/simple/" },
    });
  });

  test("never throws on random text, and __proto__ pollutes nothing", () => {
    const rand = random(11);
    for (let i = 0; i < 300; i++) {
      const body = randomBody(rand);
      parsePipConfig((typeof body === "string" ? body : Buffer.from(body).toString("latin1")).replace(/,/g, "\n"));
    }
    parsePipConfig("[__proto__]\npolluted = yes\n[global]\n__proto__ = x");
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe("index URLs", () => {
  test("credentials move from the URL into a Basic header", () => {
    assert.deepEqual(splitCredentials("https://user:p%40ss@idx.example/simple/"), {
      url: "https://idx.example/simple/",
      authorization: `Basic ${Buffer.from("user:p@ss").toString("base64")}`,
    });
    assert.deepEqual(splitCredentials("https://idx.example/simple"), { url: "https://idx.example/simple" });
    assert.equal(splitCredentials("file:///wheels"), null);
    assert.equal(splitCredentials("not a url"), null);
  });

  test("the PyPI base is the index URL without simple/", () => {
    assert.equal(baseFromIndexUrl("https://pypi.org/simple"), "https://pypi.org/");
    assert.equal(baseFromIndexUrl("https://art.example/api/pypi/pypi-remote/simple/"), "https://art.example/api/pypi/pypi-remote/");
    assert.equal(baseFromIndexUrl("https://download.pytorch.org/whl/cpu"), null);
  });
});

describe("loadPipConfig", () => {
  test("user config, [install] over [global], extra index URLs listed", () => {
    const readFile = files({
      "/home/dev/.config/pip/pip.conf": "[global]\nindex-url = https://tok@idx.example/pypi/simple\nextra-index-url = https://x.example/simple https://y.example/simple\n[install]\nindex-url = https://install.example/simple/",
    });
    const config = loadPipConfig({ env: {}, home, readFile });
    assert.equal(config.indexUrl, "https://install.example/simple/");
    assert.equal(config.baseUrl, "https://install.example/");
    assert.equal(config.authorization, undefined);
    assert.deepEqual(config.extraIndexUrls, ["https://x.example/simple", "https://y.example/simple"]);
    assert.deepEqual(config.files, ["/home/dev/.config/pip/pip.conf"]);
  });

  test("later files win: global < legacy user < XDG user < site (virtualenv)", () => {
    const readFile = files({
      "/etc/pip.conf": "[global]\nindex-url = https://etc.example/simple",
      "/home/dev/.pip/pip.conf": "[global]\nindex-url = https://legacy.example/simple",
      "/home/dev/.config/pip/pip.conf": "[global]\ntimeout = 5",
      "/venv/pip.conf": "[global]\nindex-url = https://venv.example/simple",
    });
    assert.equal(loadPipConfig({ env: {}, home, readFile }).indexUrl, "https://legacy.example/simple");
    assert.equal(loadPipConfig({ env: { VIRTUAL_ENV: "/venv" }, home, readFile }).indexUrl, "https://venv.example/simple");
  });

  test("PIP_CONFIG_FILE wins over files and skips the user files; PIP_INDEX_URL wins over all", () => {
    const readFile = files({
      "/home/dev/.config/pip/pip.conf": "[global]\nextra-index-url = https://user-extra.example/simple",
      "/ci/pip.conf": "[global]\nindex-url = https://u:p@ci.example/simple",
    });
    const fromFile = loadPipConfig({ env: { PIP_CONFIG_FILE: "/ci/pip.conf" }, home, readFile });
    assert.equal(fromFile.indexUrl, "https://ci.example/simple");
    assert.equal(fromFile.authorization, `Basic ${Buffer.from("u:p").toString("base64")}`);
    assert.deepEqual(fromFile.extraIndexUrls, []);
    const fromEnv = loadPipConfig({
      env: { PIP_CONFIG_FILE: "/ci/pip.conf", PIP_INDEX_URL: "https://env.example/simple/", PIP_EXTRA_INDEX_URL: "https://e1.example/simple https://e2.example/simple" },
      home,
      readFile,
    });
    assert.equal(fromEnv.indexUrl, "https://env.example/simple/");
    assert.equal(fromEnv.baseUrl, "https://env.example/");
    assert.deepEqual(fromEnv.extraIndexUrls, ["https://e1.example/simple", "https://e2.example/simple"]);
  });

  test("a virtualenv inside the project under review is the project's: its pip.conf is not trusted (issue 8 item 2)", () => {
    const readFile = (file: string) =>
      ({ "/home/dev/.config/pip/pip.conf": "[global]\nindex-url = https://user.example/simple", "/work/app/.venv/pip.conf": "[global]\nindex-url = https://evil.example/simple" })[file];
    const env = { VIRTUAL_ENV: "/work/app/.venv" };
    assert.equal(loadPipConfig({ env, home, readFile }).indexUrl, "https://evil.example/simple");
    const config = loadPipConfig({ env, home, readFile, projectDirs: ["/work/app"] });
    assert.equal(config.indexUrl, "https://user.example/simple");
    assert.deepEqual(config.untrusted, ["/work/app/.venv/pip.conf"]);
    assert.equal(loadPipConfig({ env, home, readFile, projectDirs: ["/work/other"] }).indexUrl, "https://evil.example/simple");
  });

  test("as pip's option parser: every file's [install] over every file's [global]; empty values skipped; os.devnull reads no file", () => {
    const readFile = files({
      "/etc/pip.conf": "[install]\nindex-url = https://etc-install.example/simple",
      "/home/dev/.config/pip/pip.conf": "[global]\nindex-url = https://user-global.example/simple\ntimeout =\n",
    });
    assert.equal(loadPipConfig({ env: {}, home, readFile }).indexUrl, "https://etc-install.example/simple");
    assert.deepEqual(loadPipSettings({ env: { PIP_TIMEOUT: "" }, home, readFile }).settings, { "index-url": "https://etc-install.example/simple" });
    assert.deepEqual(loadPipSettings({ env: { PIP_CONFIG_FILE: "/dev/null", PIP_UPLOADED_PRIOR_TO: "P3D" }, home, readFile }), { settings: { "config-file": "/dev/null", "uploaded-prior-to": "P3D" }, files: [] });
  });

  test("a missing PIP_CONFIG_FILE leaves the user files in place", () => {
    const readFile = files({ "/home/dev/.config/pip/pip.conf": "[global]\nindex-url = https://user.example/simple" });
    assert.equal(loadPipConfig({ env: { PIP_CONFIG_FILE: "/nope" }, home, readFile }).indexUrl, "https://user.example/simple");
  });

  test("nothing configured, unreadable files and junk URLs give an empty config", () => {
    const readFile = (file: string) => {
      if (file === "/etc/pip.conf") return "[global]\nindex-url = not a url";
      throw new Error("EACCES");
    };
    assert.deepEqual(loadPipConfig({ env: {}, home, readFile }), { extraIndexUrls: [], files: ["/etc/pip.conf"] });
  });
});
