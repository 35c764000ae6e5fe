// The name table of one ecosystem's popular names: ids most popular first, their figures, and the
// lookups the searches share (a name's id, its one-deletion neighbours, look-alike and affix keys).
// Built once per list, or loaded as an earlier run stored it.
import { createHash } from "node:crypto";
import type { TyposquatMatch } from "../core/signals.ts";
import { type AffixLists, GENERIC_PREFIX_WORDS, GENERIC_SUFFIX_WORDS } from "./affixes.ts";
import { deletionHashes, hashString, isSeparator, looseKeyHash, pairDeletionHash } from "./edits.ts";
import { floatsSection, HashIndex, ID_LIMIT, packBlock, readFloats, readStrings, Sections, StoredStrings, stringsSection } from "./tables.ts";
import type { KeyedPopularList, PopularEntry, PopularList } from "../core/model.ts";

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
export const weightOf = (downloads: number | null | undefined, rank: number | null | undefined): number =>
  downloads != null ? downloads : rank != null && rank > 0 ? RANK_SCALE / rank : 0;

/**
 * Longest name searched: above every registry's maximum (npm 214), so only names that cannot exist
 * are left out, and every search stays bounded (some steps grow with the square of the length).
 */
export const MAX_SEARCH_LENGTH = 256;

export interface ScopeParts {
  scope: string;
  bare: string;
}

/**
 * Keeps the tables built from a popular list between runs (building them is most of the cost of
 * starting): `key` names what they were built from. A block that is missing, cut or damaged is
 * built again, so a failing store only costs time.
 */
export interface IndexStore {
  load(key: string): Uint32Array | undefined;
  save(key: string, data: Uint32Array): void;
}


/** The given list, read once: its names and figures by position. */
interface Input {
  names: string[];
  downloads: Array<number | null>;
  ranks: Array<number | null>;
  weights: Float64Array;
}

function readInput(popular: readonly PopularEntry[]): Input {
  const input: Input = { names: new Array(popular.length), downloads: new Array(popular.length), ranks: new Array(popular.length), weights: new Float64Array(popular.length) };
  for (let i = 0; i < popular.length; i++) {
    const e = popular[i]!;
    input.names[i] = e.name;
    input.downloads[i] = e.downloads ?? null;
    input.ranks[i] = e.rank ?? null;
    input.weights[i] = weightOf(e.downloads, e.rank);
  }
  return input;
}

const isKeyed = (popular: PopularList): popular is KeyedPopularList => !Array.isArray(popular);

/**
 * Names what the tables are built from (a keyed list's key, or the names and their weights; the
 * options that shape them): a stored block is used only for that.
 */
function storeKey(list: KeyedPopularList | Input, options: Required<NameIntelOptions>): string {
  const hash = createHash("sha256").update(`v5\u0000${JSON.stringify(options.languageAffixes)}\u0000${options.scoped}\u0000${options.foldSeparators}\u0000`);
  if ("key" in list) return hash.update(`keyed\u0000${list.key}`).digest("hex").slice(0, 32);
  return hash.update(`entries\u0000${list.names.length}\u0000`).update(list.names.join("\n")).update(list.weights).digest("hex").slice(0, 32);
}

/** Ids found by a search, reused from call to call (read them before the next search). */
export class IdList {
  ids: Uint32Array = new Uint32Array(64);
  /** The edit kind of each id (candidates only). */
  readonly kinds: string[] = [];
  length = 0;

  push(id: number, kind = ""): void {
    if (this.length === this.ids.length) this.ids = growTo(this.ids, 2 * this.length);
    this.kinds[this.length] = kind;
    this.ids[this.length++] = id;
  }
}

/** Printable ASCII with no upper case, "_", "." or "--": what PEP 503 folding leaves as it is. */
function isFolded(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c <= 32 || c >= 127 || (c >= 65 && c <= 90) || c === 95 || c === 46 || (c === 45 && name.charCodeAt(i - 1) === 45)) return false;
  }
  return true;
}

/**
 * What the constructor builds, or loads as a previous run stored it for the very same list: all it
 * needs, so that a stored list is not read. The deletion index (most of the bytes) is stored in a
 * block of its own, read at the first search that needs it: a popular name needs none.
 */
interface Tables {
  /** Stored: decoded at the first use that needs them as strings (a popular name is recognised without). */
  names: string[] | StoredStrings;
  /** By id: the popularity, and the figures of the list (NaN for none). */
  weights: Float64Array;
  downloads: Float64Array;
  ranks: Float64Array;
  byName: HashIndex;
  /** Set when built with the rest. */
  deletions?: HashIndex;
  loose: HashIndex;
  affixCore: HashIndex;
}

/** Tables as the constructor builds them. */
type Built = Tables & { names: string[]; deletions: HashIndex };

/** The tables as a block's sections, the block's key first (a block copied under another key is not used). */
function tableSections(t: Built, key: string): Uint32Array[] {
  const indexes = [t.byName, t.loose, t.affixCore].flatMap((index) => index.sections());
  const figures = [t.weights, t.downloads, t.ranks].map(floatsSection);
  return [stringsSection([key]), Uint32Array.of(t.names.length), ...figures, ...indexes, stringsSection(t.names), StoredStrings.startsOf(t.names)];
}

/** The tables in a stored block, or undefined when it is not one saved under `key`, or is damaged. */
function readTables(data: Uint32Array, key: string): Tables | undefined {
  const s = Sections.of(data);
  if (!s || readStrings(s.next(), 1)?.[0] !== key) return undefined;
  const meta = s.next();
  if (meta?.length !== 1) return undefined;
  const n = meta[0]!;
  const weights = readFloats(s.next(), n);
  const downloads = readFloats(s.next(), n);
  const ranks = readFloats(s.next(), n);
  const byName = HashIndex.read(s);
  const loose = HashIndex.read(s);
  const affixCore = HashIndex.read(s);
  if (!weights || !downloads || !ranks || !byName || !loose || !affixCore) return undefined;
  const names = StoredStrings.read(s.next(), s.next(), n);
  return names && { names, weights, downloads, ranks, byName, loose, affixCore };
}

/** The deletion index's block under the key `<key>-deletions`: it names the tables' key too. */
const deletionsKey = (key: string) => `${key}-deletions`;

const deletionsBlock = (index: HashIndex, key: string): Uint32Array => packBlock([stringsSection([key]), ...index.sections()]);

function readDeletions(data: Uint32Array, key: string): HashIndex | undefined {
  const s = Sections.of(data);
  return s && readStrings(s.next(), 1)?.[0] === key ? HashIndex.read(s) : undefined;
}

/** The deletion neighbourhood of the names: (hash * 2^21 + id) packed exactly in a float array, sorted natively, then split. */
function buildDeletions(names: readonly string[]): HashIndex {
  const packed = new Float64Array(names.reduce((sum, name) => sum + name.length + 1, 0));
  let k = 0;
  for (let id = 0; id < names.length; id++) {
    const name = names[id]!;
    const hashes = deletionHashes(name);
    packed[k++] = hashes[name.length]! * ID_LIMIT + id;
    for (let i = 0; i < name.length; i++) {
      if (i > 0 && name[i] === name[i - 1]) continue; // same string as deleting i-1
      packed[k++] = hashes[i]! * ID_LIMIT + id;
    }
  }
  return HashIndex.build(packed, k);
}

/** One ecosystem's popular names and the lookups every search reads. */
export class NameTable {
  /** Popularity by id (ids run most popular first): downloads, or an estimate from the rank. */
  readonly weights: Float64Array;
  readonly options: Required<NameIntelOptions>;
  /** The language affixes, prefixes first. */
  readonly affixes: ReadonlyArray<{ text: string; prefix: boolean; minCore: number }>;
  /** Hash of the separator-, case- and look-alike-folded key -> ids. */
  readonly loose: HashIndex;
  /** Hash of a name without its language affix -> ids ("dateutil" -> python-dateutil). */
  readonly affixCore: HashIndex;
  /** Where the tables of this list are kept between runs, and their key (the suggester's keys start with it). */
  readonly store: IndexStore | undefined;
  readonly storeKey: string;
  /** The figures of the list by id (NaN for none). */
  private readonly downloads: Float64Array;
  private readonly ranks: Float64Array;
  /** Hash of each name -> its id. */
  private readonly byName: HashIndex;
  /** The names as stored, until `names` decodes them (or as built). */
  private readonly stored: StoredStrings | undefined;
  private decoded: string[] | undefined;
  private readonly count: number;
  /** Hashes of every name and of every name with one character deleted -> the ids they came from (see `deletions`). */
  private deletionIndex: HashIndex | undefined;
  private readonly stamp: Uint32Array;
  private generation = 0;
  private readonly neighbours = new IdList();
  /** Work space of deletionNeighbours: deletion hashes, the hashes to look up, those that passed the filter. */
  private hashes: Uint32Array = new Uint32Array(64);
  private probes: Uint32Array = new Uint32Array(64);
  private passed: Uint32Array = new Uint32Array(64);
  private lastQuery = "";
  private lastQueryHash = hashString("");

  constructor(popular: PopularList, options: NameIntelOptions, store?: IndexStore) {
    this.options = {
      scoped: options.scoped,
      foldSeparators: options.foldSeparators,
      languageAffixes: options.languageAffixes ?? { prefixes: [], suffixes: [] },
      genericPrefixes: options.genericPrefixes ?? GENERIC_PREFIX_WORDS,
      genericSuffixes: options.genericSuffixes ?? GENERIC_SUFFIX_WORDS,
      minRatio: options.minRatio ?? 100,
      minEditLength: options.minEditLength ?? 5,
      affixTargets: options.affixTargets ?? 1000,
      aliases: options.aliases ?? [],
    };
    const { prefixes, suffixes } = this.options.languageAffixes;
    this.affixes = [
      ...prefixes.map((text) => ({ text, prefix: true, minCore: minCoreLength(text) })),
      ...suffixes.map((text) => ({ text, prefix: false, minCore: minCoreLength(text) })),
    ];
    // A keyed list is read only when its tables are built.
    const input = isKeyed(popular) ? undefined : readInput(popular);
    this.store = store;
    this.storeKey = store ? storeKey(isKeyed(popular) ? popular : input!, this.options) : "";
    const saved = store?.load(this.storeKey);
    const loaded = saved && readTables(saved, this.storeKey);
    let tables: Tables;
    if (loaded) {
      tables = loaded;
    } else {
      const built = this.buildTables(input ?? readInput((popular as KeyedPopularList).entries()));
      store?.save(this.storeKey, packBlock(tableSections(built, this.storeKey)));
      store?.save(deletionsKey(this.storeKey), deletionsBlock(built.deletions, this.storeKey));
      tables = built;
    }
    if (tables.names instanceof StoredStrings) this.stored = tables.names;
    else this.decoded = tables.names;
    this.count = tables.names instanceof StoredStrings ? tables.names.count : tables.names.length;
    ({ weights: this.weights, downloads: this.downloads, ranks: this.ranks } = tables);
    ({ byName: this.byName, loose: this.loose, affixCore: this.affixCore } = tables);
    this.deletionIndex = tables.deletions;
    this.stamp = new Uint32Array(this.count);
  }

  /** Canonical names by id, most popular first. */
  get names(): string[] {
    this.decoded ??= this.stored!.decode();
    return this.decoded;
  }

  /** Whether popular name `id` is `name`: from the stored bytes while the names are not decoded. */
  private nameIs(id: number, name: string): boolean {
    const same = this.decoded ? undefined : this.stored!.isAscii(id, name);
    return same ?? this.names[id] === name;
  }

  /** The deletion index: built with the tables, else read from its block at the first use (built again if that is missing or damaged). */
  private get deletions(): HashIndex {
    if (!this.deletionIndex) {
      const key = deletionsKey(this.storeKey);
      const saved = this.store?.load(key);
      const loaded = saved && readDeletions(saved, this.storeKey);
      this.deletionIndex = loaded || buildDeletions(this.names);
      if (!loaded) this.store?.save(key, deletionsBlock(this.deletionIndex, this.storeKey));
    }
    return this.deletionIndex;
  }

  /** Orders the list (most popular first, duplicates keeping their best figure) and indexes it. */
  private buildTables(input: Input): Built {
    const canonical = new Array<string>(input.names.length);
    const weight = input.weights;
    const best = new Map<string, number>();
    for (let i = 0; i < input.names.length; i++) {
      const name = this.canonical(input.names[i]!);
      if (!name) continue;
      canonical[i] = name;
      const prev = best.get(name);
      if (prev === undefined || weight[i]! > weight[prev]!) best.set(name, i);
    }
    const sorted = [...best.values()].sort((a, b) => weight[b]! - weight[a]! || (canonical[a]! < canonical[b]! ? -1 : 1));
    const n = sorted.length;
    if (n >= ID_LIMIT) throw new RangeError(`a popular list holds at most ${ID_LIMIT - 1} names (got ${n})`);
    const names = sorted.map((i) => canonical[i]!);
    const byKey = (keyOf: (name: string) => number) => {
      const pairs = new Float64Array(n);
      for (let id = 0; id < n; id++) pairs[id] = keyOf(names[id]!) * ID_LIMIT + id;
      return HashIndex.build(pairs, n);
    };
    const cores = new Float64Array(n * this.affixes.length);
    let k = 0;
    for (let id = 0; id < n; id++) for (const key of this.affixKeys(names[id]!)) cores[k++] = hashString(key) * ID_LIMIT + id;
    const affixCore = HashIndex.build(cores, k);
    const [weights, downloads, ranks] = [new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    for (let id = 0; id < n; id++) {
      const i = sorted[id]!;
      weights[id] = weight[i]!;
      downloads[id] = input.downloads[i] ?? Number.NaN;
      ranks[id] = input.ranks[i] ?? Number.NaN;
    }
    return { names, weights, downloads, ranks, byName: byKey(hashString), deletions: buildDeletions(names), loose: byKey(looseKeyHash), affixCore };
  }

  get size(): number {
    return this.count;
  }

  /** Length of the scope ("@babel" in "@babel/core"), 0 for none. */
  scopeLength(name: string): number {
    if (!this.options.scoped || name.charCodeAt(0) !== 64) return 0;
    const slash = name.indexOf("/");
    return slash > 1 ? slash : 0;
  }

  split(name: string): ScopeParts {
    const scope = this.scopeLength(name);
    return scope ? { scope: name.slice(0, scope), bare: name.slice(scope + 1) } : { scope: "", bare: name };
  }

  /** The bare name (no scope) without one language affix: "python-dateutil" -> "dateutil", "reactjs" -> "react". */
  affixCores(name: string): string[] {
    const out: string[] = [];
    const scope = this.scopeLength(name);
    for (let a = 0; a < this.affixes.length; a++) {
      const core = this.coreOf(name, scope ? scope + 1 : 0, a);
      if (core !== undefined) out.push(core);
    }
    return out;
  }

  /** The bare name (s from `start` on) without affix `a`, if it carries it; slices only then. */
  coreOf(s: string, start: number, a: number): string | undefined {
    const { text, prefix, minCore } = this.affixes[a]!;
    const coreLength = s.length - start - text.length;
    if (coreLength < minCore) return undefined;
    if (prefix) return s.startsWith(text, start) && !isSeparator(s[start + text.length]) ? s.slice(start + text.length) : undefined;
    return s.endsWith(text) && !isSeparator(s[s.length - text.length - 1]) ? s.slice(start, s.length - text.length) : undefined;
  }

  /** Whether `key` ("scope/core" or "core") is one of the affix cores of popular name `id`. */
  hasAffixCore(id: number, key: string): boolean {
    return this.affixKeys(this.names[id]!).includes(key);
  }

  /** The affix cores with the scope kept: "@s/react-js" -> "@s/react". */
  private affixKeys(name: string): string[] {
    const scope = this.scopeLength(name);
    return this.affixCores(name).map((core) => (scope ? name.slice(0, scope + 1) + core : core));
  }

  /** Names arrive canonical; folding again is cheap insurance against "Foo_Bar" on a folding registry. */
  canonical(name: string): string {
    if (!this.options.foldSeparators) return name.trim();
    return isFolded(name) ? name : name.trim().toLowerCase().replace(/[-_.]+/g, "-");
  }

  /** The id of a canonical popular name, or -1. */
  idOf(name: string, h = hashString(name)): number {
    const { keys, ids } = this.byName;
    for (let i = this.byName.first(h); i >= 0 && keys[i] === h; i++) if (this.nameIs(ids[i]!, name)) return ids[i]!;
    return -1;
  }

  /** hashString(name), remembered for the last name: the engine asks isPopular, suspicious and typosquat about a name in a row. */
  hashOf(name: string): number {
    if (name !== this.lastQuery) {
      this.lastQuery = name;
      this.lastQueryHash = hashString(name);
    }
    return this.lastQueryHash;
  }

  /** Whether canonical `name` is one of the popular names. */
  has(name: string): boolean {
    return this.idOf(name, this.hashOf(name)) >= 0;
  }

  entryMatch(id: number, edit: string): TyposquatMatch {
    const figure = (value: number) => (Number.isNaN(value) ? null : value);
    return { target: this.names[id]!, edit, targetDownloads: figure(this.downloads[id]!), targetRank: figure(this.ranks[id]!) };
  }

  /**
   * Ids whose name is the query or one of its deletions away, symmetric-delete style (may include
   * others: verify). The list is reused by the next search.
   */
  deletionNeighbours(name: string, maxQueryDeletes = 1): IdList {
    const out = this.neighbours;
    out.length = 0;
    const gen = this.nextGeneration();
    const n = name.length;
    // The hashes to look up: the name's, each deletion's, and (two deletions) each deletion's deletions.
    const most = maxQueryDeletes > 1 ? (n + 1) * (n + 1) : n + 1;
    if (this.probes.length < most) {
      this.probes = new Uint32Array(2 * most);
      this.passed = new Uint32Array(2 * most);
    }
    if (this.hashes.length <= n) this.hashes = new Uint32Array(2 * n + 2);
    const probes = this.probes;
    const hashes = deletionHashes(name, this.hashes);
    let m = 0;
    probes[m++] = hashes[n]!;
    for (let i = 0; i < n; i++) {
      if (i > 0 && name.charCodeAt(i) === name.charCodeAt(i - 1)) continue; // same string as deleting i-1
      probes[m++] = hashes[i]!;
      // And i with each later j (a j after a repeat of its letter makes the same string).
      if (maxQueryDeletes > 1) {
        for (let j = i + 1; j < n; j++) if (j === i + 1 || name.charCodeAt(j) !== name.charCodeAt(j - 1)) probes[m++] = pairDeletionHash(i, j, n);
      }
    }
    // The filter is read for every hash first, with no search in between, so that the CPU overlaps
    // these memory reads (they are most of the cost); then only the hashes that pass are searched.
    const passed = this.passed;
    const filter = this.deletions.filter;
    let count = 0;
    for (let k = 0; k < m; k++) {
      passed[count] = k;
      count += filter.has(probes[k]!) ? 1 : 0;
    }
    for (let j = 0; j < count; j++) this.collect(this.deletions.search(probes[passed[j]!]!), gen);
    return out;
  }

  /** Adds the ids from pair `from` on of the deletion index (one hash's) that this search has not met yet. */
  private collect(from: number, gen: number): void {
    const { keys, ids } = this.deletions;
    for (let i = from; i >= 0 && keys[i] === keys[from]; i++) {
      const id = ids[i]!;
      if (this.stamp[id] !== gen) {
        this.stamp[id] = gen;
        this.neighbours.push(id);
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

}

function growTo(a: Uint32Array, length: number): Uint32Array {
  const grown = new Uint32Array(length);
  grown.set(a);
  return grown;
}

function minCoreLength(affix: string): number {
  return isSeparator(affix[0]) || isSeparator(affix[affix.length - 1]) ? 3 : 4;
}
