// Replacement advice follows the chain to an API that is served at the target; deprecation versions
// match the Kubernetes lifecycle tags (flowcontrol v1beta3 appeared in 1.26, deprecated in 1.29).
import assert from "node:assert/strict";
import { test } from "node:test";
import { atOrBefore } from "../../src/k8s/versions.ts";
import { check, data, findings } from "./helpers.ts";

const object = (apiVersion: string, kind: string) => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: { name: x }\n`;
const apiFinding = (apiVersion: string, kind: string, version: string) =>
  findings(check(object(apiVersion, kind), version)).find((f) => f.code === "api-removed" || f.code === "api-deprecated")!;

test("flowcontrol v1beta1 -> v1, not the removed v1beta3", () => {
  for (const kind of ["FlowSchema", "PriorityLevelConfiguration"]) {
    const f = apiFinding("flowcontrol.apiserver.k8s.io/v1beta1", kind, "1.34");
    assert.equal(f.code, "api-removed");
    assert.equal(f.replacement, "flowcontrol.apiserver.k8s.io/v1");
    assert.match(f.message, /removed in Kubernetes 1\.26; use flowcontrol\.apiserver\.k8s\.io\/v1$/);
  }
});

test("flowcontrol v1beta3 is deprecated since 1.29 (it appeared in 1.26), removed in 1.32", () => {
  for (const kind of ["FlowSchema", "PriorityLevelConfiguration"]) {
    const f = apiFinding("flowcontrol.apiserver.k8s.io/v1beta3", kind, "1.30");
    assert.equal(f.code, "api-deprecated");
    assert.match(f.message, /deprecated since Kubernetes 1\.29 and removed in 1\.32; use flowcontrol\.apiserver\.k8s\.io\/v1$/);
  }
});

test("PodSecurityPolicy -> Pod Security admission, never the removed policy/v1beta1", () => {
  for (const api of ["extensions/v1beta1", "policy/v1beta1"]) {
    const f = apiFinding(api, "PodSecurityPolicy", "1.34");
    assert.equal(f.code, "api-removed");
    assert.equal(f.replacement, undefined);
    assert.match(f.message, /; use Pod Security admission/);
  }
});

test("no advice names an API that is removed at the target, for any row at any supported version", () => {
  for (const version of ["1.30", "1.32", "1.34", "1.36"]) {
    for (const [api, kind] of data.apis) {
      const f = findings(check(object(api, kind), version)).find((x) => x.code === "api-removed" || x.code === "api-deprecated");
      if (!f?.replacement) continue;
      const row = data.apis.find((r) => r[0] === f.replacement && r[1] === kind);
      assert.ok(!row?.[3] || !atOrBefore(row[3], version), `${api} ${kind} at ${version}: ${f.replacement} is removed`);
    }
  }
});
