// Name intelligence over one ecosystem's popular names: typosquats, invented-name patterns, suggestions.
import { createHash } from "node:crypto";
import type { PackageFacts } from "../core/model.ts";
import type { SuspiciousNameMatch, TyposquatMatch } from "../core/signals.ts";
import { type AffixLists, GENERIC_PREFIX_WORDS, GENERIC_SUFFIX_WORDS } from "./affixes.ts";
import { classifySingleEdit, deletionHashes, foldKey, isSeparator, looseKey, type SingleEdit } from "./edits.ts";
import { createSuggester, type Suggester } from "./suggest.ts";
import type { NameIntel, PopularEntry } from "./types.ts";

export interface NameIntelOptions {
  /** Names may carry a scope ("@scope/name"). */
  scoped: boolean;
  /** "-", "_" and "." are one separator and case does not matter (names arrive already folded). */
  foldSeparators: boolean;
  /** Language affixes whose addition or removal imitates a name ("js-", "-py"); without a separator they are glued on. */
  languageAffixes?: AffixLists;
  /** Generic words models attach to real names (default: GENERIC_PREFIX_WORDS / GENERIC_SUFFIX_WORDS). */
  genericPrefixes?: readonly string[];
  genericSuffixes?: readonly string[];
  /**
   * @deprecated Ignored: a scoped name is never compared with its bare name (that is how scoped
   * packages are named: "@types/react", "@lit-labs/router"), so mirror scopes need no exception.
   */
  mirrorScopes?: readonly string[];
  /** How many times more popular the target must be than the name itself (default 100). */
  minRatio?: number;
  /** Shortest name (without scope) for which one edit counts as a typo (default 5; 4 for swaps and doubled letters). */
  minEditLength?: number;
  /**
   * Language-affix variants are only typosquats of this many of the most popular names (default 1000):
   * "opencc-python" next to a modest "opencc" is how small projects are named.
   */
  affixTargets?: number;
  /**
   * Other names people use for popular packages, as [alias, canonical name] (PyPI import names:
   * ["sklearn", "scikit-learn"]). Suggestions match them as spellings of their package.
   */
  aliases?: Aliases | (() => Aliases);
}

export type Aliases = ReadonlyArray<readonly [alias: string, name: string]>;

/**
 * Popularity for comparisons: downloads, or for ranked lists a Zipf-like estimate from the rank
 * (rank ratios then read as download ratios). A list and the facts of one ecosystem use the same kind.
 */
const RANK_SCALE = 1e9;
const weightOf = (downloads: number | null | undefined, rank: number | null | undefined): number =>
  downloads != null ? downloads : rank != null && rank > 0 ? RANK_SCALE / rank : 0;

/** 2^21: a 32-bit hash times this plus an id stays below 2^53, exact in a double. */
const ID_LIMIT = 2_097_152;

const isVowel = (ch: string | undefined): boolean => ch !== undefined && "aeiouy".includes(ch);

/** The separator-delimited word of `s` around index `at`. */
function tokenAt(s: string, at: number): string {
  const i = Math.min(at, s.length - 1);
  let start = i;
  while (start > 0 && !isSeparator(s[start - 1])) start--;
  let end = i;
  while (end < s.length && !isSeparator(s[end])) end++;
  return s.slice(start, end);
}

export interface ScopeParts {
  scope: string;
  bare: string;
}

/**
 * Keeps the deletion index between runs (it is the costly part of building, and depends only on
 * the names): `key` names the list it was built from.
 */
export interface IndexStore {
  load(key: string): Uint32Array | undefined;
  save(key: string, data: Uint32Array): void;
  loadText(key: string): string | undefined;
  saveText(key: string, text: string): void;
}

export function createNameIntel(popular: readonly PopularEntry[], options: NameIntelOptions, store?: IndexStore): NameIntel {
  return new PopularNames(popular, options, store);
}

function push(map: Map<string, number[]>, key: string, id: number): void {
  const list = map.get(key);
  if (!list) map.set(key, [id]);
  else if (list[list.length - 1] !== id) list.push(id);
}

const BUCKET_SHIFT = 16;
const BUCKETS = 2 ** (32 - BUCKET_SHIFT);
/** The filter keys on the top 22 bits: 2^17 words of 32 bits (512 KB). */
const FILTER_SHIFT = 15;
const FILTER_WORDS = 2 ** (32 - FILTER_SHIFT);

class PopularNames implements NameIntel {
  readonly names: string[] = [];
  readonly weights: Float64Array;
  private readonly downloads: Array<number | null>;
  private readonly ranks: Array<number | null>;
  readonly byName = new Map<string, number>();
  /** Sorted hashes of every name and of every name with one character deleted, and the id each came from. */
  private readonly delKeys: Uint32Array;
  private readonly delIds: Uint32Array;
  /** Where the keys with each top-16-bit prefix start in delKeys: a probe searches one small bucket. */
  private readonly delBuckets: Uint32Array;
  /** One bit per top-22-bit key prefix: most probes miss, and this answers them from a cache-sized table. */
  private readonly delFilter: Uint32Array;
  /** Separator-, case- and look-alike-folded key -> ids. */
  private readonly loose = new Map<string, number[]>();
  /** A name without its language affix -> ids ("dateutil" -> python-dateutil). */
  private readonly affixCore = new Map<string, number[]>();
  readonly options: Required<NameIntelOptions>;
  private readonly genericPrefixes: ReadonlySet<string>;
  private readonly genericSuffixes: ReadonlySet<string>;
  private readonly stamp: Uint32Array;
  private generation = 0;
  private suggester: Suggester | null = null;

  constructor(popular: readonly PopularEntry[], options: NameIntelOptions, store?: IndexStore) {
    this.options = {
      scoped: options.scoped,
      foldSeparators: options.foldSeparators,
      languageAffixes: options.languageAffixes ?? { prefixes: [], suffixes: [] },
      genericPrefixes: options.genericPrefixes ?? GENERIC_PREFIX_WORDS,
      genericSuffixes: options.genericSuffixes ?? GENERIC_SUFFIX_WORDS,
      mirrorScopes: options.mirrorScopes ?? [],
      minRatio: options.minRatio ?? 100,
      minEditLength: options.minEditLength ?? 5,
      affixTargets: options.affixTargets ?? 1000,
      aliases: options.aliases ?? [],
    };
    this.genericPrefixes = new Set(this.options.genericPrefixes);
    this.genericSuffixes = new Set(this.options.genericSuffixes);
    // Most popular first, so that id order is popularity order; duplicates keep their best figure.
    const best = new Map<string, PopularEntry>();
    for (const entry of popular) {
      const e = { ...entry, name: this.canonical(entry.name) };
      if (!e.name) continue;
      const prev = best.get(e.name);
      if (!prev || weightOf(e.downloads, e.rank) > weightOf(prev.downloads, prev.rank)) best.set(e.name, e);
    }
    const sorted = [...best.values()].sort(
      (a, b) => weightOf(b.downloads, b.rank) - weightOf(a.downloads, a.rank) || (a.name < b.name ? -1 : 1),
    );
    const n = sorted.length;
    if (n >= ID_LIMIT) throw new RangeError(`a popular list holds at most ${ID_LIMIT - 1} names (got ${n})`);
    this.weights = new Float64Array(n);
    this.downloads = new Array(n);
    this.ranks = new Array(n);
    this.stamp = new Uint32Array(n);
    let pairs = 0;
    for (let id = 0; id < n; id++) {
      const e = sorted[id]!;
      this.names.push(e.name);
      this.weights[id] = weightOf(e.downloads, e.rank);
      this.downloads[id] = e.downloads ?? null;
      this.ranks[id] = e.rank ?? null;
      this.byName.set(e.name, id);
      pairs += e.name.length + 1;
    }
    const key = store ? createHash("sha256").update(`v2\u0000${JSON.stringify(this.options.languageAffixes)}\u0000${this.options.scoped}\u0000${this.names.join("\n")}`).digest("hex").slice(0, 32) : "";
    const saved = store?.load(key);
    const k = saved ? (saved.length - BUCKETS - 1) / 2 : pairs;
    // A saved index must describe exactly this list: its last bucket boundary is its length.
    if (saved && Number.isInteger(k) && k >= 0 && saved[saved.length - 1] === k) {
      this.delKeys = saved.subarray(0, k);
      this.delIds = saved.subarray(k, 2 * k);
      this.delBuckets = saved.subarray(2 * k);
    } else {
      const built = this.buildDeletionIndex(pairs);
      this.delKeys = built.keys;
      this.delIds = built.ids;
      this.delBuckets = built.buckets;
      if (store) {
        const all = new Uint32Array(2 * built.keys.length + BUCKETS + 1);
        all.set(built.keys, 0);
        all.set(built.ids, built.keys.length);
        all.set(built.buckets, 2 * built.keys.length);
        store.save(key, all);
      }
    }
    this.delFilter = new Uint32Array(FILTER_WORDS);
    for (const key of this.delKeys) this.delFilter[key >>> FILTER_SHIFT]! |= 1 << ((key >>> (FILTER_SHIFT - 5)) & 31);
    if (!this.loadMaps(store, key)) {
      for (let id = 0; id < n; id++) {
        const name = this.names[id]!;
        push(this.loose, looseKey(name), id);
        const { scope, bare } = this.split(name);
        for (const core of this.affixCores(bare)) push(this.affixCore, scope ? `${scope}/${core}` : core, id);
      }
      store?.saveText(`${key}-maps`, JSON.stringify([[...this.loose], [...this.affixCore]]));
    }
  }

  /** The look-alike and affix maps as a previous run saved them for this very list (options included). */
  private loadMaps(store: IndexStore | undefined, key: string): boolean {
    const text = store?.loadText(`${key}-maps`);
    if (!text) return false;
    try {
      const [loose, affixCore] = JSON.parse(text) as [Array<[string, number[]]>, Array<[string, number[]]>];
      const valid = (entries: Array<[string, number[]]>) => entries.every(([k, ids]) => typeof k === "string" && ids.every((id) => id < this.names.length));
      if (!valid(loose) || !valid(affixCore)) return false;
      for (const [k, ids] of loose) this.loose.set(k, ids);
      for (const [k, ids] of affixCore) this.affixCore.set(k, ids);
      return true;
    } catch {
      return false;
    }
  }

  /** Deletion neighbourhood: (hash * 2^21 + id) packed exactly in a float array, sorted natively, then split. */
  private buildDeletionIndex(pairs: number): { keys: Uint32Array; ids: Uint32Array; buckets: Uint32Array } {
    const packed = new Float64Array(pairs);
    let k = 0;
    for (let id = 0; id < this.names.length; id++) {
      const name = this.names[id]!;
      const hashes = deletionHashes(name);
      packed[k++] = hashes[name.length]! * ID_LIMIT + id;
      for (let i = 0; i < name.length; i++) {
        if (i > 0 && name[i] === name[i - 1]) continue; // same string as deleting i-1
        packed[k++] = hashes[i]! * ID_LIMIT + id;
      }
    }
    const used = packed.subarray(0, k).sort();
    const keys = new Uint32Array(k);
    const ids = new Uint32Array(k);
    const buckets = new Uint32Array(BUCKETS + 1);
    for (let i = 0; i < k; i++) {
      const v = used[i]!;
      const key = Math.floor(v / ID_LIMIT);
      keys[i] = key;
      ids[i] = v - key * ID_LIMIT;
      buckets[(key >>> BUCKET_SHIFT) + 1]!++;
    }
    for (let b = 0; b < BUCKETS; b++) buckets[b + 1]! += buckets[b]!;
    return { keys, ids, buckets };
  }

  get size(): number {
    return this.names.length;
  }

  split(name: string): ScopeParts {
    if (this.options.scoped && name.startsWith("@")) {
      const slash = name.indexOf("/");
      if (slash > 1) return { scope: name.slice(0, slash), bare: name.slice(slash + 1) };
    }
    return { scope: "", bare: name };
  }

  /** The name without one language affix: "python-dateutil" -> "dateutil", "reactjs" -> "react". */
  affixCores(bare: string): string[] {
    const out: string[] = [];
    const { prefixes, suffixes } = this.options.languageAffixes;
    for (const p of prefixes) {
      const core = bare.slice(p.length);
      if (bare.startsWith(p) && core.length >= minCoreLength(p) && !isSeparator(core[0])) out.push(core);
    }
    for (const s of suffixes) {
      const core = bare.slice(0, bare.length - s.length);
      if (bare.endsWith(s) && core.length >= minCoreLength(s) && !isSeparator(core[core.length - 1])) out.push(core);
    }
    return out;
  }

  /** Names arrive canonical; folding again is cheap insurance against "Foo_Bar" on a folding registry. */
  canonical(name: string): string {
    return this.options.foldSeparators ? name.trim().toLowerCase().replace(/[-_.]+/g, "-") : name.trim();
  }

  isPopular(name: string): boolean {
    return this.byName.has(this.canonical(name));
  }

  entryMatch(id: number, edit: string): TyposquatMatch {
    return { target: this.names[id]!, edit, targetDownloads: this.downloads[id] ?? null, targetRank: this.ranks[id] ?? null };
  }

  /** Ids whose name is the query or one of its deletions away, symmetric-delete style (may include others: verify). */
  deletionNeighbours(name: string, visit: (id: number) => void, maxQueryDeletes = 1): void {
    const gen = this.nextGeneration();
    const probe = (h: number) => {
      if (!(this.delFilter[h >>> FILTER_SHIFT]! & (1 << ((h >>> (FILTER_SHIFT - 5)) & 31)))) return;
      let lo = this.delBuckets[h >>> BUCKET_SHIFT]!;
      let hi = this.delBuckets[(h >>> BUCKET_SHIFT) + 1]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.delKeys[mid]! < h) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < this.delKeys.length && this.delKeys[i] === h; i++) {
        const id = this.delIds[i]!;
        if (this.stamp[id] !== gen) {
          this.stamp[id] = gen;
          visit(id);
        }
      }
    };
    const hashes = deletionHashes(name);
    probe(hashes[name.length]!);
    for (let i = 0; i < name.length; i++) {
      if (i > 0 && name[i] === name[i - 1]) continue;
      probe(hashes[i]!);
      if (maxQueryDeletes > 1) {
        const once = name.slice(0, i) + name.slice(i + 1);
        const twice = deletionHashes(once);
        for (let j = i; j < once.length; j++) if (j === i || once[j] !== once[j - 1]) probe(twice[j]!);
      }
    }
  }

  private nextGeneration(): number {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    return this.generation;
  }

  /** Every popular name that `name` imitates by one of the typosquat edits, with the edit kind. */
  candidates(name: string, visit: (id: number, kind: string) => void): void {
    const { scope, bare } = this.split(name);
    // Look-alikes, case and separators (including a scope written as a prefix: "babel-core" / "@babel/core").
    for (const id of this.loose.get(looseKey(name)) ?? []) {
      const target = this.names[id]!;
      if (target !== name) visit(id, this.looseKind(name, target));
    }
    // One edit, insertion, deletion, substitution or transposition, for names long enough to tell.
    this.deletionNeighbours(name, (id) => {
      const target = this.names[id]!;
      const edit = classifySingleEdit(name, target);
      if (!edit) return;
      const t = this.split(target);
      // An edit in the scope keeps the whole name recognisable ("@bbel/core"); elsewhere the bare name counts.
      const inScope = edit.at <= t.scope.length - (edit.kind === "transposition" ? 1 : 0) || (t.scope !== "" && !scope);
      const length = inScope ? Math.min(name.length, target.length) : Math.min(bare.length, t.bare.length);
      if (this.plausibleSlip(name, target, edit, length)) visit(id, inScope ? "scope" : edit.kind);
    });
    // Language affixes added, dropped or swapped ("react-js", "dateutil", "py-dateutil").
    const affixed = (id: number | undefined) => {
      if (id !== undefined && id < this.options.affixTargets) visit(id, "affix");
    };
    for (const core of this.affixCores(bare)) {
      const full = scope ? `${scope}/${core}` : core;
      affixed(this.byName.get(full));
      for (const other of this.affixCore.get(full) ?? []) affixed(other);
    }
    for (const id of this.affixCore.get(name) ?? []) affixed(id);
    // A scope's bare name alone ("web" for @react-spring/web) or a scope added to a popular name
    // ("@lit-labs/router") are not counted: that is how most scoped packages are named.
  }

  /**
   * Whether one edit between `name` and a popular `target` looks like a slip of the hand rather
   * than another word: short names need a typing-error shape, and an edit that yields another
   * popular word ("preact-redux" / "react-redux") is a different name.
   */
  private plausibleSlip(name: string, target: string, edit: SingleEdit, shortest: number): boolean {
    if (edit.digitsOnly) return false;
    const min = this.options.minEditLength;
    switch (edit.kind) {
      case "transposition":
      case "repeated-letter":
      case "homoglyph":
        if (shortest < 4) return false;
        break;
      case "substitution":
        // Neither neighbouring keys nor vowels: in short names that is usually another word ("mocks" / "socks").
        if (shortest < min || (shortest < min + 2 && !(isVowel(name[edit.at]) && isVowel(target[edit.at])))) return false;
        break;
      case "insertion":
        // Nobody mistypes a letter before the first one; "xprogress", "jscroll" are other names.
        if (edit.at === 0 || shortest < min) return false;
        break;
      default:
        if (shortest < min) return false;
    }
    const word = tokenAt(name, edit.at);
    return word.length < 3 || word === tokenAt(target, edit.at) || !this.byName.has(word);
  }

  private looseKind(name: string, target: string): string {
    if (foldKey(name) !== foldKey(target)) return "homoglyph";
    const a = this.split(name);
    const b = this.split(target);
    if (a.scope !== b.scope) return "scope";
    return name.toLowerCase() === target.toLowerCase() ? "homoglyph" : "separator";
  }

  typosquat(raw: string, facts: PackageFacts): TyposquatMatch | null {
    const name = this.canonical(raw);
    if (!name || this.byName.has(name)) return null;
    const own = weightOf(facts.downloadsLastMonth, facts.popularityRank);
    const floor = own * this.options.minRatio;
    // Only a scope's owners publish in it: a near name in the same scope is theirs, not an imitation.
    const scope = this.split(name).scope;
    let bestId = -1;
    let bestKind = "";
    this.candidates(name, (id, kind) => {
      if (this.weights[id]! < floor || this.weights[id] === 0) return;
      if (scope && this.names[id]!.startsWith(`${scope}/`)) return;
      if (bestId < 0 || this.weights[id]! > this.weights[bestId]!) {
        bestId = id;
        bestKind = kind;
      }
    });
    return bestId < 0 ? null : this.entryMatch(bestId, bestKind);
  }

  suspicious(raw: string): SuspiciousNameMatch | null {
    const name = this.canonical(raw);
    if (!name || this.byName.has(name)) return null;
    const { scope, bare } = this.split(name);
    // Tokens and the separators between them, so that a base keeps its own spelling.
    const parts = bare.split(/([-_.])/);
    const tokens = parts.filter((_, i) => i % 2 === 0);
    if (tokens.length < 2) return null;
    const prefixes = this.genericPrefixes;
    const suffixes = this.genericSuffixes;
    let leading = 0;
    while (leading < tokens.length - 1 && prefixes.has(tokens[leading]!)) leading++;
    let trailing = 0;
    while (trailing < tokens.length - 1 && suffixes.has(tokens[tokens.length - 1 - trailing]!)) trailing++;
    // Longest popular base: strip as few generic words as possible.
    let found: { p: number; s: number; id: number } | null = null;
    for (let stripped = 1; stripped < tokens.length && !found; stripped++) {
      for (let p = Math.min(leading, stripped); p >= 0; p--) {
        const s = stripped - p;
        if (s > trailing || p + s >= tokens.length) continue;
        const base = parts.slice(2 * p, parts.length - 2 * s).join("");
        if (base.length < 3 || (!scope && (prefixes.has(base) || suffixes.has(base)))) continue;
        const id = this.byName.get(scope ? `${scope}/${base}` : base);
        if (id !== undefined && (!found || this.weights[id]! > this.weights[found.id]!)) found = { p, s, id };
      }
    }
    if (!found) return null;
    const { p, s, id } = found;
    const head = parts.slice(0, 2 * p).join("");
    const tail = parts.slice(parts.length - 2 * s).join("");
    return s > 0
      ? { base: this.names[id]!, affix: tail, position: "suffix" }
      : { base: this.names[id]!, affix: head, position: "prefix" };
  }

  suggest(raw: string, limit = 5): string[] {
    const name = this.canonical(raw);
    if (!name || limit <= 0) return [];
    this.suggester ??= createSuggester(this);
    return this.suggester.suggest(name, limit);
  }
}

export type { PopularNames };

function minCoreLength(affix: string): number {
  return isSeparator(affix[0]) || isSeparator(affix[affix.length - 1]) ? 3 : 4;
}
