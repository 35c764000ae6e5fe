// bouncer audit verify|export: the decision log.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { type Checkpoint, LOG_FILE, makeCheckpoint, parseCheckpoint, readEntries, type Verification } from "../../../ledger/ledger.ts";
import { MAX_READ_LIMIT as EXPORT_PAGE } from "../../../store/query.ts";
import { fileDecisionLog } from "../../../store/sqlite.ts";
import type { DecisionLog } from "../../../store/types.ts";
import { clock, COMMON_OPTIONS, dataDir } from "../config.ts";
import { type CliIO, UsageError } from "../io.ts";
import { loadLogKey } from "../logkey.ts";
import { openCliStore, STORE_OPTIONS, storeUrl } from "../store.ts";
import type { Command } from "./types.ts";

function readCheckpoint(file: string, io: CliIO): Checkpoint {
  let text: string;
  try {
    text = readFileSync(path.resolve(io.cwd, file), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the checkpoint ${file}: ${code === "ENOENT" ? "no such file" : code}`, "--checkpoint takes a file written by `bouncer audit export --checkpoint FILE`");
  }
  const point = parseCheckpoint(text);
  if (typeof point === "string") throw new UsageError(`the checkpoint ${file} is ${point}`, "--checkpoint takes a file written by `bouncer audit export --checkpoint FILE`");
  return point;
}

function writeProblems(result: Verification, out: CliIO["stdout"]): void {
  for (const p of result.problems) out.write(`${p.kind}: ${p.message}\n`);
}

export const audit: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...STORE_OPTIONS, json: { type: "boolean" }, checkpoint: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    const [action, ...extra] = positionals;
    if (extra.length || (action !== "verify" && action !== "export")) {
      throw new UsageError(`audit takes "verify" or "export"${action ? `, not "${[action, ...extra].join(" ")}"` : ""}`, "bouncer audit verify");
    }
    // Reading the log needs no write access: a copy on read-only media verifies too.
    const dir = dataDir(values, io, { write: false });
    const key = loadLogKey(values, io, dir);
    // A shared store's log (PostgreSQL) is read from there; the data directory's file otherwise.
    const store = storeUrl(values, io) ? await openCliStore(values, io, dir, key) : undefined;
    try {
      return await (store ? auditLog(store.decisions, `the store at ${store.location}`) : auditLog(fileDecisionLog(dir, key), dir));
    } finally {
      await store?.close();
    }

    async function auditLog(log: DecisionLog, where: string): Promise<number> {
    if (action === "export") {
      if (!store) {
        // The file's lines as they are, verified or not.
        const lines = readEntries(dir);
        if (lines.length) io.stdout.write(`${lines.join("\n")}\n`);
      } else {
        for (let after = 0; ; ) {
          const page = await log.read({ afterSeq: after, limit: EXPORT_PAGE });
          if (page.length) io.stdout.write(`${page.map((e) => JSON.stringify(e)).join("\n")}\n`);
          if (page.length < EXPORT_PAGE) break;
          after = page.at(-1)!.seq;
        }
      }
      if (!values.checkpoint) return 0;
      // A checkpoint vouches for the chain as it is: never for one that does not verify.
      const result = await log.verify({ key });
      if (result.problems.length) {
        writeProblems(result, io.stderr);
        io.stderr.write(`bouncer: no checkpoint written: the decision log is NOT intact\n`);
        return 1;
      }
      const point = makeCheckpoint(result.head, clock(io), key);
      writeFileSync(path.resolve(io.cwd, values.checkpoint), `${JSON.stringify(point)}\n`);
      io.stderr.write(`checkpoint of entry ${point.seq}${key ? ` signed with key ${point.keyId}` : " (unsigned: no log key)"} written to ${values.checkpoint}; keep it outside ${where}\n`);
      return 0;
    }
    const checkpoint = values.checkpoint ? readCheckpoint(values.checkpoint, io) : undefined;
    const result = await log.verify({ key, checkpoint });
    if (!result.exists && !checkpoint) {
      throw new UsageError(
        `no decision log ${store ? `in ${where}` : `at ${path.join(dir, LOG_FILE)}`}`,
        "decisions are logged by the guard, proxy, MCP server and CI; choose the data directory with --data-dir or BOUNCER_HOME, a shared store with --store",
      );
    }
    if (values.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else {
      writeProblems(result, io.stdout);
      for (const n of result.notes) io.stdout.write(`note: ${n}\n`);
      const anchors = [key ? "the log key" : "", checkpoint ? `the checkpoint of entry ${checkpoint.seq}` : ""].filter(Boolean).join(" and ");
      io.stdout.write(
        result.problems.length
          ? `decision log NOT intact: ${result.problems.length} problem(s) in ${result.entries} entries\n`
          : `decision log intact: ${result.entries} entries${anchors ? `, checked against ${anchors}` : ""}\n`,
      );
    }
    return result.problems.length ? 1 : 0;
    }
  },
};
