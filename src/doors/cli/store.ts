// The store a command uses: PostgreSQL when --store or BOUNCER_STORE_URL names one, else the
// embedded store in the data directory.
import { userInfo } from "node:os";
import { redact } from "../../core/excerpt.ts";
import type { WaiverContext } from "../../core/waivers.ts";
import type { Engine } from "../../engine/check.ts";
import { type Gate, openGate, waiverLookup } from "../../engine/service.ts";
import type { EngineOptions } from "../../engine/setup.ts";
import { isPostgresUrl, openStore } from "../../store/index.ts";
import type { Store } from "../../store/types.ts";
import { type CliIO, UsageError } from "./io.ts";

export const STORE_OPTIONS = {
  store: { type: "string" },
  "store-schema": { type: "string" },
} as const;

export interface StoreFlags {
  store?: string;
  "store-schema"?: string;
}

/** The PostgreSQL URL configured, or undefined for the embedded store ("sqlite" or nothing). */
export function storeUrl(flags: StoreFlags, io: CliIO): string | undefined {
  const url = flags.store ?? io.env.BOUNCER_STORE_URL;
  if (url === undefined || url === "" || url === "sqlite") return undefined;
  if (!isPostgresUrl(url)) {
    throw new UsageError(`--store takes a postgres:// URL or "sqlite", not "${redact(url)}"`, "e.g. --store postgres://bouncer@db.example:5432/bouncer");
  }
  return url;
}

export async function openCliStore(flags: StoreFlags, io: CliIO, dataDir: string, logKey: Uint8Array | undefined, now?: () => Date): Promise<Store> {
  const schema = flags["store-schema"] ?? io.env.BOUNCER_STORE_SCHEMA;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new UsageError(`--store-schema must be a lower-case SQL name, not "${schema}"`);
  return openStore({ dataDir, url: storeUrl(flags, io), ...(schema ? { schema } : {}), logKey, ...(now ? { now } : {}) });
}

/** Who is acting, for the record: --by, BOUNCER_USER, or the login name. */
export function actor(by: string | undefined, io: CliIO): string {
  const who = by ?? io.env.BOUNCER_USER ?? io.env.USER ?? safeUser();
  if (!who || who.length > 200 || /[\u0000-\u001f]/.test(who)) throw new UsageError("--by must name who acts (at most 200 characters)");
  return who;
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

/** A name for scoped waivers (team, project) from trusted configuration. */
function scopeName(name: string, text: string | undefined): string | undefined {
  if (text === undefined || text === "") return undefined;
  if (text.length > 100 || /[\s\u0000-\u001f]/.test(text)) throw new UsageError(`${name} must be a name without spaces, at most 100 characters`);
  return text;
}

/** Who this door asks for, for waivers scoped to a team or project: BOUNCER_TEAM, BOUNCER_PROJECT. */
export function waiverContext(io: CliIO): WaiverContext {
  return { team: scopeName("BOUNCER_TEAM", io.env.BOUNCER_TEAM), project: scopeName("BOUNCER_PROJECT", io.env.BOUNCER_PROJECT) };
}

/**
 * The waivers in force, as the guard and the proxy apply them, given to the engine of check and
 * scan: from the shared store when BOUNCER_STORE_URL names one, else the data directory's (where
 * `bouncer waiver` keeps them), for BOUNCER_TEAM and BOUNCER_PROJECT. So CI does not block what the
 * team's proxy serves; a waived package is reported as allowed with its waiver, not hidden.
 */
export async function applyWaivers(engine: Engine, options: Pick<EngineOptions, "dataDir" | "logKey">, io: CliIO): Promise<void> {
  const context = waiverContext(io);
  const store = await openCliStore({}, io, options.dataDir, options.logKey);
  try {
    engine.waivers = waiverLookup(await store.waivers.activeAt(engine.clock()));
    engine.waiverContext = context;
  } finally {
    await store.close();
  }
}

/** The gate of a short-lived door (guard, MCP): on the shared store when BOUNCER_STORE_URL names one. */
export async function openDoorGate(options: EngineOptions, io: CliIO): Promise<Gate> {
  const context = waiverContext(io);
  const store = storeUrl({}, io) ? await openCliStore({}, io, options.dataDir, options.logKey) : undefined;
  return openGate(options, { store, closeStore: true, waiverContext: context });
}
