// Policy: which findings block, warn or pass. Validated strictly: an unknown key is an error.
import { type Finding, type FindingCode, isFindingCode, type Verdict } from "./findings.ts";
import type { Thresholds } from "./signals.ts";
import { finding } from "./signals.ts";

export type Action = Verdict;

export interface PolicyRules {
  thresholds: Thresholds & { minimumVersionAgeHours: number };
  /** Explicit actions per finding code; they win over the built-in rules. */
  codes: Partial<Record<FindingCode, Action>>;
  allow: string[];
  deny: string[];
}

export interface Policy extends PolicyRules {
  ecosystems: Record<string, Partial<PolicyRules>>;
  registries: Record<string, string>;
  /** In CI and `scan --diff`: a manifest that could not be evaluated fails the gate ("block", the default) or not ("warn"). */
  notEvaluated?: "block" | "warn";
}

export const DEFAULT_THRESHOLDS: PolicyRules["thresholds"] = {
  newPackageDays: 30,
  newVersionHours: 48,
  lowDownloadsPerMonth: 1000,
  lowRank: 15000,
  minimumVersionAgeHours: 0,
};

export function defaultPolicy(): Policy {
  return { thresholds: { ...DEFAULT_THRESHOLDS }, codes: {}, allow: [], deny: [], ecosystems: {}, registries: {} };
}

export class PolicyError extends Error {
  override name = "PolicyError";
}

const ACTIONS = new Set(["allow", "warn", "block"]);
const REGISTRY_KEYS = new Set(["npm", "npmDownloads", "pypi"]);

function fail(path: string, problem: string): never {
  throw new PolicyError(`${path}: ${problem}`);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseRules(value: Record<string, unknown>, path: string, allowed: Set<string>): Partial<PolicyRules> {
  const out: Partial<PolicyRules> = {};
  for (const [key, v] of Object.entries(value)) {
    const at = `${path}${key}`;
    if (!allowed.has(key)) fail(at, "unknown key");
    if (key === "thresholds") {
      if (!isRecord(v)) fail(at, "must be an object");
      const t: Record<string, number> = {};
      for (const [tk, tv] of Object.entries(v)) {
        if (!(tk in DEFAULT_THRESHOLDS)) fail(`${at}.${tk}`, `unknown threshold (known: ${Object.keys(DEFAULT_THRESHOLDS).join(", ")})`);
        if (typeof tv !== "number" || !Number.isFinite(tv) || tv < 0) fail(`${at}.${tk}`, "must be a non-negative number");
        t[tk] = tv;
      }
      out.thresholds = t as unknown as PolicyRules["thresholds"];
    } else if (key === "codes") {
      if (!isRecord(v)) fail(at, "must be an object");
      const codes: PolicyRules["codes"] = {};
      for (const [code, action] of Object.entries(v)) {
        if (!isFindingCode(code)) fail(`${at}.${code}`, "unknown finding code");
        if (typeof action !== "string" || !ACTIONS.has(action)) fail(`${at}.${code}`, 'must be "allow", "warn" or "block"');
        codes[code] = action as Action;
      }
      out.codes = codes;
    } else if (key === "allow" || key === "deny") {
      if (!Array.isArray(v) || v.some((e) => typeof e !== "string" || !e)) fail(at, "must be a list of package patterns");
      out[key] = v as string[];
    }
  }
  return out;
}

const RULE_KEYS = new Set(["thresholds", "codes", "allow", "deny"]);

/** Parses a policy document (already JSON-decoded). Throws PolicyError naming the offending key. */
export function parsePolicy(doc: unknown): Policy {
  if (!isRecord(doc)) fail("policy", "must be a JSON object");
  const policy = defaultPolicy();
  const { ecosystems, registries, notEvaluated, $schema: _schema, ...rest } = doc;
  const top = parseRules(rest, "", RULE_KEYS);
  Object.assign(policy.thresholds, top.thresholds);
  policy.codes = top.codes ?? {};
  policy.allow = top.allow ?? [];
  policy.deny = top.deny ?? [];
  if (ecosystems !== undefined) {
    if (!isRecord(ecosystems)) fail("ecosystems", "must be an object");
    for (const [eco, rules] of Object.entries(ecosystems)) {
      if (!/^[a-z][a-z0-9-]*$/.test(eco)) fail(`ecosystems.${eco}`, "not an ecosystem id");
      if (!isRecord(rules)) fail(`ecosystems.${eco}`, "must be an object");
      policy.ecosystems[eco] = parseRules(rules, `ecosystems.${eco}.`, RULE_KEYS);
    }
  }
  if (notEvaluated !== undefined) {
    if (notEvaluated !== "block" && notEvaluated !== "warn") fail("notEvaluated", 'must be "block" or "warn"');
    policy.notEvaluated = notEvaluated;
  }
  if (registries !== undefined) {
    if (!isRecord(registries)) fail("registries", "must be an object");
    for (const [k, url] of Object.entries(registries)) {
      if (!REGISTRY_KEYS.has(k)) fail(`registries.${k}`, `unknown registry (known: ${[...REGISTRY_KEYS].join(", ")})`);
      if (typeof url !== "string" || !/^https?:\/\//.test(url)) fail(`registries.${k}`, "must be an http(s) URL");
      policy.registries[k] = url;
    }
  }
  return policy;
}

const merged = new WeakMap<Policy, Map<string, PolicyRules>>();

/** The rules in force for one ecosystem: its overrides over the top level (computed once per policy). */
export function rulesFor(policy: Policy, ecosystem: string): PolicyRules {
  let byEcosystem = merged.get(policy);
  if (!byEcosystem) {
    byEcosystem = new Map();
    merged.set(policy, byEcosystem);
  }
  let rules = byEcosystem.get(ecosystem);
  if (!rules) {
    rules = mergeRules(policy, ecosystem);
    byEcosystem.set(ecosystem, rules);
  }
  return rules;
}

function mergeRules(policy: Policy, ecosystem: string): PolicyRules {
  const o = policy.ecosystems[ecosystem] ?? {};
  return {
    thresholds: { ...policy.thresholds, ...o.thresholds },
    codes: { ...policy.codes, ...o.codes },
    allow: [...policy.allow, ...(o.allow ?? [])],
    deny: [...policy.deny, ...(o.deny ?? [])],
  };
}

/** Matches "name", "eco:name", "pkg:eco/name" patterns; "*" is a wildcard (e.g. "@myorg/*"). */
export function matchesPattern(pattern: string, ecosystem: string, name: string): boolean {
  let p = pattern;
  if (p.startsWith("pkg:")) {
    p = decodeURIComponent(p.slice(4)).replace(/@[^/@]*$/, (m) => (m.includes("/") ? m : ""));
    const slash = p.indexOf("/");
    if (p.slice(0, slash) !== ecosystem) return false;
    p = p.slice(slash + 1);
  } else {
    const colon = p.indexOf(":");
    if (colon > 0) {
      if (p.slice(0, colon) !== ecosystem) return false;
      p = p.slice(colon + 1);
    }
  }
  if (!p.includes("*")) return p.toLowerCase() === name.toLowerCase();
  const re = new RegExp(`^${p.split("*").map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "i");
  return re.test(name);
}

const ALWAYS_BLOCK = new Set<FindingCode>([
  "not-found",
  "invalid-name",
  "known-malicious",
  "security-holding",
  "denied-by-policy",
  "unverifiable",
]);

/** A package with little history of its own: new, or barely downloaded. */
function hasLittleHistory(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.code === "new-package" || f.code === "low-popularity");
}

function builtInAction(f: Finding, all: readonly Finding[]): Action {
  if (f.severity === "info") return "allow";
  if (ALWAYS_BLOCK.has(f.code)) return "block";
  if (f.code === "typosquat") return hasLittleHistory(all) ? "block" : "warn";
  if (f.code === "new-package") {
    const companions = all.some((g) => g.code === "low-popularity" || g.code === "no-repository" || g.code === "install-scripts");
    return companions ? "block" : "warn";
  }
  return "warn";
}

const RANK: Record<Action, number> = { allow: 0, warn: 1, block: 2 };

export interface Decision {
  verdict: Verdict;
  findings: Finding[];
}

/** Maps the findings on one package to a verdict under the policy (the decision keeps `findings`). */
export function decide(policy: Policy, ecosystem: string, name: string, findings: Finding[]): Decision {
  const rules = rulesFor(policy, ecosystem);
  const denied = rules.deny.find((p) => matchesPattern(p, ecosystem, name));
  if (denied) {
    return { verdict: "block", findings: [finding("denied-by-policy", { rule: denied }), ...findings] };
  }
  const allowed = rules.allow.some((p) => matchesPattern(p, ecosystem, name));
  // An allow-list entry silences everything but a malicious report.
  if (allowed && !findings.some((f) => f.code === "known-malicious")) return { verdict: "allow", findings };
  let verdict: Verdict = "allow";
  for (const f of findings) {
    const action = rules.codes[f.code] ?? builtInAction(f, findings);
    if (RANK[action] > RANK[verdict]) verdict = action;
  }
  return { verdict, findings };
}

/** A short stable digest input: the policy as canonical JSON (the ledger hashes it). */
export function canonicalPolicy(policy: Policy): string {
  return JSON.stringify(policy, (_k, v) =>
    isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
}
