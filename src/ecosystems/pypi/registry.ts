// Live PyPI client: the JSON API, with the simple API (PEP 691 JSON, or PEP 503 HTML) as the
// fallback and confirmation that private indexes, which often have nothing else, can answer.
import type { EcosystemId, VersionFacts } from "../../core/model.ts";
import { authorizationFor, getBody, getJson, isGone, isoTime, singleFlight, stringOrUndefined, withTrailingSlash } from "../../sources/http.ts";
import type { DataSource, LookupOptions, Observation } from "../../sources/types.ts";
import type { RegistryConfig } from "../types.ts";
import { normalizePypiName } from "./names.ts";
import { errorMessage, isRecord } from "../../core/guards.ts";

export const PYPI_REGISTRY_SOURCE_ID = "pypi-registry";
const SIMPLE_JSON = "application/vnd.pypi.simple.v1+json";

export interface PypiRegistryLimits {
  timeoutMs: number;
  maxBytes: number;
}

export const DEFAULT_PYPI_LIMITS: PypiRegistryLimits = { timeoutMs: 15_000, maxBytes: 32 * 1024 * 1024 };


/** One distribution file, whatever API described it. */
interface DistFile {
  filename: string;
  sdist: boolean;
  uploadedAt: string | undefined;
  /** false, true, or the yank reason. */
  yanked: boolean | string;
}

const SDIST_EXTENSIONS = [".tar.gz", ".zip", ".tar.bz2", ".tar.xz", ".tgz", ".tbz", ".txz", ".tar", ".tar.z"];

/** The version a distribution file name carries, or null when it is not a file of `project`. */
export function versionFromFilename(project: string, filename: string): { version: string; sdist: boolean } | null {
  const want = normalizePypiName(project);
  const lower = filename.toLowerCase();
  if (lower.endsWith(".whl") || lower.endsWith(".egg")) {
    const parts = filename.slice(0, -4).split("-");
    if (parts.length < 2 || normalizePypiName(parts[0]!) !== want || !parts[1]) return null;
    return { version: parts[1], sdist: false };
  }
  const ext = SDIST_EXTENSIONS.find((e) => lower.endsWith(e));
  if (!ext) return null;
  const stem = filename.slice(0, -ext.length);
  // Legacy sdists keep dashes in the name ("foo-bar-1.0.tar.gz"): find the split that names this project.
  for (let i = stem.indexOf("-"); i > 0; i = stem.indexOf("-", i + 1)) {
    if (normalizePypiName(stem.slice(0, i)) === want && /^[0-9vV]/.test(stem.slice(i + 1))) {
      return { version: stem.slice(i + 1), sdist: true };
    }
  }
  return null;
}

const CODE_HOSTS = new Set(["github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "git.sr.ht", "gitee.com", "sourceforge.net"]);

/** A URL that points at a repository on a code host, normalised; otherwise null. */
export function codeHostRepository(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, "");
  if (!CODE_HOSTS.has(host) && !/^(gitlab|github|gitea|forgejo|git)\./.test(host)) return null;
  const segments = url.pathname.split("/").filter(Boolean);
  if (segments.length < 2) return null;
  const kept = host === "github.com" ? segments.slice(0, 2) : segments;
  return `https://${host}/${kept.join("/").replace(/\.git$/, "")}`;
}

// project_urls labels that usually name the repository, most telling first.
const REPO_LABELS = /source|repo|code|github|gitlab|git\b/i;

function repositoryFromInfo(info: Record<string, unknown>): string | null | undefined {
  const urls = isRecord(info.project_urls) ? Object.entries(info.project_urls) : [];
  if (!("project_urls" in info) && !("home_page" in info)) return undefined; // a mirror that omits both
  const ordered = [...urls.filter(([label]) => REPO_LABELS.test(label)), ...urls, ["home_page", info.home_page] as const];
  for (const [, value] of ordered) {
    const repo = codeHostRepository(value);
    if (repo) return repo;
  }
  return null;
}

function unknown(reason: string): Observation {
  return { source: PYPI_REGISTRY_SOURCE_ID, existence: "unknown", unknownReason: reason };
}

function earliest(times: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const t of times) if (t && (!best || t < best)) best = t;
  return best;
}

/**
 * Facts from files grouped by version. A time is only given when every file has one: the earliest
 * known upload is not the first upload when some are undated.
 */
function factsFromFiles(byVersion: Map<string, DistFile[]>): Pick<Observation, "versions" | "createdAt" | "unpublished"> {
  const versions: Record<string, VersionFacts> = {};
  const all: DistFile[] = [];
  for (const [version, files] of byVersion) {
    for (const f of files) all.push(f);
    if (version === "__proto__") continue;
    const installable = files.filter((f) => f.yanked === false);
    const yankedReason = files.find((f) => typeof f.yanked === "string")?.yanked;
    const allYanked = files.length > 0 && installable.length === 0;
    const considered = installable.length ? installable : files;
    const times = files.map((f) => f.uploadedAt);
    versions[version] = {
      version,
      publishedAt: files.length === 0 ? null : times.every(Boolean) ? earliest(times) : undefined,
      yanked: allYanked ? (yankedReason ?? true) : false,
      sdistOnly: considered.length > 0 && considered.every((f) => f.sdist),
    };
  }
  const times = all.map((f) => f.uploadedAt);
  return {
    versions,
    createdAt: all.length === 0 ? null : times.every(Boolean) ? earliest(times) : undefined,
    unpublished: all.length === 0 || all.every((f) => f.yanked !== false),
  };
}

function yankOf(value: unknown, reason: unknown): boolean | string {
  if (typeof value === "string") return value || true;
  if (value !== true) return false;
  return stringOrUndefined(reason) ?? true;
}

/** Maps a JSON API document (`<base>pypi/<name>/json`). Anything not for `name` is "unknown". */
export function observationFromPypiJson(name: string, json: unknown): Observation {
  if (!isRecord(json) || !isRecord(json.info)) return unknown("the JSON API sent something that is not a project document");
  const info = json.info;
  if (typeof info.name !== "string" || normalizePypiName(info.name) !== normalizePypiName(name)) {
    return unknown(`the JSON API sent a document that is not for "${name}"`);
  }
  const latest = stringOrUndefined(info.version);
  const repositoryUrl = repositoryFromInfo(info);
  // Without "releases" (PyPI plans to drop it) the document still proves existence; files come from the simple API.
  if (json.releases === undefined) {
    return statusFromInfo({ source: PYPI_REGISTRY_SOURCE_ID, existence: "exists", latestVersion: latest, repositoryUrl }, info);
  }
  if (!isRecord(json.releases)) return unknown("the JSON API document has no usable release list");
  const byVersion = new Map<string, DistFile[]>();
  for (const [version, list] of Object.entries(json.releases)) {
    if (!Array.isArray(list)) return unknown(`the JSON API document lists release ${version} without a file list`);
    const files: DistFile[] = [];
    for (const f of list) {
      if (!isRecord(f) || typeof f.filename !== "string") continue;
      files.push({
        filename: f.filename,
        sdist: f.packagetype === "sdist" || (f.packagetype === undefined && versionFromFilename(name, f.filename)?.sdist === true),
        uploadedAt: isoTime(f.upload_time_iso_8601) ?? isoTime(f.upload_time),
        yanked: yankOf(f.yanked, f.yanked_reason),
      });
    }
    byVersion.set(version, files);
  }
  return statusFromInfo(
    {
      source: PYPI_REGISTRY_SOURCE_ID,
      existence: "exists",
      latestVersion: latest && byVersion.has(latest) ? latest : undefined,
      repositoryUrl,
      ...factsFromFiles(byVersion),
    },
    info,
  );
}

function groupByVersion(name: string, files: readonly DistFile[], listed: readonly string[]): Map<string, DistFile[]> {
  const byVersion = new Map<string, DistFile[]>(listed.map((v) => [v, []]));
  for (const file of files) {
    const parsed = versionFromFilename(name, file.filename);
    if (!parsed) continue;
    const list = byVersion.get(parsed.version);
    if (list) list.push(file);
    else byVersion.set(parsed.version, [file]);
  }
  return byVersion;
}

/** Maps a PEP 691 project page. */
export function observationFromSimpleJson(name: string, json: unknown): Observation {
  if (!isRecord(json) || !isRecord(json.meta) || typeof json.meta["api-version"] !== "string") {
    return unknown("the simple API sent something that is not a project page");
  }
  if (typeof json.name !== "string" || normalizePypiName(json.name) !== normalizePypiName(name)) {
    return unknown(`the simple API sent a page that is not for "${name}"`);
  }
  if (!Array.isArray(json.files)) return unknown("the simple API page has no file list");
  const files: DistFile[] = [];
  for (const f of json.files) {
    if (!isRecord(f) || typeof f.filename !== "string") continue;
    files.push({
      filename: f.filename,
      sdist: versionFromFilename(name, f.filename)?.sdist === true,
      uploadedAt: isoTime(f["upload-time"]),
      yanked: yankOf(f.yanked, undefined),
    });
  }
  const listed = Array.isArray(json.versions) ? json.versions.filter((v): v is string => typeof v === "string") : [];
  const observation: Observation = {
    source: PYPI_REGISTRY_SOURCE_ID,
    existence: "exists",
    ...factsFromFiles(groupByVersion(name, files, listed)),
  };
  const status = isRecord(json["project-status"]) ? json["project-status"] : undefined;
  applyProjectStatus(observation, status?.status, status?.reason);
  return observation;
}

// A status or reason longer than this is cut: it is shown in one line of a report.
const MAX_STATUS_REASON = 500;

/**
 * PEP 792 project status markers, from any API: quarantined and archived become `projectStatus`
 * (their own findings), deprecated the package's deprecation; active, absent or unknown say nothing.
 */
function applyProjectStatus(observation: Observation, status: unknown, reason: unknown): void {
  const kind = typeof status === "string" ? status.trim().toLowerCase() : "";
  const why = stringOrUndefined(reason)?.trim().slice(0, MAX_STATUS_REASON) || null;
  if (kind === "quarantined" || kind === "archived") observation.projectStatus = { status: kind, reason: why };
  else if (kind === "deprecated") observation.deprecated = why ?? "deprecated by its maintainers";
}

/** The JSON API's status: `info.project_status` as a {status, reason} table or a bare string. */
function statusFromInfo(observation: Observation, info: Record<string, unknown>): Observation {
  const raw = info.project_status;
  if (isRecord(raw)) applyProjectStatus(observation, raw.status, raw.reason);
  else applyProjectStatus(observation, raw, info.project_status_reason);
  return observation;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", "#39": "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#39);/g, (_, e: string) => ENTITIES[e]!);
}

/**
 * Maps a PEP 503 HTML project page: existence and files, without upload times. Scans tag by tag
 * (split on "<") so hostile markup costs linear time.
 */
export function observationFromSimpleHtml(name: string, html: string): Observation {
  const files: DistFile[] = [];
  let isIndexPage = false;
  let status: string | undefined;
  let statusReason: string | undefined;
  const parts = html.split("<");
  for (let k = 1; k < parts.length; k++) {
    const part = parts[k]!;
    const gt = part.indexOf(">");
    if (gt < 0) continue;
    if (/^meta\s/i.test(part)) {
      const tag = part.slice(0, gt);
      const name = attribute(tag, "name")?.toLowerCase();
      if (name === "pypi:repository-version") isIndexPage = true;
      // PEP 792: <meta name="pypi:project-status" content="..."> and its -reason companion.
      else if (name === "pypi:project-status") status = attribute(tag, "content");
      else if (name === "pypi:project-status-reason") statusReason = attribute(tag, "content");
      continue;
    }
    if (!/^a\s/i.test(part) || !/^\/a\s*>/i.test(parts[k + 1] ?? "")) continue;
    const filename = unescapeHtml(part.slice(gt + 1).trim());
    const parsed = versionFromFilename(name, filename);
    if (!parsed) continue;
    const yanked = /\sdata-yanked(?:\s*=\s*(?:"([^"]*)"|'([^']*)'))?/i.exec(part.slice(1, gt));
    files.push({
      filename,
      sdist: parsed.sdist,
      uploadedAt: undefined,
      yanked: yanked ? unescapeHtml(yanked[1] ?? yanked[2] ?? "") || true : false,
    });
  }
  if (!files.length && !isIndexPage && status === undefined) return unknown("the simple API sent a page that is not a project index page");
  const observation: Observation = { source: PYPI_REGISTRY_SOURCE_ID, existence: "exists", ...factsFromFiles(groupByVersion(name, files, [])) };
  applyProjectStatus(observation, status, statusReason);
  return observation;
}

/** One attribute of a tag (double, single or unquoted value), unescaped; bounded by the tag. */
function attribute(tag: string, attr: string): string | undefined {
  const m = new RegExp(`\\s${attr}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s"'>]+))`, "i").exec(tag);
  return m ? unescapeHtml(m[1] ?? m[2] ?? m[3] ?? "") : undefined;
}

interface Endpoint {
  base: string;
  authorization?: string;
}

async function fromJsonApi(config: RegistryConfig, e: Endpoint, name: string, limits: PypiRegistryLimits): Promise<Observation> {
  const url = `${e.base}pypi/${encodeURIComponent(name)}/json`;
  try {
    const res = await getJson(config.fetch, url, {
      accept: "application/json",
      maxBytes: limits.maxBytes,
      timeoutMs: limits.timeoutMs,
      headers: authorizationFor(url, e.base, e.authorization),
    });
    if (isGone(res.status)) return { source: PYPI_REGISTRY_SOURCE_ID, existence: "absent" };
    return observationFromPypiJson(name, res.json);
  } catch (error) {
    return unknown(errorMessage(error));
  }
}

async function fromSimpleApi(config: RegistryConfig, e: Endpoint, name: string, limits: PypiRegistryLimits): Promise<Observation> {
  const url = `${e.base}simple/${encodeURIComponent(normalizePypiName(name))}/`;
  try {
    const res = await getBody(config.fetch, url, {
      accept: `${SIMPLE_JSON}, text/html;q=0.1`,
      maxBytes: limits.maxBytes,
      timeoutMs: limits.timeoutMs,
      headers: authorizationFor(url, e.base, e.authorization),
      contentTypes: [SIMPLE_JSON, "application/json", "text/html"],
    });
    if (isGone(res.status)) return { source: PYPI_REGISTRY_SOURCE_ID, existence: "absent" };
    if (/^text\/html/i.test(res.contentType)) return observationFromSimpleHtml(name, res.text);
    let json: unknown;
    try {
      json = JSON.parse(res.text);
    } catch {
      return unknown(`${new URL(res.url).host} sent a simple API page that is not valid JSON`);
    }
    return observationFromSimpleJson(name, json);
  } catch (error) {
    return unknown(errorMessage(error));
  }
}

export function createPypiRegistrySource(config: RegistryConfig, limits: Partial<PypiRegistryLimits> = {}): DataSource {
  const bounds: PypiRegistryLimits = { ...DEFAULT_PYPI_LIMITS, ...limits };
  const endpoint: Endpoint = { base: withTrailingSlash(config.baseUrl), authorization: config.authorization };
  const flight = singleFlight<Observation>();

  const lookupOnce = async (name: string): Promise<Observation> => {
    if (!name || /[\s\u0000-\u001f/]/.test(name)) return unknown(`"${name}" cannot be a project name on PyPI`);
    const json = await fromJsonApi(config, endpoint, name, bounds);
    if (json.existence === "exists" && json.versions) return json;
    // The JSON API failed, says absent or lists no files: the simple API (what pip itself reads) decides.
    const simple = await fromSimpleApi(config, endpoint, name, bounds);
    if (json.existence === "exists") {
      if (simple.existence !== "exists") {
        // Existence is proven, but release dates and files are not known: say so, never pass it as clean.
        const why = `the JSON API lists no releases and the simple API ${simple.existence === "absent" ? "has no such project" : `failed: ${simple.unknownReason}`}`;
        return { ...json, unknownFacts: [{ fact: "age", reason: why }, { fact: "releases", reason: why }] };
      }
      return {
        ...json,
        versions: simple.versions,
        createdAt: simple.createdAt,
        unpublished: simple.unpublished,
        deprecated: json.deprecated ?? simple.deprecated,
        projectStatus: json.projectStatus ?? simple.projectStatus,
      };
    }
    if (simple.existence !== "unknown") return simple;
    if (json.existence === "absent") {
      return unknown(`the JSON API has no "${name}" but the simple API could not confirm it: ${simple.unknownReason}`);
    }
    return unknown(`JSON API: ${json.unknownReason}; simple API: ${simple.unknownReason}`);
  };

  return {
    id: PYPI_REGISTRY_SOURCE_ID,
    registryOf: () => endpoint.base,
    async lookup(ecosystem: EcosystemId, name: string, options?: LookupOptions): Promise<Observation> {
      if (ecosystem !== "pypi") return { source: PYPI_REGISTRY_SOURCE_ID };
      try {
        return await flight(normalizePypiName(name), () => lookupOnce(name), options?.signal);
      } catch (error) {
        return unknown(errorMessage(error));
      }
    },
  };
}
