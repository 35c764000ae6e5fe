import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { extractJsImports, jsImportsExtractor, lexJs, npmPackagesOfSpecifier, scriptBlocks } from "../../src/extract/js-imports.ts";
import { BLOWUP_MS } from "../support/bounded.ts";

/** name@line, T for typeOnly. */
function brief(code: string, file = "a.ts"): string[] {
  return extractJsImports(code, file).map((d) => `${d.name}@${d.location.line}${d.typeOnly ? "T" : ""}`);
}

describe("js import forms", () => {
  it("finds static, dynamic, require, re-export and TypeScript forms", () => {
    const code = [
      "import a from 'a';",
      'import * as b from "b"; import { c as cc, d } from "c"',
      "import 'side-effect'",
      "import e, { f } from 'e' with { type: 'json' }",
      "import g = require('g')",
      "const h = await import('h')",
      "const i = require(`i`), j = require.resolve('j/package.json')",
      "export * from 'k'; export * as ns from 'l'; export { m } from 'm'",
      "export { default as n } from 'n'",
      "import {",
      "  o1,",
      "  o2,",
      "} from '@scope/o/deep/path'",
      "module.require('p')",
      "import(/* webpackChunkName: 'x' */ 'q')",
    ].join("\n");
    assert.deepEqual(brief(code), [
      "a@1",
      "b@2",
      "c@2",
      "side-effect@3",
      "e@4",
      "g@5",
      "h@6",
      "i@7",
      "j@7",
      "k@8",
      "l@8",
      "m@8",
      "n@9",
      "@scope/o@13",
      "p@14",
      "q@15",
    ]);
    assert.deepEqual(extractJsImports("\n  const x = require('lodash/fp')", "x.js")[0], {
      ecosystem: "npm",
      name: "lodash",
      version: null,
      source: "registry",
      kind: "import",
      location: { file: "x.js", line: 2, column: 21 },
      importName: "lodash/fp",
    });
  });

  it("marks type-only imports and exports", () => {
    const code = [
      "import type { A } from 'ta'",
      "import type B from 'tb'",
      "import type * as C from 'tc'",
      "import type from 'not-type-only'",
      "import type, { D } from 'not-type-only-2'",
      "import { type E } from 'inline-type'",
      "export type { F } from 'tf'",
      "export type G = import('type-position').G",
      "import type H = require('th')",
      "import typeof I from 'flow-typeof'",
    ].join("\n");
    assert.deepEqual(brief(code), ["ta@1T", "tb@2T", "tc@3T", "not-type-only@4", "not-type-only-2@5", "inline-type@6", "tf@7T", "type-position@8", "th@9T", "flow-typeof@10T"]);
    assert.deepEqual(brief("import 'x'\nimport y from 'y'", "types/index.d.ts"), ["x@1T", "y@2T"]);
  });

  it("skips look-alikes in comments, strings, templates and regexes", () => {
    const code = [
      "// require('c1')",
      "/* import x from 'c2'",
      "   require('c3') */",
      "const s = \"require('s1')\" + 'import(\"s2\")'",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
      "const t = `require('t1') ${require('real-in-template')} ${`${require('nested-template')}`}`",
      "const r = /require\\('r1'\\)[/']/g; const q = a / b / require('real-after-division')",
      "if (ok) /'/.test(s); require('real-after-regex')",
      "x = y.import('prop1'); z = obj.require('prop2'); [...require('spread')]",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
      "require('a' + b); require(dynamic); import(`tpl${x}`); require(); require(1)",
      "const o = { import: 1, require: 2, from: 'fake' }",
      "const m = import.meta.url",
    ].join("\n");
    assert.deepEqual(brief(code), ["real-in-template@5", "nested-template@5", "real-after-division@6", "real-after-regex@7", "spread@8"]);
  });

  it("recovers at the end of the line from JSX text and stray quotes", () => {
    const code = ["const el = <p>Don't / stop</p>;", "const z = require('after-jsx')", "let w = i++ / 2; require('after-postfix')"].join("\n");
    assert.deepEqual(brief(code, "a.jsx"), ["after-jsx@2", "after-postfix@3"]);
  });

  it("counts lines across CRLF, U+2028, template and comment newlines", () => {
    const code = "import a from 'a'\r\nconst t = `\n\n`\u2028/*\n*/ require('b')\r\nimport c from 'c'";
    assert.deepEqual(brief(code), ["a@1", "b@6", "c@7"]);
    assert.deepEqual(brief("#!/usr/bin/env node\nrequire('shebang')"), ["shebang@2"]);
    assert.deepEqual(brief("\ufeffimport bom from 'bom'"), ["bom@1"]);
  });

  it("reports unterminated multi-line constructs", () => {
    const result = jsImportsExtractor.extract("import a from 'a'\nconst t = `open\nrequire('hidden')", "x.js");
    assert.deepEqual(brief("import a from 'a'"), ["a@1"]);
    assert.deepEqual(result.problems, [{ file: "x.js", line: 2, reason: "unterminated template literal: imports after line 2 may be missed" }]);
    const open = jsImportsExtractor.extract("const t = `a${b\nrequire('inside')", "y.js");
    assert.deepEqual(open.dependencies.map((d) => d.name), ["inside"]);
    assert.deepEqual(open.problems.map((p) => [p.line, p.reason]), [[1, "unterminated template literal: imports after line 1 may be missed"]]);
    assert.deepEqual(
      jsImportsExtractor.extract("x\n/* never closed\nrequire('a')", "z.js").problems.map((p) => [p.line, p.reason]),
      [[2, "unterminated block comment: imports after line 2 may be missed"]],
    );
  });
});

describe("specifier to package", () => {
  it("maps subpaths and scopes, drops what is not a registry package", () => {
    const names = (spec: string) => npmPackagesOfSpecifier(spec).map((p) => (p.version ? `${p.name}@${p.version}` : p.name));
    assert.deepEqual(names("lodash/fp"), ["lodash"]);
    assert.deepEqual(names("@scope/pkg/sub/x.js"), ["@scope/pkg"]);
    assert.deepEqual(names("pkg?raw"), ["pkg"]);
    assert.deepEqual(names("style-loader!css-loader?modules!./file.css"), ["style-loader", "css-loader"]);
    assert.deepEqual(names("npm:chalk@5/ansi"), ["chalk@5"]);
    assert.deepEqual(names("npm:@scope/p@^1.2"), ["@scope/p@^1.2"]);
    assert.deepEqual(names("buffer/"), ["buffer"]);
    for (const none of ["./x", "../x", "/abs", "fs", "fs/promises", "node:fs", "node:test", "https://cdn.skypack.dev/x", "data:text/javascript,1", "#internal", "~/alias", "@/alias", "$lib/x", "virtual:x", "jsr:@std/path", "C:\\x", "", "@scope", "Has Space"]) {
      assert.deepEqual(names(none), [], none);
    }
  });
});

describe("vue and svelte script blocks", () => {
  it("extracts every <script> body at file lines and columns", () => {
    const sfc = ["<template><div/></template>", '<script setup lang="ts">import a from "a"', "import b from 'b'", "</script>", "<script>", "const c = require('c')", "</SCRIPT >"].join("\n");
    assert.deepEqual(scriptBlocks(sfc).map((b) => b.lineOffset), [1, 4]);
    const deps = jsImportsExtractor.extract(sfc, "C.vue").dependencies;
    assert.deepEqual(deps.map((d) => [d.name, d.location.line, d.location.column]), [
      ["a", 2, 39],
      ["b", 3, 15],
      ["c", 6, 19],
    ]);
    assert.equal(jsImportsExtractor.matches("src/App.svelte"), true);
    assert.equal(jsImportsExtractor.matches("x.d.mts"), true);
    assert.equal(jsImportsExtractor.matches("x.json"), false);
  });
});

// Conformance: depcheck's `using` map (package -> files) for each fake module.
// Deliberate differences, checked explicitly below:
// - depcheck credits @types/<pkg> for TypeScript files (and @types/node for built-ins); we report the
//   imported package and mark `import type` typeOnly. For an `import type` of X, depcheck credits
//   only @types/X, so those are compared against its @types keys.
// - depcheck credits "svelte" to every .svelte file; we report only what the code imports.
// - imports in .d.ts files are ours too but typeOnly (nothing runs).
// - a sub-folder with its own package.json is another project (depcheck skips it; so does this harness).
const DEPCHECK = new URL("../../../shared/fixtures/js-ts-imports/depcheck/", import.meta.url).pathname;
const NOT_IMPORTED = new Map([["svelte", ["svelte"]]]);

function typesName(pkg: string): string {
  return `@types/${pkg.startsWith("@") ? pkg.slice(1).replace("/", "__") : pkg}`;
}

function sourceFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return existsSync(join(p, "package.json")) ? [] : sourceFiles(root, p);
    return jsImportsExtractor.matches(p) ? [p] : [];
  });
}

describe("conformance: depcheck fake modules", () => {
  for (const module of readdirSync(DEPCHECK).sort()) {
    const root = join(DEPCHECK, module);
    if (!existsSync(join(root, "module.expected.json"))) continue;
    it(module, () => {
      const expected = JSON.parse(readFileSync(join(root, "module.expected.json"), "utf8")) as {
        cases: Array<{ expected: { using: Record<string, string[]> } }>;
      };
      const runtime: Record<string, string[]> = {};
      const typeOnly: Record<string, string[]> = {};
      for (const file of sourceFiles(root)) {
        const result = jsImportsExtractor.extract(readFileSync(file, "utf8"), file);
        assert.deepEqual(result.problems, [], file);
        for (const dep of result.dependencies) {
          const rel = relative(root, file);
          const declaration = /\.d\.ts$/.test(file);
          const bucket = dep.typeOnly && !declaration ? typeOnly : runtime;
          const files = bucket[dep.name] ?? [];
          bucket[dep.name] = files;
          if (!files.includes(rel)) files.push(rel);
        }
      }
      for (const c of expected.cases) {
        const want: Record<string, string[]> = {};
        for (const [pkg, files] of Object.entries(c.expected.using)) {
          if (pkg.startsWith("@types/") || NOT_IMPORTED.get(module)?.includes(pkg)) continue;
          want[pkg] = [...files].sort();
        }
        const got = Object.fromEntries(Object.entries(runtime).map(([k, v]) => [k, v.sort()]));
        assert.deepEqual(got, want);
        for (const [pkg, files] of Object.entries(typeOnly)) {
          assert.deepEqual(c.expected.using[typesName(pkg)]?.sort(), files.sort(), `type-only ${pkg}`);
          assert.equal(c.expected.using[pkg], undefined, `depcheck does not credit ${pkg} itself for import type`);
        }
      }
    });
  }
});

describe("lexer speed", () => {
  it("lexes 1 MB of minified code in sync, without blow-up", () => {
    const chunk =
      // biome-ignore lint/suspicious/noTemplateCurlyInString: JavaScript source under test
      'var a=function(e,t){return e/t/2},b=/[/"\'`]+\\/x/g.test(s)?`x${a(1,2)/3}y${`n${"}"}`}`:\'q"\',c=require("pkg-a"),d=x=>x/2;' +
      "if(a)/re\\//.exec(b);for(var i=0;i<n;i++)h[i]=i/2;import(\"pkg-b\").then(f=>f);z={k:1};w=a++/2;/*c*/";
    const code = chunk.repeat(Math.ceil(1_000_000 / chunk.length));
    const started = performance.now();
    const deps = extractJsImports(code, "bundle.min.js");
    const elapsed = performance.now() - started;
    const copies = Math.ceil(1_000_000 / chunk.length);
    assert.equal(deps.length, 2 * copies, "every copy's two imports are found: the lexer stayed in sync");
    assert.ok(elapsed < BLOWUP_MS, `took ${elapsed.toFixed(0)} ms`);
    assert.ok(lexJs(code).tokens.length > 100_000);
  });
});
