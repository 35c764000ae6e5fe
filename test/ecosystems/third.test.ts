// A third ecosystem, written here in the test only (a crates.io stand-in), goes through the engine,
// and the feed import without a change outside its module:
// what the engine and the data import know of an ecosystem comes from the module.
import assert from "node:assert/strict";
import { test } from "node:test";
import { formatNamePurl } from "../../src/core/purl.ts";
import { defaultPolicy } from "../../src/core/policy.ts";
import { ECOSYSTEMS } from "../../src/ecosystems/index.ts";
import { INSTALLERS, INSTALL_TOOLS } from "../../src/ecosystems/installers.ts";
import type { EcosystemModule } from "../../src/ecosystems/types.ts";
import { checkPackages, type Engine } from "../../src/engine/check.ts";
import { makeRequest } from "../../src/engine/requests.ts";
import { parseOsv } from "../../src/sources/feed/osv.ts";
import type { DataSource } from "../../src/sources/types.ts";

const CRATES = new Set(["serde", "tokio"]);

const cargo: EcosystemModule = {
  id: "cargo",
  purlType: "cargo",
  label: "crates.io",
  osvName: "crates.io",
  checkName: (raw) => (/^[A-Za-z][\w-]{0,63}$/.test(raw) ? { ok: true, name: raw.toLowerCase() } : { ok: false, reason: "not a crate name" }),
  canonicalName: (raw) => raw.toLowerCase().replaceAll("_", "-"),
  similarity: { scoped: false, foldSeparators: true, languageAffixes: { prefixes: [], suffixes: [] } },
  extractors: [],
  splitSpec: (spec) => {
    const at = spec.indexOf("@");
    return at < 0 ? { name: spec, version: null } : { name: spec.slice(0, at), version: spec.slice(at + 1) };
  },
  toPurl: (name, version) => formatNamePurl("cargo", null, name) + (version ? `@${version}` : ""),
  isExactVersion: (version) => /^\d+\.\d+\.\d+$/.test(version),
  fromPurl: (purl) => ({ name: purl.name, version: purl.version || null }),
  resolveVersion: (requested) => requested,
  affects: (record, version) => record.allVersions || (version !== null && record.versions.includes(version)),
  compareVersions: (a, b) => a.localeCompare(b, "en", { numeric: true }),
  createRegistrySource: (): DataSource => ({
    id: "crates-fake",
    lookup: async (_ecosystem, name) => ({ source: "crates-fake", existence: CRATES.has(name) ? "exists" : "absent", downloadsLastMonth: 5_000_000 }),
  }),
};

test("a third ecosystem is judged by the engine through its module alone", async () => {
  const engine: Engine = {
    ecosystems: (id) => (id === "cargo" ? cargo : ECOSYSTEMS.get(id)),
    sources: [cargo.createRegistrySource({ baseUrl: "http://127.0.0.1:9/", fetch: async () => new Response(null) })],
    intel: () => undefined,
    policy: defaultPolicy(),
    clock: () => new Date("2026-11-23T12:00:00Z"),
  };
  const results = await checkPackages([makeRequest(cargo, "serde", null), makeRequest(cargo, "serdee-not-here", null)], engine);
  assert.deepEqual(
    results.map((r) => [r.ecosystem, r.name, r.verdict]),
    [
      ["cargo", "serde", "allow"],
      ["cargo", "serdee-not-here", "block"],
    ],
  );
});

test("its OSV name maps reports to it in the feed import", () => {
  const doc = {
    id: "MAL-2026-1",
    modified: "2026-11-01T00:00:00Z",
    affected: [{ package: { ecosystem: "crates.io", name: "Evil_Crate" }, versions: ["1.0.0"] }],
  };
  const parsed = parseOsv(doc, { cargo: cargo.canonicalName }, { [cargo.osvName!.toLowerCase()]: cargo.id });
  assert.ok(parsed.ok);
  assert.deepEqual(
    parsed.value.packages.map((p) => [p.ecosystem, p.name]),
    [["cargo", "evil-crate"]],
  );
});

test("the installer list and the ecosystem list agree (each installer set belongs to its ecosystem's module)", () => {
  const declared = [...ECOSYSTEMS.values()].flatMap((e) => (e.installers ? [e.installers] : []));
  assert.deepEqual(INSTALLERS, declared);
  for (const set of INSTALLERS) {
    assert.equal(ECOSYSTEMS.get(set.ecosystem)?.installers, set);
    // What a shim passes straight on is said of the set's own tools only.
    assert.deepEqual(Object.keys(set.installsNothing ?? {}).filter((tool) => !Object.hasOwn(set.tools, tool)), []);
  }
  // Every tool name is listed once, so `bouncer <tool>` is never ambiguous.
  assert.equal(new Set(INSTALL_TOOLS).size, INSTALL_TOOLS.length);
});
