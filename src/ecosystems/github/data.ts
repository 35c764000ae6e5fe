// The shipped GitHub Actions index (data/github-actions.json.gz, written by scripts/generate-github-actions.ts).
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";

/** One distinct action metadata file (action.yml). */
export interface CompactMeta {
  /** `runs.using` as written (node20, docker, composite...); null when absent. */
  using: string | null;
  /** name -> [required (1/0), default as written or null, deprecation message?]. */
  inputs: Record<string, [0 | 1, string | null, string?]>;
  outputs?: string[];
  /** The file has no `runs:` (not usable as an action). */
  noRuns?: true;
  /** The file could not be parsed. */
  error?: true;
}

export interface Advisory {
  id: string;
  summary: string;
  /** A commit that is malicious wherever it is used. */
  commit?: string;
  /** Refs that were affected (a moving tag used during the compromise). */
  refs?: string[];
  /** Every version tag up to this one was re-pointed. */
  through?: string;
  sources: string[];
}

export interface CompactRepo {
  /** owner/name as GitHub spells it. */
  name: string;
  defaultBranch: string;
  /** Default branch head: [sha, root metadata, {sub-path: metadata}]. */
  head: [string | null, number | null, Record<string, number>];
  /** tag -> [commit, root metadata index or null, sub-paths {path: index} or 0 = a Dockerfile-only action]. */
  tags: Record<string, [string, number | null, (Record<string, number> | 0)?]>;
  branches: string[];
  /** Base64 of sorted little-endian uint32: the first 8 hex digits of every reachable commit. */
  commits: string;
  /** Committer date of the snapshot's HEAD: how fresh this record is. */
  snapshot: string;
  latest?: string;
  /** Sources saying it is archived. */
  archived?: string[];
  /** The repository it moved to (or that replaces it). */
  movedTo?: string;
  advisories?: Advisory[];
}

export interface RunnerLabel {
  status: string;
  deprecated: string | null;
  unsupported: string | null;
  source: string | null;
}

export interface WorkflowCommand {
  disabled: boolean;
  deprecated: string | null;
  replacement: string;
  source: string | null;
}

export interface Runtime {
  deprecated: string | null;
  removed: string | null;
  source: string | null;
}

export interface ActionsIndexFile {
  format: 1;
  source: string;
  newestSnapshot: string;
  /** Keyed by lower-case owner/name. */
  repos: Record<string, CompactRepo>;
  metas: CompactMeta[];
  runners: Record<string, RunnerLabel>;
  commands: Record<string, WorkflowCommand>;
  runtimes: Record<string, Runtime>;
  /** `runs.using` values the runner accepts. */
  accepted: string[];
}

let loaded: ActionsIndexFile | undefined;

/** The shipped index, read once. */
export function actionsIndex(): ActionsIndexFile {
  if (!loaded) {
    const bytes = readFileSync(new URL("../../../data/github-actions.json.gz", import.meta.url));
    const parsed = JSON.parse(gunzipSync(bytes).toString("utf8")) as ActionsIndexFile;
    if (parsed.format !== 1) throw new Error("data/github-actions.json.gz: unknown format (run `npm run data:github`)");
    loaded = parsed;
  }
  return loaded;
}

const prefixCache = new WeakMap<CompactRepo, Uint32Array>();

/** Whether a full commit SHA is reachable in the snapshot (by its first 32 bits: a chance match is about 1 in 200,000 for the largest repository). */
export function hasCommit(repo: CompactRepo, sha: string): boolean {
  let values = prefixCache.get(repo);
  if (!values) {
    const bytes = Buffer.from(repo.commits, "base64");
    values = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    prefixCache.set(repo, values);
  }
  const target = Number.parseInt(sha.slice(0, 8), 16);
  let lo = 0;
  let hi = values.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = values[mid]!;
    if (v === target) return true;
    if (v < target) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
