// The typosquat search: which popular name a name imitates by one slip (or an affix, or lost
// separators plus a slip), and whether it is popular enough next to the name to count as imitated.
import type { PackageFacts } from "../core/model.ts";
import type { TyposquatMatch } from "../core/signals.ts";
import { classifySingleEdit, deletionHashes, osaDistance, foldKey, hashString, isSeparator, looseKey, type SingleEdit } from "./edits.ts";
import { IdList, type NameTable, weightOf } from "./names.ts";
import { HashIndex, ID_LIMIT } from "./tables.ts";

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

/** Reads the name table for the typosquat edits; keeps the candidates of the last name asked (suggest() reads them too). */
export class TyposquatSearch {
  private readonly table: NameTable;
  private readonly found = new IdList();
  private twoEditShapes: Set<string> | undefined;
  /** Built at the first use (see addCompound), and its work space. */
  private compound: HashIndex | undefined;
  private compoundHashes: Uint32Array = new Uint32Array(64);
  /** Of each name the compound index holds: its separator-free key and how many separators it has. */
  private readonly compoundKeys: string[] = [];
  private readonly compoundSeparators = new Uint8Array(COMPOUND_TARGETS);
  /** The name `found` holds the candidates of (none: null). */
  private foundFor: string | null = null;

  constructor(table: NameTable) {
    this.table = table;
  }

  /**
   * Every popular name that `name` imitates by one of the typosquat edits, with the edit kind
   * (ids and kinds, in the order found). The list is reused by the next call.
   */
  candidates(name: string): IdList {
    const found = this.found;
    // typosquat() and then suggest() ask about the same name: the list is still the one it was.
    if (name === this.foundFor) return found;
    this.foundFor = name;
    found.length = 0;
    const scope = this.table.scopeLength(name);
    const bareStart = scope ? scope + 1 : 0;
    // Look-alikes, case and separators (including a scope written as a prefix: "babel-core" / "@babel/core").
    // The key once: the separators-and-edit search below reads it too (its hash is looseKeyHash's).
    const key = looseKey(name);
    const loose = hashString(key);
    for (let i = this.table.loose.first(loose); i >= 0 && this.table.loose.keys[i] === loose; i++) {
      const id = this.table.loose.ids[i]!;
      const target = this.table.names[id]!;
      if (target === name) continue;
      if (looseKey(target) === key) found.push(id, this.looseKind(name, target));
    }
    // One edit, insertion, deletion, substitution or transposition, for names long enough to tell.
    const near = this.table.deletionNeighbours(name);
    for (let j = 0; j < near.length; j++) {
      const id = near.ids[j]!;
      const target = this.table.names[id]!;
      const edit = classifySingleEdit(name, target);
      if (!edit) continue;
      const targetScope = this.table.scopeLength(target);
      // An edit in the scope keeps the whole name recognisable ("@bbel/core"); elsewhere the bare name counts.
      const inScope = edit.at <= targetScope - (edit.kind === "transposition" ? 1 : 0) || (targetScope > 0 && !scope);
      const length = inScope
        ? Math.min(name.length, target.length)
        : Math.min(name.length - bareStart, target.length - (targetScope ? targetScope + 1 : 0));
      if (this.plausibleSlip(name, target, edit, length)) found.push(id, inScope ? "scope" : edit.kind);
    }
    // Language affixes added, dropped or swapped ("react-js", "dateutil", "py-dateutil").
    for (let a = 0; a < this.table.affixes.length; a++) {
      const core = this.table.coreOf(name, bareStart, a);
      if (core === undefined) continue;
      const full = scope ? name.slice(0, bareStart) + core : core;
      const h = hashString(full);
      this.addAffixed(this.table.idOf(full, h));
      this.addAffixedCores(full, h);
      // And one slip in what is left ("expres-js" for express).
      this.addEdited(full);
    }
    this.addAffixedCores(name, this.table.hashOf(name));
    this.addCompound(name, key);
    this.addTwoEdits(name, scope);
    // A scope's bare name alone ("web" for @react-spring/web) or a scope added to a popular name
    // ("@lit-labs/router") are not counted: that is how most scoped packages are named.
    return found;
  }

  /** The popular names that are `key` plus a language affix. */
  private addAffixedCores(key: string, h: number): void {
    for (let i = this.table.affixCore.first(h); i >= 0 && this.table.affixCore.keys[i] === h; i++) {
      const id = this.table.affixCore.ids[i]!;
      if (this.table.hasAffixCore(id, key)) this.addAffixed(id);
    }
  }

  /**
   * The most popular names (two changes in one name imitate only those, as affix variants) that
   * `core`, a name less its language affix, is one plausible slip from.
   */
  private addEdited(core: string): void {
    const near = this.table.deletionNeighbours(core);
    for (let j = 0; j < near.length; j++) {
      const id = near.ids[j]!;
      if (id >= this.table.options.affixTargets) continue;
      const target = this.table.names[id]!;
      const edit = classifySingleEdit(core, target);
      if (edit && this.plausibleSlip(core, target, edit, Math.min(core.length, target.length))) this.found.push(id, "affix-and-edit");
    }
  }

  /**
   * The most popular names written with separators that `name` imitates by dropping some and
   * slipping once ("reactroutrdom" for react-router-dom): their separator-free keys are one edit apart.
   */
  private addCompound(name: string, key: string): void {
    if (key.length < COMPOUND_MIN_LENGTH) return;
    this.compound ??= this.buildCompound();
    const index = this.compound;
    if (this.compoundHashes.length <= key.length) this.compoundHashes = new Uint32Array(2 * key.length + 2);
    const hashes = deletionHashes(key, this.compoundHashes);
    const separators = separatorCount(name);
    for (let i = 0; i <= key.length; i++) {
      const h = hashes[i]!;
      for (let k = index.first(h); k >= 0 && index.keys[k] === h; k++) {
        const id = index.ids[k]!;
        if (separators >= this.compoundSeparators[id]!) continue;
        const edit = classifySingleEdit(key, this.compoundKeys[id]!);
        if (edit && !edit.digitsOnly) this.found.push(id, "separators-and-edit");
      }
    }
  }

  /** The most popular long unscoped names that long unscoped `name` is two slips from ("cozsmiconfnig" for cosmiconfig). */
  private addTwoEdits(name: string, scope: number): void {
    // A digit in the name makes another version, not slips: no neighbourhood to search.
    if (scope || name.length < TWO_EDITS_MIN_LENGTH || /\d/.test(name)) return;
    // Most names share their ends and length (within two) with no target: skip the costly neighbourhood.
    this.twoEditShapes ??= this.buildTwoEditShapes();
    const shapes = this.twoEditShapes;
    let shaped = false;
    for (let length = name.length - 2; length <= name.length + 2 && !shaped; length++) shaped = shapes.has(twoEditShape(name[0]!, name.at(-1)!, length));
    if (!shaped) return;
    const near = this.table.deletionNeighbours(name, 2);
    for (let j = 0; j < near.length; j++) {
      const id = near.ids[j]!;
      if (id >= TWO_EDITS_TARGETS) continue;
      const target = this.table.names[id]!;
      // Two slips inside a name keep its ends: a new first or last letter makes another word
      // ("can-promise", "csv-stream", "html-parser"), as a changed digit makes another version.
      if (target.length < TWO_EDITS_MIN_LENGTH || target.startsWith("@") || target[0] !== name[0] || target.at(-1) !== name.at(-1)) continue;
      if (osaDistance(name, target, 2) === 2 && !this.hasOtherWord(name, target)) this.found.push(id, "two-edits");
    }
  }

  /** First letter, last letter and length of every name two-edits matches may name. */
  private buildTwoEditShapes(): Set<string> {
    const shapes = new Set<string>();
    const most = Math.min(this.table.names.length, TWO_EDITS_TARGETS);
    for (let id = 0; id < most; id++) {
      const target = this.table.names[id]!;
      if (target.length >= TWO_EDITS_MIN_LENGTH && !target.startsWith("@")) shapes.add(twoEditShape(target[0]!, target.at(-1)!, target.length));
    }
    return shapes;
  }

  /** Whether `name` has a word of its own that is a popular name ("tail-stream" for tar-stream): another name, not slips. */
  private hasOtherWord(name: string, target: string): boolean {
    const words = target.split(/[-_.]/);
    for (const word of name.split(/[-_.]/)) if (word.length >= 3 && !words.includes(word) && this.table.idOf(word) >= 0) return true;
    return false;
  }

  /** Deletion hashes of the separator-free keys of the most popular names that have separators. */
  private buildCompound(): HashIndex {
    const most = Math.min(this.table.names.length, COMPOUND_TARGETS);
    let size = 0;
    for (let id = 0; id < most; id++) size += this.table.names[id]!.length + 1;
    const packed = new Float64Array(size);
    let k = 0;
    for (let id = 0; id < most; id++) {
      const name = this.table.names[id]!;
      this.compoundSeparators[id] = Math.min(255, separatorCount(name));
      if (!this.compoundSeparators[id]) continue;
      const key = looseKey(name);
      this.compoundKeys[id] = key;
      if (this.compoundHashes.length <= key.length) this.compoundHashes = new Uint32Array(2 * key.length + 2);
      const hashes = deletionHashes(key, this.compoundHashes);
      for (let i = 0; i <= key.length; i++) packed[k++] = hashes[i]! * ID_LIMIT + id;
    }
    return HashIndex.build(packed, k);
  }

  /** The name users install when `id` has a more popular numbered successor ("beautifulsoup" -> beautifulsoup4). */
  private installed(id: number): number {
    let best = id;
    const base = this.table.names[id]!;
    for (let d = 0; d <= 9; d++) {
      const other = this.table.idOf(base + d);
      if (other >= 0 && this.table.weights[other]! > this.table.weights[best]!) best = other;
    }
    return best;
  }

  /** Language-affix variants only imitate the most popular names. */
  private addAffixed(id: number): void {
    if (id >= 0 && id < this.table.options.affixTargets) this.found.push(id, "affix");
  }

  /**
   * Whether one edit between `name` and a popular `target` looks like a slip of the hand rather
   * than another word: short names need a typing-error shape, and an edit that yields another
   * popular word ("preact-redux" / "react-redux") is a different name.
   */
  private plausibleSlip(name: string, target: string, edit: SingleEdit, shortest: number): boolean {
    if (edit.digitsOnly) return false;
    const min = this.table.options.minEditLength;
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
    return word.length < 3 || word === tokenAt(target, edit.at) || this.table.idOf(word) < 0;
  }

  private looseKind(name: string, target: string): string {
    if (foldKey(name) !== foldKey(target)) return "homoglyph";
    const a = this.table.split(name);
    const b = this.table.split(target);
    if (a.scope !== b.scope) return "scope";
    return name.toLowerCase() === target.toLowerCase() ? "homoglyph" : "separator";
  }

  /** The popular name that canonical, unpopular `name` most probably imitates (see NameIntel.typosquat). */
  typosquat(name: string, facts: PackageFacts): TyposquatMatch | null {
    const own = weightOf(facts.downloadsLastMonth, facts.popularityRank);
    const floor = own * this.table.options.minRatio;
    // Only a scope's owners publish in it: a near name in the same scope is theirs, not an imitation.
    const scope = this.table.scopeLength(name);
    const found = this.candidates(name);
    let bestId = -1;
    let bestKind = "";
    let bestTwofold = false;
    for (let j = 0; j < found.length; j++) {
      const id = found.ids[j]!;
      const weight = this.table.weights[id]!;
      if (weight < floor || weight === 0) continue;
      if (scope && this.table.names[id]!.startsWith(name.slice(0, scope + 1))) continue;
      // A name one change away is what was imitated before any that takes two.
      const twofold = TWO_CHANGES.has(found.kinds[j]!);
      if (bestId < 0 || (twofold === bestTwofold ? weight > this.table.weights[bestId]! : !twofold)) {
        bestId = id;
        bestKind = found.kinds[j]!;
        bestTwofold = twofold;
      }
    }
    return bestId < 0 ? null : this.table.entryMatch(this.installed(bestId), bestKind);
  }
}

/** Edit kinds that combine two changes. */
const TWO_CHANGES = new Set(["affix-and-edit", "separators-and-edit", "two-edits"]);
const TWO_EDITS_MIN_LENGTH = 9;
const twoEditShape = (first: string, last: string, length: number) => `${first}${last}${length}`;
const TWO_EDITS_TARGETS = 1000;

/** Shortest separator-free key for separators-and-edit matches: two changes in a short name make another name. */
const COMPOUND_MIN_LENGTH = 8;
/**
 * How many of the most popular names separators-and-edit matches imitate (long names with separators
 * stay recognisable). 5,000 rather than 2,000: in the wild, half such squats aim below the top 2,000
 * ("karmachromelauncer"), at four more mid-tail false alarms in 59,419 (scripts/wild-typosquats.ts).
 */
const COMPOUND_TARGETS = 5000;


/** How many of "-", "_" and "." the name has. */
function separatorCount(name: string): number {
  let n = 0;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 45 || c === 95 || c === 46) n++;
  }
  return n;
}
