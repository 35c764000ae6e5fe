// bouncer index build --npm FILE --pypi FILE, and bouncer feeds import PATH...
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ECOSYSTEMS } from "../../../ecosystems/index.ts";
import { buildOfflineIndex, importMaliciousFeeds } from "../../../engine/data.ts";
import { COMMON_OPTIONS, dataDir } from "../config.ts";
import { type CliIO, UsageError } from "../io.ts";
import { status } from "../output.ts";
import type { Command } from "./types.ts";

const SNAPSHOT_OPTIONS = Object.fromEntries([...ECOSYSTEMS.keys()].map((id) => [id, { type: "string" as const }]));

function userPath(io: CliIO, file: string, what: string): string {
  const full = path.resolve(io.cwd, file);
  if (!existsSync(full)) throw new UsageError(`${what} ${file} does not exist`);
  return full;
}

export const index: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      // One snapshot option per ecosystem: --npm FILE, --pypi FILE...
      options: { ...COMMON_OPTIONS, ...SNAPSHOT_OPTIONS, json: { type: "boolean" } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.join(" ") !== "build") throw new UsageError(`index takes "build"`, "bouncer index build --npm npm.tsv.gz --pypi pypi.tsv.gz");
    const snapshots: Record<string, string> = {};
    for (const id of ECOSYSTEMS.keys()) {
      const file = (values as Record<string, unknown>)[id];
      if (typeof file === "string") snapshots[id] = userPath(io, file, `the ${id} snapshot`);
    }
    if (!Object.keys(snapshots).length) throw new UsageError("give at least one snapshot", "bouncer index build --npm npm.tsv.gz --pypi pypi.tsv.gz");
    const started = performance.now();
    const show = status(io);
    const read = new Map(Object.keys(snapshots).map((id) => [id, 0]));
    const shown = () => [...read].map(([eco, n]) => `${eco} ${n.toLocaleString("en")} rows`).join(", ");
    show?.("building the offline index: reading the snapshots…");
    let stats: Awaited<ReturnType<typeof buildOfflineIndex>>;
    try {
      stats = await buildOfflineIndex({
        dataDir: dataDir(values, io),
        snapshots,
        onProgress(ecosystem, rows) {
          read.set(ecosystem, rows);
          show?.(`building the offline index: ${shown()} read…`);
        },
      });
    } catch (error) {
      throw new UsageError(`cannot build the index: ${(error as Error).message}`);
    } finally {
      show?.(undefined);
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (values.json) {
      io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
      return 0;
    }
    for (const e of stats.ecosystems) {
      const c = e.coverage;
      io.stdout.write(
        `${e.ecosystem}: ${e.entries.toLocaleString("en")} names` +
          (c.complete ? " (complete list" : ` (only packages with >= ${c.minDownloads ?? "?"} downloads a month`) +
          `, snapshot ${c.snapshotDate ?? "of unknown date"})` +
          (e.skipped ? `, ${e.skipped} rows skipped` : "") +
          "\n",
      );
    }
    for (const p of stats.problems) io.stderr.write(`warning: ${p}\n`);
    io.stdout.write(`index written to ${stats.out} (${(stats.bytes / 1e6).toFixed(1)} MB) in ${seconds} s\n`);
    if (stats.search) {
      const docs = Object.entries(stats.search.docs).map(([eco, n]) => `${eco} ${n.toLocaleString("en")}`).join(", ");
      io.stdout.write(`package search index (names and summaries of ${docs}) written to ${stats.search.out} (${(stats.search.bytes / 1e6).toFixed(1)} MB)\n`);
    }
    return 0;
  },
};

export const feeds: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, json: { type: "boolean" } }, allowPositionals: true, strict: true });
    const [action, ...paths] = positionals;
    if (action !== "import" || !paths.length) throw new UsageError("feeds takes \"import PATH...\"", "bouncer feeds import osv-npm-all.zip");
    const files = paths.map((p) => userPath(io, p, "feed"));
    const stats = await importMaliciousFeeds({ dataDir: dataDir(values, io), paths: files });
    if (values.json) io.stdout.write(`${JSON.stringify(stats, null, 2)}\n`);
    else {
      const per = Object.entries(stats.byEcosystem).map(([k, v]) => `${k} ${v.toLocaleString("en")}`).join(", ");
      io.stdout.write(
        `read ${stats.documents.toLocaleString("en")} reports (${per || "none"}): ${stats.inserted} new, ${stats.updated} updated, ` +
          `${stats.unchanged} unchanged, ${stats.withdrawn} withdrawn (${stats.removed} removed)` +
          (Object.keys(stats.skipped).length ? `, skipped other ecosystems: ${JSON.stringify(stats.skipped)}` : "") +
          "\n",
      );
      for (const p of stats.problems.slice(0, 10)) io.stderr.write(`warning: ${p.path}${p.entry ? `:${p.entry}` : ""}: ${p.message}\n`);
      if (stats.malformed) io.stderr.write(`${stats.malformed} malformed report(s) were not imported\n`);
    }
    // Partial imports keep what was valid; nothing valid at all is an input error.
    return stats.documents === stats.malformed && stats.problems.length ? 2 : 0;
  },
};
