import assert from "node:assert/strict";
import { test } from "node:test";
import { logicalLines, requirementsTxtExtractor, shellSplit } from "../../../../src/ecosystems/pypi/manifests/requirements.ts";
import { brief, extractFixture } from "./support.ts";

/** pip's `${NAME}` environment variable reference. */
const env = (name: string) => "$" + `{${name}}`;

const extract = (text: string, files: Record<string, string> = {}, path = "requirements.txt") =>
  requirementsTxtExtractor.extract(text, path, { readFile: (p) => files[p] });

test("matches requirements and constraints files only", () => {
  for (const yes of ["requirements.txt", "a/requirements-dev.txt", "dev-requirements.in", "constraints.txt", "requirements/base.txt", "REQUIREMENTS.TXT"]) {
    assert.ok(requirementsTxtExtractor.matches(yes), yes);
  }
  for (const no of ["MANIFEST.in", "setup.cfg", "requirements.lock", "notes.txt", "requires.py"]) {
    assert.ok(!requirementsTxtExtractor.matches(no), no);
  }
});

test("a realistic file: options, includes, hashes, URLs, editables, paths, env vars", () => {
  const out = extractFixture(requirementsTxtExtractor, "pip/requirements.txt");
  assert.deepEqual(brief(out.dependencies), [
    "attrs - registry pip/base.in:2",
    "attrs 23.2.0 registry pip/constraints.txt:1 group=constraints",
    "Django >=4.2,<5.0 registry pip/requirements.txt:8",
    "requests 2.31.0 registry pip/requirements.txt:9",
    "urllib3 - url pip/requirements.txt:10 spec=urllib3 @ https://github.com/urllib3/urllib3/archive/refs/tags/2.2.1.zip",
    "toolkit - git pip/requirements.txt:11 spec=git+https://github.com/example/toolkit.git@v1.2#egg=toolkit",
    "local-package - path pip/requirements.txt:12 spec=./local-package",
    "other-thing - git pip/requirements.txt:13 spec=git+https://github.com/example/other-thing.git@main",
    "simplejson 3.19.2 url pip/requirements.txt:14 spec=https://files.example.com/packages/simplejson-3.19.2.tar.gz",
    "orjson 3.10.0 path pip/requirements.txt:15 spec=./wheels/orjson-3.10.0-cp312-cp312-manylinux_2_17_x86_64.whl",
    `token-client - registry pip/requirements.txt:16 spec=token-client==${env("CLIENT_VERSION")}`,
    "numpy 1.26.4 registry pip/requirements.txt:17",
  ]);
  // "--no-binary=:all: pillow" is an option line: pip ignores the stray word, so do we.
  assert.deepEqual(out.problems, [{ file: "pip/requirements.txt", line: 21, reason: "unknown option --frobnicate" }]);
});

test("includes: nested paths, each file once (cycles end), missing and remote ones are problems", () => {
  const files = {
    "sub/a.txt": "-r ../requirements.txt\n-r b.txt\nalpha==1\n",
    "sub/b.txt": "-r a.txt\nbeta\n",
  };
  const out = extract("-r sub/a.txt\n-r sub/b.txt\n-c missing.txt\n-r https://example.com/r.txt\nroot\n", files, "proj/requirements.txt");
  assert.deepEqual(brief(out.dependencies), ["beta - registry proj/sub/b.txt:2", "alpha 1 registry proj/sub/a.txt:3", "root - registry proj/requirements.txt:5"]);
  assert.deepEqual(
    out.problems.map((p) => [p.line, p.reason]),
    [
      [3, 'cannot read included file "missing.txt"'],
      [4, 'included file "https://example.com/r.txt" is remote and was not read'],
    ],
  );
  const noContext = requirementsTxtExtractor.extract("-r other.txt\n", "requirements.txt");
  assert.equal(noContext.problems.length, 1);
});

test("line continuations and comments follow pip", () => {
  assert.deepEqual(logicalLines("a==1 \\\n  --hash=sha256:x\n# c \\\nb # x\nc#d\n\\\n"), [
    { line: 1, text: "a==1   --hash=sha256:x" },
    { line: 4, text: "b" },
    { line: 5, text: "c#d" },
  ]);
  const out = extract("foo==\\\n\\\n 1.2.3\nbar == 4.5\\\\\n.6\nqux == 1\\");
  assert.deepEqual(brief(out.dependencies), ["foo 1.2.3 registry requirements.txt:1", "bar 4.5.6 registry requirements.txt:4", "qux 1 registry requirements.txt:6"]);
});

test("markers are split off at ';' and must be valid; invalid lines are problems, not crashes", () => {
  const out = extract('a==1; python_version < "3.8"\nb @ https://x.org/b.whl ; os_name == "nt"\nc; not a marker\nd==\n-x\n--hash=sha256:abc\n');
  assert.deepEqual(brief(out.dependencies), ["a 1 registry requirements.txt:1", "b - url requirements.txt:2 spec=b @ https://x.org/b.whl"]);
  assert.deepEqual(
    out.problems.map((p) => p.line),
    [3, 4, 5],
  );
});

test("options: prefixes, attached values, quoting", () => {
  const out = extract("--requirement=base.txt\n-rother.txt\n--req third.txt\n-e git+https://h.example/x/y.git#egg=y\npkg --global-option=\"--no-user-cfg\" -C key=value\n", {
    "base.txt": "one\n",
    "other.txt": "two\n",
    "third.txt": "three\n",
  });
  assert.deepEqual(
    out.dependencies.map((d) => `${d.name}:${d.source}`),
    ["one:registry", "two:registry", "y:git", "pkg:registry"],
  );
  // "--req" is ambiguous between --requirement and --require-hashes.
  assert.deepEqual(
    out.problems.map((p) => p.reason),
    ["ambiguous option --req"],
  );
  assert.deepEqual(shellSplit(`a "b c" 'd e' f\\ g "h\\"i"`), ["a", "b c", "d e", "f g", 'h"i']);
  assert.equal(shellSplit('"open'), null);
});

test("an environment variable in the name is a problem; in the version, the version is unknown", () => {
  const out = extract(`${env("PKG")}==1.0\nlib==${env("VER")}\n`);
  assert.deepEqual(brief(out.dependencies), [`lib - registry requirements.txt:2 spec=lib==${env("VER")}`]);
  assert.match(out.problems[0]!.reason, /environment variable/);
});

test("never throws on hostile input", () => {
  for (const text of ["", "\\", "-r", "-e", "--", "\u0000\u0085\u2028", "'", '"', "-r \\", "a".repeat(100000), `a;${"(".repeat(50000)}`, `${"a==1 \\\n".repeat(20000)}`]) {
    const out = extract(text);
    assert.ok(Array.isArray(out.dependencies) && Array.isArray(out.problems));
  }
  assert.deepEqual(requirementsTxtExtractor.extract(undefined as unknown as string, "requirements.txt"), { dependencies: [], problems: [] });
});

test("#egg= names a VCS or local requirement, which stays not-a-registry-package", () => {
  const out = extractFixture(requirementsTxtExtractor, "pip-egg/requirements.txt");
  assert.deepEqual(brief(out.dependencies), [
    "toolkit - git pip-egg/requirements.txt:3 spec=git+https://github.com/example/toolkit.git@v1.2#egg=toolkit",
    "mono-core - git pip-egg/requirements.txt:4 spec=git+https://github.com/example/mono.git@main#subdirectory=libs/core&egg=mono-core",
    "widgets-fork - path pip-egg/requirements.txt:5 spec=./vendor/widgets#egg=widgets-fork",
    "plain - path pip-egg/requirements.txt:6 spec=./vendor/plain/",
    "hgpkg - git pip-egg/requirements.txt:7 spec=hg+https://hg.example.com/repo#egg=hgpkg",
  ]);
  assert.deepEqual(out.problems, []);
});
