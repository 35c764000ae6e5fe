// Waivers: GET the list, POST a request (a viewer) or a grant (an admin), and an admin's approve,
// deny and revoke ("expire now") of one waiver.
import { shownStatus, type Waiver, type WaiverScope } from "../../../store/types.ts";
import type { ApiContext, Handler } from "./context.ts";
import { MAX_NAME } from "./decisions.ts";
import { ApiError, json, oneOf, readBody, text } from "./json.ts";

export const WAIVER_SCOPES: readonly WaiverScope["kind"][] = ["all", "team", "project"];
const MAX_HOURS = 366 * 24;
const DEFAULT_HOURS = 7 * 24;
const MAX_LISTED = 500;

/** A waiver as shown, by the server's clock. */
export function waiverView(w: Waiver, now: Date): Omit<Waiver, "status"> & { status: Waiver["status"] | "expired" } {
  return { ...w, status: shownStatus(w, now) };
}

function scopeOf(body: Record<string, unknown>): WaiverScope {
  const kind = oneOf(text(body, "scope", 16, true), WAIVER_SCOPES, "scope")!;
  if (kind === "all") return { kind };
  const value = text(body, "scopeValue", 200);
  if (!value) throw new ApiError(400, `a ${kind} waiver names its ${kind} (scopeValue)`);
  return kind === "team" ? { kind, team: value } : { kind, project: value };
}

function expiresAt(ctx: ApiContext, body: Record<string, unknown>): Date {
  const hours = body.expiresInHours ?? DEFAULT_HOURS;
  if (typeof hours !== "number" || !Number.isInteger(hours) || hours < 1 || hours > MAX_HOURS) {
    throw new ApiError(400, `expiresInHours must be a whole number from 1 to ${MAX_HOURS}`);
  }
  return new Date(ctx.now.getTime() + hours * 3_600_000);
}

/** The change is stored; a replica that cannot re-read it now picks it up at its next poll. */
async function applied(ctx: ApiContext): Promise<void> {
  await ctx.data.waiversChanged?.().catch(() => undefined);
}

export const listWaivers: Handler = async (ctx) => {
  const all = await ctx.data.waivers.list({ now: ctx.now, all: true });
  return json(200, { waivers: all.slice(0, MAX_LISTED).map((w) => waiverView(w, ctx.now)) });
};

export const addWaiver: Handler = async (ctx, request) => {
  const body = await readBody(request);
  const ecosystem = oneOf(text(body, "ecosystem", 40, true), ctx.ecosystems, "ecosystem")!;
  const raw = text(body, "name", MAX_NAME, true)!;
  let name: string;
  try {
    name = ctx.data.canonicalName(ecosystem, raw);
  } catch {
    throw new ApiError(400, `"${raw}" is not a valid ${ecosystem} package name`);
  }
  const waiver = await ctx.data.waivers.add(
    {
      ecosystem,
      name,
      version: text(body, "version", 128) ?? null,
      scope: scopeOf(body),
      by: ctx.identity.name,
      reason: text(body, "reason", 1000, true)!,
      expiresAt: expiresAt(ctx, body),
      // An admin's waiver is in force at once; a viewer's waits in the inbox.
      status: ctx.identity.role === "admin" ? "active" : "requested",
    },
    ctx.now,
  );
  if (waiver.status === "active") await applied(ctx);
  return json(201, { waiver: waiverView(waiver, ctx.now) });
};

const ACTIONS = {
  approve: { from: "requested", run: (ctx: ApiContext, id: string) => ctx.data.waivers.approve(id, ctx.identity.name, ctx.now) },
  deny: { from: "requested", run: (ctx: ApiContext, id: string) => ctx.data.waivers.deny(id, ctx.identity.name, ctx.now) },
  revoke: { from: "active", run: (ctx: ApiContext, id: string) => ctx.data.waivers.revoke(id, ctx.identity.name, ctx.now) },
} as const;

export const decideWaiver: Handler = async (ctx, _request, params) => {
  if (ctx.identity.role !== "admin") throw new ApiError(403, "only an admin can decide waivers");
  const [id, name] = params as [string, keyof typeof ACTIONS];
  const action = ACTIONS[name];
  const changed = await action.run(ctx, id);
  if (changed) {
    if (name !== "deny") await applied(ctx);
    return json(200, { waiver: waiverView(changed, ctx.now) });
  }
  const current = await ctx.data.waivers.get(id);
  if (!current) throw new ApiError(404, `no waiver ${id}`);
  throw new ApiError(409, `waiver ${id} is ${waiverView(current, ctx.now).status}, not ${action.from}`);
};
