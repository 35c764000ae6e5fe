import assert from "node:assert/strict";
import { test } from "node:test";
import { checkPypiName, isValidPypiName, normalizePypiName, pypiNameProblem } from "../../../src/ecosystems/pypi/names.ts";

test("PEP 503 canonical forms of real names", () => {
  const cases: Array<[string, string]> = [
    ["Django", "django"],
    ["zope.interface", "zope-interface"],
    ["PyYAML", "pyyaml"],
    ["typing_extensions", "typing-extensions"],
    ["Flask-SQLAlchemy", "flask-sqlalchemy"],
    ["ruamel.yaml.clib", "ruamel-yaml-clib"],
    ["a", "a"],
    ["A__b--.c", "a-b-c"],
    ["0", "0"],
  ];
  for (const [raw, canonical] of cases) {
    assert.equal(normalizePypiName(raw), canonical);
    assert.deepEqual(checkPypiName(raw), { ok: true, name: canonical });
  }
});

test("names outside PEP 508 are rejected with a reason", () => {
  const cases: Array<[string, RegExp]> = [
    ["", /empty/],
    ["-foo", /start and end with a letter or digit/],
    ["foo_", /start and end/],
    [".hidden", /start and end/],
    ["foo bar", /contains " "/],
    [" requests", /leading or trailing spaces/],
    ["numpy==1.0", /contains "="/],
    ["pkg[extra]", /contains "\["/],
    ["naïve", /U\+00EF/],
    ["tab\there", /U\+0009/],
    ["@scope/x", /contains "@"/],
    // Over the cap, checked before any pattern (issue 8 item 18).
    ["a".repeat(257), /257 characters long/],
    [`${"a-".repeat(5000)}a`, /10001 characters long/],
  ];
  for (const [raw, reason] of cases) {
    const check = checkPypiName(raw);
    assert.equal(check.ok, false, raw);
    if (!check.ok) assert.match(check.reason, reason, raw);
    assert.equal(isValidPypiName(raw), false, raw);
  }
  assert.equal(pypiNameProblem("requests"), null);
  assert.equal(pypiNameProblem("z".repeat(188)), null, "the longest registered name");
});

test("canonical names are valid and fixed points", () => {
  for (const raw of ["Django", "zope.interface", "A__b--.c", "X.Y_Z"]) {
    const canonical = normalizePypiName(raw);
    assert.deepEqual(checkPypiName(canonical), { ok: true, name: canonical });
  }
});
