// The offline index file format, shared by the builder and the reader.
//
// Layout (integers little-endian):
//   "BNCRIDX\0"  u32 formatVersion  u32 headerLength  header JSON (IndexHeader)
//   per ecosystem: version table, block index, front-coded blocks, popular order
//   trailer: u32 crc32 of every byte before it, "BEND"
// A block holds up to BLOCK_SIZE entries sorted by the UTF-8 bytes of the canonical name:
// the first name in full, the others as (shared prefix length, suffix), each followed by its fields.

export const MAGIC = Buffer.from("BNCRIDX\0", "latin1");
export const END_MAGIC = Buffer.from("BEND", "latin1");
export const FORMAT_VERSION = 1;
export const PREAMBLE_BYTES = MAGIC.length + 8;
export const TRAILER_BYTES = 8;
export const BLOCK_SIZE = 16;
/** Longest name or version accepted from a snapshot (npm allows 214, PyPI has no hard limit). */
export const MAX_NAME_BYTES = 1024;

/** Entry flag bits: which optional fields follow the name. */
export const F_PUBLISHED = 1;
export const F_VERSION = 2;
export const F_DOWNLOADS = 4;
export const F_RANK = 8;
export const F_MONTH = 16;

/** What an index says about its own coverage of one ecosystem. */
export interface IndexCoverage {
  ecosystem: string;
  /** Month the snapshot was taken (YYYY-MM), when known. */
  snapshotDate?: string;
  /** True when the list names every package of the registry, so absence is evidence. */
  complete: boolean;
  /** The list holds only packages with at least this many downloads a month. */
  minDownloads?: number;
  /** Ranks run from 1 to this (the ranked set); absent when the snapshot has no ranks. */
  rankedUpTo?: number;
  count: number;
}

export interface SectionHeader {
  ecosystem: string;
  coverage: IndexCoverage;
  entries: number;
  maxNameBytes: number;
  versions: { offset: number; count: number };
  blocks: { offset: number; count: number };
  data: { offset: number; length: number };
  popular: { offset: number; count: number; by: "rank" | "downloads" | "none" };
}

export interface IndexHeader {
  blockSize: number;
  sections: SectionHeader[];
}

/** An index file that cannot be trusted: it is never read partially. */
export class IndexFormatError extends Error {
  constructor(file: string, problem: string) {
    super(`offline index ${file} is unusable: ${problem}; rebuild it with "bouncer index build"`);
    this.name = "IndexFormatError";
  }
}

/** Months as one integer, so they fit a varint. */
export function monthToInt(month: string): number | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  if (!m) return undefined;
  const mm = Number(m[2]);
  if (mm < 1 || mm > 12) return undefined;
  return Number(m[1]) * 12 + mm - 1;
}

export function intToMonth(n: number): string {
  return `${String(Math.floor(n / 12)).padStart(4, "0")}-${String((n % 12) + 1).padStart(2, "0")}`;
}

/** Growable byte buffer for the builder. */
export class ByteWriter {
  buf: Buffer;
  length = 0;

  constructor(initial = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  /** Unsigned LEB128; arithmetic instead of bit operations so values above 2^31 survive. */
  varint(n: number): void {
    this.ensure(8);
    let v = n;
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  u32(n: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(n, this.length);
    this.length += 4;
  }

  bytes(b: Uint8Array, start = 0, end = b.length): void {
    this.ensure(end - start);
    this.buf.set(b.subarray(start, end), this.length);
    this.length += end - start;
  }

  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
