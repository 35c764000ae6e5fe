// A small text index over the registry snapshots' names and summaries, so that an agent can ask for
// "an http client for node" and get real packages. Built by `bouncer index build` next to the
// offline index; ranked with BM25 over summary words plus name words, weighted by popularity.
//
// File (gzip): one JSON header line, then one line per package:
//   ecosystem \t name as published \t popularity \t last release month \t summary
// Popularity is downloads a month (npm) or the download rank (PyPI, 1 = most); either may be empty.
import { gunzipSync, gzipSync } from "node:zlib";
import { readRegularFile } from "../files.ts";
import { monthToInt } from "./format.ts";

export const SEARCH_FILE = "search.tsv.gz";
const FORMAT = "bouncer-search";
const VERSION = 1;
/** The most popular packages of each ecosystem are indexed; the rest are rarely the right answer. */
export const MAX_DOCS_PER_ECOSYSTEM = 60_000;
const MAX_SUMMARY_CHARS = 200;
const MAX_FILE_BYTES = 64 * 1024 * 1024;
const MAX_TEXT_BYTES = 256 * 1024 * 1024;
const MAX_QUERY_CHARS = 500;
const MAX_QUERY_TERMS = 16;

export interface SearchDoc {
  name: string;
  /** npm: downloads a month. */
  downloads?: number;
  /** PyPI: rank among the most downloaded. */
  rank?: number;
  /** YYYY-MM of the latest release, when known. */
  month?: string;
  summary: string;
}

export interface SearchInput {
  ecosystem: string;
  docs: SearchDoc[];
}

const clean = (s: string) => s.replace(/[\t\r\n]+/g, " ").trim();

/** Keeps the most popular documents of each ecosystem, bounded in number and summary length. */
export function encodeSearchIndex(inputs: readonly SearchInput[]): Buffer {
  const lines: string[] = [];
  const header: { format: string; version: number; ecosystems: Array<{ ecosystem: string; docs: number }> } = { format: FORMAT, version: VERSION, ecosystems: [] };
  for (const input of inputs) {
    const ranked = input.docs.filter((d) => d.rank !== undefined || d.downloads !== undefined);
    ranked.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (b.downloads ?? 0) - (a.downloads ?? 0));
    const kept = ranked.slice(0, MAX_DOCS_PER_ECOSYSTEM);
    header.ecosystems.push({ ecosystem: input.ecosystem, docs: kept.length });
    for (const d of kept) {
      const pop = d.rank !== undefined ? `r${d.rank}` : d.downloads !== undefined ? String(d.downloads) : "";
      lines.push([input.ecosystem, clean(d.name), pop, d.month ?? "", clean(d.summary).slice(0, MAX_SUMMARY_CHARS)].join("\t"));
    }
  }
  return gzipSync(`${JSON.stringify(header)}\n${lines.join("\n")}\n`);
}

// ---- text ----

const STOP = new Set(
  (
    "a an and any are as at be best by can do does easy for from get good how i in into is it its library lib libraries like make me module modules " +
    "my need of on or package packages simple so some something that the this to tool tools use used using want way what which with without you your " +
    "fast lightweight small tiny modern quick"
  ).split(" "),
);

/** A light suffix stripper: "parsing", "parser", "parses" and "parse" meet at "pars". */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith("ies")) w = `${w.slice(0, -3)}y`;
  else if (w.length > 4 && /(ss|x|z|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of ["ing", "ers", "er", "ed", "ly", "e"]) {
    if (w.length > suffix.length + 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  // "formatt" (formatter) meets "format".
  if (w.length > 4 && /([b-df-hj-np-tv-z])\1$/.test(w)) w = w.slice(0, -1);
  return w;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\be-mail/g, "email")
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0 && t.length <= 40);
}

const terms = (text: string) => words(text).filter((t) => !STOP.has(t)).map(stem);

/** Affixes that say the language, not the task: PyYAML is about yaml, bcryptjs about bcrypt. */
const LANGUAGE_AFFIX = /^(?:python|py)(?=[a-z]{3})|(?<=[a-z]{3})(?:js|py)$/;

/** A name's words: "@types/node-fetch" gives node, fetch and nodefetch; "PyYAML" pyyaml and yaml. */
function nameTerms(name: string): string[] {
  const bare = name.replace(/^@[^/]+\//, "");
  const parts = words(bare);
  const joined = bare.toLowerCase().replace(/[^a-z0-9]+/g, "");
  const out = parts.length > 1 ? [...parts, joined] : parts;
  for (const p of parts) if (LANGUAGE_AFFIX.test(p)) out.push(p.replace(LANGUAGE_AFFIX, ""));
  return out.map(stem);
}

export interface Query {
  /** Stemmed words of the task. */
  terms: string[];
  /** Neighbouring words written as one ("query string" as querystring), by the index of the first. */
  compounds?: Array<{ at: number; term: string }>;
  /** The ecosystem the words name, if any ("node", "python"). */
  ecosystem?: string;
}

/**
 * A task in words as a query. `ecosystemWords` maps the words that name an ecosystem, not the task
 * ("node", "python"), to it (the ecosystems declare theirs: SEARCH_WORDS of src/ecosystems).
 */
export function parseQuery(text: string, ecosystemWords: Readonly<Record<string, string>>): Query {
  const all = words(text.slice(0, MAX_QUERY_CHARS));
  const named = [...new Set(all.map((w) => (Object.hasOwn(ecosystemWords, w) ? ecosystemWords[w] : undefined)).filter((e): e is string => e !== undefined))];
  const raw = [...new Set(all.filter((w) => !STOP.has(w) && !Object.hasOwn(ecosystemWords, w)))].slice(0, MAX_QUERY_TERMS);
  const kept = raw.map(stem);
  const query: Query = { terms: [...new Set(kept)] };
  const compounds = raw.slice(1).map((w, i) => ({ at: query.terms.indexOf(kept[i]!), term: stem(raw[i]! + w) })).filter((c) => c.at >= 0 && c.at + 1 < query.terms.length);
  if (compounds.length) query.compounds = compounds;
  if (named.length === 1) query.ecosystem = named[0]!;
  return query;
}

// ---- index ----

interface Section {
  docs: SearchDoc[];
  /** Popularity scaled to 0..1. */
  pop: Float64Array;
  length: Uint16Array;
  avgLength: number;
  summary: Map<string, { doc: number[]; tf: number[] }>;
  name: Map<string, number[]>;
  /** A package whose whole name is the term ("glob", "cors"). */
  exact: Map<string, number[]>;
}

export interface SearchHit {
  name: string;
  summary: string;
  score: number;
  /** Share of the query's words the package matched (0..1). */
  coverage: number;
  downloads?: number;
  rank?: number;
}

export interface SearchIndex {
  readonly path: string;
  ecosystems(): string[];
  /** The best matches, best first; empty when no package matches enough of the words. */
  search(ecosystem: string, query: Query, limit: number): SearchHit[];
}

/** The map's value for key, made and stored on first use. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

function parseDocs(text: string): Map<string, SearchDoc[]> {
  const nl = text.indexOf("\n");
  const header = JSON.parse(nl < 0 ? text : text.slice(0, nl)) as { format?: string; version?: number };
  if (header.format !== FORMAT || header.version !== VERSION) throw new Error("not a search index of this version");
  const out = new Map<string, SearchDoc[]>();
  let start = nl + 1;
  while (start > 0 && start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const f = text.slice(start, end).split("\t");
    start = end + 1;
    if (f.length < 5 || !f[1]) continue;
    const doc: SearchDoc = { name: f[1], summary: f[4]! };
    const pop = f[2]!;
    if (pop.startsWith("r")) doc.rank = Number(pop.slice(1));
    else if (pop) doc.downloads = Number(pop);
    if (f[3]) doc.month = f[3];
    entry(out, f[0]!, () => []).push(doc);
  }
  return out;
}

function buildSection(docs: SearchDoc[]): Section {
  const n = docs.length;
  const pop = new Float64Array(n);
  const length = new Uint16Array(n);
  const summary = new Map<string, { doc: number[]; tf: number[] }>();
  const name = new Map<string, number[]>();
  const exact = new Map<string, number[]>();
  let maxDownloads = 1;
  let minDownloads = Infinity;
  let maxRank = 1;
  for (const d of docs) {
    if (d.downloads !== undefined) {
      maxDownloads = Math.max(maxDownloads, d.downloads);
      minDownloads = Math.min(minDownloads, d.downloads);
    }
    if (d.rank !== undefined) maxRank = Math.max(maxRank, d.rank);
  }
  const low = Math.log10(1 + (Number.isFinite(minDownloads) ? minDownloads : 0));
  const span = Math.max(1e-9, Math.log10(1 + maxDownloads) - low);
  let total = 0;
  docs.forEach((d, i) => {
    pop[i] =
      d.rank !== undefined
        ? 1 - Math.log(d.rank) / Math.log(maxRank + 1)
        : d.downloads !== undefined
          ? (Math.log10(1 + d.downloads) - low) / span
          : 0;
    const t = terms(d.summary);
    length[i] = Math.min(t.length, 65_535);
    total += t.length;
    const counts = new Map<string, number>();
    for (const w of t) counts.set(w, (counts.get(w) ?? 0) + 1);
    for (const [w, c] of counts) {
      const p = entry(summary, w, () => ({ doc: [], tf: [] }));
      p.doc.push(i);
      p.tf.push(c);
    }
    for (const w of new Set(nameTerms(d.name))) {
      entry(name, w, () => []).push(i);
    }
    // A scoped name ("@babel/parser") is not named by the word "parser": the scope is part of the name.
    const whole = d.name.toLowerCase();
    if (!whole.startsWith("@")) for (const key of new Set([stem(whole), stem(whole.replace(LANGUAGE_AFFIX, ""))])) entry(exact, key, () => []).push(i);
  });
  return { docs, pop, length, avgLength: n ? total / n : 1, summary, name, exact };
}

const K1 = 1.2;
const B = 0.75;
/** A query word in the name counts as much as this many summary matches. */
const NAME_WEIGHT = 0.5;
/** The whole name is a word of the query ("glob", "bcrypt"): the agent named the package. */
const EXACT_BONUS = 1.5;
const PREFIX_WEIGHT = 0.5;
/** Popularity as a factor of 10^(POP * 0..1): among matches, what maintainers use comes first. */
const POP = 3;
/** A package must match at least a third of the words; its score falls with the square of the share it misses. */
const MIN_COVER = 0.33;
const COVER_EXP = 2;
const NAMED_COVER = 0.67;
/** Below this share of the words a match is weak: said so, not offered as a fit. */
export const FIT_COVER = 0.5;
/** Packages with no release for this many years weigh less: they are likely unmaintained. */
const STALE_YEARS = 4;

function searchSection(s: Section, query: Query, limit: number, newestMonth: number | undefined): SearchHit[] {
  const n = s.docs.length;
  if (!query.terms.length || !n) return [];
  const score = new Float64Array(n);
  const matched = new Uint8Array(n);
  /** Packages the query names outright ("with bcrypt", "yaml"). */
  const named = new Set<number>();
  const touched: number[] = [];
  const add = (doc: number, value: number, bit: number) => {
    if (score[doc] === 0 && matched[doc] === 0) touched.push(doc);
    score[doc]! += value;
    matched[doc]! |= bit;
  };
  query.terms.forEach((term, q) => {
    const bit = 1 << Math.min(q, 7);
    const sp = s.summary.get(term);
    const np = s.name.get(term);
    const df = Math.max(sp?.doc.length ?? 0, np?.length ?? 0);
    if (!df) return;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    if (sp) {
      for (let k = 0; k < sp.doc.length; k++) {
        const d = sp.doc[k]!;
        const tf = sp.tf[k]!;
        add(d, (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * s.length[d]!) / s.avgLength)), bit);
      }
    }
    if (np) for (const d of np) add(d, NAME_WEIGHT * idf, bit);
    for (const d of s.exact.get(term) ?? []) {
      add(d, EXACT_BONUS * idf, bit);
      named.add(d);
    }
    // "sql" finds SQLAlchemy, "mark" marked: a name that starts with the word, when nothing else in the name matched.
    if (term.length >= 3) {
      for (const [whole, list] of s.exact) {
        if (whole.length > term.length && whole.startsWith(term)) for (const d of list) if (!(matched[d]! & bit)) add(d, PREFIX_WEIGHT * idf, bit);
      }
    }
  });
  for (const c of query.compounds ?? []) {
    const bits = (1 << Math.min(c.at, 7)) | (1 << Math.min(c.at + 1, 7));
    const sp = s.summary.get(c.term);
    const np = s.name.get(c.term);
    const df = Math.max(sp?.doc.length ?? 0, np?.length ?? 0);
    if (!df) continue;
    const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
    for (const d of sp?.doc ?? []) add(d, idf, bits);
    for (const d of np ?? []) add(d, NAME_WEIGHT * idf, bits);
  }
  const want = Math.min(query.terms.length, 8);
  const hits: Array<{ doc: number; value: number; coverage: number }> = [];
  for (const d of touched) {
    let bits = matched[d]!;
    let count = 0;
    while (bits) {
      count += bits & 1;
      bits >>= 1;
    }
    // A package the words name counts as covering most of the task: the agent asked for it.
    const coverage = named.has(d) ? Math.max(count / want, NAMED_COVER) : count / want;
    if (coverage < MIN_COVER) continue;
    const doc = s.docs[d]!;
    let value = score[d]! * coverage ** COVER_EXP * 10 ** (POP * s.pop[d]!);
    const month = newestMonth !== undefined && doc.month ? monthToInt(doc.month) : undefined;
    if (month !== undefined && newestMonth! - month > STALE_YEARS * 12) value *= 0.7;
    hits.push({ doc: d, value, coverage });
  }
  hits.sort((a, b) => b.value - a.value || a.doc - b.doc);
  return hits.slice(0, limit).map((h) => {
    const d = s.docs[h.doc]!;
    const hit: SearchHit = { name: d.name, summary: d.summary, score: Number(h.value.toFixed(4)), coverage: h.coverage };
    if (d.downloads !== undefined) hit.downloads = d.downloads;
    if (d.rank !== undefined) hit.rank = d.rank;
    return hit;
  });
}

export function searchIndexFrom(docs: Map<string, SearchDoc[]>, file = "(memory)"): SearchIndex {
  const sections = new Map<string, Section>();
  const newest = new Map<string, number | undefined>();
  const section = (eco: string): Section | undefined => {
    const d = docs.get(eco);
    if (!d) return undefined;
    let s = sections.get(eco);
    if (!s) {
      s = buildSection(d);
      sections.set(eco, s);
      let last: number | undefined;
      for (const x of d) {
        const m = x.month ? monthToInt(x.month) : undefined;
        if (m !== undefined && (last === undefined || m > last)) last = m;
      }
      newest.set(eco, last);
    }
    return s;
  };
  return {
    path: file,
    ecosystems: () => [...docs.keys()],
    search(ecosystem, query, limit) {
      const s = section(ecosystem);
      return s ? searchSection(s, query, limit, newest.get(ecosystem)) : [];
    },
  };
}

/** Opens a search index file; undefined when there is none. A damaged file is an error. */
export function openSearchIndex(file: string): SearchIndex | undefined {
  let raw: Buffer;
  try {
    raw = readRegularFile(file, { limit: MAX_FILE_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let text: string;
  try {
    text = gunzipSync(raw, { maxOutputLength: MAX_TEXT_BYTES }).toString("utf8");
    return searchIndexFrom(parseDocs(text), file);
  } catch (error) {
    throw new Error(`search index ${file} is unusable (${(error as Error).message}); rebuild it with the offline index`);
  }
}
