// A live check as the CLI runs it (engine, cache, npm source, node:http fetcher): how many requests
// a bulk check costs, and that DNS is resolved once. Behaviour, not timing (speed is in bench/).
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { defaultPolicy } from "../../src/core/policy.ts";
import { getEcosystem } from "../../src/ecosystems/index.ts";
import { checkPackages } from "../../src/engine/check.ts";
import { makeRequest } from "../../src/engine/requests.ts";
import { openEngine } from "../../src/engine/setup.ts";
import type { Fetcher } from "../../src/sources/http.ts";
import { createDnsCache, createNodeFetcher } from "../../src/sources/node-fetch.ts";
import { FIXED_NOW, type RegistryServer, startRegistryServer } from "../support/registry-server.ts";

const npm = getEcosystem("npm")!;
let server: RegistryServer;
let names: string[];
// One data directory: the similarity tables are built once for every test.
const dataDir = mkdtempSync(path.join(tmpdir(), "bouncer-live-"));

before(async () => {
  server = await startRegistryServer({ countOnly: true });
  names = server.addSyntheticPackages("npm", 300);
});
after(() => server.close());

async function check(list: string[], base: string, fetch?: Fetcher) {
  const engine = await openEngine({
    dataDir,
    offline: false,
    policy: defaultPolicy(),
    now: new Date(FIXED_NOW),
    registries: { npm: `${base}npm/`, npmDownloads: `${base}downloads/`, pypi: `${base}pypi/` },
    fetch,
  });
  try {
    return await checkPackages(
      list.map((n) => makeRequest(npm, n, null)),
      engine,
    );
  } finally {
    await engine.close();
  }
}

test("300 npm names: one document request each, at most 3 downloads requests; warm, none at all", async () => {
  const [documents, downloads] = [server.requestCount("npm"), server.requestCount("downloads")];
  const results = await check(names, server.url);
  assert.deepEqual(new Set(results.map((r) => r.verdict)), new Set(["allow"]));
  assert.equal(server.requestCount("npm") - documents, 300);
  assert.ok(server.requestCount("downloads") - downloads <= 3, `${server.requestCount("downloads") - downloads} downloads requests`);

  const total = server.requestCount();
  await check(names, server.url);
  assert.equal(server.requestCount(), total, "the cache answers a warm run");
});

test("the registry host is resolved once for a whole check", async () => {
  const asked: string[] = [];
  const resolve = async (hostname: string) => {
    asked.push(hostname);
    return [{ address: "127.0.0.1", family: 4 }];
  };
  const fetch = createNodeFetcher({ lookup: createDnsCache({ resolve }) });
  const fresh = server.addSyntheticPackages("npm", 50, "dns-"); // not in the cache: every name goes to the registry
  const results = await check(fresh, server.url.replace("127.0.0.1", "registry.bouncer.test"), fetch);
  assert.equal(results.length, 50);
  const lost = results.filter((r) => r.findings.some((f) => f.code === "unverifiable" || f.code === "not-found"));
  assert.deepEqual(lost, [], "every name was found");
  assert.deepEqual(asked, ["registry.bouncer.test"]);
});
