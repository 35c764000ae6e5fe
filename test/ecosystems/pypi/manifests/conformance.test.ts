// Conformance with the package lists other tools' test suites expect, for every fixture under
// ../shared/fixtures/{requirements-txt,pyproject-pep621,poetry-lock,pipfile-lock,uv-lock,pdm-lock}
// that has an expected file. Our output is mapped to each tool's conventions (see `semantics` in
// the expected files); where we differ on purpose, DIFFERENCES below says so and why.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { normalizePypiName } from "../../../../src/ecosystems/pypi/names.ts";
import { parseSpecifierSet } from "../../../../src/ecosystems/pypi/pep440.ts";
import {
  pdmLockExtractor,
  pipfileLockExtractor,
  poetryLockExtractor,
  pyprojectExtractor,
  requirementsTxtExtractor,
  uvLockExtractor,
} from "../../../../src/ecosystems/pypi/manifests/index.ts";
import type { ExtractedDependency, Extractor, ExtractResult } from "../../../../src/core/dependency.ts";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../../shared/fixtures");

const FORMATS: Array<{ dir: string; extractor: Extractor }> = [
  { dir: "requirements-txt", extractor: requirementsTxtExtractor },
  { dir: "pyproject-pep621", extractor: pyprojectExtractor },
  { dir: "poetry-lock", extractor: poetryLockExtractor },
  { dir: "pipfile-lock", extractor: pipfileLockExtractor },
  { dir: "uv-lock", extractor: uvLockExtractor },
  { dir: "pdm-lock", extractor: pdmLockExtractor },
];

/**
 * Deliberate differences. `extra`: we report it, the tool does not; `missing`: the tool reports
 * it, we do not; `version`: we report another version; `problems`: problems we report where the
 * tool reports no error.
 */
const DIFFERENCES: Array<{
  fixture: string;
  extra?: string[];
  missing?: string[];
  version?: Record<string, string>;
  problems?: number;
  why: string;
}> = [
  {
    fixture: "requirements-txt/osv-scalibr/example.txt",
    extra: ["urllib3", "numpy", "wxPython_Phoenix"],
    problems: 1,
    why: "direct references (name @ url, a local wheel, a wheel URL): we report them as url/path (never looked up by name), the tool drops them; -c constraints.txt does not exist: we say it was not read (the tool ignores -c)",
  },
  {
    fixture: "requirements-txt/osv-scanner/file-format-example.txt",
    extra: ["numpy", "wxPython_Phoenix"],
    why: "a local wheel and a wheel URL: we report them as path/url with the name from the file name; the tool drops them",
  },
  {
    fixture: "pipfile-lock/osv-scalibr/no-version.json",
    extra: ["markupsafe", "itsdangerous"],
    why: "editable git checkouts have no version: we report them as git (not looked up); the tool drops them",
  },
  {
    fixture: "requirements-txt/osv-scalibr/env_var.txt",
    extra: ["qwert"],
    why: "qwert==$\u007bMY_VARIABLE_1}: the name is known, only the version is not; we report it with version null",
  },
  {
    fixture: "requirements-txt/osv-scalibr/invalid.txt",
    extra: ["urllib3"],
    problems: 3,
    why: "asdf==, ==1.0 and asdf 1.0 are invalid PEP 508: we report each line as not understood; urllib3 @ url is a url reference we report, the tool drops it",
  },
  {
    fixture: "requirements-txt/osv-scalibr/per_req_options.txt",
    missing: ["foo7"],
    problems: 3,
    why: "foo7==1.0 unexpected_text...: pip rejects the line (invalid PEP 508), so do we (problem) instead of a version '1.0 unexpected...'; foo10==/foo15== are problems too",
  },
  {
    fixture: "requirements-txt/osv-scanner/line-continuation.txt",
    version: { bar: "4.5.6" },
    why: "pip strips trailing backslashes and joins 'bar == 4.5\\\\' with '.6' into 4.5.6; the tool keeps '4.5\\\\'",
  },
];
const BUILD_SYSTEM_NOTE = "pyproject [build-system] requires: we report them (group build-system, they run at build time); osv-scalibr does not";
// uv-lock/osv-scalibr/empty.lock.expected.json also holds the cases for these two fixtures.
const UV_CASE_FILES: Record<string, string> = { "no dependencies": "no-dependencies.lock", "no packages": "no-packages.lock" };

interface Pkg {
  name: string;
  version: string;
  depGroups?: string[];
}

/** osv-scalibr's version: the version of a single non-"!=" clause without a wildcard, else "". */
function scalibrVersion(version: string | null): string {
  if (version === null) return "";
  const set = parseSpecifierSet(version);
  if (!set || set.specifiers.length === 0) return version;
  if (set.specifiers.length !== 1) return "";
  const only = set.specifiers[0]!;
  return only.operator === "!=" || only.version.includes("*") ? "" : only.version;
}

/** osv-scanner's version: the first clause's version when it is ==, ===, >= or ~=, else "0.0.0". */
function scannerVersion(version: string | null): string {
  if (version === null) return "0.0.0";
  const set = parseSpecifierSet(version);
  if (!set || set.specifiers.length === 0) return version;
  const first = set.specifiers[0]!;
  return ["==", "===", ">=", "~="].includes(first.operator) ? first.version : "0.0.0";
}

/** osv-scalibr's depGroups from our dev flag and group list. */
function scalibrGroups(format: string, dep: ExtractedDependency, all: ExtractedDependency[]): string[] {
  const groups = dep.group ? dep.group.split(",") : [];
  if (format === "pipfile-lock") {
    // One entry per name and version there: dev only when every category listing it is "develop".
    return all.every((d) => d.name !== dep.name || d.version !== dep.version || d.dev) ? ["dev"] : [];
  }
  if (format === "pdm-lock") return dep.dev ? ["dev"] : groups.length ? ["optional"] : [];
  // poetry.lock: the groups of a package that is also in "main" are not reported.
  if (format === "poetry-lock" && !dep.dev) return groups.includes("optional") ? ["optional"] : [];
  return groups;
}

function mapOurs(format: string, scanner: boolean, deps: ExtractedDependency[]): Pkg[] {
  // Workspace members (uv) are the project's own packages, not dependencies any tool lists.
  const kept = deps.filter((d) => d.source !== "workspace");
  if (scanner) {
    return kept.map((d) => ({
      name: normalizePypiName(d.name),
      version: scannerVersion(d.version),
      depGroups: [path.basename(d.location.file).replace(/\.[^.]*$/, "")],
    }));
  }
  return kept
    .filter((d) => !(format === "pyproject-pep621" && d.group === "build-system"))
    .map((d) => ({
      name: d.name,
      version: format === "requirements-txt" || format === "pyproject-pep621" ? scalibrVersion(d.version) : (d.version ?? ""),
      depGroups: scalibrGroups(format, d, kept),
    }));
}

/** Same name and version merged (group lists united), sorted, for an order-free comparison. */
function canonical(pkgs: Pkg[], withGroups: boolean): string[] {
  const merged = new Map<string, Set<string>>();
  for (const p of pkgs) {
    const key = JSON.stringify([p.name, p.version]);
    if (!merged.has(key)) merged.set(key, new Set());
    if (withGroups) for (const g of p.depGroups ?? []) merged.get(key)!.add(g);
  }
  return [...merged]
    .map(([key, groups]) => (withGroups ? `${key} ${JSON.stringify([...groups].sort())}` : key))
    .sort();
}

/** Reads includes relative to the fixture; osv-scanner's fixtures lived in a folder named "pip". */
function readerFor(dir: string) {
  return (rel: string) => {
    const full = path.resolve(dir, rel.replace(/^(?:\.\.\/)?pip\//, ""));
    return existsSync(full) ? readFileSync(full, "utf8") : undefined;
  };
}

function run(format: string, extractor: Extractor, file: string): ExtractResult {
  const text = readFileSync(file, "utf8");
  const dir = path.dirname(file);
  // Passed as "pip/<name>" so that "./../pip/x" includes resolve as in the original layout.
  const shown = format === "requirements-txt" ? `pip/${path.basename(file)}` : path.basename(file);
  return extractor.extract(text, shown, { readFile: readerFor(dir) });
}

interface Expected {
  semantics: string;
  cases: Array<{ test: string; wantErr: boolean; packages: Array<{ name: string; version: string | null; depGroups?: string[] }> }>;
}

for (const { dir, extractor } of FORMATS) {
  const root = path.join(FIXTURES, dir);
  const files = readdirSync(root, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".expected.json"))
    .sort();
  test(`${dir}: every fixture matches the expected packages`, () => {
    assert.ok(files.length > 0, `no expected files under ${root}`);
    for (const expectedFile of files) {
      const expected = JSON.parse(readFileSync(path.join(root, expectedFile), "utf8")) as Expected;
      const fixture = `${dir}/${expectedFile.replace(/\.expected\.json$/, "")}`;
      const scanner = expected.semantics.includes("osv-scanner");
      const diff = DIFFERENCES.find((d) => d.fixture === fixture);
      for (const c of expected.cases) {
        const caseFile = dir === "uv-lock" && UV_CASE_FILES[c.test] ? path.join(path.dirname(fixture), UV_CASE_FILES[c.test]!) : fixture;
        const out = run(dir, extractor, path.join(FIXTURES, caseFile));
        const label = `${caseFile} (${c.test})`;
        for (const d of out.dependencies) {
          assert.ok(Number.isInteger(d.location.line) && d.location.line! >= 1, `${label}: ${d.name} has no line`);
        }
        if (c.wantErr) {
          assert.ok(out.problems.length > 0, `${label}: expected a problem`);
          continue;
        }
        assert.equal(out.problems.length, diff?.problems ?? 0, `${label}: problems ${JSON.stringify(out.problems)}`);
        const withGroups = c.packages.some((p) => p.depGroups !== undefined);
        const extra = new Set((diff?.extra ?? []).map(normalizePypiName));
        let ours = mapOurs(dir, scanner, out.dependencies).filter((p) => !extra.has(normalizePypiName(p.name)));
        if (diff?.version) ours = ours.map((p) => (diff.version![p.name] === p.version ? { ...p, version: "<differs>" } : p));
        const want = c.packages
          .filter((p) => !diff?.missing?.includes(p.name))
          .map((p) => ({
            name: p.name,
            version: diff?.version?.[p.name] !== undefined ? "<differs>" : (p.version ?? ""),
            depGroups: p.depGroups ?? [],
          }));
        assert.deepEqual(canonical(ours, withGroups), canonical(want, withGroups), label);
      }
    }
  });
}

test("pyproject build-system requires are reported where osv-scalibr has none", () => {
  const file = path.join(FIXTURES, "pyproject-pep621/osv-scalibr/simple_deps.toml");
  const out = pyprojectExtractor.extract(readFileSync(file, "utf8"), "pyproject.toml");
  const build = out.dependencies.filter((d) => d.group === "build-system").map((d) => d.name);
  assert.deepEqual(build, ["hatchling"], BUILD_SYSTEM_NOTE);
});

test("every deliberate difference still applies (no stale entries)", () => {
  for (const d of DIFFERENCES) {
    const format = d.fixture.split("/")[0]!;
    const extractor = FORMATS.find((f) => f.dir === format)!.extractor;
    const out = run(format, extractor, path.join(FIXTURES, d.fixture));
    const names = out.dependencies.map((x) => x.name);
    for (const name of d.extra ?? []) assert.ok(names.includes(name), `${d.fixture}: ${name} no longer extra`);
    for (const name of d.missing ?? []) assert.ok(!names.includes(name), `${d.fixture}: ${name} no longer missing`);
    for (const [name, version] of Object.entries(d.version ?? {})) {
      assert.ok(out.dependencies.some((x) => x.name === name && x.version === version), `${d.fixture}: ${name} ${version}`);
    }
  }
});
