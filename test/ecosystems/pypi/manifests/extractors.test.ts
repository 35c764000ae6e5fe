// pyproject.toml, Pipfile, Pipfile.lock, setup.cfg and the TOML lockfiles on hand-written fixtures
// (./fixtures, written from each format's documentation) and inline edge cases.
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  pdmLockExtractor,
  pipfileExtractor,
  pipfileLockExtractor,
  poetryLockExtractor,
  pylockExtractor,
  pypiExtractors,
  pyprojectExtractor,
  setupCfgExtractor,
  uvLockExtractor,
} from "../../../../src/ecosystems/pypi/manifests/index.ts";
import { pylockUrls } from "../../../../src/ecosystems/pypi/manifests/pylock.ts";
import { poetryVersion } from "../../../../src/ecosystems/pypi/manifests/pyproject.ts";
import { brief, extractFixture } from "./support.ts";

test("each file name is claimed by exactly one extractor", () => {
  const cases: Record<string, string> = {
    "requirements.txt": "pypi-requirements",
    "x/pyproject.toml": "pypi-pyproject",
    "poetry.lock": "pypi-poetry-lock",
    Pipfile: "pypi-pipfile",
    "a/Pipfile.lock": "pypi-pipfile-lock",
    "uv.lock": "pypi-uv-lock",
    "pdm.lock": "pypi-pdm-lock",
    "setup.cfg": "pypi-setup-cfg",
  };
  for (const [file, id] of Object.entries(cases)) {
    assert.deepEqual(
      pypiExtractors.filter((e) => e.matches(file)).map((e) => e.id),
      [id],
      file,
    );
  }
  for (const file of ["package.json", "Cargo.lock", "setup.py", "pipfile"]) {
    assert.equal(pypiExtractors.filter((e) => e.matches(file)).length, 0, file);
  }
});

test("pyproject.toml, Poetry style: versions, tables, git/path/url, multiple constraints, groups", () => {
  const out = extractFixture(pyprojectExtractor, "poetry/pyproject.toml");
  assert.deepEqual(brief(out.dependencies), [
    "poetry-core >=1.0.0 registry poetry/pyproject.toml:41 group=build-system",
    "requests ^2.31 registry poetry/pyproject.toml:11",
    "ruamel.yaml 0.18.5 registry poetry/pyproject.toml:12",
    "pendulum >=3.0,<4 registry poetry/pyproject.toml:13",
    "httpx - registry poetry/pyproject.toml:14",
    "numpy <1.25 registry poetry/pyproject.toml:16",
    "numpy ^1.26 registry poetry/pyproject.toml:17",
    "internal-auth - git poetry/pyproject.toml:19 spec=https://github.com/example/internal-auth.git@v1.4.0",
    "shared-models - path poetry/pyproject.toml:20 spec=../shared-models",
    "fancy-widget - url poetry/pyproject.toml:21 spec=https://example.com/packages/fancy_widget-1.0.0-py3-none-any.whl",
    "pinned 2.0.1 registry poetry/pyproject.toml:22",
    "black ^24.1 registry poetry/pyproject.toml:28 group=dev dev",
    "pytest ^8.0 registry poetry/pyproject.toml:31 group=test dev",
    "pytest-cov ^4.1 registry poetry/pyproject.toml:32 group=test dev",
    "mkdocs - registry poetry/pyproject.toml:38 group=docs dev",
  ]);
  assert.deepEqual(out.problems, []);
  assert.equal(poetryVersion("*"), null);
  assert.equal(poetryVersion("1.2.3"), "1.2.3");
  assert.equal(poetryVersion("==1.2.3"), "1.2.3");
  assert.equal(poetryVersion("~1.2"), "~1.2");
});

test("pyproject.toml, PEP 621 + PEP 735: extras, groups, include-group checks, build-system, uv dev list, self-reference", () => {
  const out = extractFixture(pyprojectExtractor, "pep735/pyproject.toml");
  assert.deepEqual(brief(out.dependencies), [
    "fastapi >=0.110 registry pep735/pyproject.toml:7",
    "SQLAlchemy 2.0.29 registry pep735/pyproject.toml:8",
    "pydantic-settings ~=2.2 registry pep735/pyproject.toml:9",
    "tomli - registry pep735/pyproject.toml:10",
    "mylib - git pep735/pyproject.toml:11 spec=git+https://github.com/example/mylib.git@v2",
    "psycopg >=3.1 registry pep735/pyproject.toml:15 group=postgres",
    "inventory - workspace pep735/pyproject.toml:16 group=all",
    "pytest >=8 registry pep735/pyproject.toml:19 group=test dev",
    "hypothesis - registry pep735/pyproject.toml:19 group=test dev",
    "ruff 0.4.4 registry pep735/pyproject.toml:21 group=lint dev",
    "mypy - registry pep735/pyproject.toml:22 group=lint dev",
    "ipython - registry pep735/pyproject.toml:27 group=dev dev",
    "hatchling >=1.18 registry pep735/pyproject.toml:34 group=build-system",
    "hatch-vcs - registry pep735/pyproject.toml:34 group=build-system",
    "pre-commit >=3 registry pep735/pyproject.toml:38 dev",
  ]);
  assert.deepEqual(
    out.problems.map((p) => [p.line, p.reason]),
    [
      [29, 'dependency group "broken" includes unknown group "missing"'],
      [31, 'dependency group "loop-b" is part of an include-group cycle'],
    ],
  );
});

test("pyproject.toml: wrong shapes and bad strings are problems; bad TOML is one problem with its line", () => {
  const out = pyprojectExtractor.extract(
    '[project]\ndependencies = "requests"\n[project.optional-dependencies]\nx = ["ok", 3, "bad spec =="]\n[tool.poetry]\ndependencies = 1\n',
    "pyproject.toml",
  );
  assert.deepEqual(brief(out.dependencies), ["ok - registry pyproject.toml:4 group=x"]);
  assert.deepEqual(
    out.problems.map((p) => p.line),
    [2, 4, 4, 6],
  );
  const bad = pyprojectExtractor.extract("[project]\ndependencies = [\n", "pyproject.toml");
  assert.equal(bad.problems.length, 1);
  assert.match(bad.problems[0]!.reason, /not valid TOML/);
  assert.equal(bad.problems[0]!.line, 3);
});

test("Pipfile: categories, version strings and tables, git/path, [requires] and [scripts] skipped", () => {
  const out = extractFixture(pipfileExtractor, "pipenv/Pipfile");
  assert.deepEqual(brief(out.dependencies), [
    "requests - registry pipenv/Pipfile:8",
    "django >=4.2,<5 registry pipenv/Pipfile:9",
    "records 0.5.3 registry pipenv/Pipfile:10",
    "pywinusb - registry pipenv/Pipfile:11",
    "flask - git pipenv/Pipfile:12 spec=https://github.com/pallets/flask.git@3.0.0",
    "mylib - path pipenv/Pipfile:13 spec=./libs/mylib",
    "Django-Filter ~=23.5 registry pipenv/Pipfile:14",
    "pytest 8.1.1 registry pipenv/Pipfile:17 dev",
    "sphinx >=7 registry pipenv/Pipfile:20 group=docs",
  ]);
  assert.deepEqual(out.problems, []);
});

test("Pipfile.lock: default/develop/custom categories with the line of each entry", () => {
  const out = extractFixture(pipfileLockExtractor, "pipenv/Pipfile.lock");
  assert.deepEqual(brief(out.dependencies), [
    "requests 2.31.0 registry pipenv/Pipfile.lock:9",
    "flask - git pipenv/Pipfile.lock:15 spec=https://github.com/pallets/flask.git@0d1a8e3b5a1c0b2d7f9c7a3e2f1a0b9c8d7e6f5a",
    "mylib - path pipenv/Pipfile.lock:20 spec=./libs/mylib",
    "pytest 8.1.1 registry pipenv/Pipfile.lock:23 dev",
    "sphinx 7.3.7 registry pipenv/Pipfile.lock:26 group=docs",
  ]);
  assert.equal(pipfileLockExtractor.extract("[1]", "Pipfile.lock").problems.length, 1);
  assert.equal(pipfileLockExtractor.extract('{"default": {"x": 5}}', "Pipfile.lock").problems[0]!.line, 1);
});

test("setup.cfg: multi-line and ';'-separated values, comments, extras, file: directive", () => {
  const out = extractFixture(setupCfgExtractor, "setuptools/setup.cfg");
  assert.deepEqual(brief(out.dependencies), [
    "requests >=2.28 registry setuptools/setup.cfg:10",
    "importlib-metadata - registry setuptools/setup.cfg:11",
    "click 8.1.7 registry setuptools/setup.cfg:14",
    "setuptools_scm >=8 registry setuptools/setup.cfg:15 group=setup_requires",
    "wheel - registry setuptools/setup.cfg:15 group=setup_requires",
    "pytest - registry setuptools/setup.cfg:17 group=tests_require dev",
    "ReportLab >=1.2 registry setuptools/setup.cfg:20 group=pdf",
    "RXP - registry setuptools/setup.cfg:20 group=pdf",
    "docutils >=0.3 registry setuptools/setup.cfg:22 group=rest",
    "pack ==1.1,==1.3 registry setuptools/setup.cfg:23 group=rest",
    "lxml >=5 registry setuptools/requirements-extra.txt:2 group=from_file",
    "billing - workspace setuptools/setup.cfg:26 group=all",
  ]);
  const missing = setupCfgExtractor.extract("[options]\ninstall_requires = file: nope.txt\n", "setup.cfg");
  assert.deepEqual(missing.problems, [{ file: "setup.cfg", line: 2, reason: 'cannot read "nope.txt" named by file:' }]);
});

test("uv.lock: the project itself is skipped, members are workspace, dev groups from the root", () => {
  const out = extractFixture(uvLockExtractor, "uv/uv.lock");
  assert.deepEqual(brief(out.dependencies), [
    "anyio 4.3.0 registry uv/uv.lock:8",
    "idna 3.7 registry uv/uv.lock:32",
    "libs-core 0.2.0 workspace uv/uv.lock:37 spec=libs/core",
    "private-sdk 1.0.0 registry uv/uv.lock:42 spec=https://pypi.example.com/simple",
    "pytest 8.2.0 registry uv/uv.lock:47 group=dev dev",
    "sniffio 1.3.1 registry uv/uv.lock:52",
    "vendored 0.0.1 path uv/uv.lock:57 spec=vendor/vendored-0.0.1-py3-none-any.whl",
  ]);
});

test("poetry.lock and pdm.lock: sources, dev and optional groups, nameless entries", () => {
  const poetry = poetryLockExtractor.extract(
    '[[package]]\nname = "a"\nversion = "1.0"\ncategory = "dev"\n\n[[package]]\nname = "b"\nversion = "2.0"\noptional = true\n[package.source]\ntype = "directory"\nurl = "../b"\n\n[[package]]\nversion = "3.0"\n',
    "poetry.lock",
  );
  assert.deepEqual(brief(poetry.dependencies), ["a 1.0 registry poetry.lock:2 group=dev dev", "b 2.0 path poetry.lock:7 group=optional spec=../b"]);
  assert.deepEqual(poetry.problems, [{ file: "poetry.lock", line: 14, reason: "package entry has no name" }]);
  const pdm = pdmLockExtractor.extract(
    '[[package]]\nname = "x"\nversion = "1"\ngroups = ["dev", "lint"]\n\n[[package]]\nname = "y"\nversion = "2"\ngroups = ["default"]\npath = "./y"\n',
    "pdm.lock",
  );
  assert.deepEqual(brief(pdm.dependencies), ["x 1 registry pdm.lock:2 group=dev,lint dev", "y 2 path pdm.lock:7 spec=./y"]);
  assert.equal(uvLockExtractor.extract("package = 3\n", "uv.lock").problems.length, 1);
});

test("Pipfile: a key with extras names the package before them", () => {
  const out = extractFixture(pipfileExtractor, "pipenv-extras/Pipfile");
  assert.deepEqual(brief(out.dependencies), [
    "requests - registry pipenv-extras/Pipfile:4",
    "celery >=5.3 registry pipenv-extras/Pipfile:5",
    "uvicorn 0.29.0 registry pipenv-extras/Pipfile:6",
    "pytest 8.1.1 registry pipenv-extras/Pipfile:9 dev",
  ]);
  assert.deepEqual(out.problems, []);
  const lock = pipfileLockExtractor.extract('{"default": {"requests[socks]": {"version": "==2.31.0"}}}', "Pipfile.lock");
  assert.deepEqual(brief(lock.dependencies), ["requests 2.31.0 registry Pipfile.lock:1"]);
});

test("setup.cfg: %(key)s interpolation from the section or [DEFAULT], ' #' comments dropped, bad references are problems", () => {
  const out = extractFixture(setupCfgExtractor, "setuptools-interpolation/setup.cfg");
  assert.deepEqual(brief(out.dependencies), [
    "attrs >=23.1 registry setuptools-interpolation/setup.cfg:12",
    "django >=4.2,<5 registry setuptools-interpolation/setup.cfg:13",
    "requests - registry setuptools-interpolation/setup.cfg:14",
    "rich >=13 registry setuptools-interpolation/setup.cfg:15",
    "pytest >=8 registry setuptools-interpolation/setup.cfg:18 group=test",
  ]);
  assert.deepEqual(
    out.problems.map((p) => [p.line, p.reason]),
    [
      [19, "cannot interpolate broken in [options.extras_require]: %(nowhere)s names no key"],
      [20, "cannot interpolate deep in [options.extras_require]: more than 10 levels of %(...)s"],
      [21, "cannot interpolate a in [options.extras_require]: more than 10 levels of %(...)s"],
      [22, "cannot interpolate b in [options.extras_require]: more than 10 levels of %(...)s"],
    ],
  );
  // Bounded: eight levels of ten references each would be 10^8 expansions.
  const levels = Array.from({ length: 8 }, (_, i) => `k${i} = ${`%(k${i + 1})s`.repeat(10)}`).join("\n");
  const bomb = setupCfgExtractor.extract(`[options]\nk8 = x\n${levels}\ninstall_requires = %(k0)s\n`, "setup.cfg");
  assert.equal(bomb.dependencies.length, 0);
  assert.match(bomb.problems[0]!.reason, /more than 64 KiB/);
  const literal = setupCfgExtractor.extract("[options]\ninstall_requires = pkg @ https://x.example/a%%20b.whl\n", "setup.cfg");
  assert.deepEqual(brief(literal.dependencies), ["pkg - url setup.cfg:2 spec=https://x.example/a%20b.whl"]);
});

test("pyproject.toml: Hatch environment dependencies and extra-dependencies are dev, grouped by environment", () => {
  const out = extractFixture(pyprojectExtractor, "hatch/pyproject.toml");
  assert.deepEqual(brief(out.dependencies), [
    "httpx >=0.27 registry hatch/pyproject.toml:4",
    "coverage >=6.5 registry hatch/pyproject.toml:8 group=hatch:default dev",
    "pytest - registry hatch/pyproject.toml:9 group=hatch:default dev",
    "ruff 0.5.0 registry hatch/pyproject.toml:14 group=hatch:lint dev",
    "pytest-asyncio - registry hatch/pyproject.toml:17 group=hatch:hatch-test dev",
  ]);
  assert.deepEqual(
    out.problems.map((p) => [p.line, p.reason]),
    [[23, "tool.hatch.envs.types.extra-dependencies should be an array of requirement strings"]],
  );
});

test("pyproject.toml: PDM dev-dependencies, editable entries named by #egg= or name @ url", () => {
  const out = extractFixture(pyprojectExtractor, "pdm/pyproject.toml");
  assert.deepEqual(brief(out.dependencies), [
    "jinja2 >=3 registry pdm/pyproject.toml:4",
    "pytest >=8 registry pdm/pyproject.toml:7 group=test dev",
    "pytest-cov - registry pdm/pyproject.toml:7 group=test dev",
    "flake8 - registry pdm/pyproject.toml:9 group=lint dev",
    `linter - path pdm/pyproject.toml:10 group=lint dev spec=file:///$${"{PROJECT_ROOT}"}/tools/linter`,
    "click - git pdm/pyproject.toml:13 group=vcs dev spec=git+https://github.com/pallets/click.git@main#egg=click",
    "rich - git pdm/pyproject.toml:14 group=vcs dev spec=git+https://github.com/Textualize/rich.git",
  ]);
  assert.deepEqual(out.problems, []);
});

test("pylock.toml (PEP 751): packages with versions; index, vcs, directory and archive sources; their URLs", () => {
  for (const file of ["pylock.toml", "a/pylock.dev.toml"]) assert.deepEqual(pypiExtractors.filter((e) => e.matches(file)).map((e) => e.id), ["pypi-pylock"]);
  for (const file of ["pylock.a.b.toml", "pylock.json", "xpylock.toml"]) assert.equal(pypiExtractors.filter((e) => e.matches(file)).length, 0, file);
  const out = extractFixture(pylockExtractor, "pylock/pylock.toml");
  assert.deepEqual(brief(out.dependencies), [
    "attrs 25.1.0 registry pylock/pylock.toml:11",
    "numpy 2.2.3 registry pylock/pylock.toml:20 spec=https://pypi.example.com/simple",
    "internal-lib - git pylock/pylock.toml:31 spec=git+https://github.com/example/internal-lib.git@4c4b0f1c6d8a7e2f3b9a0c1d2e3f4a5b6c7d8e9f",
    "local-tools - path pylock/pylock.toml:39 spec=./tools",
    "vendored 0.3.0 url pylock/pylock.toml:43 spec=https://downloads.example.com/vendored-0.3.0.tar.gz",
  ]);
  assert.deepEqual(out.problems, [{ file: "pylock/pylock.toml", line: 47, reason: "package entry has no name" }]);
  assert.deepEqual(
    pylockUrls({
      vcs: { url: "https://g.example/x.git" },
      sdist: { url: "https://f.example/x-1.tar.gz" },
      wheels: [{ url: "https://f.example/x-1-py3-none-any.whl" }, { path: "./x.whl" }],
    }),
    ["https://g.example/x.git", "https://f.example/x-1.tar.gz", "https://f.example/x-1-py3-none-any.whl"],
  );
});

test("pyproject.toml: a chain of 15,000 include-groups is checked without exhausting the stack; its closing cycle is refused", () => {
  const n = 15_000;
  const lines = ["[dependency-groups]"];
  for (let i = 0; i < n; i++) lines.push(`g${i} = [{ include-group = "g${i + 1}" }]`);
  lines.push(`g${n} = ["leaf", { include-group = "g0" }]`);
  const out = pyprojectExtractor.extract(lines.join("\n"), "pyproject.toml");
  assert.deepEqual(brief(out.dependencies), [`leaf - registry pyproject.toml:${n + 2} group=g${n} dev`]);
  assert.deepEqual(out.problems.map((p) => p.reason), [`dependency group "g${n}" is part of an include-group cycle`]);
});
