import type { Finding, SourceLocation, Verdict } from "./findings.ts";

/** An ecosystem id, e.g. "npm" or "pypi". Kept open so a new ecosystem needs no core change. */
export type EcosystemId = string;

/** One package that some input asks about. */
export interface PackageRequest {
  ecosystem: EcosystemId;
  /** The name as written by the user or the AI. */
  rawName: string;
  /** The registry's canonical form (PEP 503 for PyPI, as-is for npm); equal to rawName when invalid. */
  name: string;
  /** Why the registry would not accept the name, or null when it would. */
  nameProblem: string | null;
  /** An exact version, a range, a tag, or null when none was asked for. */
  version: string | null;
  locations: SourceLocation[];
  /** How the input named it: "install-command", "import", "manifest"... (some signals depend on it). */
  via?: string;
  /** Lockfile entries that name it: what they fetch. */
  lock?: LockEvidence[];
  /** How each location uses it, where its ecosystem judges that (the `with:` keys of a GitHub Actions step). */
  usages?: Usage[];
}

/** What one location does with a package, as named lists (e.g. `inputs`: the keys a workflow step passes). */
export interface Usage {
  location: SourceLocation;
  values: Record<string, string[]>;
}

/**
 * What a lockfile entry says will be fetched, for the checks that make a lockfile a record of what
 * is installed (the URL's host and scheme, the package its URL names, an integrity hash).
 */
export interface LockEvidence {
  /** The URLs the entry is fetched from (tarball, wheel, sdist, index), credentials removed. */
  urls: string[];
  /** Whether it records an integrity hash; undefined where the format records none for such an entry. */
  integrity?: boolean;
  /** The name the entry is keyed under when its URL fetches another package (which is the one reported). */
  claimedName?: string;
  /** The entry asks for a registry version (`^1.3.0`) but fetches a git checkout or tarball: its host is judged too. */
  registryClaim?: boolean;
}

/** Facts about one version, as far as the sources know them; undefined means "not known". */
export interface VersionFacts {
  version: string;
  publishedAt?: string | null;
  deprecated?: string | null;
  /** PyPI yank reason, or true when yanked without one. */
  yanked?: string | boolean;
  /** npm lifecycle scripts that run on install (preinstall, install, postinstall). */
  installScripts?: string[];
  /** PyPI: the release has only a source distribution, whose build runs code. */
  sdistOnly?: boolean;
}

export type Existence = "exists" | "absent" | "unknown";

/** A known-malicious report that names this package (OSV MAL- record). */
export interface MaliciousRecord {
  id: string;
  summary?: string;
  /** True when every version is affected. */
  allVersions: boolean;
  /** Versions listed as affected (a list is "at least these"). */
  versions: string[];
  /** OSV range events, interpreted by the ecosystem's version rules. */
  ranges: Array<{ type: string; events: Array<Record<string, string>> }>;
}

/** Facts a source reports it could not give (see PackageFacts.unknownFacts). */
export type FactName = "age" | "popularity" | "releases" | "repository";

/** A fact a source should have given and could not: a failed downloads API, a document without dates. */
export interface FactGap {
  fact: FactName;
  reason: string;
}

/** PEP 792: quarantined (unsafe, no files served) or archived (no further releases). */
export interface ProjectStatus {
  status: "quarantined" | "archived";
  reason: string | null;
}

/**
 * What the data sources together know about a package. Every optional field is
 * undefined when no source could tell; null when a source says the registry has none.
 */
export interface PackageFacts {
  existence: Existence;
  /** Why existence or details could not be established (network, incomplete index...). */
  unknownReasons: string[];
  /** Names of the sources that answered. */
  sources: string[];
  createdAt?: string | null;
  latestVersion?: string | null;
  versions?: Record<string, VersionFacts>;
  downloadsLastMonth?: number | null;
  /** Rank among the most downloaded, 1 = most; null when outside the ranked set. */
  popularityRank?: number | null;
  repositoryUrl?: string | null;
  /** Deprecation of the whole package (every version), with the registry's message. */
  deprecated?: string | null;
  /** The registry replaced the package with a placeholder (npm 0.0.1-security). */
  securityHolder?: boolean;
  /** Unpublished (npm) or every release yanked/removed (PyPI). */
  unpublished?: boolean;
  /** A PEP 792 status other than active or deprecated (deprecation is `deprecated`). */
  projectStatus?: ProjectStatus;
  /** Facts a source could not give; a gap that another source filled is no longer one. */
  unknownFacts?: FactGap[];
  malicious: MaliciousRecord[];
  /** Facts only the package's own ecosystem reads (GitHub: the ref's commit and the action's metadata); JSON data. */
  detail?: unknown;
  /** A name of a private scope that no trusted registry may be asked about: no other name is suggested for it. */
  fenced?: boolean;
}

/** Why one version of a package must not be served (the proxy hides it); worded by `versionProblemMessage`. */
export type VersionProblem =
  | { code: "known-malicious"; ids: string[] }
  | { code: "publish-time-unknown"; minimumHours: number }
  | { code: "too-new"; ageMs: number; minimumHours: number };

/** The verdict on one package, as the JSON report shows it. */
export interface PackageResult {
  purl: string;
  ecosystem: EcosystemId;
  name: string;
  version: string | null;
  verdict: Verdict;
  findings: Finding[];
  didYouMean: string[];
  locations: SourceLocation[];
  /** A waiver let it through: without it, its findings would have warned or blocked. */
  waiver?: AppliedWaiver;
}

export interface NotEvaluated {
  file: string;
  reason: string;
}

export interface Summary {
  allow: number;
  warn: number;
  block: number;
}

/** Something about the whole run a reader must know (e.g. no malicious feed was loaded). */
export interface Notice {
  code: NoticeCode;
  message: string;
}

export type NoticeCode = "no-malicious-feed";

export interface Report {
  schemaVersion: 1;
  results: PackageResult[];
  notEvaluated: NotEvaluated[];
  summary: Summary;
  /** Present only when there is something to say (an extension of the SPEC shape). */
  notices?: Notice[];
}

export function emptyFacts(): PackageFacts {
  return { existence: "unknown", unknownReasons: [], sources: [], malicious: [] };
}

export function summarize(results: readonly PackageResult[]): Summary {
  const summary: Summary = { allow: 0, warn: 0, block: 0 };
  for (const r of results) summary[r.verdict]++;
  return summary;
}

/** One entry of an ecosystem's popular list (shipped or from the offline index). */
export interface PopularEntry {
  /** Canonical name (as the ecosystem's checkName returns it). */
  name: string;
  downloads?: number | null;
  rank?: number | null;
}

/**
 * A popular list known by a cheap key that changes whenever its entries do (a hash of the file it
 * is read from): the name table finds its stored tables by the key and reads the entries only to
 * build them.
 */
export interface KeyedPopularList {
  readonly key: string;
  entries(): readonly PopularEntry[];
}

/** A popular list as entries, or keyed (read only when needed). */
export type PopularList = readonly PopularEntry[] | KeyedPopularList;

/** What a result says about the waiver that let it through. */
export interface AppliedWaiver {
  id: string;
  by: string;
  reason: string;
  expiresAt: string;
}
