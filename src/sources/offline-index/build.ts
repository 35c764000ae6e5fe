// Builds the offline index from registry name snapshots (tab-separated, optionally gzip-compressed).
import { createReadStream } from "node:fs";
import { mkdir, open, rename, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import type { Readable } from "node:stream";
import { crc32, createGunzip } from "node:zlib";
import { encodeSearchIndex, MAX_DOCS_PER_ECOSYSTEM, type SearchInput } from "./search.ts";
import {
  BLOCK_SIZE,
  ByteWriter,
  END_MAGIC,
  F_DOWNLOADS,
  F_MONTH,
  F_PUBLISHED,
  F_RANK,
  F_VERSION,
  FORMAT_VERSION,
  type IndexCoverage,
  type IndexHeader,
  MAGIC,
  MAX_NAME_BYTES,
  monthToInt,
  intToMonth,
  type SectionHeader,
} from "./format.ts";
import { errorMessage } from "../../core/guards.ts";

export interface IndexInput {
  /** Ecosystem id the index answers for, e.g. "npm" or "pypi". */
  ecosystem: string;
  /** A .tsv or .tsv.gz snapshot with a header row (name, version and optional popularity columns). */
  file: string;
  /** The ecosystem's canonical form of a name (npm: as is; PyPI: PEP 503). */
  normalize: (name: string) => string;
  /** Month of the snapshot (YYYY-MM), when the caller knows it better than the data. */
  snapshotDate?: string;
  /** Overrides what the data suggests about completeness. */
  complete?: boolean;
}

export interface BuildOptions {
  inputs: IndexInput[];
  out: string;
  /** Rows read so far from one input, every PROGRESS_ROWS rows. */
  onProgress?: (ecosystem: string, rows: number) => void;
  /** Also write the text index of names and summaries (search.ts) to this file. */
  searchOut?: string;
}

const PROGRESS_ROWS = 1 << 16;

export interface EcosystemBuildStats {
  ecosystem: string;
  rows: number;
  entries: number;
  /** Rows left out (malformed, or a name the normaliser rejects). */
  skipped: number;
  /** Rows whose canonical name another row already had; the more popular one is kept. */
  collisions: number;
  coverage: IndexCoverage;
}

export interface BuildStats {
  out: string;
  bytes: number;
  ecosystems: EcosystemBuildStats[];
  /** The first problems found in the inputs (row-level; the build still succeeds). */
  problems: string[];
  /** The text index, when one was asked for. */
  search?: { out: string; bytes: number; docs: Record<string, number> };
}

interface Row {
  key: string;
  canonical: string;
  published: string | undefined;
  version: string;
  downloads: number | undefined;
  rank: number | undefined;
  month: number | undefined;
  line: number;
  /** Kept only for the text index, and only for rows with a popularity. */
  summary?: string;
}

interface ParsedSnapshot {
  rows: Row[];
  rowCount: number;
  skipped: number;
  collisions: number;
  hasDownloads: boolean;
  hasRank: boolean;
  hasUnranked: boolean;
  minDownloads: number | undefined;
  maxRank: number | undefined;
  newestMonth: number | undefined;
}

const MAX_PROBLEMS = 20;
/** A line this long means the file is not a snapshot (no field may hold a line break). */
const MAX_LINE_CHARS = 1 << 20;
const UINT = /^\d{1,15}$/;
const NON_ASCII = /[^\x00-\x7f]/;

export async function buildIndex(options: BuildOptions): Promise<BuildStats> {
  const seen = new Set<string>();
  for (const input of options.inputs) {
    if (seen.has(input.ecosystem)) throw new Error(`index build: ecosystem ${input.ecosystem} given twice`);
    seen.add(input.ecosystem);
  }
  // Read together: one file's gunzip (thread pool) overlaps the other's parsing.
  const perInput = options.inputs.map((): string[] => []);
  const keepSummaries = options.searchOut !== undefined;
  const parsed = await Promise.all(options.inputs.map((input, i) => readSnapshot(input, perInput[i]!, options.onProgress, keepSummaries)));
  const problems = perInput.flat().slice(0, MAX_PROBLEMS);

  // Snapshots of one build are taken together: a list without dates borrows the newest month seen.
  const newest = Math.max(-1, ...parsed.map((p) => p.newestMonth ?? -1));
  const sections: Array<{ header: SectionHeader; body: Buffer[] }> = [];
  const stats: EcosystemBuildStats[] = [];
  for (let i = 0; i < options.inputs.length; i++) {
    const input = options.inputs[i]!;
    const p = parsed[i]!;
    const coverage: IndexCoverage = {
      ecosystem: input.ecosystem,
      complete: input.complete ?? (!p.hasDownloads && p.hasRank && p.hasUnranked),
      count: p.rows.length,
    };
    const snapshotDate = input.snapshotDate ?? (newest >= 0 ? intToMonth(p.newestMonth ?? newest) : undefined);
    if (snapshotDate) coverage.snapshotDate = snapshotDate;
    if (!coverage.complete && p.minDownloads !== undefined) coverage.minDownloads = p.minDownloads;
    if (p.maxRank !== undefined) coverage.rankedUpTo = p.maxRank;
    sections.push(encodeSection(input.ecosystem, coverage, p));
    stats.push({
      ecosystem: input.ecosystem,
      rows: p.rowCount,
      entries: p.rows.length,
      skipped: p.skipped,
      collisions: p.collisions,
      coverage,
    });
  }

  const file = assemble(sections);
  await writeAtomically(options.out, file);
  const built: BuildStats = { out: options.out, bytes: file.length, ecosystems: stats, problems };
  if (options.searchOut) {
    const inputs: SearchInput[] = options.inputs.map((input, i) => ({
      ecosystem: input.ecosystem,
      docs: parsed[i]!.rows.flatMap((r) =>
        r.summary === undefined
          ? []
          : [{ name: r.published ?? r.canonical, summary: r.summary, downloads: r.downloads, rank: r.rank, month: r.month === undefined ? undefined : intToMonth(r.month) }],
      ),
    }));
    const search = encodeSearchIndex(inputs);
    await writeAtomically(options.searchOut, search);
    built.search = { out: options.searchOut, bytes: search.length, docs: Object.fromEntries(inputs.map((i) => [i.ecosystem, Math.min(i.docs.length, MAX_DOCS_PER_ECOSYSTEM)])) };
  }
  return built;
}

/** Cheap length check first: a UTF-16 unit is at most 3 UTF-8 bytes. */
function tooLong(s: string): boolean {
  return s.length * 3 > MAX_NAME_BYTES && Buffer.byteLength(s) > MAX_NAME_BYTES;
}

/** The first `n` tab-separated fields (fewer when the line has fewer); no quote handling, by design. */
function splitFields(line: string, n: number): string[] {
  const out: string[] = [];
  let start = 0;
  while (out.length < n) {
    const tab = line.indexOf("\t", start);
    if (tab < 0) {
      out.push(line.slice(start));
      break;
    }
    out.push(line.slice(start, tab));
    start = tab + 1;
  }
  return out;
}

function note(problems: string[], message: string): void {
  if (problems.length < MAX_PROBLEMS) problems.push(message);
}

/** Is `a` the more popular of two rows with the same canonical name? */
function morePopular(a: Row, b: Row): boolean {
  if (a.rank !== undefined || b.rank !== undefined) return (a.rank ?? Infinity) < (b.rank ?? Infinity);
  return (a.downloads ?? -1) > (b.downloads ?? -1);
}

/** The file's text, gunzipped when it starts with the gzip magic bytes (whatever its name says). */
async function openText(file: string): Promise<{ text: Readable; close: () => void }> {
  const handle = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw new Error(`index build: cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
  });
  const magic = Buffer.alloc(2);
  await handle.read(magic, 0, 2, 0);
  await handle.close();
  const raw = createReadStream(file);
  const text = magic[0] === 0x1f && magic[1] === 0x8b ? raw.pipe(createGunzip()) : raw;
  raw.on("error", (error) => text.destroy(error));
  text.setEncoding("utf8");
  return {
    text,
    close: () => {
      text.destroy();
      raw.destroy();
    },
  };
}

async function readSnapshot(input: IndexInput, problems: string[], onProgress: BuildOptions["onProgress"], keepSummaries: boolean): Promise<ParsedSnapshot> {
  const where = `${input.ecosystem} snapshot ${input.file}`;
  const { text: stream, close } = await openText(input.file);
  const rows: Row[] = [];
  const out: ParsedSnapshot = {
    rows: [],
    rowCount: 0,
    skipped: 0,
    collisions: 0,
    hasDownloads: false,
    hasRank: false,
    hasUnranked: false,
    minDownloads: undefined,
    maxRank: undefined,
    newestMonth: undefined,
  };
  let columns: { name: number; version: number; downloads: number; rank: number; month: number; summary: number; need: number } | null =
    null;
  let lineNo = 0;

  const onLine = (raw: string): void => {
    lineNo++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (columns === null) {
      const names = line.split("\t").map((c) => c.trim().toLowerCase());
      const find = (test: (c: string) => boolean) => names.findIndex(test);
      const c = {
        name: find((n) => n === "name"),
        version: find((n) => n === "version"),
        downloads: find((n) => n.startsWith("downloads")),
        rank: find((n) => n.startsWith("rank")),
        month: find((n) => n === "month"),
        summary: keepSummaries ? find((n) => n === "summary") : -1,
        need: 0,
      };
      if (c.name < 0 || c.version < 0) {
        throw new Error(`index build: ${where} is not a registry snapshot (its header lacks "name" and "version" columns)`);
      }
      c.need = Math.max(c.name, c.version, c.downloads, c.rank, c.month) + 1;
      out.hasDownloads = c.downloads >= 0;
      out.hasRank = c.rank >= 0;
      columns = c;
      return;
    }
    if (line === "") return;
    out.rowCount++;
    if (out.rowCount % PROGRESS_ROWS === 0) onProgress?.(input.ecosystem, out.rowCount);
    // No quoting: a '"' is an ordinary character and fields never hold tabs.
    const f = splitFields(line, Math.max(columns.need, columns.summary + 1));
    const name = f[columns.name] ?? "";
    const version = f[columns.version] ?? "";
    if (f.length < columns.need || name === "") {
      out.skipped++;
      note(problems, `${where} line ${lineNo}: expected ${columns.need} tab-separated fields`);
      return;
    }
    if (tooLong(name) || tooLong(version)) {
      out.skipped++;
      note(problems, `${where} line ${lineNo}: name or version longer than ${MAX_NAME_BYTES} bytes`);
      return;
    }
    let canonical: string;
    try {
      canonical = input.normalize(name);
    } catch (error) {
      canonical = "";
      note(problems, `${where} line ${lineNo}: ${errorMessage(error)}`);
    }
    if (canonical === "" || tooLong(canonical)) {
      out.skipped++;
      if (canonical === "") note(problems, `${where} line ${lineNo}: no canonical form for "${name}"`);
      return;
    }
    const row: Row = {
      // Sorting these keys as JS strings orders them by UTF-8 bytes, the order the reader searches.
      key: NON_ASCII.test(canonical) ? Buffer.from(canonical).toString("latin1") : canonical,
      canonical,
      published: name === canonical ? undefined : name,
      version,
      downloads: undefined,
      rank: undefined,
      month: undefined,
      line: lineNo,
    };
    if (columns.downloads >= 0) {
      const d = f[columns.downloads]!;
      if (UINT.test(d)) {
        row.downloads = Number(d);
        if (out.minDownloads === undefined || row.downloads < out.minDownloads) out.minDownloads = row.downloads;
      } else if (d !== "") note(problems, `${where} line ${lineNo}: downloads "${d}" is not a number`);
    }
    if (columns.rank >= 0) {
      const r = f[columns.rank]!;
      if (UINT.test(r) && Number(r) > 0) {
        row.rank = Number(r);
        if (out.maxRank === undefined || row.rank > out.maxRank) out.maxRank = row.rank;
      }
      else if (r !== "") note(problems, `${where} line ${lineNo}: rank "${r}" is not a positive number`);
      if (row.rank === undefined) out.hasUnranked = true;
    }
    if (columns.month >= 0) {
      const m = f[columns.month]!;
      row.month = monthToInt(m);
      if (row.month === undefined && m !== "") note(problems, `${where} line ${lineNo}: month "${m}" is not YYYY-MM`);
      if (row.month !== undefined && (out.newestMonth === undefined || row.month > out.newestMonth)) {
        out.newestMonth = row.month;
      }
    }
    if (columns.summary >= 0 && (row.rank !== undefined || row.downloads !== undefined)) row.summary = f[columns.summary] ?? "";
    rows.push(row);
  };

  let pending = "";
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = pending + chunk;
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        onLine(text.slice(start, nl));
        start = nl + 1;
      }
      pending = text.slice(start);
      if (pending.length > MAX_LINE_CHARS) throw new Error(`line ${lineNo + 1} is longer than ${MAX_LINE_CHARS} characters`);
    }
    if (pending !== "") onLine(pending);
  } catch (error) {
    close();
    const message = errorMessage(error);
    throw new Error(message.startsWith("index build:") ? message : `index build: cannot read ${where}: ${message}`);
  }
  if (columns === null) throw new Error(`index build: ${where} is empty`);
  // A stable sort keeps rows with one canonical name in file order; the more popular one stays.
  rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const row of rows) {
    const last = out.rows[out.rows.length - 1];
    if (last?.canonical !== row.canonical) out.rows.push(row);
    else {
      out.collisions++;
      note(problems, `${where} line ${row.line}: "${row.published ?? row.canonical}" has the same canonical name as line ${last.line}`);
      if (morePopular(row, last)) out.rows[out.rows.length - 1] = row;
    }
  }
  return out;
}

function encodeSection(
  ecosystem: string,
  coverage: IndexCoverage,
  p: ParsedSnapshot,
): { header: SectionHeader; body: Buffer[] } {
  const rows = p.rows;
  // Version strings repeat a lot ("1.0.0"): a table ordered by frequency gives one-byte ids.
  const freq = new Map<string, number>();
  for (const r of rows) if (r.version !== "") freq.set(r.version, (freq.get(r.version) ?? 0) + 1);
  const versions = [...freq.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([v]) => v);
  const versionId = new Map(versions.map((v, i) => [v, i]));
  const vw = new ByteWriter();
  const vbytes = versions.map((v) => Buffer.from(v));
  let voff = 0;
  for (const b of vbytes) {
    vw.u32(voff);
    voff += b.length;
  }
  vw.u32(voff);
  for (const b of vbytes) vw.bytes(b);

  const blocks = new ByteWriter();
  const data = new ByteWriter(1 << 20);
  let prev: Buffer = Buffer.alloc(0);
  let maxNameBytes = 0;
  rows.forEach((r, i) => {
    const name = Buffer.from(r.canonical);
    maxNameBytes = Math.max(maxNameBytes, name.length);
    if (i % BLOCK_SIZE === 0) {
      blocks.u32(data.length);
      data.varint(name.length);
      data.bytes(name);
    } else {
      let shared = 0;
      const limit = Math.min(prev.length, name.length);
      while (shared < limit && prev[shared] === name[shared]) shared++;
      data.varint(shared);
      data.varint(name.length - shared);
      data.bytes(name, shared);
    }
    prev = name;
    const flags =
      (r.published !== undefined ? F_PUBLISHED : 0) |
      (r.version !== "" ? F_VERSION : 0) |
      (r.downloads !== undefined ? F_DOWNLOADS : 0) |
      (r.rank !== undefined ? F_RANK : 0) |
      (r.month !== undefined ? F_MONTH : 0);
    data.byte(flags);
    if (r.published !== undefined) {
      const pb = Buffer.from(r.published);
      data.varint(pb.length);
      data.bytes(pb);
    }
    if (r.version !== "") data.varint(versionId.get(r.version)!);
    if (r.downloads !== undefined) data.varint(r.downloads);
    if (r.rank !== undefined) data.varint(r.rank);
    if (r.month !== undefined) data.varint(r.month);
  });

  // Popularity order is stored, so popular() never sorts at run time.
  const by: SectionHeader["popular"]["by"] = p.hasRank ? "rank" : p.hasDownloads ? "downloads" : "none";
  const ordinals: number[] = [];
  rows.forEach((r, i) => {
    if (by === "rank" ? r.rank !== undefined : by === "downloads" && r.downloads !== undefined) ordinals.push(i);
  });
  if (by === "rank") ordinals.sort((a, b) => rows[a]!.rank! - rows[b]!.rank! || a - b);
  else ordinals.sort((a, b) => rows[b]!.downloads! - rows[a]!.downloads! || a - b);
  const pw = new ByteWriter();
  for (const o of ordinals) pw.u32(o);

  const body = [vw.result(), blocks.result(), data.result(), pw.result()];
  // Offsets are relative to the section start here; assemble() makes them relative to the body.
  let off = 0;
  const at = (b: Buffer) => {
    const o = off;
    off += b.length;
    return o;
  };
  const header: SectionHeader = {
    ecosystem,
    coverage,
    entries: rows.length,
    maxNameBytes,
    versions: { offset: at(body[0]!), count: versions.length },
    blocks: { offset: at(body[1]!), count: Math.ceil(rows.length / BLOCK_SIZE) },
    data: { offset: at(body[2]!), length: body[2]!.length },
    popular: { offset: at(body[3]!), count: ordinals.length, by },
  };
  return { header, body };
}

function assemble(sections: Array<{ header: SectionHeader; body: Buffer[] }>): Buffer {
  let base = 0;
  const headers: SectionHeader[] = [];
  for (const s of sections) {
    const h = s.header;
    headers.push({
      ...h,
      versions: { ...h.versions, offset: h.versions.offset + base },
      blocks: { ...h.blocks, offset: h.blocks.offset + base },
      data: { ...h.data, offset: h.data.offset + base },
      popular: { ...h.popular, offset: h.popular.offset + base },
    });
    for (const b of s.body) base += b.length;
  }
  const header: IndexHeader = { blockSize: BLOCK_SIZE, sections: headers };
  const json = Buffer.from(JSON.stringify(header));
  const pre = Buffer.alloc(MAGIC.length + 8);
  MAGIC.copy(pre);
  pre.writeUInt32LE(FORMAT_VERSION, MAGIC.length);
  pre.writeUInt32LE(json.length, MAGIC.length + 4);
  const parts = [pre, json, ...sections.flatMap((s) => s.body)];
  const total = parts.reduce((n, b) => n + b.length, 0);
  const file = Buffer.allocUnsafe(total + 8);
  let off = 0;
  for (const b of parts) {
    b.copy(file, off);
    off += b.length;
  }
  file.writeUInt32LE(crc32(file.subarray(0, total)), total);
  END_MAGIC.copy(file, total + 4);
  return file;
}

/** Readers never see a half-written index: write a temporary file, flush it, rename it over. */
async function writeAtomically(out: string, content: Buffer): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.${Date.now().toString(36)}.tmp`;
  const handle = await open(tmp, "wx");
  try {
    await handle.writeFile(content);
    await handle.sync();
    await handle.close();
    await rename(tmp, out);
  } catch (error) {
    await handle.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw error;
  }
}
