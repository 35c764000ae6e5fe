// One fixture per scenario of the rules added for linter parity (test/k8s/fixtures/security, each
// citing the linter documentation it follows): `<rule>.fail.*` fires exactly that rule, with its
// severity; `<rule>.pass.*` is a hardened manifest that must come out clean (no false alarm).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { check, findings } from "./helpers.ts";

const DIR = path.join(import.meta.dirname, "fixtures", "security");

const SEVERITY: Record<string, string> = {
  "latest-tag": "warning",
  "capabilities-not-dropped": "warning",
  "seccomp-unconfined": "error",
  "unmasked-proc-mount": "error",
  "run-as-root-group": "warning",
  "writable-host-mount": "warning",
  "load-balancer-open": "warning",
};

const files = readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();

test("every new rule has a failing and a passing fixture", () => {
  for (const rule of Object.keys(SEVERITY)) {
    assert.ok(files.some((f) => f.startsWith(`${rule}.fail`)), `${rule} fail`);
    assert.ok(files.some((f) => f.startsWith(`${rule}.pass`)), `${rule} pass`);
  }
});

for (const file of files) {
  const [rule, expected] = file.split(".") as [string, string];
  test(`${file}: ${rule} ${expected}`, () => {
    const report = check(readFileSync(path.join(DIR, file), "utf8"), "1.34", file);
    const alarms = findings(report).filter((f) => f.severity !== "info");
    if (expected === "pass") {
      assert.deepEqual(alarms, []);
      assert.equal(report.summary.allow, 1);
    } else {
      assert.deepEqual(
        alarms.map((f) => [f.details?.rule, f.severity]),
        [[rule, SEVERITY[rule]]],
      );
      assert.ok(alarms[0]!.path && alarms[0]!.line, "path and line");
    }
  });
}

test("a hostPath that no container mounts writable is reported as info, and says so", () => {
  const report = check(readFileSync(path.join(DIR, "writable-host-mount.pass.read-only.yaml"), "utf8"));
  const f = findings(report).find((x) => x.details?.rule === "host-path")!;
  assert.equal(f.severity, "info");
  assert.match(f.message, /read-only/);
  const writable = findings(check(readFileSync(path.join(DIR, "writable-host-mount.fail.yaml"), "utf8")))[0]!;
  assert.match(writable.message, /writable by container "web" \(set readOnly: true/);
});
