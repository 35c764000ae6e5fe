// The GitHub ecosystem: repositories and actions by `owner/repo[/path]@ref` (`uses:` lines, `github:` dependencies).
import type { MaliciousRecord } from "../../core/model.ts";
import type { Purl } from "../../core/purl.ts";
import { formatPurl } from "../../core/purl.ts";
import type { PopularEntry } from "../../core/model.ts";
import { silentObservation } from "../../sources/silent.ts";
import type { DataSource } from "../../sources/types.ts";
import type { EcosystemModule } from "../types.ts";
import { createGithubApiSource } from "./api.ts";
import { DEFAULT_GITHUB_API, githubRegistryOptions } from "./registry-options.ts";
import { actionsIndex } from "./data.ts";
import { SHIPPED_SOURCE, shippedObservation } from "./facts.ts";
import { canonicalGithubName, checkGithubName, parseGithubName, refKey } from "./names.ts";
import { githubFindings } from "./rules.ts";
import { workflowExtractor } from "./workflow.ts";

/** `pkg:github/owner/repo@ref` for a repository, `pkg:githubactions/owner/repo/path@ref` for an action in a folder. */
export function githubPurl(name: string, ref: string | null): string {
  const parts = name.split("/");
  const sub = parts.length > 2;
  return formatPurl({
    type: sub ? "githubactions" : "github",
    namespace: sub ? parts.slice(0, -1).join("/") : parts[0]!,
    name: parts[parts.length - 1]!,
    version: ref,
    qualifiers: {},
    subpath: null,
  });
}

export function githubFromPurl(purl: Purl): { name: string; version: string | null } {
  const name = purl.namespace ? `${purl.namespace}/${purl.name}` : purl.name;
  return { name: purl.subpath ? `${name}/${purl.subpath}` : name, version: purl.version || null };
}

/** `owner/repo[/path]@ref` (a `uses:` value) or `owner/repo#ref`. */
export function splitGithubSpec(text: string): { name: string; version: string | null } {
  const spec = String(text).trim();
  const cut = spec.search(/[@#]/);
  return cut < 0 ? { name: spec, version: null } : { name: spec.slice(0, cut), version: spec.slice(cut + 1) || null };
}

const GITHUB_URL = /^(?:git\+)?(?:https?|git|ssh):\/\/(?:[^@/]+@)?github\.com[:/]([^/\s#@]+)\/([^/\s#@]+?)(?:\.git)?(?:@([^#\s]+))?\/?(?:#(.*))?$/i;
const SHORTHAND = /^(?:github:)?([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+?)(?:\.git)?(?:#(.*))?$/;

/** A git dependency on github.com: `github:owner/repo#ref`, `owner/repo`, git+https/ssh URLs (pip's `@ref`, npm's `#ref`). */
export function claimGithubReference(spec: string): { name: string; version: string | null } | null {
  // A PEP 508 direct reference names the distribution first: `name @ git+https://...`.
  const text = String(spec).trim().replace(/^[A-Za-z0-9._-]+(?:\[[^\]]*\])?\s*@\s*(?=\S+:\/\/)/, "");
  const url = GITHUB_URL.exec(text);
  const short = url ? null : SHORTHAND.exec(text);
  if (!url && !short) return null;
  const [owner, repo] = url ? [url[1]!, url[2]!] : [short![1]!, short![2]!];
  let ref: string | undefined = url ? (url[3] ?? url[4]) : short![3];
  // npm's `#semver:^1.0` is a range over tags, not a ref; pip's `#egg=` and `#subdirectory=` are not refs.
  if (ref && (/^semver:/.test(ref) || /=/.test(ref))) ref = undefined;
  const parsed = parseGithubName(`${owner}/${repo}`);
  if ("problem" in parsed) return null;
  return { name: canonicalGithubName(`${owner}/${repo}`), version: ref || null };
}

let popular: PopularEntry[] | undefined;

/** The indexed action repositories and their sub-actions: GitHub's own first, then the rest as listed. */
function githubPopular(): PopularEntry[] {
  if (!popular) {
    const { repos, metas } = actionsIndex();
    const names = Object.keys(repos).sort((a, b) => Number(!/^(actions|github)\//.test(a)) - Number(!/^(actions|github)\//.test(b)));
    const out = new Set<string>(names);
    for (const key of names) {
      const repo = repos[key]!;
      const latest = repo.latest ? repo.tags[repo.latest] : undefined;
      const subs = latest?.[2] || repo.head[2];
      for (const [path, id] of Object.entries(subs ?? {})) if (!metas[id]?.noRuns) out.add(`${key}/${path}`);
    }
    popular = [...out].map((name, i) => ({ name, rank: i + 1 }));
  }
  return popular;
}

// Other ecosystems' names get one shared "no opinion".
const notGithub = silentObservation(Object.freeze({ source: SHIPPED_SOURCE }));
const observe = (ecosystem: string, key: string) => (ecosystem === "github" ? shippedObservation(key) : notGithub);
const shipped: DataSource = { id: SHIPPED_SOURCE, lookup: (ecosystem, key) => Promise.resolve(observe(ecosystem, key)), lookupSync: observe };

/** A report affects a ref it lists (or every ref); an unknown ref may be affected. */
const sameRecord = (record: MaliciousRecord, ref: string | null): boolean =>
  ref === null || record.allVersions || record.versions.some((v) => v.toLowerCase() === ref.toLowerCase());

export const github: EcosystemModule = {
  id: "github",
  purlType: "github",
  purlAliases: ["githubactions"],
  label: "GitHub",
  checkName: checkGithubName,
  canonicalName: canonicalGithubName,
  similarity: { scoped: false, foldSeparators: false },
  extractors: [workflowExtractor],
  splitSpec: splitGithubSpec,
  toPurl: githubPurl,
  // Every ref names one thing at a time (a tag can move, which mutable-ref reports): purls keep it.
  isExactVersion: (ref) => ref.length > 0,
  fromPurl: githubFromPurl,
  resolveVersion: (requested) => requested,
  affects: sameRecord,
  compareVersions: (a, b) => a.localeCompare(b, "en", { numeric: true }),
  defaultRegistryUrl: DEFAULT_GITHUB_API,
  registryOptions: githubRegistryOptions,
  createRegistrySource: (config) => createGithubApiSource(config),
  shippedSource: () => shipped,
  shippedPopular: githubPopular,
  lookupKey: refKey,
  referenceFindings: githubFindings,
  claimReference: claimGithubReference,
};
