// Checks shared by the registry sources' tests: hostile answers, random answers, the shape of an observation.
import assert from "node:assert/strict";
import type { Fetcher } from "../../src/sources/http.ts";
import type { Observation } from "../../src/sources/types.ts";
import { random, randomBody, randomFetcher } from "./fuzz.ts";
import { HOSTILE, type RegistryServer } from "./registry-server.ts";

type Lookup = (name: string) => Promise<Observation>;

/** Reasons the shared HTTP layer gives, whatever the ecosystem, with a 250 ms short limit and a 1 MB cap. */
export const HTTP_REASONS: Record<string, RegExp> = {
  [HOSTILE.rateLimited]: /rate limiting/,
  [HOSTILE.hang]: /no complete answer within 250 ms/,
  [HOSTILE.drip]: /no complete answer within 250 ms/,
  [HOSTILE.huge]: /sent more than 1 MB/,
  [HOSTILE.invalidJson]: /not valid JSON/,
  [HOSTILE.redirectElsewhere]: /another origin .*refused/,
};

/**
 * Looks every name of `expected` up at once: the answers that never end through `shortLookup` (a
 * short time limit), every other one through `lookup`, judged on what it says. Each must be unknown
 * with its expected reason, and nothing may reach the foreign origin a redirect points to.
 */
export async function checkHostileAnswers(server: RegistryServer, expected: Record<string, RegExp>, lookup: Lookup, shortLookup: Lookup): Promise<Map<string, Observation>> {
  const endless = new Set<string>([HOSTILE.hang, HOSTILE.drip]);
  const names = Object.keys(expected);
  const results = await Promise.all(names.map((name) => (endless.has(name) ? shortLookup(name) : lookup(name))));
  for (const [i, name] of names.entries()) {
    assert.equal(results[i]!.existence, "unknown", name);
    assert.match(results[i]!.unknownReason!, expected[name]!, name);
  }
  assert.equal(server.requests().filter((r) => r.server === "foreign").length, 0);
  return new Map(names.map((name, i) => [name, results[i]!]));
}

/** What every registry observation holds, whatever the ecosystem; each test adds its own fields. */
export function checkObservationShape(o: Observation, source: string): void {
  assert.equal(o.source, source);
  assert.ok(["exists", "absent", "unknown"].includes(o.existence!));
  if (o.existence === "unknown") assert.equal(typeof o.unknownReason, "string");
  for (const [k, v] of Object.entries(o.versions ?? {})) assert.equal(v.version, k);
  for (const key of ["createdAt", "latestVersion", "repositoryUrl", "deprecated"] as const) {
    assert.ok(o[key] === undefined || o[key] === null || typeof o[key] === "string", key);
  }
}

/** 300 lookups through a fetcher answering random bytes and JSON: none throws, each keeps its shape, none exists. */
export async function fuzzLookups(seed: number, lookup: (fetch: Fetcher) => Promise<Observation>, checkShape: (o: Observation) => void): Promise<void> {
  const rand = random(seed);
  const fetcher = randomFetcher(rand, () => randomBody(rand));
  for (let i = 0; i < 300; i++) {
    const o = await lookup(fetcher);
    checkShape(o);
    assert.notEqual(o.existence, "exists", `iteration ${i}: ${JSON.stringify(o)}`);
  }
}
