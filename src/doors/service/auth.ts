// Who is asking the service's own pages (the dashboard, its API, metrics): a viewer or admin token,
// or the identity a trusted reverse proxy puts in a header (configured, off by default). And who is
// asking the proxy: the shared proxy token, or a client's own token with its team or project.
import { createHash, timingSafeEqual } from "node:crypto";
import type { WaiverContext } from "../../core/waivers.ts";
import type { ProxyClient } from "../proxy/types.ts";

export type Role = "viewer" | "admin";

export interface Identity {
  /** "admin-token", "viewer-token", the header's user name, or "local". */
  name: string;
  role: Role;
  via: "token" | "header" | "local";
}

export interface AuthConfig {
  viewerToken?: string;
  adminToken?: string;
  /** A header set by a reverse proxy that authenticated the user (e.g. x-forwarded-user); only then trusted. */
  identityHeader?: string;
  /** User names from the identity header that are admins; everyone else it names is a viewer. */
  admins?: readonly string[];
  /** Nothing configured on a loopback address: the one local user is the admin. */
  local: boolean;
}

/** Same rule as the proxy token: long enough not to be guessed. */
export const MIN_TOKEN_LENGTH = 16;

/** A token as the service keeps it: its digest, so that every comparison is of two equal lengths. */
type TokenDigest = Buffer & { readonly __token: unique symbol };

const digest = (text: string) => createHash("sha256").update(text).digest() as TokenDigest;

/**
 * The one comparison of a presented token with a configured one (dashboard, metrics and proxy
 * tokens alike): digests compared in constant time, so neither the token nor how much of it matched
 * is timed. Nothing else compares tokens.
 */
function sameToken(presented: TokenDigest, configured: TokenDigest | undefined): boolean {
  return configured !== undefined && timingSafeEqual(presented, configured);
}

/** The token a client presented: Bearer, or the password of Basic credentials (pip's user:TOKEN@host). */
export function presentedToken(authorization: string | null): string | undefined {
  if (!authorization) return undefined;
  const m = /^(\w+)\s+(.+)$/.exec(authorization.trim());
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme === "bearer") return m[2]!.trim();
  if (scheme !== "basic") return undefined;
  const decoded = Buffer.from(m[2]!.trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? decoded : decoded.slice(colon + 1);
}

/** Who a proxy request is from: a client's name (none for the shared token or an open proxy) and its waiver scope. */
export interface ProxyCaller {
  name?: string;
  waivers: WaiverContext;
}

/**
 * The proxy's clients: the shared token's holders and an open proxy's callers are unscoped; a
 * client's own token brings its team and project (scoped waivers apply only to it). Undefined: a
 * token is needed (one is configured) and none of them was presented.
 */
export function proxyAuthenticator(token: string | undefined, clients: readonly ProxyClient[] = []): (request: Request) => ProxyCaller | undefined {
  const shared = token ? digest(token) : undefined;
  const own = clients.map((c) => ({ digest: digest(c.token), caller: { name: c.name, waivers: { team: c.team, project: c.project } } }));
  const open = !shared && !own.length;
  return (request) => {
    if (open) return { waivers: {} };
    const presented = presentedToken(request.headers.get("authorization"));
    if (presented === undefined) return undefined;
    const d = digest(presented);
    // Every configured token compared, in constant time each: which one matched is not timed.
    let found: ProxyCaller | undefined;
    for (const c of own) if (sameToken(d, c.digest) && !found) found = c.caller;
    if (sameToken(d, shared) && !found) found = { waivers: {} };
    return found;
  };
}

const SCOPE_NAME = /^[^\s\u0000-\u001f]{1,100}$/;

/**
 * BOUNCER_CLIENT_TOKENS: a JSON list of the proxy's clients, each
 * {"name": "web-ci", "token": "...", "team": "web", "project": "shop"} (team and project optional).
 * Throws an Error that names the problem (never a token).
 */
export function parseProxyClients(text: string): ProxyClient[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error("is not JSON: a list of {name, token, team?, project?}");
  }
  if (!Array.isArray(doc)) throw new Error("must be a JSON list of {name, token, team?, project?}");
  const names = new Set<string>();
  const tokens = new Set<string>();
  return doc.map((item: unknown, i) => {
    const at = `entry ${i + 1}`;
    if (!item || typeof item !== "object" || Array.isArray(item)) throw new Error(`${at} must be an object {name, token, team?, project?}`);
    const { name, token, team, project, ...rest } = item as Record<string, unknown>;
    const unknown = Object.keys(rest);
    if (unknown.length) throw new Error(`${at} has an unknown key "${unknown[0]}"`);
    if (typeof name !== "string" || !SCOPE_NAME.test(name)) throw new Error(`${at} needs a name without spaces, at most 100 characters`);
    if (names.has(name)) throw new Error(`${at}: the name ${name} is given twice`);
    names.add(name);
    if (typeof token !== "string" || token.length < MIN_TOKEN_LENGTH) throw new Error(`${name}: the token must be at least ${MIN_TOKEN_LENGTH} characters`);
    if (tokens.has(token)) throw new Error(`${name}: the same token is given to two clients`);
    tokens.add(token);
    const client: ProxyClient = { name, token };
    for (const [key, value] of [["team", team], ["project", project]] as const) {
      if (value === undefined) continue;
      if (typeof value !== "string" || !SCOPE_NAME.test(value)) throw new Error(`${name}: ${key} must be a name without spaces, at most 100 characters`);
      client[key] = value;
    }
    return client;
  });
}

/** The token in Authorization (Bearer, or Basic's password) or the `bouncer_token` cookie (a browser). */
function tokenOf(request: Request): string | undefined {
  const fromHeader = presentedToken(request.headers.get("authorization"));
  if (fromHeader) return fromHeader;
  const cookie = request.headers.get("cookie") ?? "";
  const m = /(?:^|;\s*)bouncer_token=([^;]+)/.exec(cookie);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
}

export function authenticator(config: AuthConfig): (request: Request) => Identity | undefined {
  const admin = config.adminToken ? digest(config.adminToken) : undefined;
  const viewer = config.viewerToken ? digest(config.viewerToken) : undefined;
  const header = config.identityHeader?.toLowerCase();
  const admins = new Set(config.admins ?? []);
  return (request) => {
    const token = tokenOf(request);
    if (token !== undefined) {
      const presented = digest(token);
      // Both compared whatever the first says: which one matched is not timed.
      const isAdmin = sameToken(presented, admin);
      const isViewer = sameToken(presented, viewer);
      if (isAdmin) return { name: "admin-token", role: "admin", via: "token" };
      if (isViewer) return { name: "viewer-token", role: "viewer", via: "token" };
    }
    if (header) {
      const user = request.headers.get(header)?.trim();
      if (user && user.length <= 200 && !/[\u0000-\u001f]/.test(user)) return { name: user, role: admins.has(user) ? "admin" : "viewer", via: "header" };
    }
    if (config.local) return { name: "local", role: "admin", via: "local" };
    return undefined;
  };
}

export function allows(identity: Identity, needed: Role): boolean {
  return needed === "viewer" || identity.role === "admin";
}
