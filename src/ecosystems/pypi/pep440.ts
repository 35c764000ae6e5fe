// PEP 440 versions and specifiers, with the behaviour of Python's `packaging` (26.x), which pip uses.
// Nothing here throws on bad input: an invalid version or specifier is `null`.

export type PreLabel = "a" | "b" | "rc";

export interface Pep440Version {
  epoch: bigint;
  release: bigint[];
  pre: { label: PreLabel; n: bigint } | null;
  post: bigint | null;
  dev: bigint | null;
  /** Local segments: lower-case strings and numbers (`+ubuntu.1` -> ["ubuntu", 1n]). */
  local: Array<string | bigint> | null;
}

/** Python's `\s` (str.isspace) as a regex class; JavaScript's `\s` differs (U+FEFF, U+001C-U+001F, U+0085). */
export const PY_WS = "[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const WS = PY_WS;
const WS_RUN = new RegExp(`^${WS}+|${WS}+$`, "g");

/** Python's str.strip() with no argument. */
function pyStrip(text: string): string {
  return text.replace(WS_RUN, "");
}

// The `i` flag without `u` folds ASCII letters only (non-ASCII never matches an ASCII letter), like `(?a:...)`.
const VERSION_RE = new RegExp(
  `^${WS}*v?(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)` +
    "(?:[._-]?(alpha|a|beta|b|preview|pre|c|rc)[._-]?([0-9]+)?)?" +
    "(?:-([0-9]+)|[._-]?(post|rev|r)[._-]?([0-9]+)?)?" +
    "(?:[._-]?(dev)[._-]?([0-9]+)?)?" +
    `(?:\\+([a-z0-9]+(?:[._-][a-z0-9]+)*))?${WS}*$`,
  "i",
);

const PRE_SPELLINGS: Record<string, PreLabel> = {
  a: "a",
  alpha: "a",
  b: "b",
  beta: "b",
  c: "rc",
  rc: "rc",
  pre: "rc",
  preview: "rc",
};

/** Parses a version in any spelling PEP 440 allows; null when it is not one. */
export function parseVersion(text: string): Pep440Version | null {
  if (typeof text !== "string" || text.length > 4096) return null;
  const m = VERSION_RE.exec(text);
  if (!m) return null;
  const [, epoch, release, preL, preN, postN1, postL, postN2, devL, devN, local] = m;
  return {
    epoch: epoch ? BigInt(epoch) : 0n,
    release: release!.split(".").map(BigInt),
    pre: preL ? { label: PRE_SPELLINGS[preL.toLowerCase()]!, n: BigInt(preN ?? 0) } : null,
    post: postN1 !== undefined ? BigInt(postN1) : postL ? BigInt(postN2 ?? 0) : null,
    dev: devL ? BigInt(devN ?? 0) : null,
    local: local
      ? local
          .toLowerCase()
          .split(/[._-]/)
          .map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part))
      : null,
  };
}

export function isValidVersion(text: string): boolean {
  return parseVersion(text) !== null;
}

/** The normalised form (`str(Version(...))`). */
export function formatVersion(v: Pep440Version): string {
  let out = v.release.join(".");
  if (v.epoch) out = `${v.epoch}!${out}`;
  if (v.pre) out += `${v.pre.label}${v.pre.n}`;
  if (v.post !== null) out += `.post${v.post}`;
  if (v.dev !== null) out += `.dev${v.dev}`;
  if (v.local) out += `+${v.local.join(".")}`;
  return out;
}

/** The normalised form of a version string, or null when it is not a version. */
export function normalizeVersion(text: string): string | null {
  const v = parseVersion(text);
  return v ? formatVersion(v) : null;
}

export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== null || v.dev !== null;
}

export function isPostrelease(v: Pep440Version): boolean {
  return v.post !== null;
}

function cmp(a: bigint | number | string, b: bigint | number | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Pre-release ranks: dev-only < a < b < rc < none.
const PRE_RANK: Record<PreLabel, number> = { a: 0, b: 1, rc: 2 };

function suffixKey(v: Pep440Version): bigint[] {
  const preRank = v.pre ? PRE_RANK[v.pre.label] : v.post === null && v.dev !== null ? -1 : 3;
  return [
    BigInt(preRank),
    v.pre ? v.pre.n : 0n,
    v.post === null ? 0n : 1n,
    v.post ?? 0n,
    v.dev === null ? 1n : 0n,
    v.dev ?? 0n,
  ];
}

/** PEP 440 order: negative when a < b, 0 when equal (1.0 == 1.0.0), positive when a > b. */
export function compareVersions(a: Pep440Version, b: Pep440Version): number {
  if (a.epoch !== b.epoch) return cmp(a.epoch, b.epoch);
  const ra = trimZeros(a.release);
  const rb = trimZeros(b.release);
  for (let i = 0; i < Math.min(ra.length, rb.length); i++) if (ra[i] !== rb[i]) return cmp(ra[i]!, rb[i]!);
  if (ra.length !== rb.length) return cmp(ra.length, rb.length);
  const sa = suffixKey(a);
  const sb = suffixKey(b);
  for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return cmp(sa[i]!, sb[i]!);
  if (!a.local || !b.local) return cmp(a.local ? 1 : 0, b.local ? 1 : 0);
  for (let i = 0; i < Math.min(a.local.length, b.local.length); i++) {
    const x = a.local[i]!;
    const y = b.local[i]!;
    // Strings sort before numbers.
    if (typeof x !== typeof y) return typeof x === "string" ? -1 : 1;
    if (x !== y) return cmp(x, y);
  }
  return cmp(a.local.length, b.local.length);
}

function trimZeros(release: bigint[]): bigint[] {
  let end = release.length;
  while (end > 0 && release[end - 1] === 0n) end--;
  return release.slice(0, end);
}

/**
 * A total order on version strings: valid versions by PEP 440, invalid ones before every
 * valid one (sorted as text), so sorting a registry's list never throws.
 */
export function compareVersionStrings(a: string, b: string): number {
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (va && vb) return compareVersions(va, vb);
  if (va || vb) return va ? 1 : -1;
  return cmp(a, b);
}

function withParts(v: Pep440Version, parts: Partial<Pep440Version>): Pep440Version {
  return { ...v, ...parts };
}

const publicOf = (v: Pep440Version) => (v.local ? withParts(v, { local: null }) : v);
const eq = (a: Pep440Version, b: Pep440Version) => compareVersions(a, b) === 0;

// ---------------------------------------------------------------------------------------------
// Specifiers

export type Operator = "~=" | "==" | "!=" | "<=" | ">=" | "<" | ">" | "===";

export interface Specifier {
  operator: Operator;
  /** The version text as written (stripped); may end in ".*" for == and !=. */
  version: string;
}

export interface SpecifierSet {
  specifiers: Specifier[];
  /** Explicit pre-release choice; null lets the specifiers decide. */
  prereleases: boolean | null;
}

const PRE = "(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?";
const POST = "(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?";
const DEV = "(?:[-_.]?dev[-_.]?[0-9]*)?";
/** One specifier clause as packaging's regex (unanchored source, for the `i` flag without `u`). */
export const SPECIFIER_SOURCE =
  "(?:" +
  `===${WS}*(?:(?!${WS})[^;)])*` +
  `|(?:==|!=)${WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*(?:\\.\\*|${PRE}${POST}${DEV}(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?)?` +
  `|~=${WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV}` +
  `|(?:<=|>=|<|>)${WS}*v?(?:[0-9]+!)?[0-9]+(?:\\.[0-9]+)*${PRE}${POST}${DEV}` +
  ")";
const SPECIFIER_RE = new RegExp(`^${WS}*${SPECIFIER_SOURCE}${WS}*$`, "i");

/** Parses one specifier clause (`>=1.0`, `==1.*`, `~=2.2`, `===foo`); null when invalid. */
export function parseSpecifier(text: string): Specifier | null {
  if (typeof text !== "string" || text.length > 4096 || !SPECIFIER_RE.test(text)) return null;
  const spec = pyStrip(text);
  const opLength = spec.startsWith("===") ? 3 : /^(?:~=|==|!=|<=|>=)/.test(spec) ? 2 : 1;
  return { operator: spec.slice(0, opLength) as Operator, version: pyStrip(spec.slice(opLength)) };
}

/** Parses a comma-separated specifier set ("" is the empty set, which matches everything); null when invalid. */
export function parseSpecifierSet(text: string, prereleases: boolean | null = null): SpecifierSet | null {
  if (typeof text !== "string") return null;
  const specifiers: Specifier[] = [];
  for (const part of text.split(",")) {
    if (!pyStrip(part)) continue;
    const spec = parseSpecifier(part);
    if (!spec) return null;
    specifiers.push(spec);
  }
  return { specifiers, prereleases };
}

export function formatSpecifierSet(set: SpecifierSet): string {
  return set.specifiers.map((s) => `${s.operator}${s.version}`).join(",");
}

/** Whether one specifier, by itself, asks for pre-releases (packaging's Specifier.prereleases). */
function specifierWantsPrereleases(spec: Specifier): boolean | null {
  if (spec.operator === "!=") return false;
  if (spec.operator === "==" && spec.version.endsWith(".*")) return false;
  const v = parseVersion(spec.version);
  if (!v) return null;
  return isPrerelease(v);
}

/** packaging's SpecifierSet.prereleases: explicit, else true when a clause names a pre-release. */
export function setWantsPrereleases(set: SpecifierSet): boolean | null {
  if (set.prereleases !== null) return set.prereleases;
  if (!set.specifiers.length) return null;
  return set.specifiers.some((s) => specifierWantsPrereleases(s) === true) ? true : null;
}

// packaging's helpers for prefix matching, which work on the version text split into parts.
const PREFIX_PART = /^([0-9]+)((?:a|b|c|rc)[0-9]+)$/;

function splitParts(version: string): string[] {
  const bang = version.lastIndexOf("!");
  const out = [bang > 0 ? version.slice(0, bang) : "0"];
  for (const item of version.slice(bang + 1).split(".")) {
    const m = PREFIX_PART.exec(item);
    if (m) out.push(m[1]!, m[2]!);
    else out.push(item);
  }
  return out;
}

const isDigits = (s: string) => /^[0-9]+$/.test(s);

function numericPrefixLength(parts: string[]): number {
  let n = 0;
  while (n < parts.length && isDigits(parts[n]!)) n++;
  return n;
}

function canonical(text: string): string {
  return normalizeVersion(text) ?? text;
}

/** `==prefix.*`: the version's release, zero-padded, starts with the prefix's (same epoch). */
function prefixMatches(prospective: Pep440Version, prefix: string): boolean {
  const want = splitParts(canonical(prefix));
  const have = splitParts(formatVersion(publicOf(prospective)));
  const numeric = numericPrefixLength(have);
  const padded = [
    ...have.slice(0, numeric),
    ...Array<string>(Math.max(0, numericPrefixLength(want) - numeric)).fill("0"),
    ...have.slice(numeric),
  ];
  return want.every((part, i) => padded[i] === part) && padded.length >= want.length;
}

function equalTo(prospective: Pep440Version, specVersion: string): boolean {
  if (specVersion.endsWith(".*")) return prefixMatches(prospective, specVersion.slice(0, -2));
  const spec = parseVersion(specVersion);
  if (!spec) return false;
  return eq(spec.local ? prospective : publicOf(prospective), spec);
}

function compatibleWith(prospective: Pep440Version, specVersion: string): boolean {
  // packaging takes the release parts of the text as written, up to the first suffix, minus the last.
  const parts = splitParts(specVersion);
  const kept: string[] = [];
  for (const part of parts) {
    if (["dev", "a", "b", "rc", "post"].some((s) => part.startsWith(s))) break;
    kept.push(part);
  }
  kept.pop();
  const prefix = `${kept[0]}!${kept.slice(1).join(".")}`;
  const spec = parseVersion(specVersion);
  return !!spec && compareVersions(publicOf(prospective), spec) >= 0 && prefixMatches(prospective, prefix);
}

function lessThan(prospective: Pep440Version, spec: Pep440Version): boolean {
  if (compareVersions(prospective, spec) >= 0) return false;
  // <V excludes V's own pre-releases unless V is one.
  const earliest = withParts(spec, { dev: 0n, local: null });
  return isPrerelease(spec) || !isPrerelease(prospective) || compareVersions(prospective, earliest) < 0;
}

function greaterThan(prospective: Pep440Version, spec: Pep440Version): boolean {
  if (compareVersions(prospective, spec) <= 0) return false;
  // >V excludes V's post-releases unless V is one, and V's local versions.
  if (!isPostrelease(spec) && isPostrelease(prospective)) {
    if (eq(withParts(prospective, { post: null, dev: null, local: null }), spec)) return false;
  }
  return !(prospective.local && eq(publicOf(prospective), spec));
}

function matchesParsed(spec: Specifier, v: Pep440Version): boolean {
  const { operator, version } = spec;
  if (operator === "==") return equalTo(v, version);
  if (operator === "!=") return !equalTo(v, version);
  if (operator === "~=") return compatibleWith(v, version);
  const target = parseVersion(version);
  if (!target) return false;
  if (operator === "<=") return compareVersions(publicOf(v), target) <= 0;
  if (operator === ">=") return compareVersions(publicOf(v), target) >= 0;
  if (operator === "<") return lessThan(v, target);
  if (operator === ">") return greaterThan(v, target);
  return false;
}

/** Whether `text` satisfies every clause, pre-releases allowed or not. */
function matchesAll(set: SpecifierSet, text: string, v: Pep440Version | null, allowPre: boolean): boolean {
  if (!v) return set.specifiers.every((s) => s.operator === "===" && text.toLowerCase() === s.version.toLowerCase());
  if (!allowPre && isPrerelease(v)) return false;
  return set.specifiers.every((s) =>
    s.operator === "===" ? text.toLowerCase() === s.version.toLowerCase() : matchesParsed(s, v),
  );
}

/**
 * packaging's `SpecifierSet.contains(version, prereleases)`. With prereleases null, a single
 * pre-release is accepted when it matches (there is no other version to prefer).
 */
export function contains(set: SpecifierSet, version: string, prereleases: boolean | null = null): boolean {
  const v = parseVersion(version);
  const allow = prereleases ?? setWantsPrereleases(set);
  if (!set.specifiers.length) return allow === false ? !v || !isPrerelease(v) : true;
  return matchesAll(set, version, v, allow ?? true);
}

/**
 * packaging's `SpecifierSet.filter(versions, prereleases)`: the versions that match, in input
 * order; with prereleases null, pre-releases only when no final release matches (or a clause
 * names a pre-release).
 */
export function filterVersions(set: SpecifierSet, versions: readonly string[], prereleases: boolean | null = null): string[] {
  const allow = prereleases ?? setWantsPrereleases(set);
  const parsed = versions.map((text) => ({ text, v: parseVersion(text) }));
  let matched: typeof parsed;
  if (!set.specifiers.length) {
    matched = allow === false ? parsed.filter((p) => !p.v || !isPrerelease(p.v)) : parsed;
  } else {
    matched = parsed.filter((p) => matchesAll(set, p.text, p.v, allow ?? true));
  }
  if (allow === null && matched.some((p) => p.v && !isPrerelease(p.v))) {
    matched = matched.filter((p) => !p.v || !isPrerelease(p.v));
  }
  return matched.map((p) => p.text);
}

/** The highest version that the set would select (see filterVersions); null when none. */
export function maxSatisfying(
  set: SpecifierSet,
  versions: readonly string[],
  prereleases: boolean | null = null,
): string | null {
  let best: { text: string; v: Pep440Version } | null = null;
  const matched = filterVersions(set, versions, prereleases);
  for (const text of matched) {
    const v = parseVersion(text);
    if (v && (!best || compareVersions(v, best.v) > 0)) best = { text, v };
  }
  // Only `===` can select a string that is not a version.
  return best?.text ?? matched[0] ?? null;
}
