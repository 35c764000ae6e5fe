// A small, bounded zip reader (central directory; stored and deflate) for osv.dev-style exports.
import { crc32, inflateRawSync } from "node:zlib";

export interface ZipLimits {
  /** Largest uncompressed entry accepted (declared or actual). */
  maxEntryBytes: number;
  /** Largest sum of declared uncompressed sizes. */
  maxTotalBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 4 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  maxEntries: 1_000_000,
};

export interface ZipEntry {
  name: string;
  compressedSize: number;
  size: number;
  isDirectory: boolean;
  /** The entry's bytes, checked against its declared size and CRC; throws ZipError otherwise. */
  read(): Buffer;
}

export class ZipError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipError";
  }
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const EOCD_BYTES = 22;
const CDH_BYTES = 46;
const LFH_BYTES = 30;

function findEndRecord(buf: Buffer): number {
  const last = buf.length - EOCD_BYTES;
  const first = Math.max(0, last - 0xffff);
  for (let i = last; i >= first; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG && i + EOCD_BYTES + buf.readUInt16LE(i + 20) === buf.length) return i;
  }
  // A comment length that does not fit still marks the record; accept the last signature found.
  for (let i = last; i >= first; i--) if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  return -1;
}

/** Lists a zip archive held in memory. Structural damage is a ZipError; entry damage surfaces on read(). */
export function readZip(buf: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipEntry[] {
  if (buf.length < EOCD_BYTES) throw new ZipError("not a zip archive (too short)");
  const eocd = findEndRecord(buf);
  if (eocd < 0) throw new ZipError("not a zip archive, or truncated (no end of central directory record)");
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    throw new ZipError("zip64 archives are not supported");
  }
  if (disk !== 0 || cdDisk !== 0) throw new ZipError("multi-part zip archives are not supported");
  if (cdOffset + cdSize > eocd) throw new ZipError("truncated or damaged zip (central directory out of bounds)");
  if (count > limits.maxEntries) throw new ZipError(`zip has ${count} entries, more than the limit of ${limits.maxEntries}`);

  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  const end = cdOffset + cdSize;
  for (let i = 0; i < count; i++) {
    if (p + CDH_BYTES > end || buf.readUInt32LE(p) !== CDH_SIG) {
      throw new ZipError(`damaged zip: central directory entry ${i + 1} of ${count} is unreadable`);
    }
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localOffset = buf.readUInt32LE(p + 42);
    const next = p + CDH_BYTES + nameLen + extraLen + commentLen;
    if (next > end) throw new ZipError(`damaged zip: central directory entry ${i + 1} runs past its end`);
    // Bit 11 marks UTF-8 names; the others are CP437, which for ASCII names reads the same.
    const name = buf.toString(flags & 0x800 ? "utf8" : "latin1", p + CDH_BYTES, p + CDH_BYTES + nameLen);
    p = next;
    if (compressedSize === 0xffffffff || size === 0xffffffff || localOffset === 0xffffffff) {
      throw new ZipError(`${name}: zip64 entries are not supported`);
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      throw new ZipError(`zip expands to more than ${limits.maxTotalBytes} bytes in total; refused`);
    }
    entries.push({
      name,
      compressedSize,
      size,
      isDirectory: name.endsWith("/"),
      read: () => readEntry(buf, { name, flags, method, crc, compressedSize, size, localOffset }, limits),
    });
  }
  return entries;
}

interface EntryInfo {
  name: string;
  flags: number;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

function readEntry(buf: Buffer, e: EntryInfo, limits: ZipLimits): Buffer {
  const fail = (problem: string) => new ZipError(`${e.name}: ${problem}`);
  if (e.flags & 0x1) throw fail("encrypted entries are not supported");
  if (e.size > limits.maxEntryBytes) throw fail(`declares ${e.size} bytes, more than the limit of ${limits.maxEntryBytes}`);
  if (e.localOffset + LFH_BYTES > buf.length || buf.readUInt32LE(e.localOffset) !== LFH_SIG) {
    throw fail("local header missing (truncated or damaged zip)");
  }
  const start = e.localOffset + LFH_BYTES + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
  if (start + e.compressedSize > buf.length) throw fail("data runs past the end of the archive (truncated)");
  const raw = buf.subarray(start, start + e.compressedSize);
  let data: Buffer;
  if (e.method === 0) {
    if (e.compressedSize !== e.size) throw fail("stored entry with mismatched sizes");
    data = raw;
  } else if (e.method === 8) {
    try {
      // One byte past the declared size is enough to detect an entry that lies about it.
      data = inflateRawSync(raw, { maxOutputLength: Math.min(e.size, limits.maxEntryBytes) + 1 });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "ERR_BUFFER_TOO_LARGE") throw fail("inflates to more than its declared size; refused");
      throw fail(`cannot inflate (${(error as Error).message})`);
    }
  } else {
    throw fail(`compression method ${e.method} is not supported`);
  }
  if (data.length !== e.size) throw fail(`is ${data.length} bytes, but declares ${e.size}`);
  if (crc32(data) >>> 0 !== e.crc) throw fail("CRC mismatch (damaged data)");
  return data;
}
