// The decision log: an append-only, hash-chained JSON-lines file. Each entry commits to the one before it,
// and a head file commits to the last one, so edits, removals, insertions, reordering and a cut tail show.
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, fstatSync } from "node:fs";
import { appendFile, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Verdict } from "../core/findings.ts";

export type Door = "check" | "scan" | "guard" | "proxy" | "mcp" | "ci";

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
}

export interface Entry extends Decision {
  seq: number;
  time: string;
  prev: string;
  hash: string;
}

export const GENESIS = "0".repeat(64);

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

export function entryHash(entry: Omit<Entry, "hash">): string {
  return createHash("sha256").update(canonical(entry)).digest("hex");
}

export function policyDigest(canonicalPolicy: string): string {
  return `sha256:${createHash("sha256").update(canonicalPolicy).digest("hex")}`;
}

interface Head {
  seq: number;
  hash: string;
}

export interface LedgerOptions {
  now?: () => Date;
  /** How long a lock may be held before it is taken as abandoned by a crashed writer. */
  staleLockMs?: number;
}

/** The last line of a file, read from its end (the log can be large). */
function lastLine(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    let chunk = 4096;
    while (true) {
      const start = Math.max(0, size - chunk);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      const text = buf.toString("utf8").replace(/\n+$/, "");
      const nl = text.lastIndexOf("\n");
      if (nl >= 0 || start === 0) return text.slice(nl + 1) || undefined;
      chunk *= 4;
    }
  } finally {
    closeSync(fd);
  }
}

export class Ledger {
  readonly file: string;
  readonly headFile: string;
  readonly lockFile: string;
  private readonly now: () => Date;
  private readonly staleLockMs: number;
  /** Appends from this process run one after another; other processes are kept out by the lock file. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(dir: string, options: LedgerOptions = {}) {
    mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, "ledger.jsonl");
    this.headFile = path.join(dir, "ledger.head");
    this.lockFile = path.join(dir, "ledger.lock");
    this.now = options.now ?? (() => new Date());
    this.staleLockMs = options.staleLockMs ?? 30_000;
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

  private async appendLocked(decisions: readonly Decision[]): Promise<Entry[]> {
    if (!decisions.length) return [];
    const unlock = await this.lock();
    try {
      const last = lastLine(this.file);
      let head: Head = { seq: 0, hash: GENESIS };
      if (last) {
        const parsed = JSON.parse(last) as Entry;
        head = { seq: parsed.seq, hash: parsed.hash };
      }
      const time = this.now().toISOString();
      const entries: Entry[] = [];
      for (const d of decisions) {
        const body = { ...d, seq: head.seq + 1, time, prev: head.hash };
        const entry: Entry = { ...body, hash: entryHash(body) };
        entries.push(entry);
        head = { seq: entry.seq, hash: entry.hash };
      }
      await appendFile(this.file, entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
      const tmp = `${this.headFile}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(head)}\n`);
      await rename(tmp, this.headFile);
      return entries;
    } finally {
      await unlock();
    }
  }
}

export interface Problem {
  /** 1-based line in the log (0 for the head file). */
  line: number;
  kind: "unreadable" | "edited" | "removed" | "inserted" | "reordered" | "truncated";
  message: string;
}

export interface Verification {
  entries: number;
  problems: Problem[];
}

/** Checks the whole chain; reports each break with its position. */
export async function verifyLedger(dir: string): Promise<Verification> {
  const file = path.join(dir, "ledger.jsonl");
  const text = existsSync(file) ? await readFile(file, "utf8") : "";
  const lines = text.split("\n").filter((l, i, all) => l !== "" || i < all.length - 1);
  const problems: Problem[] = [];
  const parsed = lines.map((line): Entry | undefined => {
    try {
      const entry = JSON.parse(line) as Entry;
      return typeof entry.seq === "number" && typeof entry.hash === "string" && typeof entry.prev === "string" ? entry : undefined;
    } catch {
      return undefined;
    }
  });
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
    const { hash, ...body } = entry;
    const add = (kind: Problem["kind"], message: string) => problems.push({ line: at, kind, message: `line ${at}: ${message}` });
    if (entryHash(body) !== hash) {
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
    seen.add(entry.seq);
    expectedSeq = Math.max(expectedSeq, entry.seq + 1);
  });
  const headText = existsSync(path.join(dir, "ledger.head")) ? await readFile(path.join(dir, "ledger.head"), "utf8") : "";
  if (headText) {
    try {
      const head = JSON.parse(headText) as Head;
      const tip = parsed.reduce<Entry | undefined>((best, e) => (e && (!best || e.seq > best.seq) ? e : best), undefined);
      if (head.seq !== (tip?.seq ?? 0) || head.hash !== (tip?.hash ?? GENESIS)) {
        problems.push({
          line: 0,
          kind: "truncated",
          message: `the head records entry ${head.seq} but the log ends at entry ${tip?.seq ?? 0}: entries were removed from the end`,
        });
      }
    } catch {
      problems.push({ line: 0, kind: "unreadable", message: "the head file is unreadable" });
    }
  } else if (lines.length) {
    problems.push({ line: 0, kind: "truncated", message: "the head file is missing" });
  }
  return { entries: lines.length, problems };
}

/** The entries as JSON lines (for export), verified or not. */
export function readEntries(dir: string): string[] {
  const file = path.join(dir, "ledger.jsonl");
  return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean) : [];
}
