// npm's downloads API, asked in bulk: up to 128 unscoped names a request (the API's limit; scoped
// names are not allowed in bulk and go one by one). A count, "no figure" and a failure stay distinct.
import { getJson, isGone, UnverifiableError, withTrailingSlash, type Fetcher } from "../../sources/http.ts";
import { errorMessage, isRecord } from "../../core/guards.ts";

/** The public downloads API, when no configuration names one. */
export const DEFAULT_NPM_DOWNLOADS_API = "https://api.npmjs.org/downloads/";

export type DownloadsAnswer =
  /** Downloads last month, as the API counted them (0 is a count). */
  | { kind: "count"; downloads: number }
  /** The API has no figure for the name (404 alone, null in bulk). */
  | { kind: "none" }
  /** The request failed, or the answer said nothing usable about the name. */
  | { kind: "failed"; reason: string };

export const BULK_LIMIT = 128;
/** Joined names per request: proxies and servers refuse very long URLs. */
const MAX_PATH_CHARS = 4_000;
/** Bulk requests out at once, at most (the one a lookup waits for, and those asked ahead). */
const MAX_IN_FLIGHT = 4;
/** Names waiting to be asked for; more are asked for one request at a time when looked up. */
const MAX_EXPECTED = 100_000;

export interface DownloadsLimits {
  timeoutMs: number;
  /** Cap for a one-name answer; a bulk answer may add 1 kB a name. */
  maxBytes: number;
}

export interface DownloadsClient {
  /** Names about to be looked up: unscoped ones are then asked for together, in this order. */
  expect(names: Iterable<string>): void;
  /** Last month's downloads of one name (for a scoped name, one request of its own). */
  get(name: string): Promise<DownloadsAnswer>;
}

/** Monthly downloads from a downloads-API answer, or undefined when it does not say. */
export function downloadsFromResponse(json: unknown): number | undefined {
  if (!isRecord(json)) return undefined;
  const n = json.downloads;
  return typeof n === "number" && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** Names that may share a request: unscoped, in today's lowercase URL-safe form (a legacy name such as "JSONStream" goes alone, so that its key in the answer cannot differ). */
const bulkable = (name: string): boolean => /^[a-z0-9][a-z0-9._~-]*$/.test(name);

/** The path of a name in the API: scoped names keep a plain slash. */
function pathOf(name: string): string {
  if (!name.startsWith("@")) return encodeURIComponent(name);
  const slash = name.indexOf("/");
  return `@${encodeURIComponent(name.slice(1, slash))}/${encodeURIComponent(name.slice(slash + 1))}`;
}

function countOf(json: unknown, name: string): DownloadsAnswer {
  const downloads = downloadsFromResponse(json);
  return downloads === undefined ? { kind: "failed", reason: `the downloads API answer for "${name}" has no count` } : { kind: "count", downloads };
}

interface Pending {
  answer: Promise<DownloadsAnswer>;
  settle: (answer: DownloadsAnswer) => void;
  asked: boolean;
}

export function createDownloadsClient(fetcher: Fetcher, downloadsUrl: string, limits: DownloadsLimits): DownloadsClient {
  const base = `${withTrailingSlash(downloadsUrl)}point/last-month/`;
  // Expected names in order, and each one's answer-to-be until its lookup takes it.
  const queue: string[] = [];
  let head = 0;
  const pending = new Map<string, Pending>();

  const add = (name: string): Pending => {
    let settle!: (answer: DownloadsAnswer) => void;
    const answer = new Promise<DownloadsAnswer>((resolve) => (settle = resolve));
    const entry = { answer, settle, asked: false };
    pending.set(name, entry);
    return entry;
  };

  const one = async (name: string): Promise<DownloadsAnswer> => {
    try {
      const res = await getJson(fetcher, base + pathOf(name), { timeoutMs: limits.timeoutMs, maxBytes: limits.maxBytes });
      return isGone(res.status) ? { kind: "none" } : countOf(res.json, name);
    } catch (error) {
      return { kind: "failed", reason: errorMessage(error) };
    }
  };

  /** One request for several names; the answer is an object keyed by name. */
  const bulk = async (names: readonly string[]): Promise<DownloadsAnswer[]> => {
    try {
      const res = await getJson(fetcher, base + names.map(pathOf).join(","), {
        timeoutMs: limits.timeoutMs,
        maxBytes: limits.maxBytes + names.length * 1024,
      });
      // An API without bulk queries (a mirror) says 404: ask it name by name.
      if (isGone(res.status)) return Promise.all(names.map(one));
      const json = res.json;
      return names.map((name): DownloadsAnswer => {
        if (!isRecord(json) || !Object.hasOwn(json, name)) return { kind: "failed", reason: `the downloads API did not answer for "${name}"` };
        return json[name] === null ? { kind: "none" } : countOf(json[name], name);
      });
    } catch (error) {
      if (error instanceof UnverifiableError && error.status === 400) return Promise.all(names.map(one));
      const failed: DownloadsAnswer = { kind: "failed", reason: errorMessage(error) };
      return names.map(() => failed);
    }
  };

  /** The next expected names not yet asked for (after `first`, when given), up to the limits; marked asked. */
  const take = (first?: [string, Pending]): Array<[string, Pending]> => {
    const batch = first ? [first] : [];
    if (first && !bulkable(first[0])) return batch;
    let chars = first ? first[0].length : 0;
    while (head < queue.length && batch.length < BULK_LIMIT) {
      const name = queue[head]!;
      const next = pending.get(name);
      if (!next || next.asked) {
        head++;
        continue;
      }
      if (batch.length && chars + name.length + 1 > MAX_PATH_CHARS) break;
      head++;
      next.asked = true;
      chars += name.length + 1;
      batch.push([name, next]);
    }
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    }
    return batch;
  };

  let inFlight = 0;
  const send = (batch: Array<[string, Pending]>): void => {
    inFlight++;
    const names = batch.map(([name]) => name);
    const answers = names.length === 1 ? one(names[0]!).then((a) => [a]) : bulk(names);
    void answers.then((list) => {
      inFlight--;
      for (const [i, a] of list.entries()) batch[i]![1].settle(a);
    });
  };

  /**
   * Asks for `name` with the next expected names; and, while few requests are out, for the batches
   * after them too, so that a slow downloads API holds the lookups back once, not batch after batch.
   */
  const ask = (name: string, entry: Pending): void => {
    entry.asked = true;
    send(take([name, entry]));
    while (inFlight < MAX_IN_FLIGHT) {
      const ahead = take();
      if (!ahead.length) break;
      send(ahead);
    }
  };

  return {
    expect(names) {
      for (const name of names) {
        if (pending.size >= MAX_EXPECTED) break;
        if (!bulkable(name) || pending.has(name)) continue;
        add(name);
        queue.push(name);
      }
    },
    get(name) {
      const entry = pending.get(name) ?? add(name);
      pending.delete(name); // taken: a later lookup asks afresh
      if (!entry.asked) ask(name, entry);
      return entry.answer;
    },
  };
}
