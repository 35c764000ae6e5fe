// bouncer audit verify|export: the decision log.
import { parseArgs } from "node:util";
import { readEntries, verifyLedger } from "../../../ledger/ledger.ts";
import { COMMON_OPTIONS, dataDir } from "../config.ts";
import { UsageError } from "../io.ts";
import type { Command } from "./types.ts";

export const audit: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, json: { type: "boolean" } }, allowPositionals: true, strict: true });
    const [action, ...extra] = positionals;
    if (extra.length || (action !== "verify" && action !== "export")) {
      throw new UsageError(`audit takes "verify" or "export"${action ? `, not "${[action, ...extra].join(" ")}"` : ""}`, "bouncer audit verify");
    }
    const dir = dataDir(values, io);
    if (action === "export") {
      const lines = readEntries(dir);
      if (lines.length) io.stdout.write(`${lines.join("\n")}\n`);
      return 0;
    }
    const result = await verifyLedger(dir);
    if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else if (!result.problems.length) io.stdout.write(`decision log intact: ${result.entries} entries\n`);
    else {
      for (const p of result.problems) io.stdout.write(`${p.kind}: ${p.message}\n`);
      io.stdout.write(`decision log NOT intact: ${result.problems.length} problem(s) in ${result.entries} entries\n`);
    }
    return result.problems.length ? 1 : 0;
  },
};
