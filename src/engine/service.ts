// One engine shared by a door, with every decision written to the decision log.
import type { PackageRequest, PackageResult } from "../core/model.ts";
import { canonicalPolicy } from "../core/policy.ts";
import { getEcosystem } from "../ecosystems/index.ts";
import { type Door, Ledger, policyDigest } from "../ledger/ledger.ts";
import { type Checked, checkWithFacts } from "./check.ts";
import { makeRequest, parseRequestSpec } from "./requests.ts";
import { type EngineOptions, type OpenEngine, openEngine } from "./setup.ts";

export interface Gate extends DecisionRecorder {
  engine: OpenEngine;
  /** Checks and logs each decision under `door`. */
  check(requests: PackageRequest[], door: Door, context?: string): Promise<PackageResult[]>;
  /** As `check`, each verdict with the facts it was made on (a door that judges versions asks no source again). */
  checkWithFacts(requests: PackageRequest[], door: Door, context?: string): Promise<Checked[]>;
  parseSpec(spec: string, ecosystem: string | undefined): PackageRequest;
  /** A request for a name in an ecosystem (the name is validated by the engine). */
  request(ecosystem: string, name: string, version: string | null): PackageRequest;
  /** Waits for the checks in flight (their decisions are logged), then closes the engine. */
  close(): Promise<void>;
}

export interface DecisionRecorder {
  ledger: Ledger;
  policyDigest: string;
  /** Logs decisions (made here or elsewhere, e.g. a scan) under `door`. */
  record(results: readonly PackageResult[], door: Door, context?: string): Promise<void>;
}

/** Writes verdicts to the decision log of the data directory, with the policy that made them. */
export function decisionRecorder(options: Pick<EngineOptions, "dataDir" | "policy" | "logKey">): DecisionRecorder {
  const ledger = new Ledger(options.dataDir, { key: options.logKey });
  const digest = policyDigest(canonicalPolicy(options.policy));
  const record: DecisionRecorder["record"] = async (results, door, context) => {
    await ledger.append(
      results.map((r) => ({
        door,
        purl: r.purl,
        ecosystem: r.ecosystem,
        name: r.name,
        version: r.version,
        verdict: r.verdict,
        findings: r.findings.map((f) => ({ code: f.code, severity: f.severity })),
        policyDigest: digest,
        ...(context ? { context } : {}),
      })),
    );
  };
  return { ledger, policyDigest: digest, record };
}

export async function openGate(options: EngineOptions): Promise<Gate> {
  const engine = await openEngine(options);
  const { ledger, policyDigest: digest, record } = decisionRecorder(options);
  // Checks still running (a proxy answers before the other half of its work ends): close waits for their decisions.
  const running = new Set<Promise<unknown>>();
  const checkLogged: Gate["checkWithFacts"] = async (requests, door, context) => {
    const work = (async () => {
      const checked = await checkWithFacts(requests, engine);
      await record(checked.map((c) => c.result), door, context);
      return checked;
    })();
    running.add(work);
    try {
      return await work;
    } finally {
      running.delete(work);
    }
  };
  return {
    engine,
    ledger,
    policyDigest: digest,
    record,
    check: async (requests, door, context) => (await checkLogged(requests, door, context)).map((c) => c.result),
    checkWithFacts: checkLogged,
    parseSpec: (spec, ecosystem) => parseRequestSpec(spec, getEcosystem, ecosystem),
    request(ecosystem, name, version) {
      const eco = getEcosystem(ecosystem);
      if (!eco) throw new Error(`unsupported ecosystem ${ecosystem}`);
      return makeRequest(eco, name, version);
    },
    async close() {
      await Promise.allSettled(running);
      await engine.close();
    },
  };
}
