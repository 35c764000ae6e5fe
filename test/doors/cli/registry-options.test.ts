// The trusted registry URLs come from each ecosystem's registry options (src/ecosystems/registries.ts):
// option, then its BOUNCER_* variable, then the trusted policy, then the user's tool configuration.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { parsePolicy } from "../../../src/core/policy.ts";
import { explicitRegistry, trustedRegistries } from "../../../src/doors/cli/config.ts";
import type { CliIO } from "../../../src/doors/cli/io.ts";
import { REGISTRY_KEYS, REGISTRY_OPTIONS } from "../../../src/ecosystems/registries.ts";

const home = mkdtempSync(path.join(tmpdir(), "bouncer-regopts-"));
// pip's index from the environment wins over any machine-wide pip.conf: the test reads no file outside `home`.
const io = (env: Record<string, string>) =>
  ({ env: { HOME: home, npm_config_prefix: home, XDG_CONFIG_DIRS: home, PIP_INDEX_URL: "https://pip.example/simple/", ...env }, cwd: home }) as unknown as CliIO;
const option = (key: string) => REGISTRY_OPTIONS.find((o) => o.key === key)!;

test("each registry option: the flag, then its variable, then the trusted policy, else nothing explicit", () => {
  const policy = parsePolicy({ registries: { npm: "https://p.example/", github: "https://gh-p.example/" } }, REGISTRY_KEYS);
  assert.equal(explicitRegistry(option("npm"), { "npm-registry": "https://f.example/" }, io({ BOUNCER_NPM_REGISTRY: "https://e.example/" }), policy), "https://f.example/");
  assert.equal(explicitRegistry(option("npm"), {}, io({ BOUNCER_NPM_REGISTRY: "https://e.example/" }), policy), "https://e.example/");
  assert.equal(explicitRegistry(option("npm"), {}, io({}), policy), "https://p.example/");
  assert.equal(explicitRegistry(option("pypi"), {}, io({}), policy), undefined);
  assert.equal(explicitRegistry(option("github"), {}, io({ BOUNCER_GITHUB_API: "https://gh-e.example/" }), policy), "https://gh-e.example/");
});

test("every option's key is a trusted registry: the user's tool configuration, else its default; a bad URL names the option", () => {
  const trusted = trustedRegistries({}, io({}), parsePolicy({}, REGISTRY_KEYS));
  assert.deepEqual(Object.keys(trusted.registries), [...REGISTRY_KEYS]);
  for (const o of REGISTRY_OPTIONS) assert.equal(trusted.registries[o.key], o.key === "pypi" ? "https://pip.example/" : o.defaultUrl, o.key);
  const set = trustedRegistries({ "npm-downloads-api": "https://d.example/x" }, io({ BOUNCER_PYPI_URL: "https://py.example" }), parsePolicy({}, REGISTRY_KEYS));
  assert.equal(set.registries.npmDownloads, "https://d.example/x/");
  assert.equal(set.registries.pypi, "https://py.example/");
  assert.throws(() => trustedRegistries({}, io({ BOUNCER_GITHUB_API: "ftp://x" }), parsePolicy({}, REGISTRY_KEYS)), /GitHub API is not an http\(s\) URL/);
});
