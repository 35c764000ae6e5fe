// What every API handler gets: the data, who asks, the time, and the lists filters accept.
import type { EcosystemId } from "../../../core/model.ts";
import type { Door } from "../../../store/types.ts";
import type { Identity } from "../../service/auth.ts";
import type { DashboardData } from "../types.ts";

export interface ApiContext {
  data: DashboardData;
  /** Who asks: viewers read and request waivers, admins also decide them. */
  identity: Identity;
  now: Date;
  ecosystems: readonly EcosystemId[];
  doors: readonly Door[];
  /** Whether the page signs in with a token (not on an open loopback server or behind an identity header). */
  signIn: boolean;
}

export type Handler = (ctx: ApiContext, request: Request, params: readonly string[], url: URL) => Promise<Response>;

export const DAY_MS = 86_400_000;

/** Midnight UTC of the day `now` falls in. */
export function dayStart(now: Date): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
}
