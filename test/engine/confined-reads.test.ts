// Issue 8 items 1 and 9: a scan reads only inside its root, through the file system it is handed;
// includes and links that lead outside, into .git or to devices are refused and reported, never read.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { planInstall } from "../../src/doors/guard/guard.ts";
import { gather } from "../../src/engine/scan.ts";

const SECRET = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";

/** A folder holding `project/` and, beside it, a secret the project must not reach. */
function layout(files: Record<string, string>): { base: string; project: string } {
  const base = mkdtempSync(path.join(tmpdir(), "confined-"));
  const project = path.join(base, "project");
  for (const [rel, text] of Object.entries({ "secret.txt": `TOKEN=${SECRET}\nsecret-package==1\n`, ...files })) {
    const file = path.join(base, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  mkdirSync(project, { recursive: true });
  return { base, project };
}

const everything = (value: unknown) => JSON.stringify(value);

test("includes outside the root, into .git, or to devices are refused with a reason and never read", () => {
  const { project } = layout({
    "project/requirements.txt": "-r ../secret.txt\n-c /etc/passwd\n--requirement .git/config\n-r /proc/self/environ\n-r nested/base.txt\nflask\n",
    "project/nested/base.txt": "-r ../../../secret.txt\nrequests\n",
    "project/.git/config": `[remote "origin"]\n\turl = https://x-access-token:${SECRET}@github.com/acme/app\n`,
  });
  const found = gather({ cwd: project, paths: ["."] });
  const names = found.dependencies.map((d) => d.name).sort();
  assert.deepEqual(names, ["flask", "requests"]);
  const text = everything(found);
  assert.ok(!text.includes(SECRET), text);
  assert.ok(!text.includes("secret-package"), text);
  assert.ok(!text.includes("root:"), text);
  assert.ok(!text.includes("PATH="), text);
  const reasons = found.notEvaluated.map((n) => `${n.file}: ${n.reason}`);
  assert.ok(reasons.includes('requirements.txt: line 1: cannot read included file "../secret.txt": outside the scanned folder'), reasons.join("\n"));
  assert.ok(reasons.includes('requirements.txt: line 2: cannot read included file "/etc/passwd": outside the scanned folder'), reasons.join("\n"));
  assert.ok(reasons.includes('requirements.txt: line 3: cannot read included file ".git/config": inside .git'), reasons.join("\n"));
  assert.ok(reasons.includes('requirements.txt: line 4: cannot read included file "/proc/self/environ": outside the scanned folder'), reasons.join("\n"));
  assert.ok(reasons.some((r) => r.startsWith("nested/base.txt: line 1: cannot read included file") && r.endsWith("outside the scanned folder")), reasons.join("\n"));
});

test("standard input and MCP snippets read only themselves: their includes find nothing", () => {
  const found = gather({ cwd: "/", paths: [], stdin: { text: "-r /etc/passwd\n-r ../../etc/hostname\nflask\n", name: "requirements.txt" } });
  assert.deepEqual(found.dependencies.map((d) => d.name), ["flask"]);
  const text = everything(found);
  assert.ok(!text.includes("root:"), text);
  assert.deepEqual(
    found.notEvaluated.map((n) => n.reason),
    ['line 1: cannot read included file "/etc/passwd": not part of the scanned text', 'line 2: cannot read included file "../../etc/hostname": not part of the scanned text'],
  );
});

test("the install guard reads -r files only inside its working folder", () => {
  const { project } = layout({ "project/requirements.txt": "-r ../secret.txt\nflask\n" });
  const plan = planInstall(["pip", "install", "-r", "requirements.txt"], project);
  assert.deepEqual(plan.requests.map((r) => r.name), ["flask"]);
  assert.ok(!everything(plan).includes(SECRET));
  assert.ok(plan.problems.some((p) => /outside the scanned folder/.test(p.reason)), plan.problems.map((p) => p.reason).join("\n"));
  const outside = planInstall(["pip", "install", "-r", "../secret.txt"], project);
  assert.deepEqual(outside.requests, []);
  assert.ok(!everything(outside).includes(SECRET));
});

test("links to manifests are followed inside the root and reported when they lead outside (item 9)", () => {
  const { base, project } = layout({ "project/reqs/base.txt": "requests\n" });
  symlinkSync(path.join(project, "reqs", "base.txt"), path.join(project, "requirements.txt"));
  mkdirSync(path.join(project, "api"));
  symlinkSync(path.join(base, "secret.txt"), path.join(project, "api", "requirements.txt"));
  symlinkSync("/dev/zero", path.join(project, "requirements-dev.txt"));
  symlinkSync(path.join(project, "gone.txt"), path.join(project, "constraints.txt"));
  const found = gather({ cwd: project, paths: ["."] });
  assert.deepEqual(found.dependencies.map((d) => `${d.name} ${d.location.file}`), ["requests requirements.txt"]);
  assert.deepEqual(
    found.notEvaluated.sort((a, b) => a.file.localeCompare(b.file)),
    [
      { file: "api/requirements.txt", reason: "a link to outside the scanned folder" },
      { file: "constraints.txt", reason: "a broken symbolic link" },
      { file: "requirements-dev.txt", reason: "a link to outside the scanned folder" },
    ],
  );
});
