// "Did you mean": recall first. Gathers candidates from several cheap indexes, then ranks them by
// spelling similarity (of the names, or of their cores once affixes are stripped) and popularity.
import { createHash } from "node:crypto";
import { commonPrefixLength, commonSuffixLength, foldKey, hashString, osaDistance, prefixHashes } from "./edits.ts";
import type { NameTable } from "./names.ts";
import { packBlock, readStrings, Sections, StringTable, stringsSection } from "./tables.ts";
import type { TyposquatSearch } from "./typosquat.ts";

export interface Suggester {
  suggest(name: string, limit: number): string[];
}

const TRIGRAM_CANDIDATES = 10;
/** Postings counted per query at most (rarest trigrams first): bounds the trigram search. */
const TRIGRAM_BUDGET = 800;
/** Spelling similarity (0..MAX_TEXT) from which names found without trigrams are enough. */
const ALIKE = 0.7;
/** Names sharing fewer trigrams than this (Dice coefficient) are not alike enough to suggest. */
const MIN_DICE = 0.4;
/** No spelling measure below exceeds this (dice, similarity, stems). */
const MAX_TEXT = 1;
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

interface Parts {
  stems: string[];
  tails: string[];
}

interface Form {
  text: string;
  /** Subtracted from the similarity: a match on a stripped form is weaker evidence. */
  penalty: number;
  /** Where the form starts in the query (its pieces' hashes are the query's). */
  start: number;
}

/** A hash of the three code units of s from i. */
const gramHash = (s: string, i: number): number => Math.imul(Math.imul(s.charCodeAt(i), 0x10001) ^ s.charCodeAt(i + 1), 0x1003f) ^ s.charCodeAt(i + 2);

/**
 * Trigrams of letters, digits and the ends "^" "$" (almost all of them) have a small code: their
 * postings entry is then read from an array instead of a hash table. Symbol 0: anything else.
 */
const GRAM_SYMBOLS = (() => {
  const symbols = new Uint8Array(128);
  const alphabet = "^$abcdefghijklmnopqrstuvwxyz0123456789";
  for (let i = 0; i < alphabet.length; i++) symbols[alphabet.charCodeAt(i)] = i + 1;
  return symbols;
})();
const GRAM_BASE = 39;

/** The code of the trigram of s at i (1 .. GRAM_BASE^3 - 1), or 0 when a character has no symbol. */
const gramCode = (s: string, i: number): number => codeOf(s.charCodeAt(i), s.charCodeAt(i + 1), s.charCodeAt(i + 2));

function codeOf(a: number, b: number, c: number): number {
  if (a >= 128 || b >= 128 || c >= 128) return 0;
  const x = GRAM_SYMBOLS[a]!;
  const y = GRAM_SYMBOLS[b]!;
  const z = GRAM_SYMBOLS[c]!;
  return x && y && z ? (x * GRAM_BASE + y) * GRAM_BASE + z : 0;
}

/** Postings entry by trigram code (-1: no name has it), for the trigrams that have one. */
function entriesByCode(postings: StringTable): Int32Array {
  const out = new Int32Array(GRAM_BASE ** 3).fill(-1);
  for (let e = 0; e < postings.size; e++) {
    const code = postings.keyLength(e) === 3 ? codeOf(postings.keyUnit(e, 0), postings.keyUnit(e, 1), postings.keyUnit(e, 2)) : 0;
    if (code) out[code] = e;
  }
  return out;
}

/** The slot of gram hash g in a table of mask + 1 slots. */
const slotOf = (g: number, mask: number): number => (Math.imul(g, 0x9e3779b1) >>> 16) & mask;

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

/** Whether the names of the last similarity() call are a typo apart (no tuple to allocate per call). */
let lastClose = false;

/** Spelling similarity of two folded names (0..MAX_TEXT); sets lastClose. */
function similarity(q: string, t: string, generic: ReadonlySet<string>): number {
  const longest = Math.max(q.length, t.length);
  const shortest = Math.min(q.length, t.length);
  lastClose = false;
  if (!shortest) return 0;
  // Past half the length, spelling says nothing and the exact distance is not worth computing.
  const cap = Math.ceil(longest / 2);
  const distance = osaDistance(q, t, cap);
  const typo = distance === 0 || (distance === 1 && shortest >= 4) || (distance === 2 && shortest >= 10);
  const prefix = commonPrefixLength(q, t);
  // Typos and inventions keep the beginning: edits elsewhere count for less.
  let sim = distance > cap ? 0 : (1 - distance / longest) * (1 - PREFIX_FACTOR + (PREFIX_FACTOR * Math.min(prefix, 3)) / 3);
  // One name inside the other: an affix added or dropped ("pandasplus", "sklearnify"); a generic
  // word inside the query ("...utils") says nothing about which package was meant.
  if (shortest >= 3) {
    // Only the shorter can be inside the other (equal lengths: the same name, which starts it).
    const inside = t.length <= q.length ? (q.startsWith(t) ? 2 : q.includes(t) ? 1 : 0) : t.includes(q) ? 1 : 0;
    if (inside && !generic.has(t)) sim = Math.max(sim, inside === 2 ? 0.3 + 0.65 * (shortest / longest) : 0.25 + 0.6 * (shortest / longest));
  }
  // Shared beginning and end survive the mangling of the middle ("matplotly", "plotmatlib").
  const suffix = Math.min(commonSuffixLength(q, t), shortest - prefix);
  sim = Math.max(sim, (prefix + 0.8 * suffix) / longest);
  lastClose = typo;
  return sim;
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
  /** Each name folded, and its cores ("\t"-joined, "" for none): read for every candidate, so kept rather than worked out per run. */
  folded: string[];
  cores: string[];
}

const TABLES: ReadonlyArray<Exclude<keyof Tables, "gramCount" | "folded" | "cores">> = ["byFold", "byPrefix", "bySuffix", "vocabulary", "postings"];

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
  const folded = readStrings(s.next(), n);
  const cores = readStrings(s.next(), n);
  if (!folded || !cores) return undefined;
  return { ...tables, folded, cores } as Tables;
}

/** Indexes every name by its folded form and cores. */
function buildTables(idx: NameTable, generic: ReadonlySet<string>, aliases: Aliases): Tables {
  const n = idx.size;
  const byFold = new Map<string, number[]>();
  const postings = new Map<string, number[]>();
  const byPrefix = new Map<string, number[]>();
  const bySuffix = new Map<string, number[]>();
  const vocabulary = new Set<string>(generic);
  const gramCount = new Uint32Array(n);
  const folded = new Array<string>(n);
  const cores = new Array<string>(n);
  for (let id = 0; id < n; id++) {
    const name = idx.names[id]!;
    const f = foldKey(name);
    folded[id] = f;
    const own = coresOf(idx, aliases, id, f);
    cores[id] = own ? own.join("\t") : "";
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
    folded,
    cores,
  };
}

/** Folded aliases by id. */
type Aliases = ReadonlyMap<number, readonly string[]>;

/** The given [alias, name] pairs as folded aliases of the ids of their names (only to build the tables). */
function aliasesById(idx: NameTable, list: ReadonlyArray<readonly [string, string]>): Aliases {
  const aliases = new Map<number, string[]>();
  for (const [alias, target] of list) {
    const id = idx.idOf(idx.canonical(target));
    if (id >= 0 && foldKey(alias).length >= 2) aliases.set(id, [...(aliases.get(id) ?? []), foldKey(alias)]);
  }
  return aliases;
}

/** The cores of name `id` (without a language affix, folded) and its aliases, or null for none. */
function coresOf(idx: NameTable, aliases: Aliases, id: number, folded: string): string[] | null {
  const cores = idx.affixCores(idx.names[id]!);
  const alias = aliases.get(id);
  if (!cores.length && !alias) return null;
  const own = [...cores.map(foldKey), ...(alias ?? [])].filter((c) => c !== folded);
  return own.length ? own : null;
}

/** The suggestion search over a name table; what `typosquats` names counts as a typo away. */
export function createSuggester(idx: NameTable, typosquats: TyposquatSearch): Suggester {
  const { store, storeKey: listKey } = idx;
  const n = idx.size;
  const { genericPrefixes, genericSuffixes, languageAffixes } = idx.options;
  const generic = new Set([...genericPrefixes, ...genericSuffixes].map(foldKey));
  // Looked up by the query's own beginnings and ends: the cost grows with its length, not the word count.
  const genericTable = StringTable.build(generic);
  let longestGeneric = 0;
  for (const w of generic) longestGeneric = Math.max(longestGeneric, w.length);
  const affixes = [...languageAffixes.prefixes, ...languageAffixes.suffixes].map(foldKey);
  const given = idx.options.aliases;
  const aliasList = typeof given === "function" ? given() : given;
  // "v2": blocks hold the folded names and cores.
  const key = store ? `${listKey}-suggest-${createHash("sha256").update(JSON.stringify(["v2", aliasList, genericPrefixes, genericSuffixes])).digest("hex").slice(0, 16)}` : "";
  const saved = store?.load(key);
  const loaded = saved && readTables(saved, n);
  const tables = loaded || buildTables(idx, generic, aliasesById(idx, aliasList));
  if (!loaded) store?.save(key, packBlock([tables.gramCount, ...TABLES.flatMap((name) => tables[name].sections()), stringsSection(tables.folded), stringsSection(tables.cores)]));
  const { byFold, byPrefix, bySuffix, vocabulary, postings, gramCount, folded } = tables;
  /** The cores of each id, split from their stored line at the first use. */
  const cores: Array<string[] | null | undefined> = new Array(n);
  const maxLog = Math.log10(Math.max(idx.weights[0] ?? 1, 10));
  const minLog = Math.log10(Math.max(idx.weights[n - 1] ?? 1, 1));
  const shared = new Uint16Array(n);
  // No piece of the query longer than the longest folded name, core or alias can be one.
  let longestKey = 3;
  for (let e = 0; e < byFold.size; e++) longestKey = Math.max(longestKey, byFold.keyLength(e));

  /** Work space of the searches (they run synchronously): hashes of the query's pieces, names met by the trigram count, its histogram. */
  let pieceHashes = new Uint32Array(64);
  /** And of its ends: endHashes[i] is the hash of q[i..), all of them worked out once per query. */
  let endHashes = new Uint32Array(64);

  /** Fills pieceHashes (pieceHashes[k]: the hash of q[0..k]) and endHashes for query q. */
  function hashPieces(q: string): void {
    if (pieceHashes.length < q.length) {
      pieceHashes = new Uint32Array(2 * q.length);
      endHashes = new Uint32Array(2 * q.length);
    }
    prefixHashes(q, 0, q.length, pieceHashes);
    for (let i = 0; i < q.length; i++) endHashes[i] = hashString(q, i);
  }
  const touched = new Uint32Array(n);
  let histogram = new Uint32Array(64);
  /** Built at the first trigram search. */
  let byCode: Int32Array | undefined;
  const coresOfId = (id: number): string[] | null => {
    let own = cores[id];
    if (own === undefined) cores[id] = own = tables.cores[id] ? tables.cores[id].split("\t") : null;
    return own;
  };

  /** Popularity of each id, 0..1 over the list in log scale (read for every candidate). */
  const popularities = new Float64Array(n);
  for (let id = 0; id < n; id++) popularities[id] = maxLog > minLog ? (Math.log10(Math.max(idx.weights[id]!, 1)) - minLog) / (maxLog - minLog) : 0;

  /** The query, and the query without a language affix or a generic word ("pyjango" -> "jango"). */
  function queryForms(q: string): Form[] {
    const forms: Form[] = [{ text: q, penalty: 0, start: 0 }];
    for (const w of affixes) {
      if (w.length < 2 || q.length - w.length < 3) continue;
      if (q.startsWith(w)) forms.push({ text: q.slice(w.length), penalty: 0.04, start: w.length });
      if (q.endsWith(w)) forms.push({ text: q.slice(0, q.length - w.length), penalty: 0.04, start: 0 });
    }
    // A generic word of 2 letters or more at either end, leaving 3 letters or more.
    const most = Math.min(longestGeneric, q.length - 3);
    for (let k = 2; k <= most; k++) {
      if (genericTable.findHashed(pieceHashes[k - 1]!, q, 0, k) >= 0) forms.push({ text: q.slice(k), penalty: 0.06, start: k });
      if (genericTable.findHashed(endHashes[q.length - k]!, q, q.length - k, q.length) >= 0) forms.push({ text: q.slice(0, q.length - k), penalty: 0.06, start: 0 });
    }
    return forms;
  }

  /**
   * What is left of a real name once a known word is taken off the query: its beginning
   * ("seachart" -> "sea" + chart) or its end ("stacklearn" -> stack + "learn").
   */
  function partsOf(q: string): Parts {
    const stems: string[] = [];
    const tails: string[] = [];
    for (let i = 2; i <= q.length - 3; i++) if (vocabulary.findHashed(endHashes[i]!, q, i, q.length) >= 0) stems.push(q.slice(0, i));
    for (let i = 3; i <= q.length - 3; i++) if (vocabulary.findHashed(pieceHashes[i - 1]!, q, 0, i) >= 0) tails.push(q.slice(i));
    return { stems, tails };
  }

  /** Trigram hashes of the query (distinct), for the overlap of each candidate; refilled per query. */
  let queryGrams = new Int32Array(64);
  let matched = new Uint8Array(64);
  let queryGramCount = 0;
  /** Open addressing over the query's trigrams: slot -> 1 + its index in queryGrams (0: empty); a power of two. */
  let gramSlots = new Int32Array(128);
  let gramMask = 127;

  /** The query's trigram codes, marked with its stamp; false when one of its trigrams has no code. */
  const queryCodes = new Uint32Array(GRAM_BASE ** 3);
  let queryStamp = 0;
  let queryCoded = false;
  /** Each name's distinct trigram codes in codePool, worked out at its first dice (-1: not yet; -2: one has no code). */
  const codeStart = new Int32Array(n).fill(-1);
  const codeCount = new Uint16Array(n);
  let codePool = new Uint16Array(4096);
  let codeUsed = 0;
  const nameCodes = new Uint32Array(GRAM_BASE ** 3);
  let nameStamp = 0;

  function setQueryGrams(padded: string): void {
    queryStamp = (queryStamp + 1) >>> 0;
    if (queryStamp === 0) {
      queryCodes.fill(0);
      queryStamp = 1;
    }
    queryCoded = true;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const code = gramCode(padded, i);
      if (code) queryCodes[code] = queryStamp;
      else queryCoded = false;
    }
    if (queryGrams.length < padded.length) {
      queryGrams = new Int32Array(2 * padded.length);
      matched = new Uint8Array(2 * padded.length);
    }
    let size = 128;
    while (size < 4 * padded.length) size *= 2;
    if (gramSlots.length < size) gramSlots = new Int32Array(size);
    gramMask = size - 1;
    gramSlots.fill(0, 0, size);
    queryGramCount = 0;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const g = gramHash(padded, i);
      let h = slotOf(g, gramMask);
      let k = gramSlots[h]!;
      while (k !== 0 && queryGrams[k - 1] !== g) {
        h = (h + 1) & gramMask;
        k = gramSlots[h]!;
      }
      if (k === 0) {
        queryGrams[queryGramCount++] = g;
        gramSlots[h] = queryGramCount;
      }
    }
  }

  /** Where the distinct trigram codes of name `id` start in codePool (-2: a trigram has no code). */
  function codesOf(id: number): number {
    const name = folded[id]!;
    nameStamp = (nameStamp + 1) >>> 0;
    if (nameStamp === 0) {
      nameCodes.fill(0);
      nameStamp = 1;
    }
    if (codePool.length < codeUsed + name.length + 2) {
      const grown = new Uint16Array(2 * (codeUsed + name.length + 2));
      grown.set(codePool.subarray(0, codeUsed));
      codePool = grown;
    }
    const start = codeUsed;
    const padded = `^${name}$`;
    for (let i = 0; i + 3 <= padded.length; i++) {
      const code = gramCode(padded, i);
      if (!code) {
        codeUsed = start;
        codeStart[id] = -2;
        return -2;
      }
      if (nameCodes[code] !== nameStamp) {
        nameCodes[code] = nameStamp;
        codePool[codeUsed++] = code;
      }
    }
    codeStart[id] = start;
    codeCount[id] = codeUsed - start;
    return start;
  }

  /** Dice coefficient of the trigrams of the query and of name `id`. */
  function dice(id: number): number {
    if (queryCoded) {
      // Each trigram once on both sides (as queryGramCount and gramCount count them), by code.
      const start = codeStart[id] === -1 ? codesOf(id) : codeStart[id]!;
      if (start >= 0) {
        let common = 0;
        const end = start + codeCount[id]!;
        for (let k = start; k < end; k++) if (queryCodes[codePool[k]!] === queryStamp) common++;
        return (2 * common) / (queryGramCount + gramCount[id]!);
      }
    }
    const name = folded[id]!;
    // Each query trigram is counted once, however often the name repeats it (as gramCount counts them).
    const seen = matched;
    const grams = queryGrams;
    const slots = gramSlots;
    const mask = gramMask;
    seen.fill(0, 0, queryGramCount);
    let common = 0;
    // The trigrams of "^name$", without building that string.
    for (let i = -1; i + 2 <= name.length; i++) {
      const a = i < 0 ? 94 : name.charCodeAt(i);
      const b = i + 1 < name.length ? name.charCodeAt(i + 1) : 36;
      const c = i + 2 < name.length ? name.charCodeAt(i + 2) : 36;
      const g = Math.imul(Math.imul(a, 0x10001) ^ b, 0x1003f) ^ c;
      let h = slotOf(g, mask);
      for (let k = slots[h]!; k !== 0; k = slots[h]!) {
        if (grams[k - 1] === g) {
          common += 1 - seen[k - 1]!;
          seen[k - 1] = 1;
          break;
        }
        h = (h + 1) & mask;
      }
    }
    return (2 * common) / (queryGramCount + gramCount[id]!);
  }

  /** Spelling (0..1), a bonus for a typo, plus popularity. */
  function score(forms: Form[], parts: Parts, id: number): number {
    let text = dice(id);
    let typo = typoMark[id] === generation;
    const own = coresOfId(id);
    for (let k = -1; k < (own?.length ?? 0); k++) {
      const target = k < 0 ? folded[id]! : own![k]!;
      const penalty = k < 0 ? 0 : 0.02;
      for (const f of forms) {
        const sim = similarity(f.text, target, generic);
        text = Math.max(text, sim - penalty - f.penalty);
        // Without its affix the query must be the name itself: "pyjango" is not a typo of "pytango".
        typo ||= lastClose && (f.penalty === 0 || f.text === target);
      }
      for (const stem of parts.stems) {
        if (target.startsWith(stem)) text = Math.max(text, STEM_BASE + (STEM_SCALE * stem.length) / target.length - penalty);
      }
      for (const tail of parts.tails) {
        if (target.endsWith(tail)) text = Math.max(text, STEM_BASE + (STEM_SCALE * tail.length) / target.length - penalty - TAIL_PENALTY);
      }
    }
    lastTypo = typo;
    lastText = text;
    return text + (typo ? TYPO_BONUS : 0) + POPULARITY_WEIGHT * popularities[id]!;
  }
  let lastTypo = false;
  let lastText = 0;

  /**
   * The candidates of the current query, each once: marked with the query's generation (no set to
   * build per query), and those typosquat() names.
   */
  const candMark = new Uint32Array(n);
  const typoMark = new Uint32Array(n);
  let generation = 0;
  const candList: number[] = [];
  const addCandidate = (id: number) => {
    if (candMark[id] !== generation) {
      candMark[id] = generation;
      candList.push(id);
    }
  };

  /** The ids of entry e of a table, as candidates. */
  const addEntry = (table: StringTable, e: number) => {
    if (e >= 0) for (let i = table.idStarts[e]!; i < table.idStarts[e + 1]!; i++) addCandidate(table.ids[i]!);
  };

  /** The hash of q[start..end), from the query's beginnings or ends when it is one. */
  const pieceHash = (q: string, start: number, end: number): number =>
    start === 0 ? pieceHashes[end - 1]! : end === q.length ? endHashes[start]! : hashString(q, start, end);

  /** Names a deletion or two from `text` (two for the name as given, 6 to 16 letters; past that trigrams do that job cheaper). */
  const addNeighbours = (text: string, name: string) => {
    const near = idx.deletionNeighbours(text, text === name && text.length >= 6 && text.length <= 16 ? 2 : 1);
    for (let i = 0; i < near.length; i++) addCandidate(near.ids[i]!);
  };

  /**
   * Name ids whose folded name or core begins or ends the query ("pandasplus", "mypandas" -> pandas):
   * the beginnings hashed in one pass, so the cost grows with the length, not its square.
   */
  function addInside(q: string): void {
    const add = (e: number) => {
      if (e >= 0) for (let j = byFold.idStarts[e]!; j < byFold.idStarts[e + 1]!; j++) addCandidate(byFold.ids[j]!);
    };
    const count = Math.min(q.length, longestKey);
    for (let k = 2; k < count; k++) add(byFold.findHashed(pieceHashes[k]!, q, 0, k + 1));
    for (let i = Math.max(1, q.length - longestKey); i + 3 <= q.length; i++) add(byFold.findHashed(endHashes[i]!, q, i, q.length));
  }

  /**
   * The names sharing the most trigrams with the query, best first (at most TRIGRAM_CANDIDATES):
   * the rarest trigrams are counted first, and counting stops past TRIGRAM_BUDGET postings, so the
   * cost is bounded whatever the query; the best are picked by a histogram of the counts, not a sort.
   */
  function trigramCandidates(padded: string): number[] {
    // Locals, not the closure's variables: these loops are the hottest of the search.
    const { idStarts, ids } = postings;
    const counts = shared;
    const met = touched;
    byCode ??= entriesByCode(postings);
    const direct = byCode;
    const lists: number[] = [];
    for (let i = 0; i + 3 <= padded.length; i++) {
      const code = gramCode(padded, i);
      const e = code ? direct[code]! : postings.find(padded, i, i + 3);
      if (e < 0 || lists.includes(e)) continue;
      if (idStarts[e + 1]! - idStarts[e]! <= COMMON_TRIGRAM) lists.push(e);
    }
    lists.sort((a, b) => idStarts[a + 1]! - idStarts[a]! - (idStarts[b + 1]! - idStarts[b]!));
    let counted = 0;
    for (let spent = 0; counted < lists.length; counted++) {
      const size = idStarts[lists[counted]! + 1]! - idStarts[lists[counted]!]!;
      if (spent > 0 && spent + size > TRIGRAM_BUDGET) break;
      spent += size;
    }
    // A name is kept only if it shares `floor` of the counted trigrams: 2, and a quarter of the
    // query's (fewer give a Dice coefficient under MIN_DICE, as a name has at least the trigrams
    // it shares), and half as many as the best shares. A name first met in list l shares at most
    // counted - l, so lists bring in names only while that can reach the floor; the later (larger)
    // ones only count the names met, whose counts stay exact.
    const floor = Math.max(2, Math.ceil(queryGramCount / 4));
    let metCount = 0;
    let most = 0;
    for (let l = 0; l < counted; l++) {
      const from = idStarts[lists[l]!]!;
      const to = idStarts[lists[l]! + 1]!;
      if (counted - l >= Math.max(floor, Math.ceil(most / 2))) {
        for (let i = from; i < to; i++) {
          const id = ids[i]!;
          const c = counts[id]!;
          if (c === 0) met[metCount++] = id;
          counts[id] = c + 1;
          if (c >= most) most = c + 1;
        }
      } else {
        for (let i = from; i < to; i++) {
          const id = ids[i]!;
          const c = counts[id]!;
          if (c !== 0) counts[id] = c + 1;
        }
      }
    }
    // The lowest count that still leaves TRIGRAM_CANDIDATES names at or above it (names sharing one trigram only are noise).
    if (histogram.length < lists.length + 2) histogram = new Uint32Array(2 * lists.length + 2);
    const hist = histogram;
    hist.fill(0, 0, lists.length + 2);
    most = 0;
    for (let t = 0; t < metCount; t++) {
      const c = counts[met[t]!]!;
      hist[c]!++;
      if (c > most) most = c;
    }
    let least = most;
    for (let above = hist[most]!; least > 2 && above < TRIGRAM_CANDIDATES; ) above += hist[--least]!;
    least = Math.max(least, 2, Math.ceil(most / 2));
    const best: number[] = [];
    const scores: number[] = [];
    const grams = queryGramCount;
    for (let t = 0; t < metCount; t++) {
      const id = met[t]!;
      const c = counts[id]!;
      counts[id] = 0;
      if (c < least) continue;
      const d = (2 * c) / (grams + gramCount[id]!);
      if (d < MIN_DICE) continue;
      let at = best.length;
      while (at > 0 && (scores[at - 1]! < d || (scores[at - 1] === d && best[at - 1]! > id))) at--;
      if (at >= TRIGRAM_CANDIDATES) continue;
      best.splice(at, 0, id);
      scores.splice(at, 0, d);
      if (best.length > TRIGRAM_CANDIDATES) {
        best.pop();
        scores.pop();
      }
    }
    return best;
  }

  /**
   * The best `limit` of `ids` by score (ties by id). Ids run most popular first and no score
   * exceeds MAX_TEXT + TYPO_BONUS plus the popularity part, so the walk stops once that bound falls
   * below the last kept score. Tells whether the search may stop there: the best is a typo away,
   * or every one kept is spelled much alike.
   */
  function rank(ids: number[], forms: Form[], parts: Parts, limit: number): { ids: number[]; settled: boolean } {
    // Usually a dozen candidates: sorted by insertion into a typed copy (no calls); many, natively.
    if (sortSpace.length < ids.length) sortSpace = new Uint32Array(2 * ids.length);
    const sorted = sortSpace.subarray(0, ids.length);
    if (ids.length > 64) {
      sorted.set(ids);
      sorted.sort();
    } else {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        let at = i;
        while (at > 0 && sorted[at - 1]! > id) {
          sorted[at] = sorted[at - 1]!;
          at--;
        }
        sorted[at] = id;
      }
    }
    const out: number[] = [];
    const scores: number[] = [];
    const texts: number[] = [];
    let typo = false;
    for (let i = 0; i < sorted.length; i++) {
      const id = sorted[i]!;
      if (out.length >= limit && MAX_TEXT + TYPO_BONUS + POPULARITY_WEIGHT * popularities[id]! < scores[limit - 1]!) break;
      const sc = score(forms, parts, id);
      let at = out.length;
      while (at > 0 && scores[at - 1]! < sc) at--;
      if (at >= limit) continue;
      if (at === 0) typo = lastTypo;
      out.splice(at, 0, id);
      scores.splice(at, 0, sc);
      texts.splice(at, 0, lastText);
      if (out.length > limit) {
        out.pop();
        scores.pop();
        texts.pop();
      }
    }
    let alike = out.length >= limit;
    for (let i = 0; i < texts.length && alike; i++) alike = texts[i]! >= ALIKE;
    return { ids: out, settled: typo || alike };
  }
  let sortSpace = new Uint32Array(64);

  return {
    suggest(name: string, limit: number): string[] {
      const q = foldKey(name);
      if (!q) return [];
      hashPieces(q);
      const forms = queryForms(q);
      const parts = partsOf(q);
      const padded = `^${q}$`;
      setQueryGrams(padded);
      generation = (generation + 1) >>> 0;
      if (generation === 0) {
        candMark.fill(0);
        typoMark.fill(0);
        generation = 1;
      }
      candList.length = 0;
      // The name itself is no suggestion.
      const self = idx.idOf(name);
      if (self >= 0) candMark[self] = generation;
      // What typosquat() would name is a typo away by definition.
      const found = typosquats.candidates(name);
      for (let i = 0; i < found.length; i++) {
        typoMark[found.ids[i]!] = generation;
        addCandidate(found.ids[i]!);
      }
      // Two deletions on the query side reach two edits (for the name as given; its stripped forms take one).
      addNeighbours(name, name);
      // The keys are pieces of q (their hashes known), each looked up once.
      for (const f of forms) {
        if (f.text !== name) addNeighbours(f.text, name);
        const end = f.start + f.text.length;
        addEntry(byFold, byFold.findHashed(pieceHash(q, f.start, end), q, f.start, end));
        if (f.start > 0 || f === forms[0]) {
          const head = f.start + Math.min(3, f.text.length);
          addEntry(byPrefix, byPrefix.findHashed(pieceHash(q, f.start, head), q, f.start, head));
        }
      }
      // A stem is q[0..i) and a tail q[i..): their first 4 and last 5 letters are pieces of q.
      for (const stem of parts.stems) if (stem.length <= 4 || stem === parts.stems[parts.stems.length - 1]) addEntry(byPrefix, byPrefix.findHashed(pieceHashes[Math.min(4, stem.length) - 1]!, q, 0, Math.min(4, stem.length)));
      for (const tail of parts.tails) if (tail.length <= 5 || tail === parts.tails[0]) addEntry(bySuffix, bySuffix.findHashed(endHashes[q.length - Math.min(5, tail.length)]!, q, q.length - Math.min(5, tail.length), q.length));
      addInside(q);
      let ranked = rank(candList, forms, parts, limit);
      // A near name a typo away leads, or enough names much alike were found: the trigram search,
      // the costly part, is for the rest.
      if (!ranked.settled) {
        const more = ranked.ids;
        const before = more.length;
        for (const id of trigramCandidates(padded)) if (candMark[id] !== generation) more.push(id);
        if (more.length > before) ranked = rank(more, forms, parts, limit);
      }
      return ranked.ids.map((id) => idx.names[id]!);
    },
  };
}
