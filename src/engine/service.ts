// One engine shared by a door, with every decision written to the decision log.
import type { PackageRequest, PackageResult } from "../core/model.ts";
import { canonicalPolicy } from "../core/policy.ts";
import { getEcosystem } from "../ecosystems/index.ts";
import { type Door, Ledger, policyDigest } from "../ledger/ledger.ts";
import { checkPackages } from "./check.ts";
import { makeRequest, parseRequestSpec } from "./requests.ts";
import { type EngineOptions, type OpenEngine, openEngine } from "./setup.ts";

export interface Gate {
  engine: OpenEngine;
  ledger: Ledger;
  policyDigest: string;
  /** Checks and logs each decision under `door`. */
  check(requests: PackageRequest[], door: Door, context?: string): Promise<PackageResult[]>;
  /** Logs decisions made elsewhere (a scan) under `door`. */
  record(results: readonly PackageResult[], door: Door, context?: string): Promise<void>;
  parseSpec(spec: string, ecosystem: string | undefined): PackageRequest;
  /** A request for a name in an ecosystem (the name is validated by the engine). */
  request(ecosystem: string, name: string, version: string | null): PackageRequest;
  close(): Promise<void>;
}

export async function openGate(options: EngineOptions): Promise<Gate> {
  const engine = await openEngine(options);
  const ledger = new Ledger(options.dataDir);
  const digest = policyDigest(canonicalPolicy(options.policy));
  const record: Gate["record"] = async (results, door, context) => {
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
  return {
    engine,
    ledger,
    policyDigest: digest,
    record,
    async check(requests, door, context) {
      const results = await checkPackages(requests, engine);
      await record(results, door, context);
      return results;
    },
    parseSpec: (spec, ecosystem) => parseRequestSpec(spec, getEcosystem, ecosystem),
    request(ecosystem, name, version) {
      const eco = getEcosystem(ecosystem);
      if (!eco) throw new Error(`unsupported ecosystem ${ecosystem}`);
      return makeRequest(eco, name, version);
    },
    close: () => engine.close(),
  };
}
