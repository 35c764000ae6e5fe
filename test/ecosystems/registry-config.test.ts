// The settings that choose where installers fetch packages, as each ecosystem reads its files: the
// agent door compares them before and after a change.
import assert from "node:assert/strict";
import { test } from "node:test";
import { npmRegistryConfig } from "../../src/ecosystems/npm/registry-config.ts";
import { pypiRegistryConfig } from "../../src/ecosystems/pypi/registry-config.ts";

test("npm: .npmrc, yarn and bun registry settings; tokens and comments are not routes", () => {
  assert.ok([".npmrc", "a/.npmrc", "conf/npmrc", ".yarnrc", ".yarnrc.yml", "bunfig.toml"].every(npmRegistryConfig.matches));
  assert.ok(![".npmrc.bak", "package.json", "npmrc.md"].some(npmRegistryConfig.matches));
  assert.deepEqual(npmRegistryConfig.settings("registry = https://r.example/\n@corp:registry=https://c.example/\n//r.example/:_authToken=x\n; registry=https://no\nsave-exact=true\n", ".npmrc"), [
    "registry=https://r.example/",
    "@corp:registry=https://c.example/",
  ]);
  assert.deepEqual(npmRegistryConfig.settings('npmRegistryServer: "https://y.example"\nnpmScopes:\n  corp:\n    npmRegistryServer: "https://z.example"\n', ".yarnrc.yml"), [
    'npmRegistryServer:"https://y.example"',
    'npmRegistryServer:"https://z.example"',
  ]);
  assert.deepEqual(npmRegistryConfig.settings('registry "https://y1.example"\n', ".yarnrc"), ['registry "https://y1.example"']);
  assert.deepEqual(npmRegistryConfig.settings('[install]\nregistry = "https://b.example"\n[install.scopes]\n"@corp" = "https://bc.example"\n', "bunfig.toml"), [
    'registry="https://b.example"',
    '"@corp"="https://bc.example"',
  ]);
});

test("PyPI: pip.conf (with continued values), uv and pyproject indexes, Pipfile sources, requirements options", () => {
  assert.ok(["pip.conf", "venv/pip.conf", "pip.ini", "uv.toml", "pyproject.toml", "Pipfile", "requirements.txt", "requirements/dev.in", "constraints.txt"].every(pypiRegistryConfig.matches));
  assert.deepEqual(pypiRegistryConfig.settings("[global]\nindex-url = https://i.example/simple\nextra-index-url =\n    https://a.example/simple\n    https://b.example/simple\ntimeout = 60\n", "pip.conf"), [
    "index-url=https://i.example/simple",
    "extra-index-url=",
    "+https://a.example/simple",
    "+https://b.example/simple",
  ]);
  assert.deepEqual(pypiRegistryConfig.settings('[[tool.uv.index]]\nname = "pytorch"\nurl = "https://download.pytorch.org/whl/cpu"\n', "pyproject.toml"), ['url="https://download.pytorch.org/whl/cpu"']);
  assert.deepEqual(pypiRegistryConfig.settings('[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\n', "Pipfile"), ['url="https://pypi.org/simple"']);
  assert.deepEqual(pypiRegistryConfig.settings("-i https://x.example/simple\n--extra-index-url=https://y.example/simple\nrequests==2.31.0\n# --index-url https://no\n", "requirements.txt"), [
    "-i https://x.example/simple",
    "--extra-index-url=https://y.example/simple",
  ]);
});
