// The one place where findings get their wording.
import type { FindingCode } from "./findings.ts";
import type { NoticeCode, VersionProblem } from "./model.ts";

export type MessageFacts = Record<string, string | number | boolean | null | string[] | undefined>;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

export function formatAge(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 48) return plural(Math.max(hours, 0), "hour");
  return plural(Math.floor(hours / 24), "day");
}

export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1)}M`;
  if (n >= 1_000) return `${(n / 1_000).toFixed(n >= 10_000 ? 0 : 1)}k`;
  return String(n);
}

const EDIT_WORDS: Record<string, string> = {
  deletion: "one letter missing from",
  insertion: "one letter added to",
  substitution: "one letter from",
  transposition: "two letters swapped in",
  keyboard: "one neighbouring key from",
  homoglyph: "a look-alike character in",
  separator: "a separator changed in",
  scope: "the scope changed from",
  affix: "a prefix or suffix added to",
  "affix-and-edit": "a prefix or suffix added and one letter changed in",
  "separators-and-edit": "separators dropped and one letter changed in",
  "repeated-letter": "a doubled letter in",
  edits: "a few letters from",
};

export function describeEdit(kind: string): string {
  return EDIT_WORDS[kind] ?? "close to";
}

export function message(code: FindingCode, f: MessageFacts): string {
  switch (code) {
    case "not-found":
      return `the ${f.registry} registry has no package named "${f.name}"`;
    case "invalid-name":
      return `"${f.name}" is not a valid ${f.registry} package name: ${f.reason}`;
    case "known-malicious":
      return `reported as malicious (${f.ids})${f.summary ? `: ${f.summary}` : ""}`;
    case "security-holding":
      return f.unpublished
        ? `the registry has unpublished or removed every release${f.reason ? ` (${f.reason})` : ""}`
        : `the registry replaced this package with a security placeholder${f.reason ? ` (${f.reason})` : ""}`;
    case "typosquat": {
      const pop = f.targetPopularity ? ` (${f.targetPopularity})` : "";
      return `${describeEdit(String(f.edit))} ${f.target}${pop}`;
    }
    case "suspicious-name":
      return `"${f.base}" plus the generic ${f.position} "${f.affix}", a pattern models invent, on a package with little history`;
    case "import-name-mismatch":
      return `"${f.name}" is an import name; the distribution that provides it is ${f.target}`;
    case "new-package":
      return `first published ${f.age} ago (threshold ${f.threshold})`;
    case "new-version":
      return `version ${f.version} was published ${f.age} ago (threshold ${f.threshold})`;
    case "low-popularity":
      return String(f.description);
    case "install-scripts":
      return f.sdistOnly
        ? `version ${f.version} has only a source distribution: installing it runs its build code`
        : `version ${f.version} runs install scripts (${f.scripts})`;
    case "deprecated":
      // Mostly the maintainers' own text, and it reaches models too: quoted, never bare.
      return `${f.version ? `version ${f.version} is` : "the package is"} deprecated${f.reason ? `: ${JSON.stringify(f.reason)}` : ""}`;
    case "no-repository":
      return "no source repository is linked";
    case "unverifiable":
      return `could not be verified: ${f.reason}`;
    case "incomplete-facts":
      return `its ${f.facts} could not be established (${f.reason}); judged on its ${f.basis}`;
    case "denied-by-policy":
      return `denied by policy (${f.rule})`;
    case "dependency-confusion":
      return `published on more than one of the indexes this install merges (${f.indexes}): whoever publishes the higher version decides what is installed`;
    case "quarantined":
      return `the index has quarantined the project as unsafe (PEP 792)${f.reason ? `: ${f.reason}` : ""}; none of its files may be installed`;
    case "archived":
      return `the project is archived: its maintainers expect no further releases, fixes included${f.reason ? ` (${f.reason})` : ""}`;
    case "lockfile-name-mismatch":
      return `the lockfile entry for "${f.claimed}" installs another package, ${f.name}${f.url ? ` (${f.url})` : ""}`;
    case "lockfile-untrusted-host":
      return `the lockfile fetches it from ${f.host}, which is not a trusted registry (${f.url})`;
    case "lockfile-insecure-url":
      return `the lockfile fetches it over unencrypted http (${f.url})`;
    case "lockfile-no-integrity":
      return "the lockfile records no integrity hash for it: what is downloaded is not checked";
    case "not-a-registry-package":
      return `not from a registry (${f.kind}: ${f.spec}); its source is not verified`;
    case "ref-not-found":
      return `${f.repo} has no ${f.what} "${f.ref}"${f.asOf ? ` (as of ${f.asOf})` : ""}${f.latest ? `; its latest release is ${f.latest}` : ""}`;
    case "short-sha":
      return `"${f.ref}" is an abbreviated commit SHA: GitHub resolves only the full 40-character SHA`;
    case "no-action-metadata":
      return `${f.repo}${f.path ? ` has no action in "${f.path}"` : " has no action.yml at its root"} at ${f.ref}${f.reason ? ` (${f.reason})` : ""}`;
    case "unknown-input":
      return `${f.action} takes no input "${f.input}"${f.at ? ` (${f.at})` : ""}${f.suggestion ? `; did you mean "${f.suggestion}"?` : ""}`;
    case "missing-input":
      return `required input "${f.input}" of ${f.action} is not given${f.at ? ` (${f.at})` : ""}`;
    case "deprecated-input":
      return `input "${f.input}" of ${f.action} is deprecated${f.reason ? `: ${f.reason}` : ""}`;
    case "mutable-ref":
      return `${f.ref} is a ${f.kind} and can be moved${f.pin ? `: pin to ${f.pin} # ${f.ref}` : "; pin a full commit SHA"}`;
    case "retired-runner":
      return `the hosted runner "${f.label}" was retired on ${f.date}: jobs on it do not run${f.replacement ? `; use ${f.replacement}` : ""}`;
    case "deprecated-runner":
      return `the hosted runner "${f.label}" is deprecated${f.date ? ` and is retired on ${f.date}` : ""}`;
    case "command-disabled":
      return `the workflow command ::${f.command} is disabled since ${f.date}${f.at ? ` (${f.at})` : ""}; use ${f.replacement}`;
    case "command-deprecated":
      return `the workflow command ::${f.command} is deprecated since ${f.date}${f.at ? ` (${f.at})` : ""}; use ${f.replacement}`;
    case "runtime-removed":
      return `${f.action} runs on ${f.using}, which ${f.date ? `the runner removed on ${f.date}` : "the runner does not accept"}${f.forced ? `; it is forced onto ${f.forced}` : ""}${f.latest ? `; ${f.latest} is its latest release` : ""}`;
    case "runtime-deprecated":
      return `${f.action} runs on ${f.using}, deprecated since ${f.date}${f.removal ? ` and removed on ${f.removal}` : ""}`;
    case "action-discontinued":
      return `${f.action} ${f.major} stopped working on ${f.date}${f.replacement ? `; use ${f.replacement}` : ""}`;
    case "compromised-action":
      return `${f.id}: ${f.summary}${f.pin ? ` Pin a reviewed full commit SHA.` : ""}`;
    case "invalid-workflow":
      return `${f.problem}${f.at ? ` (${f.at})` : ""}`;
  }
}

/** "a", "a and b", "a, b and c". */
export function listWords(words: readonly string[]): string {
  return words.length < 2 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}

/** Why a fact gap leaves a package's history untold (the reason of an `unverifiable` finding). */
export function untoldHistory(facts: readonly string[], reason: string): string {
  return `its ${listWords(facts)} could not be established (${reason}), so its history cannot be told`;
}

export function noticeMessage(code: NoticeCode): string {
  switch (code) {
    case "no-malicious-feed":
      return "no known-malicious feed is loaded: packages reported as malware are not recognised (load one with `bouncer feeds import`)";
  }
}

/** Why a version is hidden, in one line. */
export function versionProblemMessage(p: VersionProblem): string {
  switch (p.code) {
    case "known-malicious":
      return `known-malicious (${p.ids.join(", ")})`;
    case "publish-time-unknown":
      return `publish time unknown, and the policy wants versions at least ${p.minimumHours} h old`;
    case "too-new":
      return `published ${formatAge(p.ageMs)} ago; the policy wants at least ${p.minimumHours} h`;
  }
}
