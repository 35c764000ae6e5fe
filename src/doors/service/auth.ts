// Who is asking the service's own pages (the dashboard, its API, metrics): a viewer or admin token,
// or the identity a trusted reverse proxy puts in a header (configured, off by default).
import { createHash, timingSafeEqual } from "node:crypto";
import { presentedToken } from "../proxy/index.ts";

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

const digest = (text: string) => createHash("sha256").update(text).digest();

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
      if (admin && timingSafeEqual(presented, admin)) return { name: "admin-token", role: "admin", via: "token" };
      if (viewer && timingSafeEqual(presented, viewer)) return { name: "viewer-token", role: "viewer", via: "token" };
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
