// The GitHub REST API as a data source, for references the shipped index cannot answer: the
// repository (GET /repos/{o}/{r}, which follows a rename), the ref (git/ref/tags|heads, git/commits)
// and the action's metadata (contents/{path}/action.yml?ref=).
import type { EcosystemId } from "../../core/model.ts";
import { errorMessage, isRecord } from "../../core/guards.ts";
import { type Fetcher, getJson, isGone, UnverifiableError, withTrailingSlash } from "../../sources/http.ts";
import type { DataSource, LookupOptions, Observation } from "../../sources/types.ts";
import type { RegistryConfig } from "../types.ts";
import { actionsIndex } from "./data.ts";
import { RUNNER, RUNNER_IMAGES, type RefFacts, resolveShipped } from "./facts.ts";
import { parseActionMetadata } from "./metadata.ts";
import { isFullSha, isShortSha, pathOf, repoOf, splitRefKey } from "./names.ts";
import { DEFAULT_GITHUB_API } from "./registry-options.ts";

const SOURCE = "github-api";
const MAX_METADATA_BYTES = 512 * 1024;

interface Limits {
  remaining: string | null;
  reset: string | null;
}

/** Why GitHub would not answer, in words a user can act on. */
function refusal(error: unknown, limits: Limits, host: string, token: boolean): string {
  const status = error instanceof UnverifiableError ? error.status : undefined;
  if ((status === 403 || status === 429) && (limits.remaining === "0" || status === 429)) {
    const reset = Number(limits.reset);
    const until = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : "";
    return `${host} is rate limiting${until}${token ? "" : " (set GITHUB_TOKEN for a higher limit)"}`;
  }
  if (status === 401) return `${host} rejected the credentials (HTTP 401); check GITHUB_TOKEN`;
  if (status === 403) return `${host} refused access (HTTP 403)${token ? "; check GITHUB_TOKEN's permissions" : ""}`;
  return errorMessage(error);
}

export function createGithubApiSource(config: RegistryConfig): DataSource {
  const base = withTrailingSlash(config.baseUrl || DEFAULT_GITHUB_API);
  const host = (() => {
    try {
      return new URL(base).host;
    } catch {
      return base;
    }
  })();

  async function lookup(ecosystem: EcosystemId, key: string, options?: LookupOptions): Promise<Observation> {
    if (ecosystem !== "github") return { source: SOURCE };
    const { name, ref } = splitRefKey(key);
    if (name === RUNNER || name === RUNNER_IMAGES) return { source: SOURCE };
    // What the shipped index answers is not asked again; a ref newer than its snapshot is.
    const shipped = actionsIndex().repos[repoOf(name)];
    if (shipped && resolveShipped(shipped, pathOf(name), ref).kind !== "missing") return { source: SOURCE };
    const limits: Limits = { remaining: null, reset: null };
    const fetcher: Fetcher = async (url, init) => {
      const response = await config.fetch(url, init);
      if (response.status === 403 || response.status === 429) {
        limits.remaining = response.headers.get("x-ratelimit-remaining");
        limits.reset = response.headers.get("x-ratelimit-reset");
      }
      return response;
    };
    const get = async (path: string, maxBytes = 2 * 1024 * 1024) => {
      const url = new URL(path, base).href;
      const headers: Record<string, string> = { "x-github-api-version": "2022-11-28", "user-agent": "bouncer" };
      if (config.authorization) headers.authorization = config.authorization;
      return getJson(fetcher, url, { accept: "application/vnd.github+json", headers, maxBytes, signal: options?.signal });
    };
    const seg = encodeURIComponent;
    try {
      const [owner, repo] = repoOf(name).split("/") as [string, string];
      const found = await get(`repos/${seg(owner)}/${seg(repo)}`);
      if (isGone(found.status)) return { source: SOURCE, existence: "absent" };
      const json = isRecord(found.json) ? found.json : {};
      const fullName = typeof json.full_name === "string" ? json.full_name : repoOf(name);
      const facts: RefFacts = { repo: fullName, path: pathOf(name), ref, kind: "none", asOf: "live" };
      if (json.archived === true) facts.archived = true;
      // A renamed or transferred repository answers under its new name (GitHub redirects the old one).
      if (fullName.toLowerCase() !== repoOf(name).toLowerCase()) facts.movedTo = fullName;
      const at = `repos/${fullName.split("/").map(seg).join("/")}`;
      let commitish = ref;
      if (ref === null) {
        facts.kind = "branch";
        commitish = typeof json.default_branch === "string" ? json.default_branch : null;
      } else if (isFullSha(ref)) {
        const commit = await get(`${at}/git/commits/${seg(ref)}`);
        facts.kind = commit.status === 200 ? "commit" : "missing";
      } else {
        const tag = await get(`${at}/git/ref/tags/${ref.split("/").map(seg).join("/")}`);
        const object = isRecord(tag.json) && isRecord(tag.json.object) ? tag.json.object : undefined;
        if (tag.status === 200 && object && typeof object.sha === "string") {
          facts.kind = "tag";
          facts.sha = object.sha;
          // An annotated tag points at a tag object: its target is the commit.
          if (object.type === "tag") {
            const peeled = await get(`${at}/git/tags/${seg(object.sha)}`);
            const target = isRecord(peeled.json) && isRecord(peeled.json.object) ? peeled.json.object.sha : undefined;
            if (typeof target === "string") facts.sha = target;
          }
        } else {
          const branch = await get(`${at}/git/ref/heads/${ref.split("/").map(seg).join("/")}`);
          const exact = isRecord(branch.json) && branch.json.ref === `refs/heads/${ref}`;
          facts.kind = branch.status === 200 && exact ? "branch" : isShortSha(ref) ? "short-sha" : "missing";
          const head = exact && isRecord(branch.json) && isRecord(branch.json.object) ? branch.json.object.sha : undefined;
          if (typeof head === "string") facts.sha = head;
        }
      }
      if (commitish && facts.kind !== "missing" && facts.kind !== "short-sha") {
        facts.meta = null;
        const folder = facts.path ? `${facts.path.split("/").map(seg).join("/")}/` : "";
        for (const file of ["action.yml", "action.yaml"]) {
          const content = await get(`${at}/contents/${folder}${file}?ref=${seg(commitish)}`, MAX_METADATA_BYTES);
          if (content.status !== 200 || !isRecord(content.json) || typeof content.json.content !== "string") continue;
          const text = Buffer.from(content.json.content, content.json.encoding === "base64" ? "base64" : "utf8").toString("utf8");
          facts.meta = parseActionMetadata(text);
          break;
        }
        if (facts.meta === null) {
          const docker = await get(`${at}/contents/${folder}Dockerfile?ref=${seg(commitish)}`, MAX_METADATA_BYTES);
          if (docker.status === 200) facts.dockerfileOnly = true;
        }
      }
      return { source: SOURCE, existence: "exists", detail: facts };
    } catch (error) {
      return { source: SOURCE, existence: "unknown", unknownReason: refusal(error, limits, host, Boolean(config.authorization)) };
    }
  }

  return { id: SOURCE, lookup, registryOf: () => base };
}
