// What a write, edit or patch would leave in each file, and the fast path's reading of command lines.
import assert from "node:assert/strict";
import { test } from "node:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { diskFs } from "../../../src/engine/fs.ts";
import { applyEdits, EditError, newTexts, parsePatch } from "../../../src/doors/hooks/edits.ts";
import { mayChangeDependencies } from "../../../src/doors/hooks/fast.ts";
import { planLine } from "../../../src/doors/hooks/judge.ts";

const P = mkdtempSync(path.join(tmpdir(), "edits-"));
writeFileSync(path.join(P, "package.json"), '{\n  "dependencies": {}\n}\n');
writeFileSync(path.join(P, "app.py"), "import os\n\nprint(os.name)\n");
mkdirSync(path.join(P, "src"));
const fs = diskFs(P);
const fsFor = () => fs;

test("edits apply in order; one that does not apply means nothing is written", () => {
  assert.equal(applyEdits("a b a", [{ old: "a", new: "x" }]), "x b a");
  assert.equal(applyEdits("a b a", [{ old: "a", new: "$&$1", all: true }]), "$&$1 b $&$1");
  assert.equal(applyEdits("a", [{ old: "a", new: "b" }, { old: "b", new: "c" }]), "c");
  assert.equal(applyEdits("a", [{ old: "zzz", new: "b" }]), undefined);
  assert.equal(applyEdits(undefined, [{ old: "", new: "new file" }]), "new file");
});

test("a patch's added, updated, moved and deleted files, matched as apply_patch matches", () => {
  const patch = [
    "*** Begin Patch",
    "*** Add File: requirements.txt",
    "+requests==2.31.0",
    "*** Update File: package.json",
    "@@",
    "-  \"dependencies\": {}   ",
    "+  \"dependencies\": { \"react\": \"19.2.0\" }",
    "*** Update File: app.py",
    "*** Move to: src/app.py",
    "@@",
    " import os",
    "+import requests",
    "*** Delete File: old.py",
    "*** End Patch",
  ].join("\n");
  assert.equal(parsePatch(patch).length, 4);
  const texts = newTexts([{ op: "patch", patch }], P, fsFor);
  assert.deepEqual(
    texts.map((t) => [t.file, t.before, t.after]),
    [
      [`${P}/requirements.txt`, undefined, "requests==2.31.0\n"],
      [`${P}/package.json`, '{\n  "dependencies": {}\n}\n', '{\n  "dependencies": { "react": "19.2.0" }\n}\n'],
      [`${P}/src/app.py`, undefined, "import os\nimport requests\n\nprint(os.name)\n"],
    ],
  );
  assert.throws(() => newTexts([{ op: "patch", patch: "*** Update File: package.json\n@@\n-nothing like this\n+x" }], P, fsFor), EditError);
  assert.throws(() => newTexts([{ op: "patch", patch: "*** Update File: missing.json\n+x" }], P, fsFor), /does not exist/);
  assert.throws(() => parsePatch("just text"), /before its first file header/);
});

test("an insert goes after its line; files the door does not judge are not even read", () => {
  const texts = newTexts([{ op: "insert", file: "app.py", line: 1, text: "import requests" }], P, fsFor);
  assert.equal(texts[0]!.after, "import os\nimport requests\n\nprint(os.name)\n");
  const wanted = (file: string) => file.endsWith(".json");
  // Inside .git: the confined file system refuses it, and it is never asked.
  assert.deepEqual(newTexts([{ op: "edit", file: ".git/config", edits: [{ old: "a", new: "b" }] }], P, fsFor, wanted), []);
  assert.throws(() => newTexts([{ op: "edit", file: ".git/config.json", edits: [{ old: "a", new: "b" }] }], P, fsFor, wanted), /inside \.git/);
  // A whole new text needs no old one: an unreadable file counts as new.
  assert.deepEqual(newTexts([{ op: "write", file: ".git/x.json", content: "{}" }], P, fsFor, wanted).map((t) => t.before), [undefined]);
});

test("the fast path sees any installer word, however quoted; everything else passes", () => {
  for (const c of ["npm i x", "cd a && 'n'pm install", 'bash -c "pip install x"', "sudo python3 -m pip install x", "uv add x", "pnpm dlx y", "/usr/bin/npx y", "yarn"]) {
    assert.equal(mayChangeDependencies(c), true, c);
  }
  for (const c of ["ls -la", "git status && git diff", "cat package.json", "rg pipeline src", "echo npmrc", "make test"]) assert.equal(mayChangeDependencies(c), false, c);
});

test("a command line's installs are planned in the folder each runs in", () => {
  const plans = planLine("cd web && npm install react@19.2.0 && cd ../api && pip install requests==2.31.0 && echo done", "/p", "/home/u");
  assert.deepEqual(
    [...plans].map(([dir, plan]) => [dir, plan.requests.map((r) => `${r.ecosystem}:${r.name}@${r.version}`)]),
    [
      ["/p/web", ["npm:react@19.2.0"]],
      ["/p/api", ["pypi:requests@2.31.0"]],
    ],
  );
  const dynamic = planLine('npm install "$PKG"', "/p", "/home/u").get("/p")!;
  assert.ok(dynamic.problems.some((p) => /"\$PKG" is only known when the command runs/.test(p.reason)));
});
