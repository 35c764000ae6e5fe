import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { distributionsForImport, importNameMismatch, isStdlib, stdlibPythonVersion } from "../../../src/ecosystems/pypi/imports.ts";
import { normalizePypiName } from "../../../src/ecosystems/pypi/names.ts";

const SHIPPED = new URL("../../../data/python-import-names.tsv", import.meta.url);
const SOURCE = new URL("../../../../shared/datasets/python-import-names.tsv", import.meta.url);

test("importNameMismatch: an import name installed as if it were the distribution", () => {
  const meant = (name: string) => importNameMismatch(name)?.distribution;
  assert.equal(meant("yaml"), "PyYAML");
  assert.equal(normalizePypiName(meant("sklearn")!), "scikit-learn");
  assert.equal(meant("cv2"), "opencv-python");
  assert.equal(meant("PIL"), "Pillow");
  assert.equal(meant("bs4"), "beautifulsoup4");
  assert.equal(meant("  yaml "), "PyYAML");
});

test("importNameMismatch: null when the import name is the distribution, unknown, or a namespace", () => {
  // "requests" maps to "Requests": equal after PEP 503.
  for (const name of ["requests", "numpy", "pyyaml", "scikit-learn", "Pillow", "azure", "backports", "", "definitely-not-an-import"]) {
    assert.equal(importNameMismatch(name), null, name);
  }
  assert.equal(importNameMismatch(undefined as unknown as string), null);
});

test("distributionsForImport: the mapping, the dotted namespace member, else the name itself", () => {
  assert.deepEqual(distributionsForImport("yaml"), ["PyYAML"]);
  assert.deepEqual(distributionsForImport("PIL.Image"), ["Pillow"]);
  assert.deepEqual(distributionsForImport("azure.storage.blob"), ["azure_storage"]);
  assert.deepEqual(distributionsForImport("backports.ssl_match_hostname"), ["backports.ssl_match_hostname"]);
  assert.ok(distributionsForImport("backports").length > 5);
  assert.deepEqual(distributionsForImport("requests_toolbelt.adapters"), ["requests_toolbelt"]);
  assert.deepEqual(distributionsForImport("numpy"), ["numpy"]);
  // Import names are case-sensitive in Python: "pil" is not "PIL".
  assert.deepEqual(distributionsForImport("pil"), ["pil"]);
  assert.deepEqual(distributionsForImport(""), []);
});

test("isStdlib: top-level module of the shipped standard library list", () => {
  for (const m of ["os", "os.path", "sys", "json", "asyncio", "typing", "__future__", "tomllib", "collections.abc"]) assert.ok(isStdlib(m), m);
  for (const m of ["requests", "yaml", "numpy", "", "osx", "json5"]) assert.ok(!isStdlib(m), m);
  assert.match(stdlibPythonVersion(), /^3\.\d+\.\d+/);
});

test("the shipped mapping holds every row of the pipreqs dataset and credits it", () => {
  const shipped = readFileSync(SHIPPED, "utf8");
  assert.match(shipped, /pipreqs/);
  assert.match(shipped, /Apache License, Version 2\.0/);
  const map = new Map(
    shipped
      .split("\n")
      .filter((l) => l && !l.startsWith("#"))
      .map((l) => [l.split("\t")[0]!, l.split("\t")[1]!.split(",")]),
  );
  const rows = readFileSync(SOURCE, "utf8").split(/\r?\n/).slice(1).filter(Boolean);
  assert.ok(rows.length > 1000);
  for (const row of rows) {
    const [name, dist] = row.split("\t");
    assert.ok(map.get(name!)?.includes(dist!), row);
  }
  assert.equal(map.size, new Set(rows.map((r) => r.split("\t")[0])).size);
});
