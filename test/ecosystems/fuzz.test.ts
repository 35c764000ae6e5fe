// Random names, byte strings and records (seeded, so every run is the same): nothing throws, and
// every accepted name is accepted again, unchanged, after canonicalisation and a purl round trip.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { MaliciousRecord, PackageFacts } from "../../src/core/model.ts";
import { type Purl, parsePurl } from "../../src/core/purl.ts";
import { ECOSYSTEMS } from "../../src/ecosystems/index.ts";
import { compareVersionStrings, contains, filterVersions, parseSpecifierSet, parseVersion } from "../../src/ecosystems/pypi/pep440.ts";
import { pep440Version, type Random, randomString, seeded, versionish } from "./random.ts";

const NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._ABCXYZ~!@/*' %:".split("");

function part(r: Random): string {
  const length = 1 + r.int(r.chance(0.02) ? 260 : 24);
  let out = "";
  for (let i = 0; i < length; i++) out += r.chance(0.85) ? r.pick(NAME_CHARS.slice(0, 39)) : r.pick(NAME_CHARS);
  return out;
}

function nameLike(r: Random): string {
  return r.chance(0.25) ? `@${part(r)}/${part(r)}` : part(r);
}

function bytes(r: Random): string {
  const buf = new Uint8Array(r.int(48));
  for (let i = 0; i < buf.length; i++) buf[i] = r.int(256);
  return r.chance(0.5) ? new TextDecoder().decode(buf) : String.fromCharCode(...buf);
}

function inputs(seed: number, count: number): string[] {
  const r = seeded(seed);
  return Array.from({ length: count }, () => {
    const roll = r.next();
    return roll < 0.5 ? nameLike(r) : roll < 0.75 ? bytes(r) : randomString(r);
  });
}

for (const eco of ECOSYSTEMS.values()) {
  test(`${eco.id}: checkName, splitSpec, toPurl and fromPurl never throw; accepted names are stable`, () => {
    let accepted = 0;
    let scoped = 0;
    // GitHub names are owner/repo: every input gets an owner.
    const list = inputs(eco.id === "npm" ? 1 : 2, 6000).map((s, i) => (eco.id === "github" ? `octo-${i}/${s}` : s));
    for (const raw of list) {
      const check = eco.checkName(raw);
      const spec = eco.splitSpec(raw);
      assert.equal(typeof spec.name, "string");
      eco.checkName(spec.name);
      if (!check.ok) {
        assert.ok(check.reason.length > 0, JSON.stringify(raw));
        continue;
      }
      accepted++;
      if (check.name.startsWith("@")) scoped++;
      assert.deepEqual(eco.checkName(check.name), { ok: true, name: check.name }, `canonical of ${JSON.stringify(raw)}`);
      const purl = eco.toPurl(check.name, "1.0.0");
      const back = eco.fromPurl(parsePurl(purl));
      assert.equal(back.version, "1.0.0", purl);
      assert.deepEqual(eco.checkName(back.name), { ok: true, name: check.name }, `purl round trip of ${JSON.stringify(raw)}`);
    }
    assert.ok(accepted > 1000, `accepted: ${accepted}`);
    if (eco.id === "npm") assert.ok(scoped > 200, `scoped: ${scoped}`);
  });

  test(`${eco.id}: fromPurl takes any purl object; resolveVersion and affects take any text`, () => {
    const r = seeded(eco.id === "npm" ? 3 : 4);
    const facts: PackageFacts = {
      existence: "exists",
      unknownReasons: [],
      sources: [],
      malicious: [],
      latestVersion: "1.0.0",
      versions: { "1.0.0": { version: "1.0.0" }, "2.0.0rc1": { version: "2.0.0rc1", yanked: true }, junk: { version: "junk" } },
    };
    for (let i = 0; i < 2000; i++) {
      const purl: Purl = {
        type: eco.purlType,
        namespace: r.chance(0.3) ? randomString(r, 8) : null,
        name: randomString(r, 20),
        version: r.chance(0.5) ? versionish(r) : null,
        qualifiers: {},
        subpath: null,
      };
      const out = eco.fromPurl(purl);
      eco.checkName(out.name);
      const text = r.chance(0.5) ? versionish(r) : randomString(r);
      eco.resolveVersion(text, facts);
      eco.resolveVersion(text, { ...facts, versions: undefined });
      const record = {
        id: "MAL-FUZZ",
        allVersions: false,
        versions: r.chance(0.5) ? [versionish(r)] : [],
        ranges: r.chance(0.7) ? [{ type: r.pick(["SEMVER", "ECOSYSTEM", "GIT", "?"]), events: [{ introduced: versionish(r) }, { [r.pick(["fixed", "last_affected", "limit"])]: versionish(r) }] }] : [],
      } as MaliciousRecord;
      assert.equal(typeof eco.affects(record, text), "boolean");
      assert.equal(eco.affects(record, null), true);
      assert.equal(typeof eco.compareVersions(text, versionish(r)), "number");
    }
  });
}

test("pep440: parse, specifier sets, contains and filter never throw on random text; the order is antisymmetric", () => {
  const r = seeded(5);
  for (let i = 0; i < 4000; i++) {
    const a = r.chance(0.5) ? pep440Version(r) : r.chance(0.5) ? versionish(r) : bytes(r);
    const b = r.chance(0.5) ? pep440Version(r) : versionish(r);
    parseVersion(a);
    assert.equal(Math.sign(compareVersionStrings(a, b)), -Math.sign(compareVersionStrings(b, a)) || 0);
    const set = parseSpecifierSet(r.chance(0.5) ? `${r.pick([">=", "==", "~=", "!=", "<", "==="])}${b}` : a);
    if (set) {
      contains(set, a, r.pick([null, true, false]));
      filterVersions(set, [a, b]);
    }
  }
});
