import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { createNpmRegistrySource, observationFromNpmDocument } from "../../src/ecosystems/npm/registry.ts";
import { DatabaseSync } from "node:sqlite";
import { CACHE_FILE_NAME, cachedSource, ObservationCache, openObservationCache, registryIdentity } from "../../src/sources/cache.ts";
import type { DataSource, Observation } from "../../src/sources/types.ts";
import { FIXED_NOW, npmDocument, type RegistryServer, startRegistryServer } from "../support/registry-server.ts";

const HOUR = 3_600_000;

/** A source that answers from a table and counts its calls; `registry`: the registry it says it asks. */
function stubSource(answers: Record<string, Observation>, id = "stub", registry?: (name: string) => string): DataSource & { calls: string[] } {
  const calls: string[] = [];
  return {
    id,
    calls,
    ...(registry ? { registryOf: (_ecosystem: string, name: string) => registry(name) } : {}),
    async lookup(_ecosystem, name) {
      calls.push(name);
      return answers[name] ?? { source: "stub", existence: "unknown", unknownReason: "network down" };
    },
  };
}

const EXISTS: Observation = { source: "stub", existence: "exists", createdAt: "2020-01-01T00:00:00.000Z", latestVersion: "1.0.0", versions: { "1.0.0": { version: "1.0.0", publishedAt: null } } };
const ABSENT: Observation = { source: "stub", existence: "absent" };

describe("cachedSource", () => {
  let dir: string;
  let cache: ObservationCache;
  let clock: number;
  const now = () => new Date(clock);

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "bouncer-cache-"));
    cache = openObservationCache(dir);
  });
  after(() => {
    cache.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fresh = (answers: Record<string, Observation>, mode: "read-write" | "offline" = "read-write") => {
    const inner = stubSource(answers);
    return { inner, source: cachedSource(inner, cache, { now, mode }) };
  };

  test("the cache is one file in the data dir", () => {
    assert.ok(existsSync(path.join(dir, CACHE_FILE_NAME)));
    assert.equal(cache.file, path.join(dir, CACHE_FILE_NAME));
  });

  test("a fresh hit skips the inner source and returns the same observation", async () => {
    clock = Date.parse(FIXED_NOW);
    const { inner, source } = fresh({ a: EXISTS });
    assert.equal(source.id, "stub");
    assert.deepEqual(await source.lookup("npm", "a"), EXISTS);
    assert.deepEqual(await source.lookup("npm", "a"), EXISTS);
    assert.deepEqual(inner.calls, ["a"]);
  });

  test("positive answers expire after 24 hours", async () => {
    clock = Date.parse(FIXED_NOW);
    const { inner, source } = fresh({ p: EXISTS });
    await source.lookup("npm", "p");
    clock += 23 * HOUR;
    await source.lookup("npm", "p");
    assert.equal(inner.calls.length, 1);
    clock += 2 * HOUR;
    await source.lookup("npm", "p");
    assert.equal(inner.calls.length, 2);
  });

  test("absent answers are kept for the shorter negative TTL", async () => {
    clock = Date.parse(FIXED_NOW);
    const { inner, source } = fresh({ gone: ABSENT });
    await source.lookup("npm", "gone");
    clock += 59 * 60_000;
    assert.deepEqual(await source.lookup("npm", "gone"), ABSENT);
    assert.equal(inner.calls.length, 1);
    clock += 2 * 60_000;
    await source.lookup("npm", "gone");
    assert.equal(inner.calls.length, 2);
  });

  test("an answer missing a fact (a downloads API hiccup) is kept only for the negative TTL", async () => {
    clock = Date.parse(FIXED_NOW);
    const partial: Observation = { ...EXISTS, unknownFacts: [{ fact: "popularity", reason: "downloads API: HTTP 503" }] };
    const { inner, source } = fresh({ partial });
    await source.lookup("npm", "partial");
    clock += 59 * 60_000;
    await source.lookup("npm", "partial");
    assert.equal(inner.calls.length, 1);
    clock += 2 * 60_000;
    await source.lookup("npm", "partial");
    assert.equal(inner.calls.length, 2);
  });

  test("unknown answers are never cached", async () => {
    clock = Date.parse(FIXED_NOW);
    const { inner, source } = fresh({});
    assert.equal((await source.lookup("npm", "flaky")).existence, "unknown");
    assert.equal((await source.lookup("npm", "flaky")).existence, "unknown");
    assert.equal(inner.calls.length, 2);
    assert.equal(cache.get("stub", "", "npm", "flaky"), undefined);
  });

  test("entries are per source and ecosystem", async () => {
    clock = Date.parse(FIXED_NOW);
    const { inner, source } = fresh({ same: EXISTS });
    await source.lookup("npm", "same");
    await source.lookup("pypi", "same");
    assert.equal(inner.calls.length, 2);
  });

  test("offline: serves stale entries, never calls the inner source, and a miss is no opinion", async () => {
    clock = Date.parse(FIXED_NOW);
    await fresh({ old: EXISTS }).source.lookup("npm", "old");
    clock += 365 * 24 * HOUR;
    const { inner, source } = fresh({ old: EXISTS, other: EXISTS }, "offline");
    assert.deepEqual(await source.lookup("npm", "old"), EXISTS);
    const miss = await source.lookup("npm", "other");
    assert.deepEqual(miss, { source: "stub" });
    // Entries are per source and ecosystem.
    assert.equal((await source.lookup("pypi", "old")).existence, undefined);
    assert.equal((await cachedSource(stubSource({}, "other-stub"), cache, { mode: "offline" }).lookup("npm", "old")).existence, undefined);
    assert.deepEqual(inner.calls, []);
  });

  test("an answer from one registry never answers for another (issue 8 item 5)", async () => {
    clock = Date.parse(FIXED_NOW);
    const fromA = stubSource({ foo: EXISTS }, "stub", () => "https://a.example/npm");
    await cachedSource(fromA, cache, { now }).lookup("npm", "foo");
    // The same registry spelled differently shares the entry.
    const sameA = stubSource({}, "stub", () => "HTTPS://A.example:443/npm/");
    assert.deepEqual(await cachedSource(sameA, cache, { now }).lookup("npm", "foo"), EXISTS);
    assert.deepEqual(sameA.calls, []);
    // Registry B is asked, online and offline alike.
    const fromB = stubSource({ foo: ABSENT }, "stub", () => "https://b.example/npm/");
    assert.deepEqual(await cachedSource(fromB, cache, { now }).lookup("npm", "foo"), ABSENT);
    assert.deepEqual(fromB.calls, ["foo"]);
    const offlineC = stubSource({}, "stub", () => "https://c.example/");
    assert.equal((await cachedSource(offlineC, cache, { now, mode: "offline" }).lookup("npm", "foo")).existence, undefined);
    // A scope's registry is its own: "@corp/x" from the scope registry is not the default registry's "@corp/x".
    const scoped = (name: string) => (name.startsWith("@corp/") ? "https://npm.corp.example/" : "https://a.example/npm/");
    await cachedSource(stubSource({ "@corp/x": EXISTS }, "stub", scoped), cache, { now }).lookup("npm", "@corp/x");
    const unscoped = stubSource({ "@corp/x": ABSENT }, "stub", () => "https://a.example/npm/");
    assert.deepEqual(await cachedSource(unscoped, cache, { now }).lookup("npm", "@corp/x"), ABSENT);
    assert.deepEqual(unscoped.calls, ["@corp/x"]);
  });

  test("registry identity drops credentials, query and fragment", () => {
    assert.equal(registryIdentity("https://user:secret@Reg.example/npm?x=1#y"), "https://reg.example/npm/");
    assert.equal(registryIdentity("http://reg.example:80/"), "http://reg.example/");
    assert.notEqual(registryIdentity("http://reg.example:8080/"), registryIdentity("http://reg.example/"));
    assert.equal(registryIdentity(""), "");
  });

  test("limited to some ecosystems, others get no opinion", async () => {
    const inner = stubSource({ x: EXISTS });
    const source = cachedSource(inner, cache, { ecosystems: ["npm"], mode: "offline" });
    assert.deepEqual(await source.lookup("pypi", "x"), { source: "stub" });
    assert.deepEqual(inner.calls, []);
  });

  test("entries survive reopening the file", async () => {
    clock = Date.parse(FIXED_NOW);
    await fresh({ kept: EXISTS }).source.lookup("npm", "kept");
    await new Promise((resolve) => setImmediate(resolve)); // written with the other answers of this turn
    const again = openObservationCache(dir);
    try {
      assert.deepEqual(again.get("stub", "", "npm", "kept"), { observation: EXISTS, storedAt: clock });
    } finally {
      again.close();
    }
  });

  test("answers are readable at once and written together, one commit a turn; close writes what is left", async () => {
    const other = mkdtempSync(path.join(tmpdir(), "bouncer-cache-batch-"));
    const writer = openObservationCache(other);
    const reader = openObservationCache(other);
    try {
      for (const name of ["a", "b", "c"]) assert.equal(writer.put("stub", "", "npm", name, EXISTS, 1), true);
      assert.deepEqual(writer.get("stub", "", "npm", "b"), { observation: EXISTS, storedAt: 1 });
      assert.equal(reader.get("stub", "", "npm", "b"), undefined, "not written yet");
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(reader.get("stub", "", "npm", "c"), { observation: EXISTS, storedAt: 1 });
      writer.put("stub", "", "npm", "d", ABSENT, 2);
      writer.close();
      assert.deepEqual(reader.get("stub", "", "npm", "d"), { observation: ABSENT, storedAt: 2 });
      assert.equal(writer.put("stub", "", "npm", "e", ABSENT, 3), false, "a closed cache stores nothing");
    } finally {
      writer.close();
      reader.close();
      rmSync(other, { recursive: true, force: true });
    }
  });

  test("a damaged file is set aside and replaced, not fatal", () => {
    const broken = mkdtempSync(path.join(tmpdir(), "bouncer-cache-bad-"));
    try {
      writeFileSync(path.join(broken, CACHE_FILE_NAME), "this is not a database, just text that is long enough ".repeat(100));
      const c = openObservationCache(broken);
      assert.equal(c.put("s", "", "npm", "x", EXISTS, 1), true);
      assert.equal(c.get("s", "", "npm", "x")!.storedAt, 1);
      c.close();
      assert.ok(existsSync(path.join(broken, `${CACHE_FILE_NAME}.corrupt`)));
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  });

  test("processes opening a new cache at the same moment (an agent's parallel tool calls) all get it, and nothing is set aside", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "bouncer-cache-race-"));
    const script = `import { ObservationCache } from ${JSON.stringify(new URL("../../src/sources/cache.ts", import.meta.url).href)};
const c = new ObservationCache(process.argv[1]);
c.put("s", "", "npm", "n" + process.argv[2], { source: "s", ecosystem: "npm", name: "x" }, 1);
c.close();`;
    try {
      for (let round = 0; round < 3; round++) {
        const file = path.join(dir, `${round}.sqlite`);
        const runs = Array.from({ length: 8 }, (_, i) => {
          const child = spawn(process.execPath, ["--input-type=module", "-e", script, file, String(i)], { stdio: ["ignore", "ignore", "pipe"] });
          let stderr = "";
          child.stderr.on("data", (d) => (stderr += d));
          return new Promise<{ code: number | null; stderr: string }>((resolve) => child.on("close", (code) => resolve({ code, stderr })));
        });
        for (const run of await Promise.all(runs)) assert.equal(run.code, 0, run.stderr);
        assert.ok(!existsSync(`${file}.corrupt`));
        const db = new DatabaseSync(file);
        assert.equal((db.prepare("SELECT count(*) AS n FROM observations").get() as { n: number }).n, 8);
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a cache of the old schema (keys without the registry) is emptied, not read", () => {
    const old = mkdtempSync(path.join(tmpdir(), "bouncer-cache-v1-"));
    try {
      const db = new DatabaseSync(path.join(old, CACHE_FILE_NAME));
      db.exec(`CREATE TABLE observations (key TEXT PRIMARY KEY, stored_at INTEGER NOT NULL, data TEXT NOT NULL) WITHOUT ROWID;
               PRAGMA user_version = 1;`);
      db.prepare("INSERT INTO observations VALUES (?, ?, ?)").run(JSON.stringify(["stub", "npm", "foo"]), 1, JSON.stringify(EXISTS));
      db.close();
      const c = openObservationCache(old);
      try {
        assert.equal(c.storedNames("stub").size, 0);
        assert.equal(c.get("stub", "", "npm", "foo"), undefined);
        assert.equal(c.put("stub", "", "npm", "foo", EXISTS, 1), true);
      } finally {
        c.close();
      }
      const check = new DatabaseSync(path.join(old, CACHE_FILE_NAME));
      assert.equal((check.prepare("PRAGMA user_version").get() as { user_version: number }).user_version, 2);
      check.close();
    } finally {
      rmSync(old, { recursive: true, force: true });
    }
  });

  test("a closed cache misses instead of throwing", () => {
    const c = new ObservationCache(":memory:");
    c.close();
    assert.equal(c.get("s", "", "npm", "x"), undefined);
    assert.equal(c.put("s", "", "npm", "x", EXISTS, 1), false);
  });
});

describe("cache in front of the npm registry", () => {
  let server: RegistryServer;
  let dir: string;
  before(async () => {
    server = await startRegistryServer();
    dir = mkdtempSync(path.join(tmpdir(), "bouncer-cache-bench-"));
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a warm cache answers without a request", async () => {
    const names = server.addSyntheticPackages("npm", 20);
    const cache = openObservationCache(dir);
    try {
      const registry = createNpmRegistrySource({ baseUrl: server.npmBase, downloadsUrl: server.downloadsBase, fetch });
      const source = cachedSource(registry, cache, { now: () => new Date(FIXED_NOW) });
      const cold = await Promise.all(names.map((n) => source.lookup("npm", n)));
      const requests = server.requestCount();
      const warm = await Promise.all(names.map((n) => source.lookup("npm", n)));
      assert.equal(server.requestCount(), requests);
      assert.deepEqual(warm, cold);
      assert.equal(warm[7]!.downloadsLastMonth, 1007);
    } finally {
      cache.close();
    }
  });

  test("warm lookups of 1,000 names are answered from the cache alone (speed: npm run bench)", async () => {
    // Filled through a stub: the HTTP path is covered above, and 2,000 local requests would dominate the run.
    const names = Array.from({ length: 1000 }, (_, i) => `bench-pkg-${i}`);
    const observation = observationFromNpmDocument(
      "react",
      npmDocument({
        name: "react",
        created: "2011-10-26T17:46:21.942Z",
        repository: "github:facebook/react",
        versions: Array.from({ length: 50 }, (_, i) => ({ version: `1.${i}.0`, time: "2020-01-01T00:00:00.000Z" })),
      }),
    );
    let asked = 0;
    const inner: DataSource = {
      id: "npm-registry",
      lookup: async () => {
        asked++;
        return observation;
      },
    };
    const cache = openObservationCache(dir);
    try {
      const source = cachedSource(inner, cache, { now: () => new Date(FIXED_NOW) });
      for (const name of names) await source.lookup("npm", name);
      assert.equal(asked, 1000);
      let exists = 0;
      for (const name of names) if ((await source.lookup("npm", name)).existence === "exists") exists++;
      assert.equal(exists, 1000);
      assert.equal(asked, 1000, "no warm lookup reaches the registry");
    } finally {
      cache.close();
    }
  });

  test("a prefetch reads each cached entry once: the lookups that follow take what it read", async () => {
    const names = ["one", "two", "three"];
    const hinted: string[][] = [];
    const inner: DataSource = { id: "npm-registry", lookup: async () => EXISTS, prefetch: (_ecosystem, list) => void hinted.push([...list]) };
    const cache = openObservationCache(dir);
    try {
      const source = cachedSource(inner, cache, { now: () => new Date(FIXED_NOW) });
      for (const name of names.slice(0, 2)) await source.lookup("npm", name);
      cache.flush();
      const reads: string[] = [];
      const get = cache.get.bind(cache);
      cache.get = (sourceId, registry, ecosystem, name) => {
        reads.push(name);
        return get(sourceId, registry, ecosystem, name);
      };
      source.prefetch!("npm", names);
      assert.deepEqual(hinted, [["three"]], "only the miss reaches the registry's batching");
      for (const name of names) assert.equal((await source.lookup("npm", name)).existence, "exists");
      assert.deepEqual(reads, ["one", "two", "three", "three"], "a hit is read once; the miss is asked again before the registry");
    } finally {
      cache.close();
    }
  });
});
