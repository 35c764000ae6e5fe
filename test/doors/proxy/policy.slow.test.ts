// Slow tier: a sweep of every fixture under every policy (about 6 s); the fast tier keeps the proxy's other tests.
// One policy everywhere (issue 8 item 15): for the same package and the same policy, the proxy
// serves exactly what `check` allows or warns about, and refuses exactly what it blocks.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { parsePolicy } from "../../../src/core/policy.ts";
import { createProxy } from "../../../src/doors/proxy/index.ts";
import type { Fetcher } from "../../../src/sources/http.ts";
import { type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";
import { type ProxyFixture, publishNpm, startProxy } from "./setup.ts";

const OLD = "2015-06-01T00:00:00.000Z";
const SIMPLE_JSON = "application/vnd.pypi.simple.v1+json";

/** What `check` decides: the engine's verdict through the gate, as the check command asks it. */
async function checkVerdict(p: ProxyFixture, ecosystem: "npm" | "pypi", name: string): Promise<string> {
  const [result] = await p.gate.check([p.gate.request(ecosystem, name, null)], "check");
  return result!.verdict;
}

/** What the proxy decides: served (with the verdict it served under) or refused (block). */
async function proxyVerdict(p: ProxyFixture, ecosystem: "npm" | "pypi", name: string): Promise<string> {
  const res = ecosystem === "npm" ? await p.get(`/npm/${name}`) : await p.get(`/pypi/simple/${name}/`, { accept: SIMPLE_JSON });
  await res.arrayBuffer();
  if (res.status === 200) return res.headers.get("x-bouncer-verdict") ?? "served without a verdict";
  return [403, 404, 502].includes(res.status) ? "block" : `HTTP ${res.status}`;
}

describe("an unverifiable package: the proxy follows codes.unverifiable like check", () => {
  let up: RegistryServer;
  // The engine's registry lookup for flaky-pkg fails (a registry hiccup); the proxy's own fetch of the document works.
  const engineFetch: Fetcher = (url, init) => (url.endsWith("/npm/flaky-pkg") ? Promise.reject(new TypeError("fetch failed")) : fetch(url, init));
  before(async () => {
    up = await startRegistryServer();
    publishNpm(up, "flaky-pkg", [{ version: "1.0.0", time: OLD }]);
  });
  after(() => up.close());

  test('{"codes":{"unverifiable":"warn"}}: check warns and the proxy serves with the warning', async () => {
    const p = await startProxy({ upstream: up, engineFetch, policy: parsePolicy({ codes: { unverifiable: "warn" } }) });
    try {
      assert.equal(await checkVerdict(p, "npm", "flaky-pkg"), "warn");
      const res = await p.get("/npm/flaky-pkg");
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-bouncer-verdict"), "warn");
      assert.match(res.headers.get("npm-notice") ?? "", /unverifiable/);
      assert.deepEqual(Object.keys(((await res.json()) as { versions: object }).versions), ["1.0.0"]);
      const tarball = await p.get("/npm/flaky-pkg/-/flaky-pkg-1.0.0.tgz");
      assert.equal(tarball.status, 200);
      await tarball.arrayBuffer();
    } finally {
      await p.close();
    }
  });

  test("the default policy blocks it in both", async () => {
    const p = await startProxy({ upstream: up, engineFetch });
    try {
      assert.equal(await checkVerdict(p, "npm", "flaky-pkg"), "block");
      const res = await p.get("/npm/flaky-pkg");
      assert.equal(res.status, 502);
      assert.match(((await res.json()) as { error: string }).error, /unverifiable/);
    } finally {
      await p.close();
    }
  });
});

const NPM_FIXTURES = [
  "left-pad",
  "react",
  "@babel/core",
  "react-hooks-toolkit-pro",
  "flatmap-stream",
  "esbuild",
  "mirror-lib",
  "gone-pkg",
  "huge-history",
  "left-padd",
  "policy-young-pkg",
];
const PYPI_FIXTURES = [
  "requests",
  "pyyaml",
  "fastapi-secure-auth-extension",
  "legacy-sdist-lib",
  "yanked-everything",
  "partly-yanked",
  "private-only-simple",
  "html-only-index",
  "empty-project",
  "numpay",
];

const POLICIES: Record<string, object> = {
  default: {},
  "deprecated: block, install-scripts: block": { codes: { deprecated: "block", "install-scripts": "block" } },
  "new-package, low-popularity, no-repository: allow": { codes: { "new-package": "allow", "low-popularity": "allow", "no-repository": "allow" } },
  "typosquat, suspicious-name: warn; npm only: deprecated allow": {
    codes: { typosquat: "warn", "suspicious-name": "warn" },
    ecosystems: { npm: { codes: { deprecated: "allow" } } },
  },
  "allow and deny lists": { allow: ["react-hooks-toolkit-pro"], deny: ["left-pad", "pypi:requests"] },
};

describe("the proxy's verdict equals check's for every fixture under every policy", () => {
  let up: RegistryServer;
  const seen = new Set<string>();
  before(async () => {
    up = await startRegistryServer();
    publishNpm(up, "policy-young-pkg", [{ version: "1.0.0", time: "2026-11-20T00:00:00.000Z" }], { downloads: 12 });
  });
  after(() => up.close());

  for (const [label, doc] of Object.entries(POLICIES)) {
    test(label, async () => {
      const p = await startProxy({ upstream: up, policy: parsePolicy(doc) });
      try {
        const rows: string[] = [];
        for (const [ecosystem, names] of [["npm", NPM_FIXTURES], ["pypi", PYPI_FIXTURES]] as const) {
          for (const name of names) {
            const check = await checkVerdict(p, ecosystem, name);
            const proxy = await proxyVerdict(p, ecosystem, name);
            seen.add(check);
            if (check !== proxy) rows.push(`${ecosystem}:${name}: check ${check}, proxy ${proxy}`);
          }
        }
        assert.deepEqual(rows, []);
      } finally {
        await p.close();
      }
    });
  }

  test("the table holds every verdict (it compares something)", () => {
    assert.deepEqual([...seen].sort(), ["allow", "block", "warn"]);
  });
});

describe("the proxy takes the facts with each verdict from the engine (issue 10)", () => {
  test("it asks no source a second time: versions are filtered on the facts the verdict was made on", async () => {
    const p = await startProxy({ minimumVersionAgeHours: 48 });
    try {
      publishNpm(p.up, "fresh-release", [
        { version: "1.0.0", time: OLD },
        { version: "1.1.0", time: "2026-11-23T00:00:00.000Z" },
      ]);
      const asked: string[] = [];
      const spy = {
        id: "spy",
        lookup: async (_ecosystem: string, name: string) => {
          asked.push(name);
          return { source: "spy" };
        },
      };
      // The gate's engine as the proxy sees it: a door that looked facts up itself would ask this source.
      const gate = { ...p.gate, engine: { ...p.gate.engine, sources: [spy] } };
      const proxy = createProxy({ gate, upstreams: { npm: p.up.npmBase, pypi: p.up.pypiBase }, publicUrl: "http://proxy.test" });
      const res = await proxy(new Request("http://proxy.test/npm/fresh-release"));
      assert.equal(res.status, 200);
      const doc = (await res.json()) as { versions: Record<string, unknown> };
      assert.deepEqual(Object.keys(doc.versions), ["1.0.0"], "the version younger than 48 h is hidden");
      assert.deepEqual(asked, []);
    } finally {
      await p.close();
    }
  });
});

describe("closing the gate", () => {
  test("waits for checks in flight: a decision the proxy made after answering is still logged", async () => {
    const p = await startProxy();
    try {
      // Nothing awaited before close: the check is still looking up and judging when close is called.
      const pending = p.gate.check([p.gate.request("npm", "left-pad", null)], "proxy", "in flight");
      await p.gate.close();
      const logged = readFileSync(join(p.dataDir, "ledger.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { name: string; context?: string });
      assert.deepEqual(logged.map((e) => [e.name, e.context]), [["left-pad", "in flight"]]);
      assert.equal((await pending)[0]!.verdict, "warn", "left-pad is deprecated");
    } finally {
      await p.close();
    }
  });
});
