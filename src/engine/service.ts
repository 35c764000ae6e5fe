// One engine shared by a door, with every decision written to the decision log of the store, the
// store's policy (when pushed, for long-running doors) and its waivers in force.
import type { PackageRequest, PackageResult } from "../core/model.ts";
import { canonicalPolicy, type Policy, parsePolicy } from "../core/policy.ts";
import type { WaiverContext, WaiverRule } from "../core/waivers.ts";
import { getEcosystem } from "../ecosystems/index.ts";
import { REGISTRY_KEYS } from "../ecosystems/registries.ts";
import { type DecisionAgent, type Door, policyDigest } from "../ledger/ledger.ts";
import { fileDecisionLog, openSqliteStore } from "../store/sqlite.ts";
import type { DecisionLog, Store } from "../store/types.ts";
import { type Checked, checkWithFacts } from "./check.ts";
import { makeRequest, parseRequestSpec } from "./requests.ts";
import { type EngineOptions, type OpenEngine, openEngine } from "./setup.ts";

export interface Gate extends DecisionRecorder {
  engine: OpenEngine;
  store: Store;
  /**
   * Checks and logs each decision under `door`. `caller`: the authenticated caller of a shared door,
   * whose scoped waivers apply (default: the gate's `waiverContext`).
   */
  check(requests: PackageRequest[], door: Door, context?: string, caller?: WaiverContext): Promise<PackageResult[]>;
  /** As `check`, each verdict with the facts it was made on (a door that judges versions asks no source again). */
  checkWithFacts(requests: PackageRequest[], door: Door, context?: string, caller?: WaiverContext): Promise<Checked[]>;
  parseSpec(spec: string, ecosystem: string | undefined): PackageRequest;
  /** A request for a name in an ecosystem (the name is validated by the engine). */
  request(ecosystem: string, name: string, version: string | null): PackageRequest;
  /**
   * Reads the store's active policy (with `livePolicy`) and its waivers in force again; resolves
   * true when either changed. Rejects (StoreUnavailableError) when the store cannot be read.
   */
  refresh(): Promise<boolean>;
  /** Changes whenever the policy or the waivers do: answers judged under an older one are stale. */
  readonly generation: number;
  /** The store's policy version in force, or undefined for the configured policy. */
  readonly policyVersion: number | undefined;
  /** Waits for the checks in flight (their decisions are logged), then closes the engine. */
  close(): Promise<void>;
}

export interface DecisionRecorder {
  log: DecisionLog;
  /** The digest of the policy decisions are made under now. */
  readonly policyDigest: string;
  /** Logs decisions (made here or elsewhere, e.g. a scan) under `door`; counts each waiver used; `agent`: the coding agent's call (door "agent"). */
  record(results: readonly PackageResult[], door: Door, context?: string, agent?: DecisionAgent): Promise<void>;
}

/** Writes verdicts to the decision log (the store's, or the data directory's), with the policy that made them. */
export function decisionRecorder(
  options: Pick<EngineOptions, "dataDir" | "policy" | "logKey" | "now" | "clock"> & { store?: Store; onRecord?: GateOptions["onRecord"] },
  digestNow?: () => string,
): DecisionRecorder {
  const log = options.store?.decisions ?? fileDecisionLog(options.dataDir, options.logKey);
  const fixed = policyDigest(canonicalPolicy(options.policy));
  const digest = digestNow ?? (() => fixed);
  return {
    log,
    get policyDigest() {
      return digest();
    },
    async record(results, door, context, agent) {
      const policyDigest = digest();
      await log.append(
        results.map((r) => ({
          door,
          purl: r.purl,
          ecosystem: r.ecosystem,
          name: r.name,
          version: r.version,
          verdict: r.verdict,
          findings: r.findings.map((f) => ({ code: f.code, severity: f.severity })),
          policyDigest,
          ...(context ? { context } : {}),
          ...(agent ? { agent } : {}),
          ...(r.waiver ? { waiver: r.waiver.id } : {}),
        })),
      );
      options.onRecord?.(results, door);
      const used = results.filter((r) => r.waiver);
      if (used.length && options.store) {
        // The engine's time, which judged the waiver in force (BOUNCER_NOW when set).
        const at = options.clock?.() ?? options.now;
        for (const r of used) await options.store.waivers.recordUse(r.waiver!.id, at);
      }
    },
  };
}

export interface GateOptions {
  /** The store shared with other replicas; default: the embedded one in the data directory (closed with the gate). */
  store?: Store;
  /** Close the given store with the gate too. */
  closeStore?: boolean;
  /** The store's pushed policy, when there is one, replaces the configured one (serve's replicas). */
  livePolicy?: boolean;
  /**
   * Who is asking, for waivers scoped to a team or project, for a door that serves one user
   * (trusted configuration). A shared door leaves it out and passes each authenticated caller's.
   */
  waiverContext?: WaiverContext;
  /** Told of every batch of decisions once logged (a replica's metrics). */
  onRecord?: (results: readonly PackageResult[], door: Door) => void;
}

const waiverKey = (ecosystem: string, name: string) => `${ecosystem}\u0000${name}`;

/** The engine's lookup of waivers in force by package (Engine.waivers), for the gate and for check and scan. */
export function waiverLookup(list: readonly WaiverRule[]): (ecosystem: string, name: string) => readonly WaiverRule[] {
  const byPackage = new Map<string, WaiverRule[]>();
  for (const w of list) {
    const key = waiverKey(w.ecosystem, w.name);
    const rules = byPackage.get(key);
    if (rules) rules.push(w);
    else byPackage.set(key, [w]);
  }
  return (ecosystem, name) => byPackage.get(waiverKey(ecosystem, name)) ?? [];
}

export async function openGate(options: EngineOptions, gateOptions: GateOptions = {}): Promise<Gate> {
  const store = gateOptions.store ?? (await openSqliteStore({ dataDir: options.dataDir, logKey: options.logKey }));
  const ownStore = !gateOptions.store || gateOptions.closeStore === true;
  let engine: OpenEngine;
  try {
    engine = await openEngine({ ...options, observations: store.observations });
  } catch (error) {
    if (ownStore) await store.close();
    throw error;
  }
  let policy: Policy = options.policy;
  let digest = policyDigest(canonicalPolicy(policy));
  let policyVersion: number | undefined;
  let generation = 0;
  let waiverSignature = "";
  engine.waivers = waiverLookup([]);
  engine.waiverContext = gateOptions.waiverContext;
  const recorder = decisionRecorder({ ...options, store, onRecord: gateOptions.onRecord }, () => digest);
  // Checks still running (a proxy answers before the other half of its work ends): close waits for their decisions.
  const running = new Set<Promise<unknown>>();
  const checkLogged: Gate["checkWithFacts"] = async (requests, door, context, caller) => {
    const work = (async () => {
      const checked = await checkWithFacts(requests, engine, caller);
      await recorder.record(
        checked.map((c) => c.result),
        door,
        context,
      );
      return checked;
    })();
    running.add(work);
    try {
      return await work;
    } finally {
      running.delete(work);
    }
  };

  const refresh = async (): Promise<boolean> => {
    let changed = false;
    if (gateOptions.livePolicy) {
      const active = await store.policies.active();
      if (active && active.version !== policyVersion) {
        // Validated when pushed; parsed again here, so a row edited in the database is refused too.
        policy = parsePolicy(JSON.parse(active.document), REGISTRY_KEYS);
        engine.policy = policy;
        digest = policyDigest(canonicalPolicy(policy));
        policyVersion = active.version;
        changed = true;
      }
    }
    const list = await store.waivers.activeAt(engine.clock());
    const signature = list.map((w) => `${w.id}@${w.expiresAt}`).join(",");
    if (signature !== waiverSignature) {
      engine.waivers = waiverLookup(list);
      waiverSignature = signature;
      changed = true;
    }
    if (changed) generation++;
    return changed;
  };
  try {
    await refresh();
  } catch (error) {
    // A door that cannot read the store starts anyway and fails closed until it can (serve retries).
    if (!gateOptions.livePolicy) {
      await engine.close();
      if (ownStore) await store.close();
      throw error;
    }
  }

  return {
    engine,
    store,
    log: recorder.log,
    get policyDigest() {
      return digest;
    },
    get generation() {
      return generation;
    },
    get policyVersion() {
      return policyVersion;
    },
    record: recorder.record,
    refresh,
    check: async (requests, door, context, caller) => (await checkLogged(requests, door, context, caller)).map((c) => c.result),
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
      if (ownStore) await store.close();
    },
  };
}
