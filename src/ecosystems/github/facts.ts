// What is known about one GitHub reference (`owner/repo[/path]@ref`): the shipped index's answer,
// or the GitHub API's, in one shape (PackageFacts.detail), so the rules read both alike.
import type { Observation } from "../../sources/types.ts";
import { type Advisory, type CompactMeta, type CompactRepo, actionsIndex, hasCommit, type RunnerLabel } from "./data.ts";
import { isFullSha, isShortSha, pathOf, repoOf, splitRefKey } from "./names.ts";

/** Pseudo-references for what a workflow names besides actions: hosted runner labels and the runner's commands. */
export const RUNNER_IMAGES = "actions/runner-images";
export const RUNNER = "actions/runner";

export type RefKind = "tag" | "branch" | "commit" | "short-sha" | "missing" | "none";

export interface RefFacts {
  /** owner/name as GitHub spells it. */
  repo: string;
  path: string;
  ref: string | null;
  kind: RefKind;
  /** The commit a tag points at (what to pin to). */
  sha?: string;
  /** The tag a full SHA is the target of (its version, for pins and retired majors). */
  tag?: string;
  /** Action metadata at that ref and path: null = no action.yml there, undefined = not known. */
  meta?: CompactMeta | null;
  /** No action.yml but a Dockerfile: a Docker action without inputs. */
  dockerfileOnly?: boolean;
  archived?: string[] | true;
  movedTo?: string;
  advisories?: Advisory[];
  latest?: string;
  /** The date of the data: a snapshot's commit date, or "live". */
  asOf: string;
  /** For RUNNER_IMAGES: the label's record (null: not a GitHub-hosted label known to the index). */
  runner?: RunnerLabel | null;
}

/** The id of the shipped index as a data source. */
export const SHIPPED_SOURCE = "github-actions-index";
const SOURCE = SHIPPED_SOURCE;

/** The shipped index's observation for a lookup key (`owner/repo[/path][@ref]`). */
export function shippedObservation(key: string): Observation {
  const { name, ref } = splitRefKey(key);
  const index = actionsIndex();
  if (name === RUNNER_IMAGES) {
    const detail: RefFacts = { repo: name, path: "", ref, kind: "none", asOf: index.newestSnapshot, runner: ref ? (index.runners[ref] ?? null) : null };
    return { source: SOURCE, existence: "exists", detail };
  }
  if (name === RUNNER) return { source: SOURCE, existence: "exists", detail: { repo: name, path: "", ref, kind: "none", asOf: index.newestSnapshot } satisfies RefFacts };
  const repo = index.repos[repoOf(name)];
  if (!repo) {
    return { source: SOURCE, existence: "unknown", unknownReason: `not among the ${Object.keys(index.repos).length} action repositories of the shipped GitHub Actions index` };
  }
  return { source: SOURCE, existence: "exists", latestVersion: repo.latest ?? null, detail: resolveShipped(repo, pathOf(name), ref) };
}

/** Resolves a ref in a repository of the shipped index. */
export function resolveShipped(repo: CompactRepo, path: string, ref: string | null): RefFacts {
  const { metas } = actionsIndex();
  const out: RefFacts = { repo: repo.name, path, ref, kind: "none", asOf: repo.snapshot };
  if (repo.latest) out.latest = repo.latest;
  if (repo.archived) out.archived = repo.archived.length ? repo.archived : true;
  if (repo.movedTo) out.movedTo = repo.movedTo;
  if (repo.advisories) out.advisories = repo.advisories;
  const key = path.toLowerCase();
  const metaAt = (root: number | null, subs: Record<string, number> | 0 | undefined): CompactMeta | null => {
    if (!key) return root === null ? null : metas[root]!;
    const id = subs ? subs[key] : undefined;
    return id === undefined ? null : metas[id]!;
  };
  const fromTag = (tag: string) => {
    const [sha, root, subs] = repo.tags[tag]!;
    out.sha = sha;
    out.meta = metaAt(root, subs);
    if (subs === 0 && !key) out.dockerfileOnly = true;
  };
  if (ref === null || ref === "HEAD") {
    // No ref: the default branch (a `github:owner/repo` dependency).
    out.kind = "branch";
    out.meta = metaAt(repo.head[1], repo.head[2]);
    return out;
  }
  if (Object.hasOwn(repo.tags, ref)) {
    out.kind = "tag";
    fromTag(ref);
  } else if (repo.branches.includes(ref)) {
    out.kind = "branch";
    if (ref === repo.defaultBranch) out.meta = metaAt(repo.head[1], repo.head[2]);
  } else if (isFullSha(ref)) {
    const sha = ref.toLowerCase();
    const tag = Object.keys(repo.tags).find((t) => repo.tags[t]![0] === sha);
    if (tag) {
      out.kind = "commit";
      out.tag = tag;
      fromTag(tag);
      out.sha = sha;
    } else if (sha === repo.head[0]) {
      out.kind = "commit";
      out.meta = metaAt(repo.head[1], repo.head[2]);
    } else out.kind = hasCommit(repo, sha) ? "commit" : "missing";
  } else out.kind = isShortSha(ref) ? "short-sha" : "missing";
  return out;
}
