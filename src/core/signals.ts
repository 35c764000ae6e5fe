// Signals: pure functions from what is known about a package to findings.
import type { Finding, FindingCode, Severity } from "./findings.ts";
import { formatAge, formatCount, type MessageFacts, message } from "./messages.ts";
import type { MaliciousRecord, PackageFacts, PackageRequest, VersionFacts } from "./model.ts";

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
      finding("unverifiable", { reason: facts.unknownReasons.join("; ") || "no source could tell whether it exists" }),
    );
    if (input.typosquat) out.push(typosquatFinding(input.typosquat));
    if (input.suspicious) out.push(suspiciousFinding(input.suspicious));
    return out;
  }

  if (facts.securityHolder || facts.unpublished) {
    out.push(finding("security-holding", { unpublished: !facts.securityHolder, reason: facts.deprecated ?? undefined }));
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
              : `not among the ${formatCount(t.lowRank)} most downloaded packages`,
        },
        { details: { downloadsLastMonth: facts.downloadsLastMonth ?? null, rank: facts.popularityRank ?? null } },
      ),
    );
  }

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
