// Reads the offline index: one read (of a regular file), a checksum, then binary search over the file in place
// (through a small table of block heads once a section has seen a few lookups).
import { crc32 } from "node:zlib";
import type { PopularEntry } from "../../core/model.ts";
import { readRegularFile } from "../files.ts";
import {
  END_MAGIC,
  F_DOWNLOADS,
  F_MONTH,
  F_PUBLISHED,
  F_RANK,
  F_VERSION,
  FORMAT_VERSION,
  type IndexCoverage,
  IndexFormatError,
  type IndexHeader,
  intToMonth,
  MAGIC,
  PREAMBLE_BYTES,
  type SectionHeader,
  TRAILER_BYTES,
} from "./format.ts";

export interface IndexEntry {
  /** Canonical name. */
  name: string;
  /** The name as published, when it differs from the canonical one. */
  publishedName?: string;
  /** Latest version; null when the snapshot lists none. */
  latestVersion: string | null;
  downloads?: number;
  /** Rank among the most downloaded (1 = most); undefined when unranked or not recorded. */
  rank?: number;
  /** Month of the latest release (YYYY-MM). */
  lastReleaseMonth?: string;
}

export interface OfflineIndex {
  readonly path: string;
  ecosystems(): string[];
  coverage(ecosystem: string): IndexCoverage | undefined;
  /** Exact lookup by canonical name. */
  lookup(ecosystem: string, canonicalName: string): IndexEntry | undefined;
  /** Most popular first (by rank, else by downloads); empty when the snapshot has no popularity. */
  popular(ecosystem: string, limit?: number): PopularEntry[];
}

/** The varint at `pos` (as Section.varint, without moving a cursor). */
function varintAt(buf: Buffer, pos: number): number {
  let b = buf[pos]!;
  let v = b & 0x7f;
  let mul = 0x80;
  while (b >= 0x80) {
    b = buf[++pos]!;
    v += (b & 0x7f) * mul;
    mul *= 0x80;
  }
  return v;
}

/** Where the varint at `pos` ends. */
function varintEnd(buf: Buffer, pos: number): number {
  while (buf[pos++]! >= 0x80);
  return pos;
}

/** Skips an entry's fields (flags, then the ones the flags announce); returns where the next entry starts. */
function skipFields(buf: Buffer, pos: number): number {
  const flags = buf[pos++]!;
  if (flags & F_PUBLISHED) pos = varintEnd(buf, pos) + varintAt(buf, pos);
  if (flags & F_VERSION) pos = varintEnd(buf, pos);
  if (flags & F_DOWNLOADS) pos = varintEnd(buf, pos);
  if (flags & F_RANK) pos = varintEnd(buf, pos);
  if (flags & F_MONTH) pos = varintEnd(buf, pos);
  return pos;
}

/** Month strings by their number: few distinct ones, read for many entries. */
const MONTHS: string[] = [];

/** A decoding position; one per index, reused by every call (lookups are synchronous). */
interface Cursor {
  pos: number;
}

/** Per block: the words of its first name (HEAD_WORDS each, see words) and where it starts in the file. */
interface BlockTable {
  heads: Uint32Array;
  starts: Uint32Array;
  /** By a name's first two bytes: the first block whose head starts with them or later (65,537 entries). */
  guide: Uint32Array;
}

class Section {
  readonly h: SectionHeader;
  private readonly buf: Buffer;
  private readonly versionsAt: number;
  private readonly blocksAt: number;
  private readonly dataAt: number;
  private readonly popularAt: number;
  private readonly blockSize: number;
  private readonly versionCache: Array<string | undefined>;
  private readonly scratch: Buffer;
  private readonly c: Cursor = { pos: 0 };
  /** Built once the section has seen a few lookups (see buildTable). */
  private table: BlockTable | undefined;
  private lookups = 0;

  constructor(buf: Buffer, body: number, h: SectionHeader, blockSize: number) {
    this.buf = buf;
    this.h = h;
    this.blockSize = blockSize;
    this.versionsAt = body + h.versions.offset;
    this.blocksAt = body + h.blocks.offset;
    this.dataAt = body + h.data.offset;
    this.popularAt = body + h.popular.offset;
    this.versionCache = new Array(h.versions.count);
    this.scratch = Buffer.alloc(h.maxNameBytes);
  }

  private varint(): number {
    const buf = this.buf;
    let pos = this.c.pos;
    let b = buf[pos++]!;
    let v = b & 0x7f;
    let mul = 0x80;
    while (b >= 0x80) {
      b = buf[pos++]!;
      v += (b & 0x7f) * mul;
      mul *= 0x80;
    }
    this.c.pos = pos;
    return v;
  }

  private blockStart(i: number): number {
    return this.dataAt + this.buf.readUInt32LE(this.blocksAt + 4 * i);
  }

  private version(id: number): string {
    let v = this.versionCache[id];
    if (v === undefined) {
      const at = this.versionsAt + 4 * id;
      const start = this.buf.readUInt32LE(at);
      const end = this.buf.readUInt32LE(at + 4);
      const strings = this.versionsAt + 4 * (this.h.versions.count + 1);
      v = this.buf.toString("utf8", strings + start, strings + end);
      this.versionCache[id] = v;
    }
    return v;
  }

  /** Reads the name at the cursor into scratch (front-coded unless it opens a block); returns its length. */
  private readName(first: boolean, prevLength: number): number {
    const shared = first ? 0 : this.varint();
    const suffix = this.varint();
    const len = shared + suffix;
    if (shared > prevLength || len > this.scratch.length) throw new Error("corrupt name entry");
    this.buf.copy(this.scratch, shared, this.c.pos, this.c.pos + suffix);
    this.c.pos += suffix;
    return len;
  }

  private readFields(name: string): IndexEntry {
    const flags = this.buf[this.c.pos++]!;
    const entry: IndexEntry = { name, latestVersion: null };
    if (flags & F_PUBLISHED) {
      const n = this.varint();
      entry.publishedName = this.buf.toString("utf8", this.c.pos, this.c.pos + n);
      this.c.pos += n;
    }
    if (flags & F_VERSION) entry.latestVersion = this.version(this.varint());
    if (flags & F_DOWNLOADS) entry.downloads = this.varint();
    if (flags & F_RANK) entry.rank = this.varint();
    if (flags & F_MONTH) {
      const month = this.varint();
      entry.lastReleaseMonth = MONTHS[month] ??= intToMonth(month);
    }
    return entry;
  }

  /** Compares the `len` bytes at `at` with key[0..keyLen): <0, 0 or >0 like (stored - key). */
  private compareAt(at: number, len: number, key: Uint8Array, keyLen: number): number {
    const buf = this.buf;
    const n = Math.min(len, keyLen);
    for (let i = 0; i < n; i++) {
      const d = buf[at + i]! - key[i]!;
      if (d !== 0) return d;
    }
    return len - keyLen;
  }

  /**
   * Most binary-search steps compare the heads' words in one small array instead of reaching into
   * the file (a cache miss each); only an equal prefix reads the name itself.
   */
  private buildTable(): BlockTable {
    const heads = new Uint32Array(HEAD_WORDS * this.h.blocks.count);
    const starts = new Uint32Array(this.h.blocks.count);
    for (let i = 0; i < this.h.blocks.count; i++) {
      const at = this.blockStart(i);
      starts[i] = at;
      words(this.buf, varintEnd(this.buf, at), varintAt(this.buf, at), heads, HEAD_WORDS * i);
    }
    // The search for a key then starts among the blocks that share its first two bytes.
    const guide = new Uint32Array(65_537);
    let block = 0;
    for (let prefix = 0; prefix <= 65_536; prefix++) {
      while (block < this.h.blocks.count && heads[HEAD_WORDS * block]! >>> 16 < prefix) block++;
      guide[prefix] = block;
    }
    return { heads, starts, guide };
  }

  /** The last block whose first name sorts at or before the key, by the table; -1 when none. */
  private findBlock(table: BlockTable, key: Uint8Array, keyLen: number): number {
    const { heads, starts, guide } = table;
    words(key, 0, keyLen, keyWords, 0);
    const prefix = keyWords[0]! >>> 16;
    // Blocks before `lo` start with smaller bytes (they sort before the key), blocks after `hi` with larger.
    let lo = guide[prefix]!;
    let hi = guide[prefix + 1]! - 1;
    let block = lo - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = HEAD_WORDS * mid;
      let w = 0;
      while (w < HEAD_WORDS && heads[at + w] === keyWords[w]) w++;
      let headFirst: boolean; // whether the block's first name sorts at or before the key
      if (w < HEAD_WORDS) headFirst = heads[at + w]! < keyWords[w]!;
      else {
        this.c.pos = starts[mid]!;
        const len = this.varint();
        headFirst = this.compareAt(this.c.pos, len, key, keyLen) <= 0;
      }
      if (headFirst) {
        block = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return block;
  }

  /** findBlock reading each head in the file: no table to build, for the first few lookups. */
  private findBlockInFile(key: Uint8Array, keyLen: number): number {
    let lo = 0;
    let hi = this.h.blocks.count - 1;
    let block = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      this.c.pos = this.blockStart(mid);
      const len = this.varint();
      if (this.compareAt(this.c.pos, len, key, keyLen) <= 0) {
        block = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return block;
  }

  /**
   * Exact search. Within a block, `m` is how many leading bytes the previous name shares with the
   * key (that name sorts before the key); front coding then tells most entries apart without reading them.
   */
  lookup(key: Uint8Array, keyLen: number, name: string): IndexEntry | undefined {
    const buf = this.buf;
    if (!this.table && ++this.lookups > LOOKUPS_BEFORE_TABLE) this.table = this.buildTable();
    const table = this.table;
    const block = table ? this.findBlock(table, key, keyLen) : this.findBlockInFile(key, keyLen);
    if (block < 0) return undefined;
    // The scan keeps its position in a local, not in the shared cursor: this loop is the hot path.
    let pos = table ? table.starts[block]! : this.blockStart(block);
    const count = Math.min(this.blockSize, this.h.entries - block * this.blockSize);
    let m = 0;
    for (let i = 0; i < count; i++) {
      let shared = 0;
      if (i > 0) {
        shared = varintAt(buf, pos);
        pos = varintEnd(buf, pos);
      }
      const suffix = varintAt(buf, pos);
      pos = varintEnd(buf, pos);
      if (shared < m) return undefined; // diverges before the key does, upwards
      if (shared === m) {
        let j = 0;
        while (j < suffix && m + j < keyLen && buf[pos + j] === key[m + j]) j++;
        if (j === suffix && m + j === keyLen) {
          this.c.pos = pos + suffix;
          return this.readFields(name);
        }
        // Greater when the name still has bytes and either the key ended or the byte is larger.
        if (j < suffix && (m + j === keyLen || buf[pos + j]! > key[m + j]!)) return undefined;
        m += j;
      }
      pos = skipFields(buf, pos + suffix);
    }
    return undefined;
  }

  /** The entry with this ordinal (position in name order). */
  entryAt(ordinal: number): IndexEntry {
    const block = Math.floor(ordinal / this.blockSize);
    this.c.pos = this.blockStart(block);
    let len = 0;
    for (let i = block * this.blockSize; ; i++) {
      len = this.readName(i === block * this.blockSize, len);
      if (i === ordinal) return this.readFields(this.scratch.toString("utf8", 0, len));
      this.c.pos = skipFields(this.buf, this.c.pos);
    }
  }

  popular(limit: number): PopularEntry[] {
    const n = Math.min(limit, this.h.popular.count);
    const out: PopularEntry[] = [];
    for (let i = 0; i < n; i++) {
      const e = this.entryAt(this.buf.readUInt32LE(this.popularAt + 4 * i));
      const p: PopularEntry = { name: e.name };
      if (this.h.popular.by === "rank") p.rank = e.rank ?? null;
      else p.downloads = e.downloads ?? null;
      out.push(p);
    }
    return out;
  }
}

function parseHeader(path: string, buf: Buffer): { header: IndexHeader; body: number } {
  const bad = (problem: string) => new IndexFormatError(path, problem);
  if (buf.length < PREAMBLE_BYTES + TRAILER_BYTES || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw bad("not an offline index file");
  }
  if (!buf.subarray(buf.length - END_MAGIC.length).equals(END_MAGIC)) throw bad("the file is truncated");
  const version = buf.readUInt32LE(MAGIC.length);
  if (version !== FORMAT_VERSION) throw bad(`format version ${version}, this Bouncer reads version ${FORMAT_VERSION}`);
  const payload = buf.length - TRAILER_BYTES;
  if (crc32(buf.subarray(0, payload)) !== buf.readUInt32LE(payload)) throw bad("checksum mismatch (the file is damaged)");
  const headerLength = buf.readUInt32LE(MAGIC.length + 4);
  const body = PREAMBLE_BYTES + headerLength;
  if (body > payload) throw bad("header runs past the end of the file");
  let header: IndexHeader;
  try {
    header = JSON.parse(buf.toString("utf8", PREAMBLE_BYTES, body)) as IndexHeader;
  } catch {
    throw bad("unreadable header");
  }
  const size = payload - body;
  const inside = (offset: unknown, length: number) =>
    Number.isSafeInteger(offset) && (offset as number) >= 0 && (offset as number) + length <= size;
  if (!Array.isArray(header?.sections) || !Number.isSafeInteger(header.blockSize) || header.blockSize < 1) {
    throw bad("malformed header");
  }
  for (const s of header.sections) {
    const ok =
      typeof s?.ecosystem === "string" &&
      typeof s.coverage?.complete === "boolean" &&
      Number.isSafeInteger(s.entries) &&
      Number.isSafeInteger(s.maxNameBytes) &&
      s.blocks?.count === Math.ceil(s.entries / header.blockSize) &&
      inside(s.versions?.offset, 4 * (s.versions.count + 1)) &&
      inside(s.blocks.offset, 4 * s.blocks.count) &&
      inside(s.data?.offset, s.data.length) &&
      inside(s.popular?.offset, 4 * s.popular.count);
    if (!ok) throw bad(`malformed header for ${String(s?.ecosystem)}`);
  }
  return { header, body };
}

/** Lookups in a section before its block table is built: a few cost less without it. */
const LOOKUPS_BEFORE_TABLE = 500;

/** How many 4-byte words of each block's first name the binary search keeps at hand (16 bytes). */
const HEAD_WORDS = 4;

/**
 * The first 4 * HEAD_WORDS bytes of a name (zero past its end) as big-endian words into out[to..]:
 * where two names' words differ, the first differing word orders the names as their bytes do;
 * all words equal leaves the order open.
 */
function words(buf: Uint8Array, at: number, len: number, out: Uint32Array, to: number): void {
  for (let w = 0; w < HEAD_WORDS; w++) {
    let v = 0;
    for (let i = 4 * w; i < 4 * w + 4; i++) v = v * 256 + (i < len ? buf[at + i]! : 0);
    out[to + w] = v;
  }
}

/** The key's words (lookups are synchronous). */
const keyWords = new Uint32Array(HEAD_WORDS);

let keyBuf = Buffer.alloc(256);

/** UTF-8 of the key into a reused buffer (lookups are synchronous); ASCII without a native call. */
function encodeKey(name: string): number {
  const n = name.length;
  if (keyBuf.length < 3 * n) keyBuf = Buffer.alloc(3 * n);
  for (let i = 0; i < n; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) return keyBuf.write(name, 0, "utf8");
    keyBuf[i] = c;
  }
  return n;
}

/**
 * Opens an index built by buildIndex. The whole file is checksummed first, so a damaged or
 * truncated file is an IndexFormatError, never a wrong answer.
 */
export function openIndex(path: string): OfflineIndex {
  let buf: Buffer;
  try {
    buf = readRegularFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IndexFormatError(path, code === "ENOENT" ? "the file does not exist" : (error as Error).message);
  }
  const { header, body } = parseHeader(path, buf);
  const sections = new Map<string, Section>();
  for (const h of header.sections) sections.set(h.ecosystem, new Section(buf, body, h, header.blockSize));
  // Bounds were checked against a checksummed file; an inconsistency past that is still an error, not an answer.
  const failure = (error: unknown): unknown =>
    error instanceof RangeError || (error instanceof Error && error.message === "corrupt name entry")
      ? new IndexFormatError(path, "inconsistent data")
      : error;
  return {
    path,
    ecosystems: () => [...sections.keys()],
    coverage: (ecosystem) => {
      const s = sections.get(ecosystem);
      return s ? { ...s.h.coverage } : undefined;
    },
    lookup: (ecosystem, canonicalName) => {
      const s = sections.get(ecosystem);
      if (!s || canonicalName === "") return undefined;
      const keyLen = encodeKey(canonicalName);
      try {
        return s.lookup(keyBuf, keyLen, canonicalName);
      } catch (error) {
        throw failure(error);
      }
    },
    popular: (ecosystem, limit = Number.POSITIVE_INFINITY) => {
      const s = sections.get(ecosystem);
      try {
        return s ? s.popular(limit) : [];
      } catch (error) {
        throw failure(error);
      }
    },
  };
}
