// bouncer scan [PATH...] [--diff REV] [--text]
import { parseArgs } from "node:util";
import { type Changes, GitError, gitChanges } from "../../../extract/gitdiff.ts";
import { gateFailures, scan as runScan } from "../../../engine/scan.ts";
import { openEngine } from "../../../engine/setup.ts";
import { COMMON_OPTIONS, engineOptions } from "../config.ts";
import { UsageError } from "../io.ts";
import { decisionLog, inCi, LOG_OPTIONS } from "../log.ts";
import { chosenFormat, OUTPUT_OPTIONS, progress, status, writeReport } from "../output.ts";
import { applyWaivers } from "../store.ts";
import type { Command } from "./types.ts";

export const scan: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      options: {
        ...COMMON_OPTIONS,
        ...OUTPUT_OPTIONS,
        ...LOG_OPTIONS,
        diff: { type: "string" },
        text: { type: "boolean" },
        "stdin-name": { type: "string" },
      },
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
    chosenFormat(values);
    const wantsStdin = positionals.includes("-");
    const paths = positionals.filter((p) => p !== "-");
    if (!positionals.length) paths.push(".");
    let changes: Changes | undefined;
    if (values.diff !== undefined) {
      try {
        changes = gitChanges(io.cwd, values.diff);
      } catch (error) {
        if (error instanceof GitError) throw new UsageError(error.message, "--diff takes a git revision, e.g. --diff origin/main");
        throw error;
      }
    }
    const options = engineOptions(values, io, [io.cwd, ...paths]);
    const stdin = wantsStdin ? { text: await io.readStdin(), name: values["stdin-name"] ?? "<stdin>" } : undefined;
    const engine = await openEngine({ ...options, onProgress: progress(io), onStatus: status(io) });
    try {
      await applyWaivers(engine, options, io);
      const report = await runScan(
        { cwd: io.cwd, paths, stdin, asText: values.text, changes, privateScopes: Object.keys(options.npmScopes ?? {}) },
        engine,
      );
      const log = decisionLog(values, io, options, "scan");
      for (const r of report.results) log.add(r);
      await log.close();
      const code = writeReport(report, values, io, { byFile: true });
      // In CI and on a change, a manifest that could not be evaluated is not a pass.
      const failures = values.diff !== undefined || inCi(io.env) ? gateFailures(report, options.policy) : [];
      if (!failures.length) return code;
      io.stderr.write(
        `bouncer: ${failures.length === 1 ? "1 dependency file" : `${failures.length} dependency files`} could not be evaluated (${failures[0]!.file}: ${failures[0]!.reason}); ` +
          'the gate fails. A trusted policy with "notEvaluated": "warn" lets it pass.\n',
      );
      return Math.max(code, 1);
    } finally {
      await engine.close();
    }
  },
};
