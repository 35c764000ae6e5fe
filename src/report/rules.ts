// One line per finding code, for SARIF rules and Markdown legends.
import type { FindingCode } from "../core/findings.ts";

export const RULE_TEXT: Record<FindingCode, string> = {
  "not-found": "The registry has no package of this name (hallucinated or mistyped).",
  "invalid-name": "Not a legal package name for the registry.",
  "known-malicious": "Listed in the known-malicious feed (OSV MAL- record).",
  "security-holding": "The registry replaced the package with a security placeholder, or removed every release.",
  typosquat: "The name imitates a much more popular package.",
  "suspicious-name": "A popular name plus a generic affix, the pattern language models invent, on a package with little history.",
  "import-name-mismatch": "An import name was installed as if it were the distribution name.",
  "new-package": "The package was first published recently.",
  "new-version": "The requested version was published recently.",
  "low-popularity": "Few downloads, or outside the most downloaded packages.",
  "install-scripts": "Installing runs code from the package (npm install scripts, or a source-only Python release).",
  deprecated: "The registry marks the package or version deprecated or yanked.",
  "no-repository": "No source repository is linked.",
  unverifiable: "The facts could not be obtained; not treated as clean.",
  "incomplete-facts": "Some facts (age, popularity, releases, repository) could not be obtained; the package was judged on the rest of its history.",
  "denied-by-policy": "The project's policy denies this package.",
  "not-a-registry-package": "Comes from git, a URL or a path: not verified against a registry.",
  "lockfile-name-mismatch": "A lockfile entry's URL or resolution installs another package than the name it is keyed under (lockfile injection).",
  "lockfile-untrusted-host": "A lockfile entry downloads from a host that is not a trusted registry.",
  "lockfile-insecure-url": "A lockfile entry downloads over unencrypted http.",
  "lockfile-no-integrity": "A lockfile entry records no integrity hash, so the download is not verified.",
  "dependency-confusion": "The name is on more than one index the install merges: the public one can shadow a private package.",
  quarantined: "The index quarantined the project as unsafe (PEP 792 status marker), e.g. for malware.",
  archived: "The project is archived (PEP 792 status marker): no further releases, fixes included.",
};
