// Differential test: pep440.ts against Python's `packaging` (the library pip vendors), on thousands
// of generated inputs, in one python3 run. Skipped (with the reason) only where python3 or
// packaging >= 26 is missing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import {
  compareVersions,
  contains,
  filterVersions,
  formatVersion,
  isPrerelease,
  parseSpecifierSet,
  parseVersion,
} from "../../../src/ecosystems/pypi/pep440.ts";
import { pep440Version, type Random, seeded, versionish } from "../random.ts";
import { packagingPreamble } from "./packaging-oracle.ts";

const ORACLE = `${packagingPreamble(["from packaging.version import Version", "from packaging.specifiers import SpecifierSet, InvalidSpecifier"])}data = json.load(sys.stdin)
def ver(s):
    try:
        v = Version(s)
        return [str(v), v.is_prerelease]
    except Exception:
        return None
def cmp(a, b):
    try:
        va, vb = Version(a), Version(b)
    except Exception:
        return "invalid"
    return (va > vb) - (va < vb)
def contains(s, v, pre, setpre):
    try:
        ss = SpecifierSet(s, prereleases=setpre)
    except InvalidSpecifier:
        return "invalid"
    try:
        return ss.contains(v, prereleases=pre)
    except Exception:
        return "error"
def filt(s, vs, pre):
    try:
        return list(SpecifierSet(s).filter(vs, prereleases=pre))
    except InvalidSpecifier:
        return "invalid"
    except Exception:
        return "error"
json.dump({
    "packaging": packaging.__version__,
    "versions": [ver(s) for s in data["versions"]],
    "compare": [cmp(a, b) for a, b in data["compare"]],
    "contains": [contains(*c) for c in data["contains"]],
    "filter": [filt(*f) for f in data["filter"]],
}, sys.stdout)
`;

type ContainsCase = [spec: string, version: string, prereleases: boolean | null, setPrereleases: boolean | null];
type FilterCase = [spec: string, versions: string[], prereleases: boolean | null];

const OPERATORS = ["==", "!=", "<=", ">=", "<", ">", "~=", "==="];

function specifier(r: Random, pool: readonly string[]): string {
  const op = r.pick(OPERATORS);
  const space = r.chance(0.15) ? " " : "";
  let version = r.chance(0.85) ? r.pick(pool) : r.chance(0.5) ? pep440Version(r) : versionish(r);
  if ((op === "==" || op === "!=") && r.chance(0.3)) {
    const release = /^\s*v?(?:\d+!)?\d+(?:\.\d+)*/i.exec(version)?.[0] ?? version;
    version = `${release}.*`;
  }
  return `${op}${space}${version.trim()}`;
}

function specifierSet(r: Random, pool: readonly string[]): string {
  if (r.chance(0.03)) return "";
  const clauses = Array.from({ length: r.chance(0.6) ? 1 : 2 + r.int(2) }, () => specifier(r, pool));
  return clauses.join(r.pick([",", ", ", " ,"]));
}

/** Versions close to each other (small release numbers), so that specifiers often match. */
function nearVersion(r: Random): string {
  let out = Array.from({ length: 1 + r.int(3) }, () => String(r.int(3))).join(".");
  if (r.chance(0.25)) out += r.pick(["a1", "b2", "rc1", "c1"]);
  if (r.chance(0.15)) out += r.pick([".post1", "-2", ".post0"]);
  if (r.chance(0.15)) out += ".dev0";
  if (r.chance(0.1)) out += r.pick(["+local", "+1.x"]);
  if (r.chance(0.05)) out = `1!${out}`;
  return out;
}

/** A version next to the first clause's own (its pre-, post-, dev- and local versions, padded, bumped). */
function neighbour(r: Random, spec: string): string {
  const base = /[0-9][0-9a-z.!+-]*/i.exec(spec)?.[0]?.replace(/\.$/, "") ?? "1.0";
  const release = /^(?:\d+!)?\d+(?:\.\d+)*/.exec(base)?.[0] ?? "1.0";
  return r.pick([
    base,
    `${base}.0`,
    `${release}a1`,
    `${release}rc1`,
    `${release}.dev0`,
    `${base}.dev0`,
    `${base}.post1`,
    `${release}.post1.dev0`,
    `${base}+local.7`,
    `${release}.1`,
    `${release.replace(/\d+$/, (n) => String(Number(n) + 1))}`,
    `${release.replace(/\d+$/, (n) => String(Math.max(0, Number(n) - 1)))}`,
  ]);
}

function buildCases() {
  const r = seeded(440);
  const pool = Array.from({ length: 80 }, () => (r.chance(0.8) ? nearVersion(r) : pep440Version(r).trim())).filter((v) => parseVersion(v));
  const versions = Array.from({ length: 4000 }, () => (r.chance(0.6) ? pep440Version(r) : versionish(r)));
  const valid = versions.filter((v) => parseVersion(v));
  const candidates = [...pool, ...valid.slice(0, 200)];
  const compare = Array.from({ length: 3000 }, () => [r.pick(candidates), r.pick(candidates)] as [string, string]);
  const preChoices = [null, null, true, false] as const;
  const contains: ContainsCase[] = Array.from({ length: 5000 }, () => {
    const spec = specifierSet(r, pool);
    const version = r.chance(0.35) ? neighbour(r, spec) : r.chance(0.9) ? r.pick(candidates) : versionish(r);
    return [spec, version, r.pick(preChoices), r.chance(0.9) ? null : r.pick([true, false])];
  });
  const filter: FilterCase[] = Array.from({ length: 400 }, () => [
    specifierSet(r, pool),
    Array.from({ length: 1 + r.int(10) }, () => (r.chance(0.95) ? r.pick(candidates) : versionish(r))),
    r.pick(preChoices),
  ]);
  return { versions, compare, contains, filter };
}

interface OracleAnswer {
  skip?: string;
  packaging: string;
  versions: Array<[string, boolean] | null>;
  compare: Array<number | "invalid">;
  contains: Array<boolean | "invalid" | "error">;
  filter: Array<string[] | "invalid" | "error">;
}

const cases = buildCases();
const run = spawnSync("python3", ["-c", ORACLE], { input: JSON.stringify(cases), encoding: "utf8", maxBuffer: 64 << 20 });
const missing = (run.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
// Only a missing python3 or packaging skips; an oracle that crashes fails the tests.
const answer: OracleAnswer = missing ? { skip: "python3 is not installed" } : JSON.parse(run.stdout || "{}");
const skip = answer.skip ? `no oracle: ${answer.skip}` : false;

test("the oracle ran", { skip }, () => {
  assert.equal(run.status, 0, run.stderr);
  assert.match(answer.packaging, /^\d+\./);
});

function report(mismatches: string[], total: number): void {
  assert.equal(mismatches.length, 0, `${mismatches.length} of ${total} differ, e.g.\n${mismatches.slice(0, 15).join("\n")}`);
}

test("version parsing and normalisation agree with packaging", { skip }, () => {
  const mismatches: string[] = [];
  let validCount = 0;
  cases.versions.forEach((text, i) => {
    const v = parseVersion(text);
    const ours = v ? [formatVersion(v), isPrerelease(v)] : null;
    if (ours) validCount++;
    const theirs = answer.versions[i];
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
      mismatches.push(`${JSON.stringify(text)}: ours ${JSON.stringify(ours)}, packaging ${JSON.stringify(theirs)}`);
    }
  });
  report(mismatches, cases.versions.length);
  // The generator must exercise both sides.
  assert.ok(validCount > 2000 && validCount < 3800, `valid: ${validCount}`);
});

test("version order agrees with packaging", { skip }, () => {
  const mismatches: string[] = [];
  const seen = new Set<number | string>();
  cases.compare.forEach(([a, b], i) => {
    const [va, vb] = [parseVersion(a), parseVersion(b)];
    const ours = va && vb ? Math.sign(compareVersions(va, vb)) : "invalid";
    seen.add(ours);
    if (ours !== answer.compare[i]) mismatches.push(`${a} vs ${b}: ours ${ours}, packaging ${answer.compare[i]}`);
  });
  report(mismatches, cases.compare.length);
  assert.deepEqual([...seen].sort(), [-1, 0, 1]);
});

test("SpecifierSet.contains agrees with packaging (prereleases None/True/False)", { skip }, () => {
  const mismatches: string[] = [];
  const counts = { true: 0, false: 0, invalid: 0, error: 0 };
  cases.contains.forEach(([spec, version, pre, setPre], i) => {
    const theirs = answer.contains[i]!;
    counts[String(theirs) as keyof typeof counts]++;
    if (theirs === "error") return; // packaging itself failed (assertion on an odd spec)
    const set = parseSpecifierSet(spec, setPre);
    const ours = set ? contains(set, version, pre) : "invalid";
    if (ours !== theirs) {
      mismatches.push(`${JSON.stringify(spec)} ∋ ${JSON.stringify(version)} (pre ${pre}, set ${setPre}): ours ${ours}, packaging ${theirs}`);
    }
  });
  report(mismatches, cases.contains.length);
  assert.ok(counts.true > 800 && counts.false > 1000 && counts.invalid > 50, JSON.stringify(counts));
  assert.ok(counts.error < 10, JSON.stringify(counts));
});

test("SpecifierSet.filter agrees with packaging, pre-release fallback included", { skip }, () => {
  const mismatches: string[] = [];
  let nonEmpty = 0;
  cases.filter.forEach(([spec, versions, pre], i) => {
    const theirs = answer.filter[i]!;
    if (theirs === "error") return;
    const set = parseSpecifierSet(spec);
    const ours = set ? filterVersions(set, versions, pre) : "invalid";
    if (Array.isArray(ours) && ours.length) nonEmpty++;
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
      mismatches.push(`${JSON.stringify(spec)} over ${JSON.stringify(versions)} (pre ${pre}): ours ${JSON.stringify(ours)}, packaging ${JSON.stringify(theirs)}`);
    }
  });
  report(mismatches, cases.filter.length);
  assert.ok(nonEmpty > 100, `non-empty results: ${nonEmpty}`);
});
