// bouncer policy push FILE | show | history: the team's policy, one versioned document in the store.
import path from "node:path";
import { parseArgs } from "node:util";
import { canonicalPolicy, parsePolicy } from "../../../core/policy.ts";
import { REGISTRY_KEYS } from "../../../ecosystems/registries.ts";
import { policyDigest } from "../../../ledger/ledger.ts";
import type { StoredPolicy } from "../../../store/types.ts";
import { clock, COMMON_OPTIONS, dataDir, invalidPolicy, readPolicyDocument } from "../config.ts";
import { UsageError } from "../io.ts";
import { actor, openCliStore, STORE_OPTIONS } from "../store.ts";
import type { Command } from "./types.ts";

function describe(p: StoredPolicy): string {
  return `version ${p.version} ${p.digest} pushed by ${p.pushedBy} at ${p.pushedAt}`;
}

export const policy: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...STORE_OPTIONS, by: { type: "string" }, json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    const [action, ...rest] = positionals;
    if (action === "push" ? rest.length !== 1 : action !== "show" && action !== "history" ? true : rest.length > 0) {
      throw new UsageError(`policy takes "push FILE", "show" or "history"${action ? `, not "${positionals.join(" ")}"` : ""}`, "bouncer policy push team-policy.json");
    }
    let document = "";
    let digest = "";
    if (action === "push") {
      // Validated as a trusted policy file is today, before anything reaches the store.
      const file = path.resolve(io.cwd, rest[0]!);
      const doc = readPolicyDocument(file, true);
      try {
        digest = policyDigest(canonicalPolicy(parsePolicy(doc, REGISTRY_KEYS)));
      } catch (error) {
        invalidPolicy(file, error);
      }
      document = JSON.stringify(doc);
    }
    const by = action === "push" ? actor(values.by, io) : "";
    const dir = dataDir(values, io, { write: action === "push" });
    const store = await openCliStore(values, io, dir, undefined);
    try {
      if (action === "push") {
        const pushed = await store.policies.push(document, digest, by, clock(io));
        io.stdout.write(values.json ? `${JSON.stringify(pushed)}\n` : `pushed policy ${describe(pushed)}; replicas pick it up within seconds\n`);
        return 0;
      }
      const list = action === "show" ? [await store.policies.active()].filter((p) => p !== undefined) : await store.policies.history();
      if (values.json) io.stdout.write(`${JSON.stringify(action === "show" ? (list[0] ?? null) : list, null, 2)}\n`);
      else if (!list.length) io.stdout.write("no policy pushed: each replica uses its configured policy\n");
      else {
        for (const p of list) io.stdout.write(`${describe(p)}\n`);
        if (action === "show") io.stdout.write(`${JSON.stringify(JSON.parse(list[0]!.document), null, 2)}\n`);
      }
      return 0;
    } finally {
      await store.close();
    }
  },
};
