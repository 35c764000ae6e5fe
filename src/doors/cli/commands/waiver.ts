// bouncer waiver add|list|revoke|approve|deny: time-limited exceptions for one package.
import { parseArgs } from "node:util";
import { getEcosystem } from "../../../ecosystems/index.ts";
import type { PackageRequest } from "../../../core/model.ts";
import { parseRequestSpec, RequestError } from "../../../engine/requests.ts";
import { parseScope, scopeText } from "../../../store/sql.ts";
import { type NewWaiver, shownStatus, type Waiver } from "../../../store/types.ts";
import { clock, COMMON_OPTIONS, dataDir } from "../config.ts";
import { UsageError } from "../io.ts";
import { actor, openCliStore, STORE_OPTIONS } from "../store.ts";
import type { Command } from "./types.ts";

const HINT = 'bouncer waiver add pkg:npm/left-pad@1.3.0 --reason "vetted, see TICKET-1" --expires 14d [--scope all|team:NAME|project:NAME]';
/** No exception is forever; a year is the longest one. */
const MAX_EXPIRY_MS = 366 * 86_400_000;

/** "14d", "12h", "30m" after now, or an ISO time. */
export function parseExpiry(text: string, now: Date): Date {
  const relative = /^(\d{1,4})([mhd])$/.exec(text);
  const at = relative
    ? new Date(now.getTime() + Number(relative[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as "m" | "h" | "d"])
    : new Date(Date.parse(text));
  if (Number.isNaN(at.getTime())) throw new UsageError(`--expires takes a duration (14d, 12h, 30m) or an ISO time, not "${text}"`, HINT);
  if (at.getTime() <= now.getTime()) throw new UsageError(`--expires ${text} is not in the future`, HINT);
  if (at.getTime() - now.getTime() > MAX_EXPIRY_MS) throw new UsageError(`--expires ${text} is more than a year away`, "waivers are exceptions: renew one when it expires");
  return at;
}

function line(w: Waiver, now: Date): string {
  const state = shownStatus(w, now);
  const pkg = `${w.ecosystem}:${w.name}${w.version ? `@${w.version}` : ""}`;
  return `${w.id}  ${state.padEnd(9)} ${pkg}  scope ${scopeText(w.scope)}  until ${w.expiresAt}  by ${w.requestedBy}  used ${w.uses}x  ${JSON.stringify(w.reason)}`;
}

export const waiver: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        ...STORE_OPTIONS,
        ecosystem: { type: "string", short: "e" },
        reason: { type: "string" },
        expires: { type: "string" },
        scope: { type: "string" },
        by: { type: "string" },
        request: { type: "boolean" },
        all: { type: "boolean" },
        json: { type: "boolean" },
      },
      allowPositionals: true,
      strict: true,
    });
    const [action, ...rest] = positionals;
    const actions = ["add", "list", "revoke", "approve", "deny"];
    if (!action || !actions.includes(action) || (action === "list" ? rest.length > 0 : rest.length !== 1)) {
      throw new UsageError(`waiver takes "add PACKAGE", "list", or "revoke|approve|deny ID"${action ? `, not "${positionals.join(" ")}"` : ""}`, HINT);
    }
    const now = clock(io);
    let add: NewWaiver | undefined;
    if (action === "add") {
      let request: PackageRequest;
      try {
        request = parseRequestSpec(rest[0]!, getEcosystem, values.ecosystem);
      } catch (error) {
        if (error instanceof RequestError) throw new UsageError(error.message, HINT);
        throw error;
      }
      if (request.nameProblem) throw new UsageError(`${rest[0]} is not a valid package name: ${request.nameProblem}`, HINT);
      const eco = getEcosystem(request.ecosystem)!;
      if (request.version !== null && !eco.isExactVersion(request.version)) throw new UsageError(`a waiver names one exact version or none, not "${request.version}"`, HINT);
      if (!values.reason?.trim()) throw new UsageError("a waiver needs --reason: why this package may pass", HINT);
      if (!values.expires) throw new UsageError("a waiver needs --expires: when it stops applying", HINT);
      const scope = parseScope(values.scope ?? "all");
      if (!scope) throw new UsageError(`--scope takes all, team:NAME or project:NAME, not "${values.scope}"`, HINT);
      add = {
        ecosystem: request.ecosystem,
        name: request.name,
        version: request.version,
        scope,
        by: actor(values.by, io),
        reason: values.reason.trim().slice(0, 1000),
        expiresAt: parseExpiry(values.expires, now),
        status: values.request ? "requested" : "active",
      };
    }
    const dir = dataDir(values, io, { write: action !== "list" });
    const store = await openCliStore(values, io, dir, undefined);
    try {
      if (add) {
        const made = await store.waivers.add(add, now);
        io.stdout.write(values.json ? `${JSON.stringify(made)}\n` : `${line(made, now)}\n`);
        return 0;
      }
      if (action === "list") {
        const list = await store.waivers.list({ now, all: values.all });
        if (values.json) io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        else if (!list.length) io.stdout.write(values.all ? "no waivers\n" : "no waivers in force or requested (--all lists expired, revoked and denied ones)\n");
        else for (const w of list) io.stdout.write(`${line(w, now)}\n`);
        return 0;
      }
      const id = rest[0]!;
      const by = actor(values.by, io);
      const changed =
        action === "revoke" ? await store.waivers.revoke(id, by, now) : action === "approve" ? await store.waivers.approve(id, by, now) : await store.waivers.deny(id, by, now);
      if (!changed) {
        const existing = await store.waivers.get(id);
        throw new UsageError(
          existing ? `waiver ${id} is ${existing.status}: it cannot be ${action === "deny" ? "denied" : `${action}d`}` : `no waiver ${id}`,
          "bouncer waiver list --all",
        );
      }
      io.stdout.write(values.json ? `${JSON.stringify(changed)}\n` : `${line(changed, now)}\n`);
      return 0;
    } finally {
      await store.close();
    }
  },
};
