// "Did you mean": recall first. Gathers candidates from several cheap indexes, then ranks them by
// spelling similarity (of the names, or of their cores once affixes are stripped) and popularity.
import { createHash } from "node:crypto";
import { commonPrefixLength, commonSuffixLength, foldKey, osaDistance } from "./edits.ts";
import type { IndexStore, PopularNames } from "./intel.ts";
import { packBlock, Sections, StringTable } from "./tables.ts";

export interface Suggester {
  suggest(name: string, limit: number): string[];
}

const TRIGRAM_CANDIDATES = 40;
/** Trigrams in more names than this ("typ" of every @types package) say little and cost much. */
const COMMON_TRIGRAM = 2000;
const PREFIX_CANDIDATES = 8;
// Weights measured on LibraryHalluBench's misspelled names and on generated typos of popular names.
/** How much popularity (0..1 over the list, in log scale) weighs against spelling (0..1). */
const POPULARITY_WEIGHT = 0.8;
/** Edits count for less when the first three letters agree: a share of the similarity hangs on them. */
const PREFIX_FACTOR = 0.5;
/** A stem or tail of a real name beside a known word: base similarity, plus this much for the share of the name kept. */
const STEM_BASE = 0.5;
const STEM_SCALE = 0.45;
const TAIL_PENALTY = 0.05;
/** A candidate a typo away (one edit, two in a long name) gets this on top. */
const TYPO_BONUS = 0.45;

interface Form {
  text: string;
  /** Subtracted from the similarity: a match on a stripped form is weaker evidence. */
  penalty: number;
}

function trigrams(folded: string): string[] {
  const padded = `^${folded}$`;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

function add(map: Map<string, number[]>, key: string, id: number, cap = Number.POSITIVE_INFINITY): void {
  const list = map.get(key);
  if (!list) map.set(key, [id]);
  else if (list[list.length - 1] !== id && list.length < cap) list.push(id);
}

/** Spelling similarity of two folded names (0..1), and whether they are a typo apart. */
function similarity(q: string, t: string, generic: ReadonlySet<string>): [number, boolean] {
  const longest = Math.max(q.length, t.length);
  const shortest = Math.min(q.length, t.length);
  if (!shortest) return [0, false];
  // Past half the length, spelling says nothing and the exact distance is not worth computing.
  const cap = Math.ceil(longest / 2);
  const distance = osaDistance(q, t, cap);
  const typo = distance === 0 || (distance === 1 && shortest >= 4) || (distance === 2 && shortest >= 10);
  const prefix = commonPrefixLength(q, t);
  // Typos and inventions keep the beginning: edits elsewhere count for less.
  let sim = distance > cap ? 0 : (1 - distance / longest) * (1 - PREFIX_FACTOR + (PREFIX_FACTOR * Math.min(prefix, 3)) / 3);
  // One name inside the other: an affix added or dropped ("pandasplus", "sklearnify"); a generic
  // word inside the query ("...utils") says nothing about which package was meant.
  if (shortest >= 3 && !generic.has(t)) {
    if (q.startsWith(t)) sim = Math.max(sim, 0.3 + 0.65 * (shortest / longest));
    else if (q.includes(t) || t.includes(q)) sim = Math.max(sim, 0.25 + 0.6 * (shortest / longest));
  }
  // Shared beginning and end survive the mangling of the middle ("matplotly", "plotmatlib").
  const suffix = Math.min(commonSuffixLength(q, t), shortest - prefix);
  sim = Math.max(sim, (prefix + 0.8 * suffix) / longest);
  return [sim, typo];
}

/** The suggester's lookup tables: what a previous run may have stored for the same list and options. */
interface Tables {
  /** Folded names, their cores and aliases -> ids. */
  byFold: StringTable;
  /** The most popular names by their first 2, 3 and 4 letters (of the name or of a core), and by their last 3 to 5. */
  byPrefix: StringTable;
  bySuffix: StringTable;
  /** Words that names are made of ("chart", "stack"): what an invented name appends to a stem. */
  vocabulary: StringTable;
  /** Trigram -> the ids whose folded name has it. */
  postings: StringTable;
  /** How many distinct trigrams each folded name has. */
  gramCount: Uint32Array;
}

const TABLES: ReadonlyArray<Exclude<keyof Tables, "gramCount">> = ["byFold", "byPrefix", "bySuffix", "vocabulary", "postings"];

function readTables(data: Uint32Array, n: number): Tables | undefined {
  const s = Sections.of(data);
  const gramCount = s?.next();
  if (!s || gramCount?.length !== n) return undefined;
  const tables: Partial<Tables> = { gramCount };
  for (const name of TABLES) {
    const table = StringTable.read(s);
    if (!table) return undefined;
    tables[name] = table;
  }
  return tables as Tables;
}

/** Indexes every name by its folded form and cores (filling `folded` and `cores` on the way). */
function buildTables(idx: PopularNames, generic: ReadonlySet<string>, aliases: Aliases, folded: Array<string | undefined>, cores: Array<string[] | null | undefined>): Tables {
  const n = idx.size;
  const byFold = new Map<string, number[]>();
  const postings = new Map<string, number[]>();
  const byPrefix = new Map<string, number[]>();
  const bySuffix = new Map<string, number[]>();
  const vocabulary = new Set<string>(generic);
  const gramCount = new Uint32Array(n);
  for (let id = 0; id < n; id++) {
    const name = idx.names[id]!;
    const f = foldKey(name);
    folded[id] = f;
    const own = coresOf(idx, aliases, id, f);
    cores[id] = own;
    for (const form of own ? [f, ...own] : [f]) {
      add(byFold, form, id);
      for (let k = 2; k <= 4 && k <= form.length; k++) add(byPrefix, form.slice(0, k), id, PREFIX_CANDIDATES);
      for (let k = 3; k <= 5 && k <= form.length; k++) add(bySuffix, form.slice(-k), id, PREFIX_CANDIDATES);
    }
    for (const word of name.toLowerCase().split(/[-_.@/]+/)) if (word.length >= 3) vocabulary.add(word);
    const grams = trigrams(f);
    gramCount[id] = grams.length;
    for (const g of grams) add(postings, g, id);
  }
  return {
    byFold: StringTable.build(byFold),
    byPrefix: StringTable.build(byPrefix),
    bySuffix: StringTable.build(bySuffix),
    vocabulary: StringTable.build(vocabulary),
    postings: StringTable.build(postings),
    gramCount,
  };
}

/** Folded aliases by id. */
type Aliases = ReadonlyMap<number, readonly string[]>;

/** The cores of name `id` (without a language affix, folded) and its aliases, or null for none. */
function coresOf(idx: PopularNames, aliases: Aliases, id: number, folded: string): string[] | null {
  const cores = idx.affixCores(idx.names[id]!);
  const alias = aliases.get(id);
  if (!cores.length && !alias) return null;
  const own = [...cores.map(foldKey), ...(alias ?? [])].filter((c) => c !== folded);
  return own.length ? own : null;
}

export function createSuggester(idx: PopularNames, store?: IndexStore, listKey = ""): Suggester {
  const n = idx.size;
  const { genericPrefixes, genericSuffixes, languageAffixes } = idx.options;
  const generic = new Set([...genericPrefixes, ...genericSuffixes].map(foldKey));
  const affixes = [...languageAffixes.prefixes, ...languageAffixes.suffixes].map(foldKey);
  // Folded names and their cores are worked out for the candidates of a query only, once each.
  const folded: Array<string | undefined> = new Array(n);
  const cores: Array<string[] | null | undefined> = new Array(n);
  const given = idx.options.aliases;
  const aliasList = typeof given === "function" ? given() : given;
  const aliases = new Map<number, string[]>();
  for (const [alias, target] of aliasList) {
    const id = idx.idOf(idx.canonical(target));
    if (id >= 0 && foldKey(alias).length >= 2) aliases.set(id, [...(aliases.get(id) ?? []), foldKey(alias)]);
  }
  const key = store ? `${listKey}-suggest-${createHash("sha256").update(JSON.stringify([aliasList, genericPrefixes, genericSuffixes])).digest("hex").slice(0, 16)}` : "";
  const saved = store?.load(key);
  const loaded = saved && readTables(saved, n);
  const tables = loaded || buildTables(idx, generic, aliases, folded, cores);
  if (!loaded) store?.save(key, packBlock([tables.gramCount, ...TABLES.flatMap((name) => tables[name].sections())]));
  const { byFold, byPrefix, bySuffix, vocabulary, postings, gramCount } = tables;
  const maxLog = Math.log10(Math.max(idx.weights[0] ?? 1, 10));
  const minLog = Math.log10(Math.max(idx.weights[n - 1] ?? 1, 1));
  const shared = new Uint16Array(n);

  const foldedOf = (id: number): string => (folded[id] ??= foldKey(idx.names[id]!));
  const coresOfId = (id: number): string[] | null => {
    let own = cores[id];
    if (own === undefined) cores[id] = own = coresOf(idx, aliases, id, foldedOf(id));
    return own;
  };

  function popularity(id: number): number {
    const w = Math.log10(Math.max(idx.weights[id]!, 1));
    return maxLog > minLog ? (w - minLog) / (maxLog - minLog) : 0;
  }

  /** The query, and the query without a language affix or a generic word ("pyjango" -> "jango"). */
  function queryForms(q: string): Form[] {
    const forms: Form[] = [{ text: q, penalty: 0 }];
    const strip = (words: Iterable<string>, penalty: number) => {
      for (const w of words) {
        if (w.length < 2 || q.length - w.length < 3) continue;
        if (q.startsWith(w)) forms.push({ text: q.slice(w.length), penalty });
        if (q.endsWith(w)) forms.push({ text: q.slice(0, q.length - w.length), penalty });
      }
    };
    strip(affixes, 0.04);
    strip(generic, 0.06);
    return forms;
  }

  /**
   * What is left of a real name once a known word is taken off the query: its beginning
   * ("seachart" -> "sea" + chart) or its end ("stacklearn" -> stack + "learn").
   */
  function partsOf(q: string): { stems: string[]; tails: string[] } {
    const stems: string[] = [];
    const tails: string[] = [];
    for (let i = 2; i <= q.length - 3; i++) if (vocabulary.has(q, i)) stems.push(q.slice(0, i));
    for (let i = 3; i <= q.length - 3; i++) if (vocabulary.has(q, 0, i)) tails.push(q.slice(i));
    return { stems, tails };
  }

  /** Spelling (0..1), a bonus for a typo, plus popularity. */
  function score(forms: Form[], parts: { stems: string[]; tails: string[] }, id: number, qGrams: number, typos: ReadonlySet<number>): number {
    let text = qGrams ? (2 * shared[id]!) / (qGrams + gramCount[id]!) : 0;
    let typo = typos.has(id);
    const own = coresOfId(id);
    for (let k = -1; k < (own?.length ?? 0); k++) {
      const target = k < 0 ? foldedOf(id) : own![k]!;
      const penalty = k < 0 ? 0 : 0.02;
      for (const f of forms) {
        const [sim, close] = similarity(f.text, target, generic);
        text = Math.max(text, sim - penalty - f.penalty);
        // Without its affix the query must be the name itself: "pyjango" is not a typo of "pytango".
        typo ||= close && (f.penalty === 0 || f.text === target);
      }
      for (const stem of parts.stems) {
        if (target.startsWith(stem)) text = Math.max(text, STEM_BASE + (STEM_SCALE * stem.length) / target.length - penalty);
      }
      for (const tail of parts.tails) {
        if (target.endsWith(tail)) text = Math.max(text, STEM_BASE + (STEM_SCALE * tail.length) / target.length - penalty - TAIL_PENALTY);
      }
    }
    return text + (typo ? TYPO_BONUS : 0) + POPULARITY_WEIGHT * popularity(id);
  }

  return {
    suggest(name: string, limit: number): string[] {
      const q = foldKey(name);
      if (!q) return [];
      const forms = queryForms(q);
      const parts = partsOf(q);
      // What typosquat() would name is a typo away by definition.
      const typos = new Set<number>();
      const found = idx.candidates(name);
      for (let i = 0; i < found.length; i++) typos.add(found.ids[i]!);
      const cands = new Set<number>(typos);
      // Two deletions on the query side reach two edits; past 24 letters trigrams do that job cheaper.
      const addNeighbours = (text: string) => {
        const near = idx.deletionNeighbours(text, text.length >= 6 && text.length <= 24 ? 2 : 1);
        for (let i = 0; i < near.length; i++) cands.add(near.ids[i]!);
      };
      /** The ids under key s[start..end) of a table. */
      const addAll = (table: StringTable, s: string, start = 0, end = s.length) => {
        const e = table.find(s, start, end);
        if (e >= 0) for (let i = table.idStarts[e]!; i < table.idStarts[e + 1]!; i++) cands.add(table.ids[i]!);
      };
      addNeighbours(name);
      for (const f of forms) {
        if (f.text !== name) addNeighbours(f.text);
        addAll(byFold, f.text);
        addAll(byPrefix, f.text, 0, Math.min(3, f.text.length));
      }
      for (const stem of parts.stems) addAll(byPrefix, stem, 0, Math.min(4, stem.length));
      for (const tail of parts.tails) addAll(bySuffix, tail, Math.max(0, tail.length - 5));
      // Popular names inside the query ("pandasplus" -> pandas).
      for (let i = 0; i < q.length; i++) {
        for (let j = i + 3; j <= q.length; j++) addAll(byFold, q, i, j);
      }
      // Trigram overlap, counted over the posting lists; names sharing one trigram only are noise.
      const grams = trigrams(q);
      const touched: number[] = [];
      for (const g of grams) {
        const e = postings.find(g);
        if (e < 0) continue;
        const from = postings.idStarts[e]!;
        const to = postings.idStarts[e + 1]!;
        if (to - from > COMMON_TRIGRAM) continue;
        for (let i = from; i < to; i++) {
          const id = postings.ids[i]!;
          if (shared[id] === 0) touched.push(id);
          shared[id]!++;
        }
      }
      let most = 2;
      for (const id of touched) if (shared[id]! > most) most = shared[id]!;
      // The best TRIGRAM_CANDIDATES by overlap (dice, then id), kept in order as they are met: no sort of them all.
      const best: number[] = [];
      const dice: number[] = [];
      for (const id of touched) {
        if (2 * shared[id]! < most) continue;
        const d = (2 * shared[id]!) / (grams.length + gramCount[id]!);
        let at = best.length;
        while (at > 0 && (dice[at - 1]! < d || (dice[at - 1] === d && best[at - 1]! > id))) at--;
        if (at >= TRIGRAM_CANDIDATES) continue;
        best.splice(at, 0, id);
        dice.splice(at, 0, d);
        if (best.length > TRIGRAM_CANDIDATES) {
          best.pop();
          dice.pop();
        }
      }
      for (const id of best) cands.add(id);
      cands.delete(idx.idOf(name));
      const ranked = [...cands]
        .map((id) => [id, score(forms, parts, id, grams.length, typos)] as const)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0]);
      for (const id of touched) shared[id] = 0;
      return ranked.slice(0, limit).map(([id]) => idx.names[id]!);
    },
  };
}
