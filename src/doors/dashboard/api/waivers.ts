// Waivers: GET the list, POST a request (a viewer) or a grant (an admin), and an admin's
// approve, deny and revoke ("expire now") of one waiver.
import type { WaiverInput } from "../types.ts";
import type { ApiContext, Handler } from "./context.ts";
import { ApiError, json, oneOf, readBody, text } from "./json.ts";

const MAX_HOURS = 366 * 24;
const DEFAULT_HOURS = 7 * 24;

function hours(body: Record<string, unknown>): number {
  const value = body.expiresInHours ?? DEFAULT_HOURS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > MAX_HOURS) {
    throw new ApiError(400, `expiresInHours must be a whole number from 1 to ${MAX_HOURS}`);
  }
  return value;
}

function expiry(ctx: ApiContext, body: Record<string, unknown>): string {
  return new Date(ctx.now.getTime() + hours(body) * 3_600_000).toISOString();
}

function admin(ctx: ApiContext): void {
  if (ctx.principal.role !== "admin") throw new ApiError(403, "only an admin can decide waivers");
}

export const listWaivers: Handler = async (ctx) => json(200, { waivers: await ctx.backend.waivers({}) });

export const addWaiver: Handler = async (ctx, request) => {
  const body = await readBody(request);
  const scope = oneOf(text(body, "scope", 40, true), ctx.backend.waiverScopes, "scope")!;
  const scopeValue = text(body, "scopeValue", 200) ?? null;
  if (scope !== ctx.backend.waiverScopes[0] && !scopeValue) throw new ApiError(400, `a ${scope} waiver names its ${scope} (scopeValue)`);
  const input: WaiverInput = {
    ecosystem: oneOf(text(body, "ecosystem", 40, true), ctx.ecosystems, "ecosystem")!,
    name: text(body, "name", 256, true)!,
    version: text(body, "version", 128) ?? null,
    scope,
    scopeValue: scope === ctx.backend.waiverScopes[0] ? null : scopeValue,
    reason: text(body, "reason", 1000, true)!,
    expiresAt: expiry(ctx, body),
  };
  const waiver = await ctx.backend.addWaiver(input, ctx.principal.who, ctx.principal.role === "admin");
  return json(201, { waiver });
};

export const decideWaiver: Handler = async (ctx, request, params) => {
  admin(ctx);
  const [id, action] = params as [string, string];
  const body = await readBody(request);
  if (action === "revoke") return json(200, { waiver: await ctx.backend.revokeWaiver(id, ctx.principal.who) });
  const decision = action === "approve" ? "approve" : "deny";
  const waiver = await ctx.backend.decideWaiver(id, decision, ctx.principal.who, decision === "approve" ? expiry(ctx, body) : null);
  return json(200, { waiver });
};
