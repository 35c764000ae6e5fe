// bouncer check [--ecosystem npm|pypi] [--from FILE|-] [SPEC...]
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { SourceLocation } from "../../../core/findings.ts";
import type { PackageRequest } from "../../../core/model.ts";
import { ECOSYSTEMS, getEcosystem } from "../../../ecosystems/index.ts";
import { checkPackages } from "../../../engine/check.ts";
import { eachSpec, parseRequestSpec, RequestError } from "../../../engine/requests.ts";
import { openEngine } from "../../../engine/setup.ts";
import { buildReport, JsonReportWriter } from "../../../report/json.ts";
import { COMMON_OPTIONS, engineOptions } from "../config.ts";
import { type CliIO, UsageError } from "../io.ts";
import { decisionLog, LOG_OPTIONS } from "../log.ts";
import { chosenFormat, exitCodeFor, OUTPUT_OPTIONS, progress, status, writeReport } from "../output.ts";
import { applyWaivers } from "../store.ts";
import type { Command } from "./types.ts";

async function readSpecs(from: string, io: CliIO): Promise<{ text: string; file: string }> {
  if (from === "-") return { text: await io.readStdin(), file: "<stdin>" };
  try {
    return { text: readFileSync(path.resolve(io.cwd, from), "utf8"), file: from };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${from}: ${code === "ENOENT" ? "no such file" : (code ?? (error as Error).message)}`, `paths are relative to ${io.cwd}; use - for standard input`);
  }
}

export const check: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, ...OUTPUT_OPTIONS, ...LOG_OPTIONS, ecosystem: { type: "string", short: "e" }, from: { type: "string" } },
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
    chosenFormat(values);
    const ecosystem = values.ecosystem;
    if (ecosystem && !getEcosystem(ecosystem)) {
      throw new UsageError(`unknown ecosystem "${ecosystem}"`, `choose one of: ${[...ECOSYSTEMS.keys()].join(", ")}`);
    }
    // Requests straight from the text: a bulk list keeps no second copy of itself while it is checked.
    const requests: PackageRequest[] = [];
    const add = (spec: string, location?: SourceLocation) => {
      try {
        requests.push(parseRequestSpec(spec, getEcosystem, ecosystem, location));
      } catch (error) {
        if (error instanceof RequestError) throw new UsageError(error.message, "e.g. bouncer check pkg:npm/left-pad pkg:pypi/requests@2.31.0");
        throw error;
      }
    };
    for (const spec of positionals) add(spec);
    if (values.from) {
      const { text, file } = await readSpecs(values.from, io);
      eachSpec(text, (spec, line) => add(spec, { file, line }));
    }
    if (!requests.length) throw new UsageError("no packages to check", "e.g. bouncer check pkg:pypi/requests, or --ecosystem npm left-pad");
    const options = engineOptions(values, io);
    const log = decisionLog(values, io, options, "check");
    const engine = await openEngine({ ...options, onProgress: progress(io), onStatus: status(io) });
    try {
      await applyWaivers(engine, options, io);
      if (chosenFormat(values) === "json") {
        // Written as it goes: a bulk check keeps no report in memory.
        const writer = new JsonReportWriter((chunk) => io.stdout.write(chunk));
        await checkPackages(requests, engine, {
          onResult: (result) => {
            writer.add(result);
            log.add(result);
          },
        });
        await log.close();
        const summary = writer.counts();
        writer.end([], summary, engine.notices);
        return exitCodeFor(summary, values.strict);
      }
      const results = await checkPackages(requests, engine);
      for (const r of results) log.add(r);
      await log.close();
      return writeReport(buildReport(results, [], engine.notices), values, io);
    } finally {
      await engine.close();
    }
  },
};
