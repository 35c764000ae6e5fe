// Signals: pure functions from what is known about a package to findings.
import type { Finding, FindingCode, Severity } from "./findings.ts";
import { formatAge, formatCount, listWords, type MessageFacts, message, untoldHistory } from "./messages.ts";
import type { FactName, LockEvidence, MaliciousRecord, PackageFacts, PackageRequest, VersionFacts } from "./model.ts";

export interface TyposquatMatch {
  target: string;
  /** The kind of edit that separates the two names (see messages.describeEdit). */
  edit: string;
  /** Monthly downloads of the target, or its rank when only a rank is known. */
  targetDownloads?: number | null;
  targetRank?: number | null;
}

export interface SuspiciousNameMatch {
  base: string;
  affix: string;
  position: "prefix" | "suffix";
}

export interface Thresholds {
  newPackageDays: number;
  newVersionHours: number;
  /** npm-style: fewer monthly downloads than this is low popularity. */
  lowDownloadsPerMonth: number;
  /** PyPI-style: no rank, or a rank above this, is low popularity where downloads are unknown. */
  lowRank: number;
}

export interface SignalInput {
  request: PackageRequest;
  registryLabel: string;
  facts: PackageFacts;
  /** The version the request would install, when it can be told. */
  resolvedVersion: string | null;
  versionFacts?: VersionFacts;
  /** Known-malicious records that affect the resolved version (already matched by the ecosystem). */
  malicious: MaliciousRecord[];
  invalidNameReason: string | null;
  typosquat: TyposquatMatch | null;
  suspicious: SuspiciousNameMatch | null;
  /** The package that really provides this name when it was installed under its import name. */
  importNameOf: string | null;
  now: Date;
  thresholds: Thresholds;
}

const SEVERITY: Record<FindingCode, Severity> = {
  "known-malicious": "critical",
  "security-holding": "critical",
  "not-found": "high",
  "invalid-name": "high",
  typosquat: "high",
  unverifiable: "high",
  "incomplete-facts": "low",
  "denied-by-policy": "high",
  "suspicious-name": "medium",
  "import-name-mismatch": "medium",
  "new-package": "medium",
  "install-scripts": "medium",
  "new-version": "low",
  "low-popularity": "low",
  deprecated: "low",
  "no-repository": "low",
  "not-a-registry-package": "medium",
  "dependency-confusion": "critical",
  quarantined: "critical",
  archived: "low",
  "lockfile-name-mismatch": "critical",
  "lockfile-untrusted-host": "high",
  "lockfile-insecure-url": "high",
  "lockfile-no-integrity": "low",
  "ref-not-found": "high",
  "short-sha": "medium",
  "no-action-metadata": "high",
  "unknown-input": "medium",
  "missing-input": "medium",
  "deprecated-input": "low",
  "mutable-ref": "medium",
  "retired-runner": "high",
  "deprecated-runner": "low",
  "command-disabled": "high",
  "command-deprecated": "low",
  "runtime-removed": "medium",
  "runtime-deprecated": "low",
  "action-discontinued": "high",
  "compromised-action": "high",
  "invalid-workflow": "medium",
};

export function finding(
  code: FindingCode,
  facts: MessageFacts,
  extra: { target?: string; details?: Finding["details"]; severity?: Severity } = {},
): Finding {
  const out: Finding = { code, severity: extra.severity ?? SEVERITY[code], message: message(code, facts) };
  if (extra.target !== undefined) out.target = extra.target;
  if (extra.details !== undefined) out.details = extra.details;
  return out;
}

function ageMs(iso: string | null | undefined, now: Date): number | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : now.getTime() - t;
}

export function popularityLabel(downloads: number | null | undefined, rank: number | null | undefined): string | undefined {
  if (downloads != null) return `${formatCount(downloads)} downloads a month`;
  if (rank != null) return `rank ${rank}`;
  return undefined;
}

/** True, false, or null when popularity is not known at all. */
export function isLowPopularity(facts: PackageFacts, t: Thresholds): boolean | null {
  if (facts.downloadsLastMonth != null) return facts.downloadsLastMonth < t.lowDownloadsPerMonth;
  if (facts.popularityRank !== undefined) return facts.popularityRank === null || facts.popularityRank > t.lowRank;
  return null;
}

const FACT_ORDER: readonly FactName[] = ["age", "popularity", "releases", "repository"];

/** The facts a source could not give and no other source gave, each with why, in FACT_ORDER. */
function missingFacts(facts: PackageFacts, low: boolean | null): Map<FactName, string[]> {
  const unknown: Record<FactName, boolean> = {
    age: facts.createdAt === undefined,
    popularity: low === null,
    releases: facts.versions === undefined,
    repository: facts.repositoryUrl === undefined,
  };
  const found = new Map<FactName, string[]>();
  const add = (fact: FactName, reason: string) => {
    if (!unknown[fact]) return;
    const reasons = found.get(fact) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    found.set(fact, reasons);
  };
  for (const gap of facts.unknownFacts ?? []) add(gap.fact, gap.reason);
  // Existence from a lesser source (the offline index) while the registry failed: what only the registry tells is unknown.
  if (facts.unknownReasons.length) {
    const reason = facts.unknownReasons.join("; ");
    for (const fact of ["age", "releases", "repository"] as const) add(fact, reason);
  }
  return new Map(FACT_ORDER.filter((f) => found.has(f)).map((f) => [f, found.get(f)!]));
}

/**
 * Unknown facts are never silence. A package whose history is still established (old, or popular)
 * gets `incomplete-facts` (a warning); one whose history cannot be told is `unverifiable` (fail closed).
 */
function unknownFactsFinding(facts: PackageFacts, created: number | null, isNew: boolean, low: boolean | null): Finding | null {
  // No source said what it could not give (the common case): nothing is missing, and nothing need be built.
  if (!facts.unknownFacts?.length && !facts.unknownReasons.length) return null;
  const gaps = missingFacts(facts, low);
  if (!gaps.size) return null;
  const names = [...gaps.keys()];
  const reason = [...new Set([...gaps.values()].flat())].join("; ");
  const details = { unknown: names };
  const basis: string[] = [];
  if (created !== null && !isNew) basis.push(`age (first published ${formatAge(created)} ago)`);
  if (low === false) basis.push(`popularity (${popularityLabel(facts.downloadsLastMonth, facts.popularityRank)})`);
  if (!basis.length) return finding("unverifiable", { reason: untoldHistory(names, reason) }, { details });
  return finding("incomplete-facts", { facts: listWords(names), reason, basis: listWords(basis) }, { details });
}

// Said of most packages a bulk check warns about: written once per threshold, not once per package.
let topRank = Number.NaN;
let topText = "";

function notAmongTop(rank: number): string {
  if (rank !== topRank) {
    topText = `not among the ${formatCount(rank)} most downloaded packages`;
    topRank = rank;
  }
  return topText;
}

// Most unverifiable packages of a bulk check have the same reason (not in the offline index): its message is written once.
let unverifiedReason: string | undefined;
let unverifiedMessage = "";

function unverifiedFinding(reason: string): Finding {
  if (reason !== unverifiedReason) {
    unverifiedMessage = message("unverifiable", { reason });
    unverifiedReason = reason;
  }
  return { code: "unverifiable", severity: SEVERITY.unverifiable, message: unverifiedMessage };
}

export function evaluateSignals(input: SignalInput): Finding[] {
  const { request, facts, now, thresholds: t } = input;
  const name = request.name;
  const out: Finding[] = [];

  if (input.invalidNameReason !== null) {
    return [finding("invalid-name", { name: request.rawName, registry: input.registryLabel, reason: input.invalidNameReason })];
  }

  if (input.malicious.length) {
    const ids = input.malicious.map((r) => r.id);
    out.push(
      finding(
        "known-malicious",
        { ids: ids.join(", "), summary: input.malicious[0]!.summary },
        { details: { ids, version: input.resolvedVersion } },
      ),
    );
  }

  if (input.importNameOf) {
    out.push(finding("import-name-mismatch", { name: request.rawName, target: input.importNameOf }, { target: input.importNameOf }));
  }

  if (facts.existence === "absent") {
    out.push(finding("not-found", { name, registry: input.registryLabel }));
    if (input.typosquat) out.push(typosquatFinding(input.typosquat));
    return out;
  }
  if (facts.existence === "unknown") {
    out.push(
      unverifiedFinding(facts.unknownReasons.join("; ") || "no source could tell whether it exists"),
    );
    if (input.typosquat) out.push(typosquatFinding(input.typosquat));
    if (input.suspicious) out.push(suspiciousFinding(input.suspicious));
    return out;
  }

  // PEP 792: a quarantined project serves no files, so it would also read as unpublished; one finding says why.
  const status = facts.projectStatus;
  if (status?.status === "quarantined") {
    out.push(finding("quarantined", { reason: status.reason ?? undefined }, { details: { status: status.status, reason: status.reason } }));
  } else if (facts.securityHolder || facts.unpublished) {
    out.push(finding("security-holding", { unpublished: !facts.securityHolder, reason: facts.deprecated ?? undefined }));
  }
  if (status?.status === "archived") {
    out.push(finding("archived", { reason: status.reason ?? undefined }, { details: { status: status.status, reason: status.reason } }));
  }

  const created = ageMs(facts.createdAt, now);
  const isNew = created !== null && created < t.newPackageDays * 86_400_000;
  if (isNew) {
    out.push(
      finding(
        "new-package",
        { age: formatAge(created), threshold: `${t.newPackageDays} days` },
        { details: { createdAt: facts.createdAt ?? null } },
      ),
    );
  }

  const low = isLowPopularity(facts, t);
  if (low) {
    const label = popularityLabel(facts.downloadsLastMonth, facts.popularityRank);
    out.push(
      finding(
        "low-popularity",
        {
          description:
            facts.downloadsLastMonth != null
              ? `only ${label} (threshold ${formatCount(t.lowDownloadsPerMonth)})`
              : notAmongTop(t.lowRank),
        },
        { details: { downloadsLastMonth: facts.downloadsLastMonth ?? null, rank: facts.popularityRank ?? null } },
      ),
    );
  }

  const unknownFacts = unknownFactsFinding(facts, created, isNew, low);
  if (unknownFacts) out.push(unknownFacts);

  if (input.typosquat) out.push(typosquatFinding(input.typosquat));
  if (input.suspicious && (isNew || low !== false)) out.push(suspiciousFinding(input.suspicious));

  const v = input.versionFacts;
  if (v) {
    const vAge = ageMs(v.publishedAt, now);
    if (vAge !== null && vAge < t.newVersionHours * 3_600_000) {
      out.push(
        finding(
          "new-version",
          { version: v.version, age: formatAge(vAge), threshold: `${t.newVersionHours} hours` },
          { details: { publishedAt: v.publishedAt ?? null } },
        ),
      );
    }
    if (v.installScripts?.length) {
      out.push(finding("install-scripts", { version: v.version, scripts: v.installScripts.join(", ") }, { details: { scripts: v.installScripts } }));
    } else if (v.sdistOnly) {
      out.push(finding("install-scripts", { version: v.version, sdistOnly: true }));
    }
    if (v.deprecated) out.push(finding("deprecated", { version: v.version, reason: v.deprecated }));
    if (v.yanked && !facts.unpublished) {
      out.push(finding("deprecated", { version: v.version, reason: `yanked${typeof v.yanked === "string" ? `: ${v.yanked}` : ""}` }));
    }
  } else if (facts.deprecated && !facts.securityHolder) {
    out.push(finding("deprecated", { reason: facts.deprecated }));
  }

  if (facts.repositoryUrl === null) out.push(finding("no-repository", {}));
  return out;
}

function typosquatFinding(m: TyposquatMatch): Finding {
  return finding(
    "typosquat",
    { edit: m.edit, target: m.target, targetPopularity: popularityLabel(m.targetDownloads, m.targetRank) },
    { target: m.target, details: { edit: m.edit } },
  );
}

function suspiciousFinding(m: SuspiciousNameMatch): Finding {
  return finding("suspicious-name", { ...m }, { target: m.base, details: { affix: m.affix } });
}

/** Hosts a lockfile may fetch from without a finding, per ecosystem: the public registries' own. */
export const DEFAULT_LOCKFILE_HOSTS: Readonly<Record<string, readonly string[]>> = {
  npm: ["registry.npmjs.org", "registry.yarnpkg.com"],
  pypi: ["files.pythonhosted.org", "pypi.org"],
};

// scheme://[userinfo@]host[:port]: the host as a lockfile URL names it
const URL_HOST = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]/]*\]|[^/:?#]*)(?::(\d*))?/i;

/** The lowercased host (with `:port` when one is written) and scheme of a URL, or null. */
export function urlHost(url: string): { scheme: string; host: string; hostPort: string } | null {
  const m = URL_HOST.exec(url);
  if (!m) return null;
  const host = m[2]!.toLowerCase().replace(/\.$/, "");
  return { scheme: m[1]!.toLowerCase(), host, hostPort: m[3] ? `${host}:${m[3]}` : host };
}

/** Adds the host of a registry URL to `hosts`, as `allowedHosts` below holds it (with `http://host` for one over http). */
export function allowHostOf(hosts: Set<string>, url: string): void {
  const parsed = urlHost(url);
  if (!parsed) return;
  hosts.add(parsed.hostPort);
  if (parsed.scheme === "http") hosts.add(`http://${parsed.hostPort}`);
}

/**
 * The hosts packages may come from: the ecosystem's public registries' (`publicHosts`, from
 * DEFAULT_LOCKFILE_HOSTS), the trusted policy's (`http://host` entries allow plain http too), and
 * those of `registryUrls`.
 */
export function allowedHosts(publicHosts: readonly string[] = [], policyHosts: readonly string[] = [], registryUrls: readonly string[] = []): Set<string> {
  const hosts = new Set(publicHosts);
  for (const entry of policyHosts) {
    const host = entry.toLowerCase();
    hosts.add(host.replace(/^http:\/\//, ""));
    if (host.startsWith("http://")) hosts.add(host);
  }
  for (const url of registryUrls) allowHostOf(hosts, url);
  return hosts;
}

/**
 * What `allowedHosts` says of a download URL: fetched over plain http from a host no trusted http
 * registry names (insecure), from a host not allowed at all (untrusted). Null: not a URL with a host.
 */
export function hostStanding(url: string, allowedHosts: ReadonlySet<string>): { insecure: boolean; untrusted: boolean; web: boolean; hostPort: string } | null {
  const parsed = urlHost(url);
  if (!parsed) return null;
  // A registry the trusted configuration itself names with http: is its owner's choice.
  const plain = parsed.scheme === "http" || parsed.scheme === "git+http";
  const web = parsed.scheme === "http" || parsed.scheme === "https";
  return {
    insecure: plain && !allowedHosts.has(`http://${parsed.hostPort}`),
    untrusted: !allowedHosts.has(parsed.host) && !allowedHosts.has(parsed.hostPort),
    web,
    hostPort: parsed.hostPort,
  };
}

/** Whether packages may be fetched from `url` as from a registry of `allowed` hosts: over https, or over http where allowed by name. */
export function hostBelieved(url: string, allowed: ReadonlySet<string>): boolean {
  const standing = hostStanding(url, allowed);
  return Boolean(standing?.web && !standing.untrusted && !standing.insecure);
}

/**
 * The lockfile-integrity findings of one package: a URL over http, a tarball from a host that is
 * not an allowed registry (git checkouts are judged as non-registry sources instead), a URL that
 * names another package than the entry's key, no integrity hash where the format records one.
 * `allowedHosts` holds `host` or `host:port` entries, lowercased, and `http://host[:port]` for
 * registries configured over http.
 */
export function lockfileFindings(name: string, evidence: readonly LockEvidence[], allowedHosts: ReadonlySet<string>, git = false): Finding[] {
  const out: Finding[] = [];
  const seen = new Set<string>();
  // One finding per code and host (a release has many wheels), per claimed name, or at all.
  const add = (f: Finding, about = "") => {
    const key = `${f.code}\u0000${about}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(f);
    }
  };
  for (const ev of evidence) {
    if (ev.claimedName !== undefined && ev.claimedName !== name) {
      const url = ev.urls[0] ?? null;
      add(finding("lockfile-name-mismatch", { claimed: ev.claimedName, name, url }, { target: ev.claimedName, details: { claimed: ev.claimedName, url } }), ev.claimedName);
    }
    for (const url of ev.urls) {
      const standing = hostStanding(url, allowedHosts);
      if (!standing) continue;
      const { hostPort } = standing;
      if (standing.insecure) add(finding("lockfile-insecure-url", { url }, { details: { url } }), hostPort);
      if (standing.web && (!git || ev.registryClaim) && standing.untrusted) {
        add(finding("lockfile-untrusted-host", { host: hostPort, url }, { details: { host: hostPort, url } }), hostPort);
      }
    }
    if (ev.integrity === false) add(finding("lockfile-no-integrity", {}));
  }
  return out;
}
