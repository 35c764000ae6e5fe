// suggest_package with an intent: the package search index finds candidates by name and summary,
// the engine gives each its verdict now.
import path from "node:path";
import type { PackageRequest, PackageResult } from "../../core/model.ts";
import { ECOSYSTEMS, SEARCH_WORDS } from "../../ecosystems/index.ts";
import { FIT_COVER, openSearchIndex, parseQuery, SEARCH_FILE, type SearchHit, type SearchIndex } from "../../sources/offline-index/search.ts";
import type { IntentAnswer } from "./tools.ts";

export interface IntentDeps {
  dataDir: string;
  request(ecosystem: string, name: string): PackageRequest;
  check(requests: PackageRequest[], context: string): Promise<PackageResult[]>;
}

const NO_INDEX =
  "Bouncer cannot search packages by what they do on this machine: its package search index is not built " +
  "(the user builds it together with Bouncer's offline index). Do not guess a package name: if you have one in mind, " +
  'call suggest_package with "name" to verify it or find the real one.';

/** The ecosystems a search can name (what the answer lists when the index is missing). */
const SEARCHABLE = [...ECOSYSTEMS.values()].filter((e) => e.searchWords?.length).map((e) => e.id);

/** Opened once, on the first intent (reading and indexing it takes a moment). */
export function intentSearcher(deps: IntentDeps): (intent: string, ecosystem: string | undefined, limit: number) => Promise<IntentAnswer> {
  let opened: { index?: SearchIndex; problem?: string } | undefined;
  const open = () => {
    if (!opened) {
      try {
        const index = openSearchIndex(path.join(deps.dataDir, SEARCH_FILE));
        opened = index ? { index } : { problem: NO_INDEX };
      } catch (error) {
        opened = { problem: `Bouncer's package search index cannot be read (${(error as Error).message}). Do not guess a package name.` };
      }
    }
    return opened;
  };
  return async (intent, ecosystem, limit) => {
    const { index, problem } = open();
    const query = parseQuery(intent, SEARCH_WORDS);
    const chosen = ecosystem ?? query.ecosystem;
    const ecosystems = chosen ? [chosen] : (index?.ecosystems() ?? SEARCHABLE);
    if (!index) return { ecosystems, matches: [], unavailable: problem! };
    // A few more than asked: blocked ones go last, and the answer keeps `limit`.
    const lists = ecosystems.map((eco) => index.search(eco, query, limit + 2).map((hit) => ({ eco, hit })));
    const merged: Array<{ eco: string; hit: SearchHit }> = [];
    for (let i = 0; merged.length < lists.reduce((n, l) => n + l.length, 0); i++) for (const l of lists) if (l[i]) merged.push(l[i]!);
    if (!merged.length) return { ecosystems, matches: [] };
    const results = await deps.check(
      merged.map((m) => deps.request(m.eco, m.hit.name)),
      `suggest_package "${intent.slice(0, 100)}"`,
    );
    const matches = merged.map((m, i) => ({ result: results[i]!, summary: m.hit.summary, fits: m.hit.coverage >= FIT_COVER }));
    const order = (m: (typeof matches)[number]) => (m.result.verdict === "block" ? 1 : 0);
    matches.sort((a, b) => order(a) - order(b));
    return { ecosystems, matches: matches.slice(0, limit) };
  };
}
