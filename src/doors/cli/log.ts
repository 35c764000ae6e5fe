// Which CLI verdicts go to the decision log: in CI (the CI variable, as the action runs) every
// verdict is a gate's and is logged as door "ci"; an interactive check or scan only with --log.
import type { PackageResult } from "../../core/model.ts";
import { type DecisionRecorder, decisionRecorder } from "../../engine/service.ts";
import type { EngineOptions } from "../../engine/setup.ts";
import type { Door } from "../../ledger/ledger.ts";
import type { CliIO } from "./io.ts";
import { openCliStore } from "./store.ts";

/** `--log` and `--no-log` (parseArgs with allowNegative). */
export const LOG_OPTIONS = { log: { type: "boolean" } } as const;

const BATCH = 1000;

/** Set by CI services (GitHub Actions, GitLab, CircleCI, ...): anything but "", "0" or "false". */
export function inCi(env: CliIO["env"]): boolean {
  const ci = env.CI?.trim().toLowerCase();
  return Boolean(ci) && ci !== "false" && ci !== "0";
}

export interface DecisionLog {
  /** Takes a result as it is final (a streamed check keeps no report, so neither does its log). */
  add(result: PackageResult): void;
  /** Waits until every result added is written. */
  close(): Promise<void>;
}

export function decisionLog(flags: { log?: boolean }, io: CliIO, options: EngineOptions, command: "check" | "scan"): DecisionLog {
  const ci = inCi(io.env);
  if (!(flags.log ?? ci)) return { add() {}, close: async () => {} };
  const door: Door = ci ? "ci" : command;
  // A team's CI logs to the shared store when BOUNCER_STORE_URL names one; else to the data directory's
  // (its log file): as the service does, with each waiver's use counted in the store that holds it.
  const shared = openCliStore({}, io, options.dataDir, options.logKey);
  shared.catch(() => {}); // reported by the first write
  const recorder: Promise<DecisionRecorder> = shared.then((store) => decisionRecorder({ ...options, store }));
  let batch: PackageResult[] = [];
  let written: Promise<void> = Promise.resolve();
  const flush = () => {
    const taken = batch;
    batch = [];
    written = written.then(async () => (await recorder).record(taken, door, command));
  };
  return {
    add(result) {
      batch.push(result);
      if (batch.length >= BATCH) flush();
    },
    async close() {
      if (batch.length) flush();
      try {
        await written;
      } finally {
        await (await shared.catch(() => undefined))?.close();
      }
    },
  };
}
