// biome-ignore-all lint/suspicious/noTemplateCurlyInString: npm's ${VAR} syntax is what these tests are about
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  authorizationFromEntries,
  configKeyOfEnv,
  expandEnv,
  loadNpmConfig,
  readProjectNpmrc,
  npmConfigFromEntries,
  scopeOfRegistryKey,
  npmSetting,
  parseNpmrc,
  userNpmrcFile,
} from "../../../src/ecosystems/npm/npmrc.ts";
import { random, randomBody } from "../../support/fuzz.ts";

/** A readFile over an in-memory file tree. */
function files(tree: Record<string, string>): (file: string) => string | undefined {
  return (file) => tree[file];
}

describe("parseNpmrc", () => {
  test("keys, values, comments, quotes", () => {
    const text = [
      "\uFEFF; a comment",
      "# another",
      "registry = https://npm.corp.example/api/npm/",
      '@corp:registry="https://npm.corp.example/api/corp/"',
      "strict-ssl=false",
      "flag",
      "list[]=a",
      "",
      "[section]",
      "registry=https://ignored.example/",
    ].join("\r\n");
    assert.deepEqual(parseNpmrc(text), {
      registry: "https://npm.corp.example/api/npm/",
      "@corp:registry": "https://npm.corp.example/api/corp/",
      "strict-ssl": "false",
      flag: "true",
    });
  });

  test("${VAR} expansion in keys and values", () => {
    const env = { TOKEN: "s3cret", HOST: "npm.corp.example" };
    assert.deepEqual(parseNpmrc("//${HOST}/:_authToken=${TOKEN}", env), { "//npm.corp.example/:_authToken": "s3cret" });
  });

  test("expandEnv: unset stays literal, ? makes it empty, backslashes escape", () => {
    const env = { A: "x" };
    assert.equal(expandEnv("${A}-${B}", env), "x-${B}");
    assert.equal(expandEnv("${B?}", env), "");
    assert.equal(expandEnv("\\${A}", env), "${A}");
    assert.equal(expandEnv("\\\\${A}", env), "\\x");
  });

  test("never throws on random text", () => {
    const rand = random(5);
    for (let i = 0; i < 300; i++) {
      const body = randomBody(rand);
      const text = typeof body === "string" ? body : Buffer.from(body).toString("latin1");
      npmConfigFromEntries(parseNpmrc(text.replace(/,/g, "\n"), { X: "y" }));
    }
  });

  test("__proto__ keys do not reach the prototype", () => {
    const parsed = parseNpmrc("__proto__=polluted\nregistry=https://r.example/");
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe("credentials by registry URL", () => {
  const entries = {
    "//npm.corp.example/api/npm/:_authToken": "path-token",
    "//npm.corp.example/:_authToken": "host-token",
    "//basic.example/:_auth": "dXNlcjpwYXNz",
    "//userpass.example/:username": "bob",
    "//userpass.example/:_password": Buffer.from("hunter2").toString("base64"),
    "//unset.example/:_authToken": "${NPM_TOKEN}",
  };

  test("the most specific path wins; parent paths and the host are tried next", () => {
    assert.equal(authorizationFromEntries(entries, "https://npm.corp.example/api/npm/"), "Bearer path-token");
    assert.equal(authorizationFromEntries(entries, "https://npm.corp.example/api/other/"), "Bearer host-token");
  });

  test("_auth and username/_password are Basic", () => {
    assert.equal(authorizationFromEntries(entries, "https://basic.example/"), "Basic dXNlcjpwYXNz");
    assert.equal(authorizationFromEntries(entries, "https://userpass.example/"), `Basic ${Buffer.from("bob:hunter2").toString("base64")}`);
  });

  test("no credential for other hosts, ports, or unexpanded variables", () => {
    assert.equal(authorizationFromEntries(entries, "https://registry.npmjs.org/"), undefined);
    assert.equal(authorizationFromEntries(entries, "https://npm.corp.example:8443/api/npm/"), undefined);
    assert.equal(authorizationFromEntries(entries, "https://unset.example/"), undefined);
    assert.equal(authorizationFromEntries(entries, "not a url"), undefined);
  });
});

describe("loadNpmConfig", () => {
  const home = "/home/dev";
  const user = [
    "registry=https://npm.corp.example/api/npm/",
    "//npm.corp.example/:_authToken=${NPM_TOKEN}",
    "@corp:registry=https://npm.corp.example/api/corp",
    "@Other:registry=https://other.example/npm/",
    "//registry.npmjs.org/:_authToken=public-token",
  ].join("\n");

  test("user ~/.npmrc: registry, scopes with their credentials, env expansion", () => {
    const config = loadNpmConfig({ cwd: "/work/app", home, env: { NPM_TOKEN: "t0k" }, readFile: files({ "/home/dev/.npmrc": user }) });
    assert.equal(config.registry, "https://npm.corp.example/api/npm/");
    assert.equal(config.authorization, "Bearer t0k");
    assert.deepEqual(config.scopes, {
      "@corp": { baseUrl: "https://npm.corp.example/api/corp/", authorization: "Bearer t0k" },
      // npm reads file keys case-sensitively: "@Other:registry" serves "@Other/x" only.
      "@Other": { baseUrl: "https://other.example/npm/" },
    });
    assert.equal(config.authFor("https://registry.npmjs.org/"), "Bearer public-token");
    assert.deepEqual(config.files, ["/home/dev/.npmrc"]);
  });

  test("the project .npmrc is not trusted configuration: read apart, unexpanded, without credentials (issue 8 item 2)", () => {
    const readFile = files({
      "/home/dev/.npmrc": user,
      "/work/app/package.json": "{}",
      "/work/app/.npmrc": "registry=https://project.example/${NPM_TOKEN}/\n//project.example/:_authToken=${NPM_TOKEN}\n@corp:registry=https://evil.example/\n//x/:_password=cA==",
      "/work/app/src/.npmrc": "registry=https://not-read.example/",
    });
    const ctx = { cwd: "/work/app/src/deep", home, env: { NPM_TOKEN: "s3cret" }, readFile };
    const config = loadNpmConfig(ctx);
    assert.equal(config.registry, "https://npm.corp.example/api/npm/", "the user's registry stands");
    assert.equal(config.scopes["@corp"]!.baseUrl, "https://npm.corp.example/api/corp/");
    assert.deepEqual(config.files, ["/home/dev/.npmrc"]);
    const project = readProjectNpmrc(ctx);
    assert.deepEqual(project, {
      file: "/work/app/.npmrc",
      registry: "https://project.example/${NPM_TOKEN}/",
      scopes: { "@corp": "https://evil.example/" },
      credentialKeys: ["//project.example/:_authToken", "//x/:_password"],
    });
    assert.ok(!JSON.stringify(project).includes("s3cret"));
    assert.equal(readProjectNpmrc({ ...ctx, cwd: "/elsewhere" }), undefined);
  });

  test("global npmrc under the user's; npm_config_@scope:registry over both", () => {
    const readFile = files({ "/usr/etc/npmrc": "registry=https://global.example/\n@g:registry=https://g.example/", "/home/dev/.npmrc": "@u:registry=https://u.example/" });
    const config = loadNpmConfig({ cwd: "/work", home, env: { "npm_config_@e:registry": "https://e.example/" }, readFile, globalFile: "/usr/etc/npmrc" });
    assert.equal(config.registry, "https://global.example/");
    assert.deepEqual(Object.keys(config.scopes).sort(), ["@e", "@g", "@u"]);
    assert.deepEqual(config.files, ["/usr/etc/npmrc", "/home/dev/.npmrc"]);
  });

  test("scope keys as npm reads them: files keep case, npm_config_* is lower-cased with _ read as -", () => {
    const readFile = files({ "/home/dev/.npmrc": "@MyCorp:registry=https://mixed.example/\n@lower:registry=https://lower.example/" });
    const env = { "npm_config_@Env_Corp:registry": "https://env.example/", "NPM_CONFIG_@UP:registry": "https://up.example/" };
    const config = loadNpmConfig({ cwd: "/work", home, env, readFile });
    assert.deepEqual(Object.keys(config.scopes).sort(), ["@MyCorp", "@env-corp", "@lower", "@up"]);
    assert.equal(configKeyOfEnv("npm_config_//Host.example/:_authToken"), "//Host.example/:_authToken", "credential keys untouched");
    assert.equal(configKeyOfEnv("HOME"), undefined);
    assert.equal(scopeOfRegistryKey("@MyCorp:registry"), "@MyCorp");
    assert.equal(scopeOfRegistryKey("MyCorp:registry"), undefined, "npm's keys name the scope with its @");
  });

  test("npm_config_registry wins over files; npm_config_userconfig moves the user file", () => {
    const readFile = files({ "/etc/custom-npmrc": "registry=https://custom.example/\n//env.example/:_authToken=e" });
    const config = loadNpmConfig({
      cwd: "/work/app",
      home,
      env: { npm_config_userconfig: "/etc/custom-npmrc", NPM_CONFIG_REGISTRY: "https://env.example/" },
      readFile,
    });
    assert.equal(config.registry, "https://env.example/");
    assert.equal(config.authorization, "Bearer e");
  });

  test("no files: no registry, credentials for the public registry only if configured", () => {
    const config = loadNpmConfig({ cwd: "/", home, env: {}, readFile: () => undefined });
    assert.equal(config.registry, undefined);
    assert.equal(config.authorization, undefined);
    assert.deepEqual(config.scopes, {});
    assert.deepEqual(config.files, []);
  });

  test("unreadable files and junk registry values are skipped", () => {
    const readFile = (file: string) => {
      if (file === "/home/dev/.npmrc") return "registry=not a url\n@x:registry=ftp://x/";
      throw new Error("EACCES");
    };
    const config = loadNpmConfig({ cwd: "/work", home, env: {}, readFile });
    assert.equal(config.registry, undefined);
    assert.deepEqual(config.scopes, {});
  });
});

test("one setting as npm resolves it: npm_config_* over the project's .npmrc over the user's, and where it came from", () => {
  const texts = { project: "min-release-age=5\n", user: "min-release-age=1\nregistry=https://r.example/\n" };
  assert.deepEqual(npmSetting("min-release-age", { npm_config_min_release_age: "7" }, texts), { value: "7", where: "npm_config_min_release_age" });
  assert.deepEqual(npmSetting("min-release-age", { NPM_CONFIG_MIN_RELEASE_AGE: "8" }, texts), { value: "8", where: "NPM_CONFIG_MIN_RELEASE_AGE" });
  assert.deepEqual(npmSetting("min-release-age", {}, texts), { value: "5", where: ".npmrc" });
  assert.deepEqual(npmSetting("registry", {}, texts), { value: "https://r.example/", where: "~/.npmrc" });
  assert.equal(npmSetting("registry", {}, { project: undefined, user: undefined }), undefined);
  assert.equal(userNpmrcFile({}, "/home/u", "/p"), "/home/u/.npmrc");
  assert.equal(userNpmrcFile({ npm_config_userconfig: "conf/npmrc" }, "/home/u", "/p"), "/p/conf/npmrc");
  assert.equal(userNpmrcFile({ NPM_CONFIG_USERCONFIG: "/etc/u.npmrc" }, "/home/u", "/p"), "/etc/u.npmrc");
});
