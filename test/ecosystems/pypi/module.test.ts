import assert from "node:assert/strict";
import { test } from "node:test";
import { parsePurl } from "../../../src/core/purl.ts";
import { pypi } from "../../../src/ecosystems/pypi/index.ts";

test("identity", () => {
  assert.equal(pypi.id, "pypi");
  assert.equal(pypi.purlType, "pypi");
  assert.equal(pypi.label, "PyPI");
});

test("purls: lower case, '_' -> '-' (the purl spec's PyPI rule)", () => {
  assert.equal(pypi.toPurl("django", "5.1"), "pkg:pypi/django@5.1");
  assert.equal(pypi.toPurl("Typing_Extensions", null), "pkg:pypi/typing-extensions");
  assert.equal(pypi.toPurl("zope.interface", "6.0"), "pkg:pypi/zope.interface@6.0");
  assert.deepEqual(pypi.fromPurl(parsePurl("pkg:pypi/Django_Rest@1.0")), { name: "django-rest", version: "1.0" });
  assert.deepEqual(pypi.fromPurl(parsePurl("pkg:pypi/numpy")), { name: "numpy", version: null });
  // PyPI has no namespaces: one stays in the name, where checkName rejects it.
  const odd = pypi.fromPurl(parsePurl("pkg:pypi/ns/numpy"));
  assert.equal(pypi.checkName(odd.name).ok, false);
});

test("splitSpec: PEP 508 requirements", () => {
  assert.deepEqual(pypi.splitSpec("requests"), { name: "requests", version: null });
  assert.deepEqual(pypi.splitSpec("Django==4.2"), { name: "Django", version: "4.2" });
  assert.deepEqual(pypi.splitSpec("name[extra]>=2,<3"), { name: "name", version: ">=2,<3" });
  assert.deepEqual(pypi.splitSpec("name @ https://example.org/name-1.0.whl"), { name: "name", version: null });
  assert.deepEqual(pypi.splitSpec("foo (>=1.0) ; python_version < '3.8'"), { name: "foo", version: ">=1.0" });
  assert.deepEqual(pypi.splitSpec("x==1.*"), { name: "x", version: "==1.*" });
  assert.deepEqual(pypi.splitSpec("numpy===1.0"), { name: "numpy", version: "===1.0" });
  // Unparsable: the leading name-like part, for checkName to judge.
  assert.deepEqual(pypi.splitSpec("-bad>=1"), { name: "-bad", version: null });
});

test("checkName, resolveVersion, affects and compareVersions are wired", () => {
  assert.deepEqual(pypi.checkName("Django"), { ok: true, name: "django" });
  assert.equal(pypi.canonicalName("Zope.Interface"), "zope-interface");
  const facts = { existence: "exists" as const, unknownReasons: [], sources: [], malicious: [], latestVersion: "2.0" };
  assert.equal(pypi.resolveVersion(null, facts), "2.0");
  assert.equal(pypi.affects({ id: "MAL-1", allVersions: false, versions: ["1.0"], ranges: [] }, "1.0.0"), true);
  assert.ok(pypi.compareVersions("1.0rc1", "1.0") < 0);
  assert.equal(typeof pypi.createRegistrySource, "function");
});

test("scan and similarity wiring", () => {
  assert.equal(pypi.similarity.scoped, false);
  assert.equal(pypi.similarity.foldSeparators, true);
  assert.ok(pypi.extractors.some((e) => e.matches("requirements.txt")));
});
