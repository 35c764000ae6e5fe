// PyPI through the proxy: project pages of the simple API (PEP 503 HTML, PEP 691 JSON) and the JSON
// API, reduced to the files that may be installed, with file URLs pointing at the proxy.
import { isPrerelease, parseVersion } from "../../ecosystems/pypi/pep440.ts";
import { normalizePypiName } from "../../ecosystems/pypi/names.ts";
import { versionFromFilename } from "../../ecosystems/pypi/registry.ts";
import { isoTime } from "../../sources/http.ts";
import type { VersionCheck } from "./judge.ts";
import { type Digest, hexDigest } from "./upstream.ts";
import { isRecord } from "../../core/guards.ts";

export const SIMPLE_JSON = "application/vnd.pypi.simple.v1+json";
export const SIMPLE_HTML = "application/vnd.pypi.simple.v1+html";

export interface PyFile {
  filename: string;
  /** Absolute upstream URL, without fragment. */
  url: string;
  hashes: Record<string, string>;
  requiresPython?: string;
  yanked: boolean | string;
  uploadTime?: string;
  size?: number;
  version: string;
}

export interface FilteredProject {
  name: string;
  files: PyFile[];
  /** Files removed, by file name, with why. */
  hidden: Map<string, string>;
  listed: number;
}

const STRONG = ["sha512", "sha384", "sha256"] as const;

/** The strong digests of a file (sha256 and up); md5 alone is not enough. */
export function fileDigests(hashes: Record<string, string>): Digest[] {
  const out: Digest[] = [];
  for (const algorithm of STRONG) {
    const d = hexDigest(algorithm, hashes[algorithm]);
    if (d) out.push(d);
  }
  return out;
}

function absolute(href: string, pageUrl: string): { url: string; fragment: string } | null {
  try {
    const url = new URL(href, pageUrl);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    const fragment = url.hash.slice(1);
    url.hash = "";
    return { url: url.href, fragment };
  } catch {
    return null;
  }
}

interface RawFile {
  filename: string;
  href: string;
  hashes: Record<string, string>;
  requiresPython?: string;
  yanked: boolean | string;
  uploadTime?: string;
  size?: number;
}

function yankOf(value: unknown): boolean | string {
  if (typeof value === "string") return value || true;
  return value === true;
}

/** A PEP 691 page's files; a string says why the page is unusable. */
export function filesFromSimpleJson(name: string, json: unknown): RawFile[] | string {
  if (!isRecord(json) || !isRecord(json.meta) || !Array.isArray(json.files)) return "the upstream sent something that is not a project page";
  if (typeof json.name !== "string" || normalizePypiName(json.name) !== name) return `the upstream sent a page that is not for "${name}"`;
  const out: RawFile[] = [];
  for (const f of json.files) {
    if (!isRecord(f) || typeof f.filename !== "string" || typeof f.url !== "string") continue;
    const hashes: Record<string, string> = {};
    if (isRecord(f.hashes)) for (const [k, v] of Object.entries(f.hashes)) if (typeof v === "string") hashes[k.toLowerCase()] = v.toLowerCase();
    out.push({
      filename: f.filename,
      href: f.url,
      hashes,
      requiresPython: typeof f["requires-python"] === "string" ? f["requires-python"] : undefined,
      yanked: yankOf(f.yanked),
      uploadTime: isoTime(f["upload-time"]),
      size: typeof f.size === "number" && Number.isSafeInteger(f.size) && f.size >= 0 ? f.size : undefined,
    });
  }
  return out;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescapeHtml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === "#") {
      const code = e[1] === "x" || e[1] === "X" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

const ATTRIBUTE = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** A PEP 503 page's anchors. Scans tag by tag (split on "<") so hostile markup costs linear time. */
export function filesFromSimpleHtml(html: string): RawFile[] {
  const out: RawFile[] = [];
  const parts = html.split("<");
  for (let k = 1; k < parts.length; k++) {
    const part = parts[k]!;
    if (!/^a[\s>]/i.test(part)) continue;
    const gt = part.indexOf(">");
    if (gt < 0) continue;
    const attributes: Record<string, string> = {};
    for (const m of part.slice(1, gt).matchAll(ATTRIBUTE)) {
      const key = m[1]!.toLowerCase();
      if (!Object.hasOwn(attributes, key)) attributes[key] = unescapeHtml(m[2] ?? m[3] ?? m[4] ?? "");
    }
    const href = attributes.href;
    if (!href) continue;
    const filename = unescapeHtml(part.slice(gt + 1)).trim();
    const hashes: Record<string, string> = {};
    const fragment = /#([a-z0-9]+)=([0-9a-f]+)$/i.exec(href);
    if (fragment) hashes[fragment[1]!.toLowerCase()] = fragment[2]!.toLowerCase();
    out.push({
      filename,
      href,
      hashes,
      requiresPython: attributes["data-requires-python"] || undefined,
      yanked: Object.hasOwn(attributes, "data-yanked") ? attributes["data-yanked"] || true : false,
    });
  }
  return out;
}

/** Keeps the files that may be installed: a version, a strong digest, an http(s) URL and no objection. */
export function filterFiles(name: string, raw: readonly RawFile[], pageUrl: string, check: VersionCheck): FilteredProject {
  const files: PyFile[] = [];
  const hidden = new Map<string, string>();
  const seen = new Set<string>();
  for (const r of raw) {
    const parsed = versionFromFilename(name, r.filename);
    const location = absolute(r.href, pageUrl);
    let problem: string | null = null;
    if (!parsed || r.filename.includes("/")) problem = "the file name does not carry a version of this project";
    else if (!location) problem = "no usable file URL";
    else if (seen.has(r.filename)) problem = "listed twice";
    else if (!fileDigests(r.hashes).length) problem = "no sha256 to verify the file against";
    else problem = check(parsed.version, r.uploadTime);
    if (problem) {
      if (!hidden.has(r.filename)) hidden.set(r.filename, problem);
      continue;
    }
    seen.add(r.filename);
    files.push({
      filename: r.filename,
      url: location!.url,
      hashes: r.hashes,
      requiresPython: r.requiresPython,
      yanked: r.yanked,
      uploadTime: r.uploadTime,
      size: r.size,
      version: parsed!.version,
    });
  }
  return { name, files, hidden, listed: raw.length };
}

/** Where the proxy serves a file: `<pypiBase>files/<project>/<filename>`. */
export function proxyFileUrl(pypiBase: string, name: string, filename: string): string {
  return `${pypiBase}files/${encodeURIComponent(name)}/${encodeURIComponent(filename)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function fragmentOf(f: PyFile): string {
  for (const algorithm of STRONG.slice().reverse()) if (f.hashes[algorithm]) return `#${algorithm}=${f.hashes[algorithm]}`;
  return "";
}

/** PEP 503 HTML. */
export function renderSimpleHtml(project: FilteredProject, pypiBase: string): Buffer {
  const links = project.files.map((f) => {
    const attrs = [`href="${escapeHtml(proxyFileUrl(pypiBase, project.name, f.filename) + fragmentOf(f))}"`];
    if (f.requiresPython) attrs.push(`data-requires-python="${escapeHtml(f.requiresPython)}"`);
    if (f.yanked !== false) attrs.push(`data-yanked="${f.yanked === true ? "" : escapeHtml(f.yanked)}"`);
    return `    <a ${attrs.join(" ")}>${escapeHtml(f.filename)}</a><br />`;
  });
  const title = escapeHtml(project.name);
  return Buffer.from(
    `<!DOCTYPE html>\n<html>\n  <head>\n    <meta name="pypi:repository-version" content="1.0">\n    <title>Links for ${title}</title>\n  </head>\n  <body>\n    <h1>Links for ${title}</h1>\n${links.join("\n")}\n  </body>\n</html>\n`,
  );
}

/** PEP 691 JSON (1.1 with versions and sizes when every size is known, else 1.0). */
export function renderSimpleJson(project: FilteredProject, pypiBase: string, compare: (a: string, b: string) => number): Buffer {
  const sized = project.files.every((f) => f.size !== undefined);
  const doc: Record<string, unknown> = { meta: { "api-version": sized ? "1.1" : "1.0" }, name: project.name };
  if (sized) doc.versions = [...new Set(project.files.map((f) => f.version))].sort(compare);
  doc.files = project.files.map((f) => {
    const out: Record<string, unknown> = { filename: f.filename, url: proxyFileUrl(pypiBase, project.name, f.filename), hashes: f.hashes };
    if (f.requiresPython) out["requires-python"] = f.requiresPython;
    out.yanked = f.yanked;
    if (f.uploadTime) out["upload-time"] = f.uploadTime;
    if (sized) out.size = f.size;
    return out;
  });
  return Buffer.from(JSON.stringify(doc));
}

/** The representation a client asked for by Accept (PEP 691 negotiation); HTML when it does not say. */
export function negotiateSimple(accept: string | null): "json" | "html" | null {
  if (!accept) return "html";
  let best: { format: "json" | "html"; q: number } | null = null;
  for (const part of accept.split(",")) {
    const [type, ...params] = part.trim().split(";");
    const mime = type!.trim().toLowerCase();
    const qm = params.map((p) => /^\s*q\s*=\s*([\d.]+)/.exec(p)).find(Boolean);
    const q = qm ? Number(qm[1]) : 1;
    const format =
      mime === SIMPLE_JSON || mime === "application/vnd.pypi.simple.latest+json"
        ? "json"
        : mime === SIMPLE_HTML || mime === "application/vnd.pypi.simple.latest+html" || mime === "text/html" || mime === "*/*" || mime === "text/*"
          ? "html"
          : null;
    if (format && q > 0 && (!best || q > best.q)) best = { format, q };
  }
  return best?.format ?? null;
}

export interface FilteredJsonApi {
  doc: Record<string, unknown>;
  /** Every kept file object (urls and releases), to point at this proxy when rendering. */
  fileObjects: Array<Record<string, unknown>>;
  hidden: Map<string, string>;
}

/** The JSON API document (`pypi/<name>/json`) with only the files that may be installed. */
export function filterJsonApi(
  name: string,
  json: unknown,
  check: VersionCheck,
  compare: (a: string, b: string) => number,
): FilteredJsonApi | string {
  if (!isRecord(json) || !isRecord(json.info)) return "the upstream sent something that is not a project document";
  if (typeof json.info.name !== "string" || normalizePypiName(json.info.name) !== name) return `the upstream sent a document that is not for "${name}"`;
  const hidden = new Map<string, string>();
  const fileObjects: Array<Record<string, unknown>> = [];
  const keep = (version: string, list: unknown): Array<Record<string, unknown>> => {
    const out: Array<Record<string, unknown>> = [];
    if (!Array.isArray(list)) return out;
    for (const f of list) {
      if (!isRecord(f) || typeof f.filename !== "string") continue;
      const sha256 = isRecord(f.digests) ? f.digests.sha256 : undefined;
      let problem: string | null = null;
      if (!hexDigest("sha256", sha256)) problem = "no sha256 to verify the file against";
      else if (typeof f.url !== "string" || !absolute(f.url, "https://x/")) problem = "no usable file URL";
      else problem = check(version, isoTime(f.upload_time_iso_8601) ?? isoTime(f.upload_time));
      if (problem) {
        hidden.set(f.filename, problem);
        continue;
      }
      const copy = { ...f };
      fileObjects.push(copy);
      out.push(copy);
    }
    return out;
  };
  const releases: Record<string, unknown> = {};
  if (isRecord(json.releases)) {
    for (const [version, list] of Object.entries(json.releases)) {
      if (version === "__proto__") continue;
      const kept = keep(version, list);
      // A release that had files and lost them all is hidden; one that never had files stays (nothing to install).
      if (kept.length || !Array.isArray(list) || !list.length) releases[version] = kept;
    }
  }
  const info: Record<string, unknown> = { ...json.info };
  let latest = typeof info.version === "string" ? info.version : null;
  let urls = latest ? keep(latest, json.urls) : [];
  const hadUrls = Array.isArray(json.urls) && json.urls.length > 0;
  if (latest && hadUrls && !urls.length) {
    // The latest release is hidden: the newest kept final release stands in.
    const finals = Object.keys(releases).filter((v) => {
      const parsed = parseVersion(v);
      return parsed && !isPrerelease(parsed) && (releases[v] as unknown[]).length > 0;
    });
    latest = finals.sort(compare).at(-1) ?? null;
    info.version = latest;
    urls = latest ? (releases[latest] as Array<Record<string, unknown>>) : [];
  }
  const doc: Record<string, unknown> = { ...json, info, urls };
  if (json.releases !== undefined) doc.releases = releases;
  return { doc, fileObjects, hidden };
}

export function renderJsonApi(filtered: FilteredJsonApi, name: string, pypiBase: string): Buffer {
  for (const f of filtered.fileObjects) f.url = proxyFileUrl(pypiBase, name, String(f.filename));
  return Buffer.from(JSON.stringify(filtered.doc));
}
