// The decision log: an append-only, hash-chained JSON-lines file. Each entry commits to the one before it,
// and a head file commits to the last one, so edits, removals, insertions and reordering inside the chain
// show. Anyone who can write the data directory can still rewrite all of it consistently (recompute every
// hash, cut the tail and the head together, delete both files): only an anchor outside the directory
// catches that. With a key (kept outside the data directory) every entry carries an HMAC of its position
// and hash, which nobody without the key can recompute; a checkpoint exported and kept elsewhere pins a
// position and hash, so a later log that is shorter or different shows.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { closeSync, existsSync, fstatSync, mkdirSync, readSync } from "node:fs";
import { appendFile, open, rename, rm, stat, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Verdict } from "../core/findings.ts";
import { BouncerError, DATA_DIR_HINT } from "../core/errors.ts";
import { FileRefusedError, openRegularFile, readRegularFile } from "../sources/files.ts";

export type Door = "check" | "scan" | "guard" | "proxy" | "mcp" | "ci" | "agent";

/** What a door records about one decision. */
export interface Decision {
  door: Door;
  purl: string;
  ecosystem: string;
  name: string;
  version: string | null;
  verdict: Verdict;
  findings: Array<{ code: string; severity: string }>;
  policyDigest: string;
  /** Free detail, e.g. the command line of the guard or the client address of the proxy. */
  context?: string;
  /** Door "agent": the coding agent, its session id and the tool call the decision was made on. */
  agent?: DecisionAgent;
  /** The id of the waiver that let it through (its findings would have warned or blocked). */
  waiver?: string;
}

export interface DecisionAgent {
  name: string;
  session: string | null;
  tool: string;
}

/** The log's own events: bytes of an interrupted write, moved aside so that the chain goes on. */
export interface TornTailMoved {
  event: "torn-tail-moved";
  /** Byte offset in the log where the torn bytes began. */
  offset: number;
  bytes: number;
  sha256: string;
  /** The file (beside the log) that keeps them. */
  movedTo: string;
}

interface Chained {
  seq: number;
  time: string;
  prev: string;
  hash: string;
  /** HMAC of seq and hash under the log key, when one was given. */
  mac?: string;
}

export type Entry = (Decision | TornTailMoved) & Chained;
/** An entry that records a decision (not one of the log's own events). */
export type DecisionEntry = Decision & Chained;

export const GENESIS = "0".repeat(64);
export const LOG_FILE = "ledger.jsonl";
export const HEAD_FILE = "ledger.head";
export const TORN_FILE = "ledger.torn";
/** An interrupted write leaves at most one batch; a longer unreadable end is not a tear. */
const MAX_TORN_BYTES = 4 << 20;

/** Canonical JSON (sorted keys) so the hash does not depend on key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(entry: Omit<Entry, "hash" | "mac">): string {
  return createHash("sha256").update(canonical(entry)).digest("hex");
}

export function policyDigest(canonicalPolicy: string): string {
  return `sha256:${createHash("sha256").update(canonicalPolicy).digest("hex")}`;
}

/** The anchor: an HMAC over a position in the chain and the hash there (which commits to all before it). */
export function chainMac(key: Uint8Array, seq: number, hash: string): string {
  return createHmac("sha256", key).update(`bouncer-log/1 ${seq} ${hash}`).digest("hex");
}

/** Names a key without revealing it, so a checkpoint says which key made it. */
export function keyId(key: Uint8Array): string {
  return createHash("sha256").update("bouncer-log-key-id/1").update(key).digest("hex").slice(0, 16);
}

function sameHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** An entry as read back, when the line is one (its own hash checked by the caller). */
function asEntry(line: string): Entry | undefined {
  try {
    const entry = JSON.parse(line) as Entry;
    return entry && typeof entry.seq === "number" && typeof entry.hash === "string" && typeof entry.prev === "string" ? entry : undefined;
  } catch {
    return undefined;
  }
}

function selfConsistent(entry: Entry): boolean {
  const { hash, mac: _mac, ...body } = entry;
  return entryHash(body) === hash;
}

export interface Head {
  seq: number;
  hash: string;
}

export interface LedgerOptions {
  now?: () => Date;
  /** How long a lock may be held before it is taken as abandoned by a crashed writer. */
  staleLockMs?: number;
  /** The log key: each entry then carries an HMAC that a writer without the key cannot make. */
  key?: Uint8Array;
}

/** A log whose end cannot be read as entries: it needs a person, not an automatic repair. */
/** An unusable file in the data directory. */
export class LedgerError extends BouncerError {
  override name = "LedgerError";
  constructor(message: string) {
    super(message, { hint: DATA_DIR_HINT });
  }
}

interface Tail {
  head: Head;
  /** Where the bytes that are not whole entries begin (the file size when there are none). */
  tornAt: number;
  size: number;
  /** The last entry lacks only its newline: completed rather than moved aside. */
  needsNewline: boolean;
}

/**
 * The end of the log, read backwards: the last whole entry, and the bytes after it that are not
 * entries (a write cut by a crash or a full disk). An entry with a wrong hash is kept: verify reports it
 * as edited. Bounded: reads at most about MAX_TORN_BYTES.
 */
/** The last entry's position and hash in the log of a data directory (genesis when empty). */
export function ledgerHead(dir: string): Head {
  return readTail(path.join(dir, LOG_FILE)).head;
}

/** The log's files are opened only as regular files: a FIFO put in their place would block every decision. */
export function openLogFile(file: string): number {
  try {
    return openRegularFile(file);
  } catch (error) {
    throw error instanceof FileRefusedError ? new LedgerError(`the decision log's ${file} is not a regular file`) : error;
  }
}

function readLogFile(file: string): string {
  try {
    return readRegularFile(file).toString("utf8");
  } catch (error) {
    throw error instanceof FileRefusedError ? new LedgerError(`the decision log's ${file} is not a regular file`) : error;
  }
}

function readTail(file: string): Tail {
  if (!existsSync(file)) return { head: { seq: 0, hash: GENESIS }, tornAt: 0, size: 0, needsNewline: false };
  const fd = openLogFile(file);
  try {
    const size = fstatSync(fd).size;
    for (let window = 64 * 1024; window <= 4 * MAX_TORN_BYTES; window *= 4) {
      const start = Math.max(0, size - window);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      let hasNewline = buf.length > 0 && buf[buf.length - 1] === 10;
      let lineEnd = hasNewline ? buf.length - 1 : buf.length;
      let tornAt = size;
      while (true) {
        const nl = lineEnd > 0 ? buf.lastIndexOf(10, lineEnd - 1) : -1;
        if (nl < 0 && start > 0) break; // the line began before the window
        const lineStart = nl + 1;
        const entry = asEntry(buf.subarray(lineStart, lineEnd).toString("utf8"));
        if (entry) return { head: { seq: entry.seq, hash: entry.hash }, tornAt, size, needsNewline: !hasNewline };
        tornAt = start + lineStart;
        if (size - tornAt > MAX_TORN_BYTES) break;
        if (nl < 0) return { head: { seq: 0, hash: GENESIS }, tornAt: 0, size, needsNewline: false };
        lineEnd = nl;
        hasNewline = true;
      }
      if (size - tornAt > MAX_TORN_BYTES || start === 0) break;
    }
    throw new LedgerError(`the end of the decision log ${file} is not readable as entries; run \`bouncer audit verify\``);
  } finally {
    closeSync(fd);
  }
}

/** Chains `bodies` after `head` (one time for the batch), with the key's MAC on each when given. */
export function chainEntries(head: Head, bodies: ReadonlyArray<Decision | TornTailMoved>, now: Date, key?: Uint8Array): Entry[] {
  const time = now.toISOString();
  const entries: Entry[] = [];
  let at = head;
  for (const d of bodies) {
    const body = { ...d, seq: at.seq + 1, time, prev: at.hash } as Omit<Entry, "hash">;
    const hash = entryHash(body);
    const entry = { ...body, hash, ...(key ? { mac: chainMac(key, body.seq, hash) } : {}) } as Entry;
    entries.push(entry);
    at = { seq: entry.seq, hash: entry.hash };
  }
  return entries;
}

export class Ledger {
  readonly file: string;
  readonly headFile: string;
  readonly lockFile: string;
  readonly tornFile: string;
  private readonly now: () => Date;
  private readonly staleLockMs: number;
  private readonly key: Uint8Array | undefined;
  /** Appends from this process run one after another; other processes are kept out by the lock file. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string, options: LedgerOptions = {}) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, LOG_FILE);
    this.headFile = path.join(dir, HEAD_FILE);
    this.lockFile = path.join(dir, "ledger.lock");
    this.tornFile = path.join(dir, TORN_FILE);
    this.now = options.now ?? (() => new Date());
    this.staleLockMs = options.staleLockMs ?? 30_000;
    this.key = options.key;
  }

  append(decisions: readonly Decision[]): Promise<Entry[]> {
    const run = this.queue.then(() => this.appendLocked(decisions));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async lock(): Promise<() => Promise<void>> {
    for (let attempt = 0; ; attempt++) {
      try {
        const handle = await open(this.lockFile, "wx");
        await handle.write(`${process.pid} ${Date.now()}\n`);
        await handle.close();
        return () => rm(this.lockFile, { force: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const info = await stat(this.lockFile).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs > this.staleLockMs) await rm(this.lockFile, { force: true });
        // Back off briefly; contention only lasts as long as one append.
        await new Promise((r) => setTimeout(r, Math.min(2 + attempt, 25)));
      }
    }
  }

  /**
   * Bytes after the last entry (an interrupted write) are copied to the torn file, cut from the log,
   * and the cut is recorded as the next entry: the chain goes on, and the loss is on record.
   */
  private async moveTornTail(tail: Tail): Promise<TornTailMoved> {
    const handle = await open(this.file, "r");
    const bytes = Buffer.alloc(tail.size - tail.tornAt);
    try {
      await handle.read(bytes, 0, bytes.length, tail.tornAt);
    } finally {
      await handle.close();
    }
    const moved: TornTailMoved = {
      event: "torn-tail-moved",
      offset: tail.tornAt,
      bytes: bytes.length,
      sha256: createHash("sha256").update(bytes).digest("hex"),
      movedTo: TORN_FILE,
    };
    // Kept first, cut second: a crash in between keeps the bytes twice, never loses them.
    await appendFile(this.tornFile, `${JSON.stringify({ ...moved, time: this.now().toISOString(), base64: bytes.toString("base64") })}\n`);
    await truncate(this.file, tail.tornAt);
    return moved;
  }

  private async appendLocked(decisions: readonly Decision[]): Promise<Entry[]> {
    if (!decisions.length) return [];
    const unlock = await this.lock();
    try {
      const tail = readTail(this.file);
      const bodies: Array<Decision | TornTailMoved> = [];
      if (tail.tornAt < tail.size) bodies.push(await this.moveTornTail(tail));
      bodies.push(...decisions);
      const entries = chainEntries(tail.head, bodies, this.now(), this.key);
      const head = entries.length ? { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash } : tail.head;
      const text = entries.map((e) => `${JSON.stringify(e)}\n`).join("");
      await appendFile(this.file, tail.needsNewline ? `\n${text}` : text);
      const tmp = `${this.headFile}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(head)}\n`);
      await rename(tmp, this.headFile);
      return entries.filter((e) => !("event" in e));
    } finally {
      await unlock();
    }
  }
}

/** A position and hash of the chain, to keep outside the data directory; signed when a key is given. */
export interface Checkpoint {
  format: "bouncer-log-checkpoint/1";
  seq: number;
  hash: string;
  time: string;
  keyId?: string;
  mac?: string;
}

export function makeCheckpoint(head: { seq: number; hash: string }, time: Date, key?: Uint8Array): Checkpoint {
  const point: Checkpoint = { format: "bouncer-log-checkpoint/1", seq: head.seq, hash: head.hash, time: time.toISOString() };
  return key ? { ...point, keyId: keyId(key), mac: chainMac(key, head.seq, head.hash) } : point;
}

/** A checkpoint from its text, or a message saying what is wrong with it. */
export function parseCheckpoint(text: string): Checkpoint | string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  const c = doc as Partial<Checkpoint>;
  const hex = (v: unknown) => typeof v === "string" && /^[0-9a-f]{64}$/.test(v);
  if (c?.format !== "bouncer-log-checkpoint/1" || !Number.isSafeInteger(c.seq) || (c.seq as number) < 0 || !hex(c.hash) || (c.mac !== undefined && !hex(c.mac))) {
    return "not a Bouncer log checkpoint";
  }
  return c as Checkpoint;
}

export interface Problem {
  /** 1-based line in the log (0 for the head file, the key or the checkpoint). */
  line: number;
  kind:
    | "unreadable"
    | "edited"
    | "removed"
    | "inserted"
    | "reordered"
    | "truncated"
    | "torn"
    | "unauthenticated"
    | "forged"
    | "missing";
  message: string;
}

export interface Verification {
  /** False when there is no log file at all. */
  exists: boolean;
  /** Lines of the log, a torn end excluded. */
  entries: number;
  problems: Problem[];
  /** What this verification could and could not check, and the log's own events. */
  notes: string[];
  /** A key or a checkpoint anchored the chain outside the data directory. */
  anchored: boolean;
  /** The last entry's position and hash (what a checkpoint records). */
  head: { seq: number; hash: string };
}

export interface VerifyOptions {
  key?: Uint8Array;
  checkpoint?: Checkpoint;
}

export const UNANCHORED_NOTE =
  "no log key or checkpoint given: only changes inside the chain are detectable; a rewritten head with a cut tail, " +
  "deleted files, or a fully recomputed chain are not (use --log-key, and --checkpoint from an earlier `audit export`)";

/** Checks the whole chain; reports each break with its position. */
export async function verifyLedger(dir: string, options: VerifyOptions = {}): Promise<Verification> {
  const file = path.join(dir, LOG_FILE);
  const exists = existsSync(file);
  const text = exists ? readLogFile(file) : "";
  const lines = text.split("\n");
  if (text === "" || text.endsWith("\n")) lines.pop();
  const problems: Problem[] = [];
  const notes: string[] = [];
  const parsed = lines.map(asEntry);
  // The end of an interrupted write (what the next append moves aside): reported as such, with its place.
  let first = parsed.length;
  while (first > 0 && !parsed[first - 1]) first--;
  if (first < parsed.length) {
    const offset = Buffer.byteLength(lines.slice(0, first).join("\n")) + (first ? 1 : 0);
    problems.push({
      line: first + 1,
      kind: "torn",
      message: `line ${first + 1} (byte ${offset}): the log ends in ${Buffer.byteLength(text) - offset} bytes that are not entries, as an interrupted write leaves; the next decision moves them to ${TORN_FILE}`,
    });
    parsed.length = first;
  }
  const headFile = path.join(dir, HEAD_FILE);
  const headText = existsSync(headFile) ? readLogFile(headFile) : "";
  let head: Head | "unreadable" | undefined;
  if (headText) {
    try {
      head = JSON.parse(headText) as Head;
    } catch {
      head = "unreadable";
    }
  }
  return checkChain(parsed, exists, head, options, problems, notes);
}

/**
 * Checks a chain read from anywhere (the file, a database): order, links, the recorded head (a
 * missing head with entries is a truncation), MACs under the key, the checkpoint.
 */
export function verifyEntries(lines: readonly string[], head: Head | undefined, options: VerifyOptions = {}): Verification {
  return checkChain(lines.map(asEntry), lines.length > 0 || head !== undefined, head, options, [], []);
}

function checkChain(
  parsed: Array<Entry | undefined>,
  exists: boolean,
  head: Head | "unreadable" | undefined,
  options: VerifyOptions,
  problems: Problem[],
  notes: string[],
): Verification {
  const seqsPresent = new Set(parsed.map((e) => e?.seq));
  const hashBySeq = new Map<number, string>([[0, GENESIS]]);
  for (const e of parsed) if (e && !hashBySeq.has(e.seq)) hashBySeq.set(e.seq, e.hash);
  const seen = new Set<number>();
  let expectedSeq = 1;
  parsed.forEach((entry, i) => {
    const at = i + 1;
    if (!entry) {
      problems.push({ line: at, kind: "unreadable", message: `line ${at} is not a log entry` });
      return;
    }
    const add = (kind: Problem["kind"], message: string) => problems.push({ line: at, kind, message: `line ${at}: ${message}` });
    if (!selfConsistent(entry)) {
      add("edited", `entry ${entry.seq} was edited: its hash does not match its content`);
    } else if (entry.seq < expectedSeq) {
      if (seen.has(entry.seq)) add("inserted", `a second entry ${entry.seq} was inserted`);
      else add("reordered", `entry ${entry.seq} stands after entry ${expectedSeq - 1}`);
    } else if (entry.seq > expectedSeq) {
      if (seqsPresent.has(expectedSeq)) add("reordered", `entry ${entry.seq} stands before entry ${expectedSeq}`);
      else add("removed", `entries ${expectedSeq}..${entry.seq - 1} are missing`);
    } else if (hashBySeq.has(entry.seq - 1) && entry.prev !== hashBySeq.get(entry.seq - 1)) {
      add("edited", `entry ${entry.seq} does not follow the entry before it (that entry was replaced or rewritten)`);
    }
    if ("event" in entry && entry.event === "torn-tail-moved") {
      notes.push(`line ${at}: ${entry.bytes} bytes of an interrupted write (from byte ${entry.offset}) were moved to ${entry.movedTo}`);
    }
    seen.add(entry.seq);
    expectedSeq = Math.max(expectedSeq, entry.seq + 1);
  });
  const tip = parsed.reduce<Entry | undefined>((best, e) => (e && (!best || e.seq > best.seq) ? e : best), undefined);
  if (head === "unreadable") problems.push({ line: 0, kind: "unreadable", message: "the head file is unreadable" });
  else if (head) {
    if (head.seq !== (tip?.seq ?? 0) || head.hash !== (tip?.hash ?? GENESIS)) {
      problems.push({
        line: 0,
        kind: "truncated",
        message: `the head records entry ${head.seq} but the log ends at entry ${tip?.seq ?? 0}: entries were removed from the end`,
      });
    }
  } else if (parsed.length) {
    problems.push({ line: 0, kind: "truncated", message: "the head file is missing" });
  }
  if (options.key) checkMacs(parsed, options.key, problems);
  if (options.checkpoint) checkCheckpoint(options.checkpoint, parsed, exists, options.key, problems, notes);
  const anchored = Boolean(options.key || options.checkpoint);
  if (!anchored) notes.push(UNANCHORED_NOTE);
  return { exists, entries: parsed.length, problems, notes, anchored, head: { seq: tip?.seq ?? 0, hash: tip?.hash ?? GENESIS } };
}

/**
 * Every MAC present must be right, and the last entry must carry one: its MAC covers its hash, which
 * commits to every entry before it. Entries after the last good MAC were written without the key
 * (entries before it are covered by its hash).
 */
function checkMacs(parsed: ReadonlyArray<Entry | undefined>, key: Uint8Array, problems: Problem[]): void {
  let forged = 0;
  let firstForged = 0;
  let lastGood = -1;
  parsed.forEach((e, i) => {
    if (!e?.mac) return;
    if (sameHex(e.mac, chainMac(key, e.seq, e.hash))) lastGood = i;
    else if (!forged++) firstForged = i + 1;
  });
  if (forged) {
    problems.push({
      line: firstForged,
      kind: "forged",
      message: `line ${firstForged}: ${forged} entr${forged === 1 ? "y carries a MAC" : "ies carry MACs"} this key did not make: the chain was recomputed, or this is not its key`,
    });
  }
  let unsigned = 0;
  for (let i = lastGood + 1; i < parsed.length; i++) if (parsed[i] && !parsed[i]!.mac) unsigned++;
  if (unsigned > 0) {
    problems.push({
      line: lastGood + 2,
      kind: "unauthenticated",
      message:
        lastGood < 0
          ? "no entry carries a MAC from this key: the log was written without it, or recomputed by someone without it"
          : `line ${lastGood + 2}: ${unsigned} entr${unsigned === 1 ? "y" : "ies"} after the last one signed with this key carr${unsigned === 1 ? "ies" : "y"} no MAC: written without it, or added by someone without it`,
    });
  }
}

function checkCheckpoint(
  point: Checkpoint,
  parsed: ReadonlyArray<Entry | undefined>,
  exists: boolean,
  key: Uint8Array | undefined,
  problems: Problem[],
  notes: string[],
): void {
  if (point.mac) {
    if (!key) notes.push(`the checkpoint is signed (key ${point.keyId ?? "?"}) but no key was given: its signature was not checked`);
    else if (!sameHex(point.mac, chainMac(key, point.seq, point.hash))) {
      problems.push({ line: 0, kind: "forged", message: "the checkpoint's MAC does not match this key: it was not made with it" });
      return;
    }
  }
  if (point.seq === 0) return;
  if (!exists) {
    problems.push({ line: 0, kind: "missing", message: `the log is gone, but the checkpoint of ${point.time} records ${point.seq} entries` });
    return;
  }
  const at = parsed.findIndex((e) => e?.seq === point.seq);
  const entry = parsed[at];
  const tipSeq = parsed.reduce((m, e) => Math.max(m, e?.seq ?? 0), 0);
  if (!entry) {
    problems.push({
      line: 0,
      kind: "truncated",
      message: `the checkpoint of ${point.time} records entry ${point.seq} but the log ends at entry ${tipSeq}: the log was cut or replaced`,
    });
  } else if (entry.hash !== point.hash) {
    problems.push({
      line: at + 1,
      kind: "edited",
      message: `line ${at + 1}: entry ${point.seq} differs from the checkpoint of ${point.time}: the chain was rewritten`,
    });
  }
}

/** The entries as JSON lines (for export), verified or not. */
export function readEntries(dir: string): string[] {
  const file = path.join(dir, LOG_FILE);
  return existsSync(file) ? readLogFile(file).split("\n").filter(Boolean) : [];
}
