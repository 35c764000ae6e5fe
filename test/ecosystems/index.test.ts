import assert from "node:assert/strict";
import { test } from "node:test";
import { ECOSYSTEMS, ecosystemOfImports, getEcosystem } from "../../src/ecosystems/index.ts";
import { REGISTRY_KEYS, REGISTRY_OPTIONS } from "../../src/ecosystems/registries.ts";

test("the ecosystem list", () => {
  assert.deepEqual([...ECOSYSTEMS.keys()], ["npm", "pypi", "github"]);
  for (const [id, eco] of ECOSYSTEMS) assert.equal(eco.id, id);
});

test("getEcosystem by id or purl type, in any case; undefined otherwise", () => {
  assert.equal(getEcosystem("npm")?.label, "npm");
  assert.equal(getEcosystem("pypi")?.label, "PyPI");
  assert.equal(getEcosystem("PyPI")?.id, "pypi"); // OSV's spelling
  assert.equal(getEcosystem("githubactions")?.id, "github"); // the purl type of actions in a folder
  assert.equal(getEcosystem("cargo"), undefined);
  assert.equal(getEcosystem(""), undefined);
});

test("each ecosystem declares its registry options and import language; the policy keys and scanners derive from them", () => {
  assert.deepEqual([...REGISTRY_KEYS], ["npm", "npmDownloads", "pypi", "github"]);
  const flags = [...ECOSYSTEMS.values()].flatMap((e) => (e.registryOptions ?? []).map((o) => `${o.flag ?? "-"} ${o.env}`));
  assert.deepEqual(REGISTRY_OPTIONS, [...ECOSYSTEMS.values()].flatMap((e) => e.registryOptions ?? []), "the light list and the ecosystem list agree");
  assert.deepEqual(flags, ["npm-registry BOUNCER_NPM_REGISTRY", "npm-downloads-api BOUNCER_NPM_DOWNLOADS_API", "pypi-url BOUNCER_PYPI_URL", "- BOUNCER_GITHUB_API"]);
  // An ecosystem's first option is its registry.
  for (const e of ECOSYSTEMS.values()) assert.equal(e.registryOptions?.[0]?.defaultUrl, e.defaultRegistryUrl, e.id);
  assert.equal(ecosystemOfImports("javascript")?.id, "npm");
  assert.equal(ecosystemOfImports("python")?.id, "pypi");
});
