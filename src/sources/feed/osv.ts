// OSV records (MAL- reports) to MaliciousRecord, per affected package; malformed input is described, never thrown.
import type { EcosystemId, MaliciousRecord } from "../../core/model.ts";
import { isRecord } from "../../core/guards.ts";

/** Canonical name per ecosystem id ("npm", "pypi"), supplied by the caller. */
export type Normalizers = Record<EcosystemId, (name: string) => string>;

/** OSV ecosystem names (lower case: OSV writes "PyPI") and the ecosystem ids they map to. */
export type OsvEcosystems = Readonly<Record<string, EcosystemId>>;

/** Without a map: the ecosystems that have a normalizer, under their own id. */
export function osvEcosystemsOf(normalizers: Normalizers): OsvEcosystems {
  return Object.fromEntries(Object.keys(normalizers).map((id) => [id.toLowerCase(), id]));
}

export interface AffectedPackage {
  ecosystem: EcosystemId;
  name: string;
  record: MaliciousRecord;
}

export interface ParsedOsv {
  id: string;
  modified: string;
  modifiedMs: number;
  withdrawn: boolean;
  packages: AffectedPackage[];
  /** OSV ecosystems of affected entries that were left out (not npm or PyPI). */
  otherEcosystems: string[];
}

export type OsvResult = { ok: true; value: ParsedOsv } | { ok: false; id?: string; error: string };

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");

function parseRanges(value: unknown): MaliciousRecord["ranges"] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value)) return "ranges is not a list";
  const ranges: MaliciousRecord["ranges"] = [];
  for (const r of value) {
    if (!isRecord(r) || typeof r.type !== "string" || !Array.isArray(r.events)) return "a range lacks type or events";
    const events: Array<Record<string, string>> = [];
    for (const e of r.events) {
      if (!isRecord(e) || !Object.values(e).every((x) => typeof x === "string")) return "a range event is not a string map";
      events.push({ ...(e as Record<string, string>) });
    }
    ranges.push({ type: r.type, events });
  }
  return ranges;
}

const isIntroducedZeroOnly = (r: MaliciousRecord["ranges"][number]) =>
  r.events.length === 1 && Object.keys(r.events[0]!).length === 1 && r.events[0]!.introduced === "0";

/** One affected entry. An entry with no versions and no ranges is read as every version (fail closed). */
function toRecord(id: string, summary: string | undefined, a: Record<string, unknown>): MaliciousRecord | string {
  if (a.versions !== undefined && !isStringArray(a.versions)) return "versions is not a list of strings";
  const versions = (a.versions as string[] | undefined) ?? [];
  const ranges = parseRanges(a.ranges);
  if (typeof ranges === "string") return ranges;
  const allVersions = versions.length === 0 && ranges.every(isIntroducedZeroOnly);
  const record: MaliciousRecord = { id, allVersions, versions: [...versions], ranges: allVersions ? [] : ranges };
  if (summary !== undefined) record.summary = summary;
  return record;
}

function merge(into: MaliciousRecord, more: MaliciousRecord): void {
  into.allVersions ||= more.allVersions;
  for (const v of more.versions) if (!into.versions.includes(v)) into.versions.push(v);
  for (const r of more.ranges) into.ranges.push(r);
  if (into.allVersions) into.ranges = [];
}

export function parseOsv(value: unknown, normalizers: Normalizers, osvEcosystems: OsvEcosystems = osvEcosystemsOf(normalizers)): OsvResult {
  if (!isRecord(value)) return { ok: false, error: "not a JSON object" };
  const id = value.id;
  if (typeof id !== "string" || id === "") return { ok: false, error: "no id" };
  const fail = (error: string): OsvResult => ({ ok: false, id, error });
  const modified = value.modified;
  const modifiedMs = typeof modified === "string" ? Date.parse(modified) : Number.NaN;
  if (typeof modified !== "string" || Number.isNaN(modifiedMs)) return fail("no valid modified time");
  const withdrawn = value.withdrawn !== undefined && value.withdrawn !== null;
  const parsed: ParsedOsv = { id, modified, modifiedMs, withdrawn, packages: [], otherEcosystems: [] };
  if (withdrawn) return { ok: true, value: parsed };
  if (!Array.isArray(value.affected) || value.affected.length === 0) return fail("no affected packages");
  const summary = typeof value.summary === "string" ? value.summary : undefined;
  const byKey = new Map<string, AffectedPackage>();
  for (const [i, a] of value.affected.entries()) {
    const pkg = isRecord(a) ? a.package : undefined;
    if (!isRecord(a) || !isRecord(pkg) || typeof pkg.ecosystem !== "string" || typeof pkg.name !== "string" || !pkg.name) {
      return fail(`affected[${i}] has no package ecosystem and name`);
    }
    const osvName = pkg.ecosystem.toLowerCase();
    const ecosystem = Object.hasOwn(osvEcosystems, osvName) ? osvEcosystems[osvName] : undefined;
    if (!ecosystem) {
      parsed.otherEcosystems.push(pkg.ecosystem);
      continue;
    }
    const record = toRecord(id, summary, a);
    if (typeof record === "string") return fail(`affected[${i}]: ${record}`);
    let name = pkg.name;
    try {
      name = normalizers[ecosystem]?.(pkg.name) || pkg.name;
    } catch {
      // A name the ecosystem rejects is kept as written: requests for it carry it the same way.
    }
    const key = `${ecosystem}\u0000${name}`;
    const seen = byKey.get(key);
    if (seen) merge(seen.record, record);
    else byKey.set(key, { ecosystem, name, record });
  }
  parsed.packages = [...byKey.values()];
  return { ok: true, value: parsed };
}
