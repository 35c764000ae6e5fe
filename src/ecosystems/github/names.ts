// GitHub reference names: `owner/repo` and `owner/repo/path` (an action in a sub-folder), compared as GitHub does.
import type { NameCheck } from "../types.ts";

// GitHub's rules: owner 1-39 letters, digits and single inner hyphens; repository 1-100 of letters, digits, ".", "-", "_".
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const SEGMENT = /^[A-Za-z0-9._ -]{1,255}$/;
const MAX_PATH_SEGMENTS = 10;

export interface GithubName {
  owner: string;
  repo: string;
  /** Sub-folder of the action, "" for the root. */
  path: string;
}

/** The parts of `owner/repo[/path]`, or why it is not a GitHub reference. */
export function parseGithubName(raw: string): GithubName | { problem: string } {
  const parts = String(raw).split("/");
  if (parts.length < 2) return { problem: "expected owner/repository" };
  const [owner, repo, ...rest] = parts as [string, string, ...string[]];
  if (!OWNER.test(owner)) return { problem: `"${owner}" is not a valid GitHub account name` };
  if (!REPO.test(repo) || repo === "." || repo === "..") return { problem: `"${repo}" is not a valid GitHub repository name` };
  if (rest.length > MAX_PATH_SEGMENTS) return { problem: "the action path is too deep" };
  for (const segment of rest) {
    if (!SEGMENT.test(segment) || segment === "." || segment === "..") return { problem: `"${rest.join("/")}" is not a path inside the repository` };
  }
  return { owner, repo, path: rest.join("/") };
}

/** Owner and repository in lower case (GitHub matches them case-insensitively); the path as written. */
export function canonicalGithubName(raw: string): string {
  const parts = String(raw).split("/");
  if (parts.length < 2) return String(raw);
  return [`${parts[0]!.toLowerCase()}/${parts[1]!.toLowerCase()}`, ...parts.slice(2)].join("/");
}

export function checkGithubName(raw: string): NameCheck {
  const parsed = parseGithubName(String(raw).replace(/\/+$/, ""));
  if ("problem" in parsed) return { ok: false, reason: parsed.problem };
  return { ok: true, name: canonicalGithubName(`${parsed.owner}/${parsed.repo}${parsed.path ? `/${parsed.path}` : ""}`) };
}

/** A full commit SHA (what GitHub treats as immutable). */
export const isFullSha = (ref: string): boolean => /^[0-9a-f]{40}$/i.test(ref);
/** An abbreviated commit SHA: 7 to 39 hex digits (GitHub does not resolve these in `uses:`). */
export const isShortSha = (ref: string): boolean => /^[0-9a-f]{7,39}$/i.test(ref) && /[0-9]/.test(ref) && /[a-f]/i.test(ref);

/** `name@ref`, the key facts are looked up by (a ref has its own commit and metadata). */
export function refKey(name: string, ref: string | null): string {
  return ref ? `${name}@${ref}` : name;
}

export function splitRefKey(key: string): { name: string; ref: string | null } {
  const at = key.indexOf("@");
  return at < 0 ? { name: key, ref: null } : { name: key.slice(0, at), ref: key.slice(at + 1) };
}

/** `owner/repo` of a name that may carry a path. */
export function repoOf(name: string): string {
  const parts = name.split("/");
  return `${parts[0]}/${parts[1]}`;
}

export function pathOf(name: string): string {
  return name.split("/").slice(2).join("/");
}

/** The version a tag names ("v3", "v3.1", "3.1.2") as [major, minor, patch], or null. */
export function versionOf(ref: string | undefined): number[] | null {
  const m = ref ? /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(ref) : null;
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)] : null;
}
