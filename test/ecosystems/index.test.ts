import assert from "node:assert/strict";
import { test } from "node:test";
import { ECOSYSTEMS, getEcosystem } from "../../src/ecosystems/index.ts";

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
