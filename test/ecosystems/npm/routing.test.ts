// The one rule for which registry serves an npm name (the proxy's table test checks both doors use it).
import assert from "node:assert/strict";
import { test } from "node:test";
import { npmAuthorizationFor, npmRouteFor, npmScopeOf } from "../../../src/ecosystems/npm/routing.ts";

const PUBLIC = { baseUrl: "https://registry.example", authorization: "Bearer pub" };

test("the scope as npm-package-arg takes it, case kept", () => {
  assert.equal(npmScopeOf("@MyCorp/pkg"), "@MyCorp");
  assert.equal(npmScopeOf("plain"), undefined);
  assert.equal(npmScopeOf("@/pkg"), undefined);
  assert.equal(npmScopeOf("@noslash"), undefined);
});

test("a scope's registry by its exact key (with or without @), else the default; credentials from the entry", () => {
  const scopes = { "@MyCorp": { baseUrl: "https://mixed.example/npm", authorization: "Bearer m" }, low: { baseUrl: "https://low.example/" } };
  assert.deepEqual(npmRouteFor("@MyCorp/pkg", PUBLIC, scopes), { baseUrl: "https://mixed.example/npm/", authorization: "Bearer m", scoped: true });
  assert.deepEqual(npmRouteFor("@low/pkg", PUBLIC, scopes), { baseUrl: "https://low.example/", scoped: true }, "no credentials: none borrowed");
  assert.deepEqual(npmRouteFor("@mycorp/pkg", PUBLIC, scopes), { baseUrl: "https://registry.example/", authorization: "Bearer pub", scoped: false });
  assert.deepEqual(npmRouteFor("@Low/pkg", PUBLIC, scopes), { baseUrl: "https://registry.example/", authorization: "Bearer pub", scoped: false });
  assert.equal(npmRouteFor("@toString/x", PUBLIC, scopes).scoped, false, "only own keys");
  assert.equal(npmRouteFor("@MyCorp/pkg", PUBLIC, undefined).baseUrl, "https://registry.example/");
});

test("credentials only inside the registry they were configured for", () => {
  const route = { baseUrl: "https://host.example/npm/private/", authorization: "Bearer t" };
  assert.deepEqual(npmAuthorizationFor("https://host.example/npm/private/@a%2fb", route), { authorization: "Bearer t" });
  for (const url of [
    "https://host.example/npm/public/@a%2fb",
    "https://host.example/npm/privateer/x",
    "http://host.example/npm/private/x",
    "https://host.example:8443/npm/private/x",
    "https://other.example/npm/private/x",
    "not a url",
  ]) {
    assert.deepEqual(npmAuthorizationFor(url, route), {}, url);
  }
  assert.deepEqual(npmAuthorizationFor("https://host.example/npm/private/x", { baseUrl: route.baseUrl }), {});
});
