// What the engine checks and what the proxy serves come from one registry: the one npm itself would
// ask for the name (its scope matched exactly, as npm-registry-fetch does), with that registry's
// credentials only.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Fetcher } from "../../../src/sources/http.ts";
import { startRegistryServer } from "../../support/registry-server.ts";
import { publishNpm, startProxy } from "./setup.ts";

const OLD = "2015-06-01T00:00:00.000Z";
const PUBLIC_AUTH = "Bearer public-token";
const PRIVATE_AUTH = "Bearer private-token";

interface Asked {
  url: string;
  authorization: string | null;
}

/** A fetch that records document requests and answers 404 (no network). */
function recorder(into: Asked[]): Fetcher {
  return async (url, init) => {
    into.push({ url, authorization: new Headers(init?.headers).get("authorization") });
    return new Response("{}", { status: 404, headers: { "content-type": "application/json" } });
  };
}

test("engine and proxy route a scoped name to the same registry, with the same credentials", async () => {
  // Scope keys as the configuration may hold them: npm's own ("@scope", case as written) and the
  // engine API's shorthand without "@"; each its own registry and token.
  const registry = (id: string) => ({ baseUrl: `http://${id}.test/npm/`, authorization: `Bearer ${id}-token` });
  const scopes = { "@MyCorp": registry("mixed"), "@lower": registry("lower"), noat: registry("noat"), MixNoAt: registry("mixnoat") };
  // name -> the registry npm asks (npm-registry-fetch: "<scope>:registry", the scope exactly as written); null: the default.
  const table: Array<[string, string | null]> = [
    ["@MyCorp/pkg", "mixed"],
    ["@mycorp/pkg", null],
    ["@MYCORP/pkg", null],
    ["@lower/pkg", "lower"],
    ["@Lower/pkg", null],
    ["@noat/pkg", "noat"],
    ["@NoAt/pkg", null],
    ["@MixNoAt/pkg", "mixnoat"],
    ["@mixnoat/pkg", null],
    ["@other/pkg", null],
    ["plain-pkg", null],
  ];
  const engine: Asked[] = [];
  const proxy: Asked[] = [];
  const p = await startProxy({ npmScopes: scopes, npmAuthorization: PUBLIC_AUTH, engineFetch: recorder(engine), proxyFetch: recorder(proxy) });
  try {
    const publicBase = p.up.npmBase;
    const documents = (asked: Asked[]) => asked.filter((a) => a.url.startsWith(publicBase) || a.url.includes(".test/npm/"));
    for (const [name, id] of table) {
      engine.length = 0;
      proxy.length = 0;
      const encoded = name.replace("/", "%2f");
      const answer = await p.get(`/npm/${encoded}`);
      assert.equal(answer.status, 404, name);
      const { baseUrl, authorization } = id ? registry(id) : { baseUrl: publicBase, authorization: PUBLIC_AUTH };
      const expected = [{ url: `${baseUrl}${encoded}`, authorization }];
      assert.deepEqual(documents(engine), expected, `engine: ${name}`);
      assert.deepEqual(documents(proxy), expected, `proxy: ${name}`);
    }
  } finally {
    await p.close();
  }
});

describe("a mixed-case scoped name through the proxy, public and private registries on 127.0.0.1", () => {
  for (const [label, key, fromPrivate] of [
    ["the scope configured as written", "@MyCorp", true],
    ["the scope configured lower-cased (npm asks the public registry)", "@mycorp", false],
  ] as const) {
    test(label, async () => {
      const pub = await startRegistryServer();
      const priv = await startRegistryServer();
      publishNpm(pub, "@MyCorp/pkg", [{ version: "9.9.9", time: OLD }]);
      const privBytes = publishNpm(priv, "@MyCorp/pkg", [{ version: "1.0.0", time: OLD }]);
      const engine: string[] = [];
      const proxy: string[] = [];
      const logging = (into: string[]): Fetcher => (url, init) => {
        into.push(url);
        return fetch(url, init);
      };
      const p = await startProxy({
        upstream: pub,
        npmScopes: { [key]: { baseUrl: priv.npmBase, authorization: PRIVATE_AUTH } },
        npmAuthorization: PUBLIC_AUTH,
        engineFetch: logging(engine),
        proxyFetch: logging(proxy),
      });
      try {
        const doc = (await (await p.get("/npm/@MyCorp%2fpkg")).json()) as { versions: Record<string, unknown> };
        assert.deepEqual(Object.keys(doc.versions), [fromPrivate ? "1.0.0" : "9.9.9"], "served from the expected registry");
        const served = fromPrivate ? priv : pub;
        const other = fromPrivate ? pub : priv;
        const docUrl = `${served.npmBase}@MyCorp%2fpkg`;
        assert.ok(engine.includes(docUrl), `the engine checked at ${served.npmBase}: ${engine.join(" ")}`);
        assert.ok(proxy.includes(docUrl), `the proxy fetched from ${served.npmBase}: ${proxy.join(" ")}`);
        const strays = [...engine, ...proxy].filter((u) => u.startsWith(other.npmBase));
        assert.deepEqual(strays, [], "nothing asked of the other registry");
        // Credentials only to the registry they belong to.
        const sent = (up: typeof pub, auth: string) => up.requests().filter((r) => r.authorization === auth);
        assert.deepEqual(sent(pub, PRIVATE_AUTH), [], "the private token never reaches the public registry");
        assert.deepEqual(sent(priv, PUBLIC_AUTH), [], "the public token never reaches the private registry");
        assert.ok(sent(served, fromPrivate ? PRIVATE_AUTH : PUBLIC_AUTH).length > 0, "the served registry got its own credentials");
        if (fromPrivate) {
          const tarball = await p.get("/npm/@MyCorp/pkg/-/pkg-1.0.0.tgz");
          assert.equal(tarball.status, 200);
          assert.deepEqual(Buffer.from(await tarball.arrayBuffer()), privBytes.get("1.0.0"));
        }
      } finally {
        await p.close();
        await priv.close();
        await pub.close();
      }
    });
  }
});
