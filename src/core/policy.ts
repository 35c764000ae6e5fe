// Policy: which findings block, warn or pass. Validated strictly: an unknown key is an error.
import { memoPerKey } from "./memo.ts";
import { type Finding, type FindingCode, isFindingCode, type Verdict } from "./findings.ts";
import type { VersionProblem } from "./model.ts";
import type { Thresholds } from "./signals.ts";
import { finding } from "./signals.ts";
import { isRecord } from "./guards.ts";
import { BouncerError } from "./errors.ts";

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
  /** Hosts (`host`, `host:port`, `http://host[:port]` over plain http) packages may come from besides the registries; trusted policies only. */
  lockfileHosts?: string[];
  /** In CI and `scan --diff`: a manifest that could not be evaluated fails the gate ("block", the default) or not ("warn"). */
  notEvaluated?: "block" | "warn";
  /** Trusted policies only: a waiver may let through a package with a known-malicious report (default: never). */
  waiveKnownMalicious?: boolean;
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

export class PolicyError extends BouncerError {
  override name = "PolicyError";
}

const ACTIONS = new Set(["allow", "warn", "block"]);
const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?(?::\d{1,5})?$/i;
/** A `registries` key when the caller gives no list: an ecosystem id, maybe with a suffix ("npmDownloads"). */
const REGISTRY_KEY = /^[a-z][A-Za-z0-9]*$/;

function fail(path: string, problem: string): never {
  throw new PolicyError(`${path}: ${problem}`);
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

/**
 * Parses a trusted policy document (already JSON-decoded). Throws PolicyError naming the offending
 * key, also for a `known-malicious` action other than "block": no policy silences a malicious report.
 * `registryKeys`: the keys `registries` may set (the ecosystems' registry options; the core names none).
 */
export function parsePolicy(doc: unknown, registryKeys?: ReadonlySet<string>): Policy {
  const { policy } = parseDocument(doc, registryKeys);
  const scopes: Array<[string, Partial<PolicyRules>]> = [["", policy], ...Object.entries(policy.ecosystems).map(([eco, r]) => [`ecosystems.${eco}.`, r] as [string, Partial<PolicyRules>])];
  for (const [at, rules] of scopes) {
    const action = rules.codes?.["known-malicious"];
    if (action !== undefined && action !== "block") fail(`${at}codes.known-malicious`, 'must be "block": no policy can silence a known-malicious report');
  }
  return policy;
}

/** Merges valid policy documents, lowest precedence first: later values win, allow and deny lists add up. */
export function mergePolicyDocuments(docs: readonly unknown[]): Record<string, unknown> {
  const merge = (into: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> => {
    for (const [key, value] of Object.entries(over)) {
      const had = into[key];
      if (isRecord(had) && isRecord(value)) into[key] = merge({ ...had }, value);
      else if (Array.isArray(had) && Array.isArray(value)) into[key] = [...had, ...value];
      else into[key] = value;
    }
    return into;
  };
  return docs.reduce<Record<string, unknown>>((acc, doc) => (isRecord(doc) ? merge(acc, doc) : acc), {});
}

/** The policy, and its top-level rules as written (without the defaults filled in). */
function parseDocument(doc: unknown, registryKeys: ReadonlySet<string> | undefined): { policy: Policy; top: Partial<PolicyRules> } {
  if (!isRecord(doc)) fail("policy", "must be a JSON object");
  const policy = defaultPolicy();
  const { ecosystems, registries, notEvaluated, lockfileHosts, waiveKnownMalicious, $schema: _schema, ...rest } = doc;
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
  if (waiveKnownMalicious !== undefined) {
    if (typeof waiveKnownMalicious !== "boolean") fail("waiveKnownMalicious", "must be true or false");
    policy.waiveKnownMalicious = waiveKnownMalicious;
  }
  if (lockfileHosts !== undefined) {
    // "http://host" trusts the host over plain http too (a registry on the local network).
    if (!Array.isArray(lockfileHosts) || lockfileHosts.some((h) => typeof h !== "string" || !HOST.test(h.replace(/^http:\/\//i, "")))) {
      fail("lockfileHosts", 'must be a list of host names ("npm.example.com", "10.0.0.5:8080", "http://10.0.0.5:8080" over plain http)');
    }
    policy.lockfileHosts = lockfileHosts.map((h: string) => h.toLowerCase());
  }
  if (registries !== undefined) {
    if (!isRecord(registries)) fail("registries", "must be an object");
    for (const [k, url] of Object.entries(registries)) {
      if (registryKeys ? !registryKeys.has(k) : !REGISTRY_KEY.test(k)) {
        fail(`registries.${k}`, `unknown registry${registryKeys ? ` (known: ${[...registryKeys].join(", ")})` : ""}`);
      }
      if (typeof url !== "string" || !/^https?:\/\//.test(url)) fail(`registries.${k}`, "must be an http(s) URL");
      policy.registries[k] = url;
    }
  }
  return { policy, top };
}

/** The rules in force for one ecosystem: its overrides over the top level (computed once per policy). */
export const rulesFor: (policy: Policy, ecosystem: string) => PolicyRules = memoPerKey(mergeRules);

function mergeRules(policy: Policy, ecosystem: string): PolicyRules {
  const o = policy.ecosystems[ecosystem] ?? {};
  return {
    thresholds: { ...policy.thresholds, ...o.thresholds },
    codes: { ...policy.codes, ...o.codes },
    allow: [...policy.allow, ...(o.allow ?? [])],
    deny: [...policy.deny, ...(o.deny ?? [])],
  };
}

/** A setting of a project policy that was not applied, and why. */
export interface IgnoredSetting {
  /** Where it was, e.g. "allow", "codes.not-found", "ecosystems.npm.thresholds.lowRank". */
  key: string;
  /** The ignored allow-list entry, action or number. */
  value: string;
  reason: "allow-list" | "weaker" | "registries" | "lockfile-hosts";
}

/** Which way each threshold makes Bouncer stricter: more packages count as new, unpopular or too fresh. */
const STRICTER_WHEN: Record<keyof PolicyRules["thresholds"], "higher" | "lower"> = {
  newPackageDays: "higher",
  newVersionHours: "higher",
  lowDownloadsPerMonth: "higher",
  lowRank: "lower",
  minimumVersionAgeHours: "higher",
};

/** The strictest action the built-in rules can give a code (see builtInAction). */
function strictestBuiltIn(code: FindingCode): Action {
  return ALWAYS_BLOCK.has(code) || code === "typosquat" || code === "new-package" ? "block" : "warn";
}

/**
 * Applies a project policy (written by the code under review) over the trusted one, only where it
 * makes Bouncer stricter: deny entries are added, a code's action is taken when it is at least the
 * strictest the trusted rules could give, a threshold when it moves the stricter way. Allow-list
 * entries, weaker values and registries are returned as ignored. Throws PolicyError when `doc` is
 * not a valid policy document.
 */
export function stricterOnly(trusted: Policy, doc: unknown, registryKeys?: ReadonlySet<string>): { policy: Policy; ignored: IgnoredSetting[] } {
  const { policy: project, top } = parseDocument(doc, registryKeys);
  const policy: Policy = structuredClone(trusted);
  const ignored: IgnoredSetting[] = [];
  const tighten = (target: Partial<PolicyRules>, effective: PolicyRules, over: Partial<PolicyRules>, at: string) => {
    if (over.deny?.length) target.deny = [...(target.deny ?? []), ...over.deny];
    for (const entry of over.allow ?? []) ignored.push({ key: `${at}allow`, value: entry, reason: "allow-list" });
    for (const [code, action] of Object.entries(over.codes ?? {}) as Array<[FindingCode, Action]>) {
      const bar = effective.codes[code] ?? strictestBuiltIn(code);
      if (RANK[action] >= RANK[bar]) target.codes = { ...target.codes, [code]: action };
      else ignored.push({ key: `${at}codes.${code}`, value: action, reason: "weaker" });
    }
    for (const [key, value] of Object.entries(over.thresholds ?? {}) as Array<[keyof PolicyRules["thresholds"], number]>) {
      const current = effective.thresholds[key];
      if (STRICTER_WHEN[key] === "higher" ? value >= current : value <= current) {
        target.thresholds = { ...target.thresholds, [key]: value } as PolicyRules["thresholds"];
      } else ignored.push({ key: `${at}thresholds.${key}`, value: String(value), reason: "weaker" });
    }
  };
  tighten(policy, trusted, top, "");
  for (const [eco, rules] of Object.entries(project.ecosystems)) {
    policy.ecosystems[eco] ??= {};
    tighten(policy.ecosystems[eco]!, rulesFor(trusted, eco), rules, `ecosystems.${eco}.`);
  }
  for (const [key, url] of Object.entries(project.registries)) ignored.push({ key: `registries.${key}`, value: url, reason: "registries" });
  // A project may fail its gate on files it could not evaluate, never let them pass.
  if (project.notEvaluated === "block") policy.notEvaluated = "block";
  else if (project.notEvaluated === "warn" && policy.notEvaluated !== "warn") ignored.push({ key: "notEvaluated", value: "warn", reason: "weaker" });
  // Only a trusted policy may let waivers over a malicious report.
  if (project.waiveKnownMalicious) ignored.push({ key: "waiveKnownMalicious", value: "true", reason: "weaker" });
  // A host the project trusts is one an injected lockfile entry could name: only trusted policies add hosts.
  for (const host of project.lockfileHosts ?? []) ignored.push({ key: "lockfileHosts", value: host, reason: "lockfile-hosts" });
  return { policy, ignored };
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
  return globMatch(p.toLowerCase(), name.toLowerCase());
}

/**
 * "*" globs in time linear in pattern plus name (a regex of many ".*" backtracks for ages on a
 * hostile pattern): the first piece is a prefix, the last a suffix, and each piece between is taken
 * at its leftmost place after the previous one, which is always a right choice for "*" alone.
 */
function globMatch(pattern: string, name: string): boolean {
  const pieces = pattern.split("*");
  const first = pieces[0]!;
  const last = pieces[pieces.length - 1]!;
  if (first.length + last.length > name.length || !name.startsWith(first) || !name.endsWith(last)) return false;
  let at = first.length;
  const end = name.length - last.length;
  for (let i = 1; i < pieces.length - 1; i++) {
    const found = indexOfLinear(name, pieces[i]!, at, end);
    if (found < 0) return false;
    at = found + pieces[i]!.length;
  }
  return true;
}

/** Knuth-Morris-Pratt search of `needle` in text[from, end): O(needle + scanned text), never more. */
function indexOfLinear(text: string, needle: string, from: number, end: number): number {
  if (!needle) return from;
  const fail = new Int32Array(needle.length);
  for (let i = 1, k = 0; i < needle.length; i++) {
    while (k > 0 && needle[i] !== needle[k]) k = fail[k - 1]!;
    if (needle[i] === needle[k]) k++;
    fail[i] = k;
  }
  for (let i = from, k = 0; i < end; i++) {
    while (k > 0 && text[i] !== needle[k]) k = fail[k - 1]!;
    if (text[i] === needle[k]) k++;
    if (k === needle.length) return i - needle.length + 1;
  }
  return -1;
}

const ALWAYS_BLOCK = new Set<FindingCode>([
  "not-found",
  "invalid-name",
  "known-malicious",
  "security-holding",
  "denied-by-policy",
  "unverifiable",
  "dependency-confusion",
  "quarantined",
  "lockfile-name-mismatch",
  "lockfile-untrusted-host",
  "lockfile-insecure-url",
  "action-discontinued",
  "command-disabled",
  "no-action-metadata",
  "ref-not-found",
  "retired-runner",
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

/** What is known of one version to be served: its publish time, and the malicious reports that affect it. */
export interface ServedVersion {
  publishedAt: string | null | undefined;
  malicious: readonly { id: string }[];
}

/** The policy on one version (or one file of it, with its own publish time): null when it may be served. */
export function versionProblem(policy: Policy, ecosystem: string, version: ServedVersion, now: Date): VersionProblem | null {
  if (version.malicious.length) return { code: "known-malicious", ids: version.malicious.map((r) => r.id) };
  const minimumHours = Math.max(0, rulesFor(policy, ecosystem).thresholds.minimumVersionAgeHours);
  if (minimumHours === 0) return null;
  const published = version.publishedAt ? Date.parse(version.publishedAt) : Number.NaN;
  if (Number.isNaN(published)) return { code: "publish-time-unknown", minimumHours };
  const ageMs = now.getTime() - published;
  return ageMs < minimumHours * 3_600_000 ? { code: "too-new", ageMs: Math.max(ageMs, 0), minimumHours } : null;
}
