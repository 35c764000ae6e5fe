// One test (at least) per lockfile format version, on small hand-written lockfiles whose
// every detail is asserted: names, versions, sources, dev flags, lines.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { bunLockExtractor } from "../../../../src/ecosystems/npm/manifests/bun-lock.ts";
import { npmExtractors } from "../../../../src/ecosystems/npm/manifests/index.ts";
import { packageLockExtractor } from "../../../../src/ecosystems/npm/manifests/package-lock.ts";
import { pnpmLockExtractor } from "../../../../src/ecosystems/npm/manifests/pnpm-lock.ts";
import { yarnLockExtractor } from "../../../../src/ecosystems/npm/manifests/yarn-lock.ts";
import type { ExtractContext, ExtractedDependency, Extractor } from "../../../../src/core/dependency.ts";

/** name@version source [dev] Lline, one string per record, in file order. */
function summary(deps: ExtractedDependency[]): string[] {
  return deps.map((d) => `${d.name}@${d.version ?? ""} ${d.source}${d.dev ? " dev" : ""} L${d.location.line}`);
}

function run(extractor: Extractor, text: string, files: Record<string, string> = {}) {
  const context: ExtractContext = { readFile: (p) => files[p] };
  const r = extractor.extract(text, "lock", context);
  assert.deepEqual(r.problems, [], JSON.stringify(r.problems));
  return r.dependencies;
}

function find(deps: ExtractedDependency[], name: string, version?: string): ExtractedDependency {
  const d = deps.find((x) => x.name === name && (version === undefined || x.version === version));
  assert.ok(d, `${name}@${version} missing`);
  return d;
}

/** Each bad input gives a problem with the matching reason; `empty`, a file with nothing in it, gives nothing at all. */
function assertProblems(extractor: Extractor, file: string, cases: ReadonlyArray<readonly [string, RegExp]>, empty?: string): void {
  for (const [text, reason] of cases) {
    const r = extractor.extract(text, file);
    assert.match(r.problems.map((p) => p.reason).join("\n"), reason, text);
  }
  if (empty !== undefined) assert.deepEqual(extractor.extract(empty, file), { dependencies: [], problems: [] });
}

describe("package-lock.json", () => {
  test("lockfileVersion 1: nested dependencies, aliases, git and file versions, dev", () => {
    const lock = `{
  "name": "app",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "a": {
      "version": "1.0.0",
      "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",
      "requires": { "b": "^2.0.0" },
      "dependencies": {
        "b": { "version": "2.0.0", "resolved": "https://registry.npmjs.org/b/-/b-2.0.0.tgz" }
      }
    },
    "b": { "version": "3.0.0", "dev": true },
    "cjs": { "version": "npm:string-width@4.2.3", "resolved": "https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz" },
    "g": { "version": "git+ssh://git@github.com/o/g.git#0123456789abcdef0123456789abcdef01234567", "from": "g@github:o/g" },
    "local": { "version": "file:deps/local" }
  }
}`;
    const deps = run(packageLockExtractor, lock);
    assert.deepEqual(summary(deps), [
      "a@1.0.0 registry L6",
      "b@2.0.0 registry L11",
      "b@3.0.0 registry dev L14",
      "string-width@4.2.3 registry L15",
      "g@ git L16",
      "local@ path L17",
    ]);
    assert.equal(find(deps, "string-width").spec, "npm:string-width@4.2.3");
    assert.equal(find(deps, "g").spec, "git+ssh://git@github.com/o/g.git#0123456789abcdef0123456789abcdef01234567");
    assert.equal(find(deps, "local").spec, "file:deps/local");
    assert.ok(deps.every((d) => d.kind === "lockfile" && d.ecosystem === "npm" && d.location.file === "lock"));
  });

  test("lockfileVersion 2: packages map, workspaces, links, aliases, bundled, optional, tokens", () => {
    const lock = `{
  "name": "root",
  "lockfileVersion": 2,
  "packages": {
    "": { "name": "root", "workspaces": ["packages/*"], "dependencies": { "a": "^1.0.0" }, "devDependencies": { "t": "^1" } },
    "node_modules/a": { "version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz", "dependencies": { "c": "*" } },
    "node_modules/a/node_modules/c": { "version": "2.0.0", "inBundle": true },
    "node_modules/c": { "version": "1.0.0", "optional": true },
    "node_modules/t": { "version": "1.1.0", "dev": true },
    "node_modules/cjs": { "name": "string-width", "version": "4.2.3", "resolved": "https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz" },
    "node_modules/w": { "resolved": "packages/w", "link": true },
    "packages/w": { "name": "w", "version": "0.1.0", "dependencies": { "a": "^1.0.0" } },
    "node_modules/priv": { "version": "1.0.0", "resolved": "https://npm_TOKEN@example.com/priv.tgz" },
    "node_modules/loc": { "resolved": "../loc", "link": true },
    "../loc": { "name": "loc", "version": "0.0.1" },
    "node_modules/gh": { "version": "2.0.0", "resolved": "git+ssh://git@github.com/o/gh.git#0123456789abcdef0123456789abcdef01234567" }
  },
  "dependencies": { "a": { "version": "1.0.0" } }
}`;
    const deps = run(packageLockExtractor, lock);
    assert.deepEqual(summary(deps), [
      "a@1.0.0 registry L6",
      "c@2.0.0 registry L7",
      "c@1.0.0 registry L8",
      "t@1.1.0 registry dev L9",
      "string-width@4.2.3 registry L10",
      "w@0.1.0 workspace L12",
      "priv@1.0.0 url L13",
      "loc@0.0.1 path L15",
      "gh@2.0.0 git L16",
    ]);
    assert.equal(find(deps, "c", "2.0.0").group, "bundled");
    assert.equal(find(deps, "c", "1.0.0").group, "optional");
    assert.equal(find(deps, "string-width").spec, "npm:string-width@4.2.3");
    assert.equal(find(deps, "priv").spec, "https://example.com/priv.tgz", "credentials are dropped");
  });

  test("lockfileVersion 3 and npm-shrinkwrap.json", () => {
    const lock = `{"lockfileVersion": 3, "packages": {"": {}, "node_modules/x": {"version": "1.0.0", "dev": true, "peer": true}}}`;
    const deps = run(packageLockExtractor, lock);
    assert.deepEqual(summary(deps), ["x@1.0.0 registry dev L1"]);
    assert.equal(deps[0].group, "peer");
    assert.ok(packageLockExtractor.matches("sub/npm-shrinkwrap.json"));
    assert.ok(packageLockExtractor.matches("node_modules/.package-lock.json"));
    assert.ok(!packageLockExtractor.matches("package-lock.json.orig"));
  });

  test("bad package-lock.json input becomes problems", () => {
    assertProblems(packageLockExtractor, "package-lock.json", [
      ["{", /invalid JSON/],
      ["null", /not an npm lockfile/],
      ['{"lockfileVersion": 7}', /unsupported lockfileVersion/],
      ['{"packages": []}', /not an object/],
      ['{"name": "x"}', /no lockfileVersion/],
      ['{"lockfileVersion": 2, "packages": {"node_modules/a": 5}}', /not an object/],
    ], "  \n");
  });
});

describe("yarn.lock", () => {
  const manifest = JSON.stringify({ dependencies: { a: "^1.0.0", "a-cjs": "npm:a@^0.9.0" }, devDependencies: { d: "^2" } });

  test("classic v1: descriptors, aliases, git, file; dev from package.json", () => {
    const lock = `# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


a@^1.0.0, a@^1.1.0:
  version "1.2.0"
  resolved "https://registry.yarnpkg.com/a/-/a-1.2.0.tgz#abc"
  dependencies:
    b "^1.0.0"

"a-cjs@npm:a@^0.9.0":
  version "0.9.1"
  resolved "https://registry.yarnpkg.com/a/-/a-0.9.1.tgz"

b@^1.0.0:
  version "1.0.5"

d@^2:
  version "2.0.0"
  dependencies:
    b "^1.0.0"
    g "github:o/g"

"g@github:o/g":
  version "3.0.0"
  resolved "https://codeload.github.com/o/g/tar.gz/0123456789abcdef0123456789abcdef01234567"

"loc@file:./loc":
  version "0.0.1"
`;
    const deps = run(yarnLockExtractor, lock, { "package.json": manifest });
    assert.deepEqual(summary(deps), [
      "a@1.2.0 registry L5",
      "a@0.9.1 registry L11",
      "b@1.0.5 registry L15",
      "d@2.0.0 registry dev L18",
      "g@3.0.0 git dev L24",
      "loc@0.0.1 path L28",
    ]);
    assert.equal(find(deps, "a", "0.9.1").spec, "npm:a@^0.9.0");
    assert.equal(find(deps, "loc").spec, "file:./loc");
    assert.equal(find(deps, "loc").dev, undefined, "not reachable from package.json: unknown");
    // without package.json, dev-ness is unknown
    assert.ok(run(yarnLockExtractor, lock).every((d) => d.dev === undefined));
  });

  test("berry (__metadata 4): ranges without the npm: protocol", () => {
    const lock = `__metadata:
  version: 4
  cacheKey: 7

"a@npm:^1.0.0":
  version: 1.2.0
  resolution: "a@npm:1.2.0"
  dependencies:
    b: ^1.0.0
  checksum: abc
  languageName: node
  linkType: hard

"b@npm:^1.0.0":
  version: 1.0.5
  resolution: "b@npm:1.0.5"
  languageName: node
  linkType: hard

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    a: ^1.0.0
  languageName: unknown
  linkType: soft
`;
    const deps = run(yarnLockExtractor, lock, { "package.json": JSON.stringify({ devDependencies: { a: "^1.0.0" } }) });
    assert.deepEqual(summary(deps), ["a@1.2.0 registry dev L5", "b@1.0.5 registry dev L14"]);
  });

  test("berry (__metadata 8): workspaces, patches, aliases, git, portal", () => {
    const lock = `# This file is generated by running "yarn install" inside your project.
# Manual changes might be lost - proceed with caution!

__metadata:
  version: 8
  cacheKey: 10c0

"a@npm:^1.0.0":
  version: 1.2.0
  resolution: "a@npm:1.2.0"
  languageName: node
  linkType: hard

"a-cjs@npm:a@^0.9.0":
  version: 0.9.1
  resolution: "a@npm:0.9.1"
  languageName: node
  linkType: hard

"resolve@npm:^1.22.0":
  version: 1.22.1
  resolution: "resolve@npm:1.22.1"
  languageName: node
  linkType: hard

"resolve@patch:resolve@npm%3A^1.22.0#optional!builtin<compat/resolve>":
  version: 1.22.1
  resolution: "resolve@patch:resolve@npm%3A1.22.1#optional!builtin<compat/resolve>::version=1.22.1&hash=c3c19d"
  languageName: node
  linkType: hard

"g@https://github.com/o/g.git#main":
  version: 3.0.0
  resolution: "g@https://github.com/o/g.git#commit=0123456789abcdef0123456789abcdef01234567"
  languageName: node
  linkType: hard

"p@portal:../p::locator=app%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "p@portal:../p::locator=app%40workspace%3A."
  languageName: node
  linkType: soft

"member@workspace:^, member@workspace:packages/member":
  version: 0.0.0-use.local
  resolution: "member@workspace:packages/member"
  dependencies:
    a: "npm:^1.0.0"
  languageName: unknown
  linkType: soft

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    a-cjs: "npm:a@^0.9.0"
    member: "workspace:^"
    resolve: "patch:resolve@npm%3A^1.22.0#optional!builtin<compat/resolve>"
  languageName: unknown
  linkType: soft
`;
    const deps = run(yarnLockExtractor, lock);
    assert.deepEqual(summary(deps), [
      "a@1.2.0 registry L8",
      "a@0.9.1 registry L14",
      "resolve@1.22.1 registry L20",
      "g@3.0.0 git L32",
      "p@0.0.0-use.local path L38",
      "member@0.0.0-use.local workspace L44",
    ]);
    assert.equal(find(deps, "g").spec, "https://github.com/o/g.git#commit=0123456789abcdef0123456789abcdef01234567");
    assert.equal(find(deps, "p").spec, "portal:../p");
  });

  test("bad yarn.lock input becomes problems", () => {
    assertProblems(yarnLockExtractor, "yarn.lock", [
      ["a@^1:\n  version", /invalid yarn.lock/],
      ['a@^1:\n  version "1', /unterminated/],
      ["<<<<<<< HEAD\na@1:\n", /merge conflict/],
      ["just some words", /no entries/],
      ["__metadata:\n  version: 6\n\"a@npm:1\":\n  - x\n  y: [", /invalid yarn.lock/],
      ["__metadata:\n  version: 6\n\"a@npm:1\": 5\n", /not a mapping/],
    ]);
  });
});

describe("pnpm-lock.yaml", () => {
  test("lockfileVersion 5.3: /name/version keys, _peer suffixes, dev flags, git and tarball entries", () => {
    const lock = `lockfileVersion: 5.3

specifiers:
  a: ^1.0.0
  b: ^2.0.0

dependencies:
  a: 1.0.0_react@18.2.0
  g: github.com/o/g/0123456789abcdef0123456789abcdef01234567

devDependencies:
  '@s/b': 2.0.0

packages:

  /a/1.0.0_react@18.2.0:
    resolution: {integrity: sha512-x}
    peerDependencies:
      react: '*'
    dev: false

  /a/1.0.0_react@17.0.2:
    resolution: {integrity: sha512-x}
    dev: false

  /@s/b/2.0.0:
    resolution: {integrity: sha512-y}
    dev: true

  github.com/o/g/0123456789abcdef0123456789abcdef01234567:
    resolution: {tarball: https://codeload.github.com/o/g/tar.gz/0123456789abcdef0123456789abcdef01234567}
    name: g
    version: 3.0.0
    dev: false

  '@registry.example.com/t/-/t-1.0.0.tgz':
    resolution: {tarball: https://registry.example.com/t/-/t-1.0.0.tgz}
    name: t
    version: 1.0.0
`;
    const deps = run(pnpmLockExtractor, lock);
    assert.deepEqual(summary(deps), ["a@1.0.0 registry L16", "@s/b@2.0.0 registry dev L26", "g@3.0.0 git L30", "t@1.0.0 registry L36"]);
  });

  test("lockfileVersion 6.0: /name@version(peer) keys, aliases, importers", () => {
    const lock = `lockfileVersion: '6.0'

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0(react@18.2.0)
      a-cjs:
        specifier: npm:a@0.9.0
        version: /a@0.9.0
      w:
        specifier: workspace:*
        version: link:packages/w
      outside:
        specifier: link:../outside
        version: link:../outside

  packages/w:
    devDependencies:
      '@s/b':
        specifier: ^2.0.0
        version: 2.0.0

packages:

  /a@1.0.0(react@18.2.0):
    resolution: {integrity: sha512-x}
    dev: false

  /a@0.9.0:
    resolution: {integrity: sha512-x}
    dev: false

  /@s/b@2.0.0:
    resolution: {integrity: sha512-y}
    dev: true
`;
    const deps = run(pnpmLockExtractor, lock, { "packages/w/package.json": '{"name": "w", "version": "0.3.0"}' });
    assert.deepEqual(summary(deps), [
      "a@1.0.0 registry L28",
      "a@0.9.0 registry L32",
      "@s/b@2.0.0 registry dev L36",
      "w@0.3.0 workspace L13",
      "outside@ path L16",
    ]);
    assert.equal(find(deps, "outside").spec, "link:../outside");
  });

  test("lockfileVersion 9.0: packages + snapshots, peers in parentheses, dev from importers", () => {
    const lock = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true
  excludeLinksFromLockfile: false

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0(react@18.2.0)
      a-cjs:
        specifier: npm:a@0.9.0
        version: a@0.9.0
    devDependencies:
      d:
        specifier: ^4.0.0
        version: 4.0.0
    optionalDependencies:
      o:
        specifier: ^1.0.0
        version: 1.0.0

packages:

  a@0.9.0:
    resolution: {integrity: sha512-x}

  a@1.0.0:
    resolution: {integrity: sha512-x}
    peerDependencies:
      react: '*'

  d@4.0.0:
    resolution: {integrity: sha512-x}

  '@s/e@5.0.0':
    resolution: {integrity: sha512-x}

  g@https://codeload.github.com/o/g/tar.gz/0123456789abcdef0123456789abcdef01234567:
    resolution: {tarball: https://codeload.github.com/o/g/tar.gz/0123456789abcdef0123456789abcdef01234567}
    version: 3.0.0

  o@1.0.0:
    resolution: {integrity: sha512-x}

  stale@1.0.0:
    resolution: {integrity: sha512-x}

snapshots:

  a@0.9.0: {}

  a@1.0.0(react@18.2.0):
    dependencies:
      '@s/e': 5.0.0

  d@4.0.0:
    dependencies:
      '@s/e': 5.0.0
      g: https://codeload.github.com/o/g/tar.gz/0123456789abcdef0123456789abcdef01234567

  '@s/e@5.0.0': {}

  g@https://codeload.github.com/o/g/tar.gz/0123456789abcdef0123456789abcdef01234567: {}

  o@1.0.0:
    optional: true

  stale@1.0.0: {}
`;
    const deps = run(pnpmLockExtractor, lock);
    assert.deepEqual(summary(deps), [
      "a@0.9.0 registry L28",
      "a@1.0.0 registry L31",
      "d@4.0.0 registry dev L36",
      "@s/e@5.0.0 registry L39",
      "g@3.0.0 git dev L42",
      "o@1.0.0 registry L46",
      "stale@1.0.0 registry L49",
    ]);
    assert.equal(find(deps, "stale").dev, undefined, "not reachable: dev unknown");
  });

  test("bad pnpm-lock.yaml input becomes problems", () => {
    assertProblems(pnpmLockExtractor, "pnpm-lock.yaml", [
      ["lockfileVersion: '9.0'\npackages:\n  a@1: [\n", /invalid pnpm-lock.yaml/],
      ["just: a mapping\n", /no lockfileVersion/],
      ["lockfileVersion: 4\n", /unsupported pnpm lockfileVersion/],
      ["lockfileVersion: 5.4\npackages:\n  nonsense: {}\n", /cannot read a package/],
    ], "");
  });
});

describe("bun.lock", () => {
  test("lockfileVersion 1: JSONC, nested paths, aliases, git, workspaces, dev", () => {
    const lock = `{
  // bun writes trailing commas
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": { "a": "^1.0.0", "a-old": "npm:a@^0.9.0", "w": "workspace:*" },
      "devDependencies": { "d": "^4" },
    },
    "packages/w": { "name": "w", "dependencies": { "b": "^2" } },
  },
  "packages": {
    "a": ["a@1.0.0", "", { "dependencies": { "b": "^2" } }, "sha512-x"],
    "a-old": ["a@0.9.0", "", {}, "sha512-x"],
    "b": ["b@2.0.0", "", {}, "sha512-x"],
    "d": ["d@4.0.0", "", { "dependencies": { "b": "^1" } }, "sha512-x"],
    "d/b": ["b@1.0.0", "", {}, "sha512-x"],
    "g": ["g@github:o/g#0123456", {}, "o-g-0123456"],
    "w": ["w@workspace:packages/w"],
  },
}`;
    const deps = run(bunLockExtractor, lock);
    assert.deepEqual(summary(deps), [
      "a@1.0.0 registry L13",
      "a@0.9.0 registry L14",
      "b@2.0.0 registry L15",
      "d@4.0.0 registry dev L16",
      "b@1.0.0 registry dev L17",
      "g@ git L18",
      "w@ workspace L19",
    ]);
    assert.equal(find(deps, "g").spec, "github:o/g#0123456");
  });

  test("bad bun.lock input becomes problems", () => {
    assertProblems(bunLockExtractor, "bun.lock", [
      ["{", /invalid bun.lock/],
      ['{"packages": {}}', /no lockfileVersion/],
      ['{"lockfileVersion": 1, "packages": {"x": [1], "y": ["y"], "z": {}}}', /not a \["name@version"/],
    ], "{}");
  });
});

test("npmExtractors: one extractor per file name, matched by basename", () => {
  const names: Record<string, string> = {
    "package.json": "npm/package.json",
    "package-lock.json": "npm/package-lock.json",
    "npm-shrinkwrap.json": "npm/package-lock.json",
    "yarn.lock": "npm/yarn.lock",
    "pnpm-lock.yaml": "npm/pnpm-lock.yaml",
    "bun.lock": "npm/bun.lock",
  };
  for (const [file, id] of Object.entries(names)) {
    const matching = npmExtractors.filter((e) => e.matches(`some/dir/${file}`)).map((e) => e.id);
    assert.deepEqual(matching, [id], file);
  }
  for (const other of ["bun.lockb", "yarn.lock.bak", "pnpm-workspace.yaml", "requirements.txt", "package.json5"]) {
    assert.deepEqual(
      npmExtractors.filter((e) => e.matches(other)).map((e) => e.id),
      [],
      other,
    );
  }
});

test("lockfile URLs keep no credentials: user:secret@ goes from every scheme, a bare ssh user stays", async () => {
  const { redactUrl } = await import("../../../../src/ecosystems/npm/manifests/common.ts");
  assert.equal(redactUrl("git+ssh://deploy:t0ken@git.example.com/o/r.git"), "git+ssh://git.example.com/o/r.git");
  assert.equal(redactUrl("git+https://t0ken@github.com/o/r.git"), "git+https://github.com/o/r.git");
  assert.equal(redactUrl("git+ssh://git@github.com/o/r.git"), "git+ssh://git@github.com/o/r.git");
});
