// A labelled set of npm typosquats from the wild: the OpenSSF malicious npm reports in
// ../shared/feeds/osv-npm-all.zip whose report names the imitated package, or whose name is one or
// two edits, lost separators or a language affix away from one of the most popular npm names.
// The labeller is deliberately simple and independent of src/similarity's search (plain edit
// distance), so that it measures the search rather than repeating it.
//
// Usage: node scripts/wild-typosquats.ts [--npq PATH/TO/node_modules/npq]
// Prints the set's size and, per label kind, how often Bouncer's typosquat() names the labelled
// target, how often did-you-mean ranks it first or in the first three, and (given an npq install)
// how often npq's typosquatting check lists it. Not a test: the floor is in
// test/quality/wild-typosquats.slow.test.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { emptyFacts } from "../src/core/model.ts";
import { getEcosystem } from "../src/ecosystems/index.ts";
import { readZip } from "../src/sources/feed/zip.ts";
import { looseKey, osaDistance } from "../src/similarity/edits.ts";
import { createNameIntel } from "../src/similarity/intel.ts";
import { loadShippedPopular } from "../src/similarity/shipped.ts";
import { loadSnapshot } from "../test/similarity/shared-data.ts";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const FEED = path.resolve(repoRoot, "../shared/feeds/osv-npm-all.zip");

/** How many of the most downloaded npm names count as targets (beyond them, a near name is as likely another word). */
export const TARGET_POOL = 5000;
/** Affixes that only say "JavaScript" or "Node" ("expressjs", "node-lodash", "axios-js"). */
const PREFIXES = ["js-", "node-", "nodejs-", "npm-"];
const SUFFIXES = ["-js", ".js", "js", "-node", "-nodejs", "-npm"];
/** What a report says when it names the package imitated. */
const NAMED = /(?:typo-?squat(?:ting)?(?: of)?|targets?|targeting|impersonat\w*|mimic\w*)\s+(?:the\s+)?(?:popular\s+)?(?:npm\s+)?(?:package\s+)?[`'"“]?(@?[a-z0-9][a-z0-9._\-/]*)/gi;

export type LabelKind = "report" | "loose" | "edit" | "affix" | "separators-and-edit" | "affix-and-edit" | "two-edits";

export interface WildTyposquat {
  name: string;
  target: string;
  kind: LabelKind;
  id: string;
}

const COST: Record<LabelKind, number> = {
  report: 0,
  loose: 1,
  edit: 1,
  affix: 1,
  "separators-and-edit": 2,
  "affix-and-edit": 2,
  "two-edits": 2,
};

const bare = (name: string): string => (name.startsWith("@") ? name.slice(name.indexOf("/") + 1) : name);

/** The cheapest way `name` imitates `target` under the labeller's rules, or null. */
function labelKind(name: string, target: string, nameKey: string, targetKey: string): LabelKind | null {
  if (nameKey === targetKey) return "loose";
  const shortest = Math.min(bare(name).length, bare(target).length);
  const d = osaDistance(name, target, 2);
  if (d === 1 && shortest >= 4) return "edit";
  for (const affix of PREFIXES) if (name === affix + target) return "affix";
  for (const affix of SUFFIXES) if (name === target + affix) return "affix";
  // Separators dropped ("reactroutrdom"): the separator-free keys are one edit apart.
  const dropped = name.length - nameKey.length < target.length - targetKey.length;
  if (dropped && targetKey.length >= 8 && osaDistance(nameKey, targetKey, 1) === 1) return "separators-and-edit";
  if (bare(target).length >= 5) {
    for (const affix of PREFIXES) if (name.startsWith(affix) && osaDistance(name.slice(affix.length), target, 1) === 1) return "affix-and-edit";
    for (const affix of SUFFIXES) if (name.endsWith(affix) && osaDistance(name.slice(0, -affix.length), target, 1) === 1) return "affix-and-edit";
  }
  if (d === 2 && shortest >= 8) return "two-edits";
  return null;
}

export interface WildSet {
  reports: number;
  /** Reports whose text names a package at all, and those whose named package is a popular target. */
  namedInReport: number;
  namedPopular: number;
  items: WildTyposquat[];
}

/** Reads the feed and labels every report name that imitates one of the TARGET_POOL most popular npm names. */
export function loadWildTyposquats(feed = FEED): WildSet {
  const popular = loadShippedPopular("npm");
  const everyPopular = new Set(popular.map((e) => e.name));
  const pool = popular.slice(0, TARGET_POOL).map((e) => ({ name: e.name, key: looseKey(e.name) }));
  const poolIndex = new Map(pool.map((t, i) => [t.name, i]));
  const out: WildTyposquat[] = [];
  let namedInReport = 0;
  let namedPopular = 0;
  const entries = readZip(readFileSync(feed));
  for (const entry of entries) {
    if (!entry.name.endsWith(".json")) continue;
    const record = JSON.parse(entry.read().toString("utf8")) as { id: string; summary?: string; details?: string; affected: Array<{ package: { name: string } }> };
    const name = record.affected[0]?.package.name.toLowerCase();
    // A popular name here is a compromised real package, not an imitation.
    if (!name || everyPopular.has(name)) continue;
    const text = `${record.summary ?? ""} ${record.details ?? ""}`;
    let named: string | null = null;
    for (const m of text.matchAll(NAMED)) {
      const word = m[1]!.toLowerCase().replace(/[.,;:)]+$/, "");
      if (word === name) continue;
      namedInReport++;
      if (poolIndex.has(word)) {
        named = word;
        break;
      }
    }
    if (named) {
      namedPopular++;
      out.push({ name, target: named, kind: "report", id: record.id });
      continue;
    }
    const key = looseKey(name);
    let best: { target: string; kind: LabelKind } | null = null;
    for (const t of pool) {
      // Cheap bounds first: no rule spans more than two edits beyond an affix of at most 7 characters.
      if (Math.abs(t.name.length - name.length) > 9) continue;
      const kind = labelKind(name, t.name, key, t.key);
      // The pool is most popular first: a tie keeps the more popular target.
      if (kind && (!best || COST[kind] < COST[best.kind])) best = { target: t.name, kind };
      if (best && COST[best.kind] === 1) break;
    }
    if (best) out.push({ name, target: best.target, kind: best.kind, id: record.id });
  }
  out.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { reports: entries.length, namedInReport, namedPopular, items: out };
}

/** npq's typosquatting rule (Levenshtein distance 1 or 2 to a name of its bundled top-packages list), run on its own code. */
export interface NpqCheck {
  similar(name: string): string[];
}

export async function loadNpq(dir: string): Promise<NpqCheck> {
  const { createRequire } = await import("node:module");
  const require = createRequire(path.join(dir, "package.json"));
  const top = require(path.join(dir, "data/top-packages.json")) as string[];
  const { levenshteinDistance } = require(path.join(dir, "lib/helpers/levenshteinDistance.js")) as {
    levenshteinDistance: (a: string, b: string) => number;
  };
  const topSet = new Set(top);
  // The same loop as lib/marshalls/typosquatting.marshall.js validate() (which needs a marshall
  // context for its allow-list only; the list and the distance are all the check reads).
  return {
    similar(name) {
      if (topSet.has(name)) return [];
      const out: string[] = [];
      for (const p of top) {
        const d = levenshteinDistance(name, p);
        if (d > 0 && d < 3) out.push(p);
      }
      return [...new Set(out)];
    },
  };
}

const percent = (n: number, of: number): string => `${n}/${of} = ${of ? ((100 * n) / of).toFixed(1) : "0"}%`;

async function main(): Promise<void> {
  const npqAt = process.argv.indexOf("--npq");
  const npq = npqAt >= 0 && process.argv[npqAt + 1] ? await loadNpq(path.resolve(process.argv[npqAt + 1]!)) : null;
  const set = loadWildTyposquats();
  console.log(`reports ${set.reports}; text names a package ${set.namedInReport}, a popular one ${set.namedPopular}; labelled ${set.items.length}`);
  const intel = createNameIntel(loadShippedPopular("npm"), getEcosystem("npm")!.similarity);
  const rows = new Map<string, number[]>();
  const misses: string[] = [];
  for (const item of set.items) {
    const match = intel.typosquat(item.name, emptyFacts());
    const suggested = intel.suggest(item.name, 3);
    const similar = npq?.similar(item.name) ?? [];
    const counts = [
      1,
      match ? 1 : 0,
      match?.target === item.target ? 1 : 0,
      suggested[0] === item.target ? 1 : 0,
      suggested.includes(item.target) ? 1 : 0,
      similar.length ? 1 : 0,
      similar.includes(item.target) ? 1 : 0,
      similar.length === 1 && similar[0] === item.target ? 1 : 0,
    ];
    if (match?.target !== item.target) misses.push(`${item.name}->${item.target}(${item.kind}${match ? `; got ${match.target}` : ""})`);
    for (const key of ["all", item.kind]) {
      const row = rows.get(key) ?? new Array<number>(counts.length).fill(0);
      for (let i = 0; i < counts.length; i++) row[i]! += counts[i]!;
      rows.set(key, row);
    }
  }
  console.log("kind\tn\tbouncer any\tbouncer right target\tdid-you-mean top-1\ttop-3\tnpq any\tnpq lists target\tnpq names only target");
  for (const [kind, r] of rows) {
    const n = r[0]!;
    const cells = r.slice(1).map((c, i) => (i >= 4 && !npq ? "-" : percent(c, n)));
    console.log(`${kind}\t${n}\t${cells.join("\t")}`);
  }
  if (npq) {
    // The other side of the trade: established mid-tail packages each tool calls typosquats (every
    // 30th of those with 5k-50k downloads a month: npq's check is a scan of its whole list per name).
    const band = loadSnapshot("npm").filter((r) => r.downloads !== null && r.downloads >= 5_000 && r.downloads < 50_000);
    const sample = band.filter((_, i) => i % 30 === 0);
    const facts = (downloads: number | null) => ({ ...emptyFacts(), existence: "exists" as const, downloadsLastMonth: downloads });
    const bouncerHits = sample.filter((r) => intel.typosquat(r.name, facts(r.downloads)) !== null).length;
    const npqHits = sample.filter((r) => npq.similar(r.name).length > 0).length;
    console.log(`mid-tail (5k-50k downloads, ${sample.length} of ${band.length}) called typosquats: Bouncer ${percent(bouncerHits, sample.length)}, npq ${percent(npqHits, sample.length)}`);
  }
  console.log(`misses (first 400 of ${misses.length}): ${misses.slice(0, 400).join(", ")}`);
}

if (import.meta.main) await main();
