// The bundler the build runs for the agent hook's entry (scripts/bundle.ts): it joins what it knows,
// exactly as ES modules would run it, and refuses the rest with the reason. The real bundle against the
// unbundled entry: test/bundle.slow.test.ts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { BundleError, bundle } from "../scripts/bundle.ts";

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), "bouncer-bundle-"));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** A built tree of the given modules (path -> text), in a package of type module. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmp, "tree-"));
  writeFileSync(path.join(root, "package.json"), '{ "type": "module" }');
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, "dist", file)), { recursive: true });
    writeFileSync(path.join(root, "dist", file), text);
  }
  return path.join(root, "dist");
}

test("modules run once, in the order ES modules run them, each in its own scope; builtins and dynamic imports resolve as before", () => {
  const dist = tree({
    "cli/main.js": [
      'import { a } from "../lib/a.js";',
      'import { seen } from "../lib/log.js";',
      'import { b as bee } from "../lib/b.js";',
      'import { load } from "../lib/loader.js";',
      'import path from "node:path";',
      'import { sep } from "node:path";',
      'const name = "main";',
      "seen.push(name);",
      "const before = [...seen];",
      "const lazy = await load();",
      'const far = await import("../lib/far.js");',
      "console.log(JSON.stringify({ a: a(), b: bee, before, seen, lazy: lazy.value, far: far.value, sep: sep === path.sep, readOnly: (() => { try { lazy.value = 2; return false; } catch { return true; } })() }));",
      "",
    ].join("\n"),
    "lib/a.js": 'import { seen } from "./log.js";\nimport "./b.js";\nconst name = "a";\nseen.push(name);\nexport {};\nexport function a() {\n    return `\u0024{name}/\u0024{1 / 2}`;\n}\n',
    "lib/log.js": "export const seen = [];\n",
    "lib/b.js": 'import { seen } from "./log.js";\nconst name = "b";\nseen.push(name);\nexport const b = /[/]"/.source + `\u0024{"}"}\u0024{/[}`]/.source}`;\n',
    "lib/loader.js": 'export const load = () => import("./lazy.js");\n',
    "lib/lazy.js": 'import { seen } from "./log.js";\nseen.push("lazy");\nexport const value = 1;\n',
    "lib/far.js": 'export const value = "far";\n',
  });
  const unbundled = spawnSync(process.execPath, [path.join(dist, "cli/main.js")], { encoding: "utf8" });
  assert.equal(unbundled.status, 0, unbundled.stderr);
  const { code, modules } = bundle({ dist, entry: "cli/main.js", out: "cli/main.bundle.js", inlineDynamicFrom: ["lib/loader.js"] });
  writeFileSync(path.join(dist, "cli/main.bundle.js"), code);
  const bundled = spawnSync(process.execPath, [path.join(dist, "cli/main.bundle.js")], { encoding: "utf8" });
  assert.equal(bundled.status, 0, bundled.stderr);
  assert.equal(bundled.stdout, unbundled.stdout);
  assert.deepEqual(JSON.parse(bundled.stdout), {
    a: "a/0.5",
    b: '[/]"}[}`]',
    before: ["b", "a", "main"],
    seen: ["b", "a", "main", "lazy"],
    lazy: 1,
    far: "far",
    sep: true,
    readOnly: true,
  });
  // lazy.js is in the bundle (imported from loader.js); far.js, imported from the entry, stays a file, named relative to the bundle.
  assert.deepEqual(modules.sort(), ["cli/main.js", "lib/a.js", "lib/b.js", "lib/lazy.js", "lib/loader.js", "lib/log.js"]);
  assert.match(code, /import\("\.\.\/lib\/far\.js"\)/);
  assert.doesNotMatch(code, /^\s*(?:import|export)\s/m);
});

test("anything the bundler does not know fails the bundle with the reason", () => {
  const refused: Array<[string, Record<string, string>, RegExp]> = [
    ["a namespace import", { "m.js": 'import * as x from "./x.js";\nx;\n', "x.js": "export const y = 1;\n" }, /a namespace import/],
    ["export *", { "m.js": 'import { y } from "./x.js";\ny;\n', "x.js": 'export * from "./z.js";\n', "z.js": "export const y = 1;\n" }, /export \*/],
    ["a default export", { "m.js": 'import { y } from "./x.js";\ny;\n', "x.js": "export const y = 1;\nexport default y;\n" }, /a default export/],
    ["a default import of ours", { "m.js": 'import x from "./x.js";\nx;\n', "x.js": "export const y = 1;\n" }, /a default import of our own module/],
    ["a re-export", { "m.js": 'import { y } from "./x.js";\ny;\n', "x.js": 'export { y } from "./z.js";\n', "z.js": "export const y = 1;\n" }, /a re-export/],
    ["an export list", { "m.js": 'import { y } from "./x.js";\ny;\n', "x.js": "const y = 1;\nexport { y };\n" }, /an export list/],
    ["export let", { "m.js": 'import { y } from "./x.js";\ny;\n', "x.js": "export let y = 1;\n" }, /export let/],
    ["several declarators", { "m.js": 'import { y } from "./x.js";\ny;\n', "x.js": "export const y = [1, 2], z = 3;\n" }, /several declarators/],
    ["a reassigned export", { "m.js": 'import { y } from "./x.js";\ny();\n', "x.js": "export function y() {}\ny = () => 2;\n" }, /an assignment to the exported y/],
    ["a cycle", { "m.js": 'import { y } from "./x.js";\ny;\n', "x.js": 'import { z } from "./z.js";\nexport const y = z;\n', "z.js": 'import { y } from "./x.js";\nexport const z = () => y;\n' }, /import cycle: x\.js -> z\.js -> x\.js/],
    ["import.meta", { "m.js": "console.log(import.meta.url);\n" }, /import\.meta/],
    ["a package", { "m.js": 'import { parse } from "yaml";\nparse;\n' }, /imports yaml: only our own modules/],
    ["a computed dynamic import", { "m.js": 'const name = "./x.js";\nawait import(name);\n', "x.js": "export const y = 1;\n" }, /a dynamic import of anything but one string literal/],
    ["a missing module", { "m.js": 'import { y } from "./gone.js";\ny;\n' }, /imports \.\/gone\.js, which is not a file of the build/],
    ["a missing builtin export", { "m.js": 'import { nothing } from "node:path";\nnothing;\n' }, /imports nothing from node:path, which has no such export/],
    ["a name not exported", { "m.js": 'import { z } from "./x.js";\nz;\n', "x.js": "export const y = 1;\n" }, /m\.js imports z from x\.js, which does not export it/],
    ["the bundler's names", { "m.js": "const __bundle$0 = 1;\n" }, /the name __bundle\$0 is the bundler's own/],
    ["a global the bundle uses, declared", { "m.js": "const Promise = 1;\nPromise;\n" }, /a declaration of Promise/],
    ["an escaped specifier", { "m.js": 'import { y } from "./\\x.js";\ny;\n', "x.js": "export const y = 1;\n" }, /an escaped module specifier/],
    ["an unterminated string", { "m.js": 'const s = "abc;\n' }, /m\.js:1: unterminated string/],
  ];
  for (const [what, files, reason] of refused) {
    const dist = tree(files);
    assert.throws(() => bundle({ dist, entry: "m.js", out: "m.bundle.js" }), (error: unknown) => error instanceof BundleError && reason.test(error.message), what);
  }
});
