// Opens the store a URL names: PostgreSQL for postgres:// URLs (the driver loaded only then), the
// embedded SQLite store in the data directory otherwise.
import type { OpenStoreOptions, Store } from "./types.ts";

export * from "./types.ts";

/** True for URLs the PostgreSQL store takes. */
export function isPostgresUrl(url: string | undefined): boolean {
  return url !== undefined && /^postgres(?:ql)?:\/\//i.test(url);
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (isPostgresUrl(options.url)) return (await import("./postgres.ts")).openPostgresStore(options);
  return (await import("./sqlite.ts")).openSqliteStore(options);
}
