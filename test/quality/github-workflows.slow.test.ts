// Precision on real workflows: the 931 maintainers' workflows of the dataset and the repository's own
// action, scanned offline. Each finding below was judged true by hand (see notes); anything else is a
// false alarm until someone judges it, so the set is a ceiling.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { scan } from "../../src/engine/scan.ts";
import { githubEngine } from "../ecosystems/github/helpers.ts";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/datasets/github-actions/workflows");
const REPO = path.resolve(import.meta.dirname, "../..");

/** Findings judged true (code -> purl), with the clock at 2026-12-07. */
const JUDGED_TRUE: ReadonlyArray<[string, string]> = [
  ["archived", "pkg:github/8398a7/action-slack@v3"],
  ["archived", "pkg:github/actions-rs/audit-check@v1"],
  ["unknown-input", "pkg:github/actions/setup-java@v1"],
  ["command-deprecated", "pkg:github/actions/runner"],
  ["deprecated-input", "pkg:github/actions/create-github-app-token@v3"],
  ["deprecated-input", "pkg:github/actions/create-github-app-token@1b10c78c7865c340bc4f6099eb2f838309f1e8c3"],
  ["action-discontinued", "pkg:github/actions/upload-artifact@v2"],
  ["action-discontinued", "pkg:github/actions/upload-artifact@v3"],
  ["action-discontinued", "pkg:github/actions/download-artifact@v3"],
  ["retired-runner", "pkg:github/actions/runner-images@ubuntu-20.04"],
  ["retired-runner", "pkg:github/actions/runner-images@macos-13"],
];

test("the maintainers' workflows: no finding beyond those judged true; unverifiable only outside the index or after its snapshot", async () => {
  const root = mkdtempSync(path.join(tmpdir(), "workflows-"));
  const dir = path.join(root, ".github", "workflows");
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(CORPUS).filter((f) => /\.ya?ml$/.test(f));
  assert.equal(files.length, 931);
  for (const f of files) copyFileSync(path.join(CORPUS, f), path.join(dir, f));
  copyFileSync(path.join(REPO, "action.yml"), path.join(root, "action.yml"));
  const report = await scan({ cwd: root, paths: ["."] }, githubEngine());
  const github = report.results.filter((r) => r.ecosystem === "github");
  assert.ok(github.length > 500, String(github.length));
  const judged = new Set(JUDGED_TRUE.map(([code, purl]) => `${code} ${purl}`));
  const unexpected: string[] = [];
  for (const r of github) {
    for (const f of r.findings) {
      // Node 20 was removed from the runner on 2026-09-16: every node20 action is told (true by the data).
      if (f.code === "runtime-removed" || f.code === "runtime-deprecated") continue;
      if (f.code === "unverifiable") {
        if (!/not among the \d+ action repositories|when the shipped index was taken/.test(f.message)) unexpected.push(`${r.purl}: ${f.message}`);
        continue;
      }
      if (!judged.has(`${f.code} ${r.purl}`)) unexpected.push(`${r.purl} ${f.code}: ${f.message}`);
    }
  }
  assert.deepEqual(unexpected, []);
  assert.deepEqual(report.notEvaluated.filter((n) => /not valid YAML|could not be parsed/.test(n.reason)), []);
});
