// Which registry serves an npm name, and which credentials go with it: one rule for the engine (what
// is checked) and the proxy (what is served), so the two can never ask different registries.
import { withTrailingSlash } from "../../sources/http.ts";

/** A registry and the Authorization header configured for it (by npm's //host/path/ keys). */
export interface NpmRegistryEntry {
  baseUrl: string;
  authorization?: string;
}

/** "@scope" -> its registry. A key written without "@" means the same scope (npm adds the "@"). */
export type NpmScopeRegistries = Readonly<Record<string, NpmRegistryEntry>>;

export interface NpmRoute {
  /** With a trailing slash. */
  baseUrl: string;
  authorization?: string;
  /** Served by a scope's registry: private, its names go to no public API. */
  scoped: boolean;
}

/** The scope npm-package-arg takes from a name: "@MyCorp" from "@MyCorp/pkg", case kept; else undefined. */
export function npmScopeOf(name: string): string | undefined {
  const slash = name.indexOf("/");
  return name.startsWith("@") && slash > 1 ? name.slice(0, slash) : undefined;
}

/**
 * The registry npm fetches `name` from: as npm-registry-fetch does, `<scope>:registry` looked up with
 * the name's scope exactly as written (config keys are case-sensitive: "@MyCorp:registry" serves
 * "@MyCorp/x", not "@mycorp/x"), else the default registry. Credentials travel with the registry
 * they were configured for, never with the name.
 */
export function npmRouteFor(name: string, fallback: NpmRegistryEntry, scopes: NpmScopeRegistries | undefined): NpmRoute {
  const scope = npmScopeOf(name);
  if (scope && scopes) {
    const key = [scope, scope.slice(1)].find((k) => Object.hasOwn(scopes, k));
    const entry = key === undefined ? undefined : scopes[key];
    if (entry) return routeOf(entry, true);
  }
  return routeOf(fallback, false);
}

function routeOf(entry: NpmRegistryEntry, scoped: boolean): NpmRoute {
  const baseUrl = withTrailingSlash(entry.baseUrl);
  return entry.authorization ? { baseUrl, authorization: entry.authorization, scoped } : { baseUrl, scoped };
}

/**
 * The Authorization header for `url`, only when it lies inside the registry the credential was
 * configured for (same scheme, host and port, under its path: npm's //host/path/ key). Never for
 * another registry on the same host.
 */
export function npmAuthorizationFor(url: string, route: Pick<NpmRoute, "baseUrl" | "authorization">): Record<string, string> {
  if (!route.authorization) return {};
  try {
    const target = new URL(url);
    const base = new URL(route.baseUrl);
    const inside = target.origin === base.origin && target.pathname.startsWith(base.pathname);
    return inside ? { authorization: route.authorization } : {};
  } catch {
    return {};
  }
}
