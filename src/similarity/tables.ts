// Lookup tables in typed arrays: built once per popular list, kept on disk as one block of words
// and used from it as they are (no parsing, no maps to fill).
import { crc32 } from "node:zlib";
import { hashString } from "./edits.ts";

/** 2^21: a 32-bit hash times this plus an id stays below 2^53, exact in a double. */
export const ID_LIMIT = 2_097_152;

/**
 * Sorted (hash, id) pairs and where each top-bits prefix of the hash starts: the ids of a hash
 * are found in one small bucket. A filter in front answers most absent hashes from a table small
 * enough to stay in cache. Hashes may collide: callers verify what the ids stand for.
 */
export class HashIndex {
  readonly keys: Uint32Array;
  readonly ids: Uint32Array;
  private readonly buckets: Uint32Array;
  private readonly shift: number;
  readonly filter: HashFilter;

  constructor(keys: Uint32Array, ids: Uint32Array, buckets: Uint32Array, filter: HashFilter) {
    this.keys = keys;
    this.ids = ids;
    this.buckets = buckets;
    this.shift = 32 - Math.log2(buckets.length - 1);
    this.filter = filter;
  }

  /**
   * An index of `packed[0..count)`, each hash * ID_LIMIT + id (sorted here, in place; repeated
   * pairs kept once), with about one bucket per pair.
   */
  static build(packed: Float64Array, count: number): HashIndex {
    const used = packed.subarray(0, count).sort();
    let k = 0;
    for (let i = 0; i < count; i++) if (i === 0 || used[i] !== used[i - 1]) used[k++] = used[i]!;
    const bits = Math.max(1, Math.min(16, Math.floor(Math.log2(Math.max(k, 2)))));
    const keys = new Uint32Array(k);
    const ids = new Uint32Array(k);
    const buckets = new Uint32Array(2 ** bits + 1);
    const filter = HashFilter.forCount(k);
    for (let i = 0; i < k; i++) {
      const v = used[i]!;
      const key = Math.floor(v / ID_LIMIT);
      keys[i] = key;
      ids[i] = v - key * ID_LIMIT;
      buckets[(key >>> (32 - bits)) + 1]!++;
      filter.add(key);
    }
    for (let b = 0; b < 2 ** bits; b++) buckets[b + 1]! += buckets[b]!;
    return new HashIndex(keys, ids, buckets, filter);
  }

  /** Where the pairs with hash `h` start in keys/ids (they run while keys[i] === h), or -1. */
  first(h: number): number {
    return this.filter.has(h) ? this.search(h) : -1;
  }

  /** first() for a hash that passed the filter already. */
  search(h: number): number {
    const keys = this.keys;
    let lo = this.buckets[h >>> this.shift]!;
    let hi = this.buckets[(h >>> this.shift) + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keys[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return lo < keys.length && keys[lo] === h ? lo : -1;
  }

  sections(): Uint32Array[] {
    return [this.keys, this.ids, this.buckets, this.filter.words];
  }

  static read(s: Sections): HashIndex | undefined {
    const keys = s.next();
    const ids = s.next();
    const buckets = s.next();
    const filter = HashFilter.read(s);
    if (!keys || !ids || !buckets || !filter || ids.length !== keys.length || buckets[buckets.length - 1] !== keys.length) return undefined;
    const bits = Math.log2(buckets.length - 1);
    return Number.isInteger(bits) && bits >= 1 && bits <= 16 ? new HashIndex(keys, ids, buckets, filter) : undefined;
  }
}

/**
 * A Bloom filter whose three bits for a hash lie in one 32-bit word (one memory access): it answers
 * most absent hashes without touching the larger index. Its size is a power of two.
 */
export class HashFilter {
  readonly words: Uint32Array;
  private readonly shift: number;

  constructor(words: Uint32Array) {
    this.words = words;
    this.shift = 32 - Math.log2(words.length);
  }

  /** 8 to 16 bits per hash: a few percent false positives. */
  static forCount(count: number): HashFilter {
    return new HashFilter(new Uint32Array(2 ** Math.max(5, Math.min(20, Math.ceil(Math.log2(count / 4))))));
  }

  static read(s: Sections): HashFilter | undefined {
    const words = s.next();
    return words && words.length >= 32 && Number.isInteger(Math.log2(words.length)) ? new HashFilter(words) : undefined;
  }

  add(h: number): void {
    this.words[h >>> this.shift]! |= mask(h);
  }

  has(h: number): boolean {
    const m = mask(h);
    return (this.words[h >>> this.shift]! & m) === m;
  }
}

/** The filter's bits within a word come from the low 15 bits; words are picked by the top bits. */
const mask = (h: number): number => (1 << (h & 31)) | (1 << ((h >>> 5) & 31)) | (1 << ((h >>> 10) & 31));

/** String keys -> lists of ids (or no ids: a set), found by hash and checked against the stored key. */
export class StringTable {
  private readonly index: HashIndex;
  /** Key e is units[keyStarts[e]..keyStarts[e + 1]). */
  private readonly keyStarts: Uint32Array;
  private readonly units: Uint16Array;
  /** The ids of key e are ids[idStarts[e]..idStarts[e + 1]). */
  readonly idStarts: Uint32Array;
  readonly ids: Uint32Array;
  private readonly unitWords: Uint32Array;

  private constructor(index: HashIndex, keyStarts: Uint32Array, unitWords: Uint32Array, idStarts: Uint32Array, ids: Uint32Array) {
    this.index = index;
    this.keyStarts = keyStarts;
    this.unitWords = unitWords;
    this.units = new Uint16Array(unitWords.buffer, unitWords.byteOffset, 2 * unitWords.length);
    this.idStarts = idStarts;
    this.ids = ids;
  }

  /** The table of a map (its lists as they are) or of a set. */
  static build(entries: ReadonlyMap<string, readonly number[]> | ReadonlySet<string>): StringTable {
    const keys = [...entries.keys()];
    const packed = new Float64Array(keys.length);
    const keyStarts = new Uint32Array(keys.length + 1);
    const idStarts = new Uint32Array(keys.length + 1);
    for (let e = 0; e < keys.length; e++) {
      const key = keys[e]!;
      packed[e] = hashString(key) * ID_LIMIT + e;
      keyStarts[e + 1] = keyStarts[e]! + key.length;
      idStarts[e + 1] = idStarts[e]! + (entries instanceof Map ? entries.get(key)!.length : 0);
    }
    const unitWords = new Uint32Array(Math.ceil(keyStarts[keys.length]! / 2));
    const units = new Uint16Array(unitWords.buffer);
    const ids = new Uint32Array(idStarts[keys.length]!);
    for (let e = 0; e < keys.length; e++) {
      const key = keys[e]!;
      for (let i = 0; i < key.length; i++) units[keyStarts[e]! + i] = key.charCodeAt(i);
      if (entries instanceof Map) ids.set(entries.get(key)!, idStarts[e]!);
    }
    return new StringTable(HashIndex.build(packed, keys.length), keyStarts, unitWords, idStarts, ids);
  }

  /** The entry whose key is s[start..end), or -1. */
  find(s: string, start = 0, end = s.length): number {
    return this.findHashed(hashString(s, start, end), s, start, end);
  }

  /** find() with the hash of s[start..end) known already. */
  findHashed(h: number, s: string, start: number, end: number): number {
    const { keys, ids } = this.index;
    for (let i = this.index.first(h); i >= 0 && keys[i] === h; i++) {
      const e = ids[i]!;
      const from = this.keyStarts[e]!;
      if (this.keyStarts[e + 1]! - from !== end - start) continue;
      let k = 0;
      while (k < end - start && this.units[from + k] === s.charCodeAt(start + k)) k++;
      if (k === end - start) return e;
    }
    return -1;
  }

  has(s: string, start = 0, end = s.length): boolean {
    return this.find(s, start, end) >= 0;
  }

  /** How many keys the table holds (entries run 0 to size - 1). */
  get size(): number {
    return this.keyStarts.length - 1;
  }

  /** The length of the key of entry e, and its code unit k. */
  keyLength(e: number): number {
    return this.keyStarts[e + 1]! - this.keyStarts[e]!;
  }

  keyUnit(e: number, k: number): number {
    return this.units[this.keyStarts[e]! + k]!;
  }

  sections(): Uint32Array[] {
    return [...this.index.sections(), this.keyStarts, this.unitWords, this.idStarts, this.ids];
  }

  static read(s: Sections): StringTable | undefined {
    const index = HashIndex.read(s);
    const keyStarts = s.next();
    const unitWords = s.next();
    const idStarts = s.next();
    const ids = s.next();
    if (!index || !keyStarts || !unitWords || !idStarts || !ids) return undefined;
    const count = keyStarts.length - 1;
    if (idStarts.length !== count + 1 || keyStarts[count]! > 2 * unitWords.length || idStarts[count] !== ids.length) return undefined;
    for (let i = 0; i < index.ids.length; i++) if (index.ids[i]! >= count) return undefined;
    return new StringTable(index, keyStarts, unitWords, idStarts, ids);
  }
}

/** Strings as one section: their UTF-8 byte length, then the bytes of their "\n"-joined text. */
export function stringsSection(strings: readonly string[]): Uint32Array {
  const bytes = new TextEncoder().encode(strings.join("\n"));
  const out = new Uint32Array(1 + Math.ceil(bytes.length / 4));
  out[0] = bytes.length;
  new Uint8Array(out.buffer, 4, bytes.length).set(bytes);
  return out;
}

/** The strings of a stringsSection, when there are `count` of them. */
export function readStrings(section: Uint32Array | undefined, count: number): string[] | undefined {
  const length = section?.[0];
  if (!section || length === undefined || length > 4 * (section.length - 1)) return undefined;
  if (count === 0) return length === 0 ? [] : undefined;
  const strings = new TextDecoder().decode(new Uint8Array(section.buffer, section.byteOffset + 4, length)).split("\n");
  return strings.length === count ? strings : undefined;
}

/**
 * The strings of a stringsSection kept as its UTF-8 bytes and where each starts (a section of
 * their own), decoded only when they are read as strings: whether one is a given ASCII string is
 * told from the bytes.
 */
export class StoredStrings {
  private readonly bytes: Uint8Array;
  /** String i is bytes[starts[i]..starts[i + 1] - 1). */
  private readonly starts: Uint32Array;

  private constructor(bytes: Uint8Array, starts: Uint32Array) {
    this.bytes = bytes;
    this.starts = starts;
  }

  /** The starts section of `strings`' stringsSection. */
  static startsOf(strings: readonly string[]): Uint32Array {
    const starts = new Uint32Array(strings.length + 1);
    for (let i = 0; i < strings.length; i++) starts[i + 1] = starts[i]! + Buffer.byteLength(strings[i]!) + 1;
    return starts;
  }

  /** The `count` strings of a stringsSection and its starts section, or undefined when they do not fit together. */
  static read(section: Uint32Array | undefined, starts: Uint32Array | undefined, count: number): StoredStrings | undefined {
    const length = section?.[0];
    if (!section || !starts || length === undefined || length > 4 * (section.length - 1) || starts.length !== count + 1) return undefined;
    // The starts in between are not checked one by one (that would cost what decoding does): the
    // block's checksum vouches for them, and wrong ones only misread names, out-of-range reads included.
    if (starts[0] !== 0 || starts[count] !== (count ? length + 1 : 0)) return undefined;
    return new StoredStrings(new Uint8Array(section.buffer, section.byteOffset + 4, length), starts);
  }

  get count(): number {
    return this.starts.length - 1;
  }

  /** Whether string i is `s`, or undefined when `s` is not ASCII (then only the decoded strings tell). */
  isAscii(i: number, s: string): boolean | undefined {
    const start = this.starts[i]!;
    let same = this.starts[i + 1]! - 1 - start === s.length;
    for (let k = 0; k < s.length; k++) {
      const c = s.charCodeAt(k);
      if (c > 127) return undefined;
      if (same && this.bytes[start + k] !== c) same = false;
    }
    return same;
  }

  decode(): string[] {
    const text = new TextDecoder().decode(this.bytes);
    const out = new Array<string>(this.count);
    // ASCII only (one byte a character): the byte offsets are the text's.
    const ascii = text.length === this.bytes.length;
    for (let i = 0; i < out.length; i++) {
      const [from, to] = [this.starts[i]!, this.starts[i + 1]! - 1];
      out[i] = ascii ? text.slice(from, to) : new TextDecoder().decode(this.bytes.subarray(from, to));
    }
    return out;
  }
}

/** Numbers as one section: the words of their doubles (the block is read back on the machine that wrote it). */
export function floatsSection(values: Float64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
}

/** The `count` numbers of a floatsSection, copied (a section need not sit on an 8-byte boundary). */
export function readFloats(section: Uint32Array | undefined, count: number): Float64Array | undefined {
  if (section?.length !== 2 * count) return undefined;
  const out = new Float64Array(count);
  new Uint32Array(out.buffer).set(section);
  return out;
}

const MAGIC = 0x424e4933; // "BNI3"

/** Sections as one block: magic, crc32 of the rest, section count, each section's length, then the sections. */
export function packBlock(sections: readonly Uint32Array[]): Uint32Array {
  const head = 3 + sections.length;
  const out = new Uint32Array(head + sections.reduce((sum, s) => sum + s.length, 0));
  out[0] = MAGIC;
  out[2] = sections.length;
  let at = head;
  sections.forEach((s, i) => {
    out[3 + i] = s.length;
    out.set(s, at);
    at += s.length;
  });
  out[1] = crc32(new Uint8Array(out.buffer, 8));
  return out;
}

/** Reads a block's sections in order (views into the block, no copies). */
export class Sections {
  private readonly data: Uint32Array;
  private at: number;
  private index = 0;

  private constructor(data: Uint32Array) {
    this.data = data;
    this.at = 3 + data[2]!;
  }

  /** The sections of a block from packBlock, or undefined when it is cut or damaged (then it is built again). */
  static of(data: Uint32Array): Sections | undefined {
    const count = data[2];
    if (count === undefined || data[0] !== MAGIC || data.length < 3 + count) return undefined;
    let words = 3 + count;
    for (let i = 0; i < count; i++) words += data[3 + i]!;
    if (words !== data.length) return undefined;
    if (crc32(new Uint8Array(data.buffer, data.byteOffset + 8, data.byteLength - 8)) !== data[1]) return undefined;
    return new Sections(data);
  }

  next(): Uint32Array | undefined {
    if (this.index >= this.data[2]!) return undefined;
    const length = this.data[3 + this.index++]!;
    const section = this.data.subarray(this.at, this.at + length);
    this.at += length;
    return section;
  }
}
