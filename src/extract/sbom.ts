// CycloneDX and SPDX JSON SBOMs: every component/package that carries a purl becomes a dependency
// when its ecosystem is one Bouncer evaluates (npm, PyPI); every other one is counted in a problem,
// so nothing in the SBOM is silently passed.
import { parsePurl, PurlError } from "../core/purl.ts";
import { JsonSyntaxError, parseJson } from "../formats/json.ts";
import type { JsonDocument } from "../formats/json.ts";
import type { ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../core/dependency.ts";
import { basename, errorMessage, isRecord } from "../core/guards.ts";
import { getEcosystem } from "../ecosystems/index.ts";

export type SbomFormat = "cyclonedx" | "spdx";

/** Names listed in an aggregated problem before "...". */
const NAMES_SHOWN = 5;

/** Which SBOM format a JSON text declares, looking only at its top-level markers. */
export function sniffSbom(text: string): SbomFormat | null {
  const head = text.slice(0, 64 * 1024);
  if (/"bomFormat"\s*:\s*"CycloneDX"/.test(head)) return "cyclonedx";
  if (/"spdxVersion"\s*:\s*"SPDX-/.test(head) || /"@context"\s*:\s*"https:\/\/spdx\.org\/rdf\/3/.test(head)) return "spdx";
  return null;
}

/** One purl-bearing entry of an SBOM, before ecosystem filtering. */
interface Entry {
  purl: string | null;
  /** Display name for problems (name@version as the SBOM writes it). */
  label: string;
  version: string | null;
  line: number | undefined;
  group?: string;
}

class Collector {
  readonly dependencies: ExtractedDependency[] = [];
  readonly problems: ExtractProblem[] = [];
  private readonly unsupported = new Map<string, { count: number; names: string[]; line?: number }>();
  private readonly noPurl = { count: 0, names: [] as string[], line: undefined as number | undefined };
  private readonly badPurl = { count: 0, names: [] as string[], line: undefined as number | undefined };
  private readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  add(entry: Entry): void {
    if (entry.purl === null) {
      note(this.noPurl, entry.label, entry.line);
      return;
    }
    let purl: ReturnType<typeof parsePurl>;
    try {
      purl = parsePurl(entry.purl);
    } catch (error) {
      if (!(error instanceof PurlError)) throw error;
      note(this.badPurl, entry.purl, entry.line);
      return;
    }
    const eco = getEcosystem(purl.type);
    if (eco === undefined || eco.purlType !== purl.type) {
      let bucket = this.unsupported.get(purl.type);
      if (!bucket) {
        bucket = { count: 0, names: [] };
        this.unsupported.set(purl.type, bucket);
      }
      note(bucket, `${purl.namespace ? `${purl.namespace}/` : ""}${purl.name}${purl.version ? `@${purl.version}` : ""}`, entry.line);
      return;
    }
    let name = purl.name;
    // The purl spec puts an npm scope in the namespace ("%40scope" or, loosely, "scope").
    if (eco.similarity.scoped && purl.namespace) name = `${purl.namespace.startsWith("@") ? "" : "@"}${purl.namespace}/${purl.name}`;
    else if (purl.namespace) name = `${purl.namespace}/${purl.name}`;
    const dep: ExtractedDependency = {
      ecosystem: eco.id,
      name,
      version: purl.version ?? entry.version,
      source: "registry",
      kind: "sbom",
      location: { file: this.file, ...(entry.line !== undefined ? { line: entry.line } : {}) },
      spec: entry.purl,
    };
    if (entry.group) dep.group = entry.group;
    this.dependencies.push(dep);
  }

  finish(): ExtractResult {
    const at = (line: number | undefined) => (line !== undefined ? { line } : {});
    for (const [type, bucket] of this.unsupported) {
      this.problems.push({
        file: this.file,
        reason: `unsupported ecosystem "${type}": ${count(bucket.count, "component")} not evaluated (${list(bucket)})`,
        ...at(bucket.line),
      });
    }
    if (this.noPurl.count > 0) {
      this.problems.push({
        file: this.file,
        reason: `${count(this.noPurl.count, "component")} without a purl not evaluated (${list(this.noPurl)})`,
        ...at(this.noPurl.line),
      });
    }
    if (this.badPurl.count > 0) {
      this.problems.push({
        file: this.file,
        reason: `${count(this.badPurl.count, "invalid purl")} not evaluated (${list(this.badPurl)})`,
        ...at(this.badPurl.line),
      });
    }
    return { dependencies: this.dependencies, problems: this.problems };
  }
}

function note(bucket: { count: number; names: string[]; line?: number }, label: string, line: number | undefined): void {
  bucket.count++;
  if (bucket.names.length < NAMES_SHOWN) bucket.names.push(label);
  if (bucket.line === undefined) bucket.line = line;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

function list(bucket: { count: number; names: string[] }): string {
  return bucket.names.join(", ") + (bucket.count > bucket.names.length ? ", ..." : "");
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

function parseDocument(input: string, file: string): JsonDocument | ExtractProblem {
  try {
    return parseJson(input);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return { file, reason: `invalid JSON: ${error.message}`, line: error.line };
    throw error;
  }
}

// Keys (from most to least precise) whose line marks a component.
const LINE_KEYS = ["purl", "name", "SPDXID", "bom-ref"];

function lineOf(doc: JsonDocument, obj: Record<string, unknown>, keys = LINE_KEYS): number | undefined {
  for (const key of keys) {
    const line = doc.keyLine(obj, key);
    if (line !== undefined) return line;
  }
  return undefined;
}

/** Extracts a CycloneDX JSON document: `components`, recursively (the SBOM's own subject is skipped). */
export function extractCycloneDx(input: string, file: string): ExtractResult {
  const doc = parseDocument(input, file);
  if (!("value" in doc)) return { dependencies: [], problems: [doc] };
  const root = doc.value;
  if (!isRecord(root) || root.bomFormat !== "CycloneDX") {
    return { dependencies: [], problems: [{ file, reason: 'not a CycloneDX document (no "bomFormat": "CycloneDX")' }] };
  }
  const out = new Collector(file);
  // Pre-order walk with an explicit stack: document order, no recursion.
  const stack: unknown[] = Array.isArray(root.components) ? [...root.components].reverse() : [];
  while (stack.length > 0) {
    const component = stack.pop();
    if (!isRecord(component)) continue;
    const name = text(component.name);
    const version = text(component.version);
    const group = text(component.group);
    const scope = text(component.scope);
    out.add({
      purl: text(component.purl),
      label: `${group ? `${group}/` : ""}${name ?? "?"}${version ? `@${version}` : ""}`,
      version,
      line: lineOf(doc, component),
      ...(scope && scope !== "required" ? { group: scope } : {}),
    });
    if (Array.isArray(component.components)) for (let i = component.components.length - 1; i >= 0; i--) stack.push(component.components[i]);
  }
  return out.finish();
}

function purlsOfSpdx2(doc: JsonDocument, pkg: Record<string, unknown>): Array<{ purl: string; line: number | undefined }> {
  const purls: Array<{ purl: string; line: number | undefined }> = [];
  if (!Array.isArray(pkg.externalRefs)) return purls;
  for (const ref of pkg.externalRefs) {
    if (!isRecord(ref)) continue;
    const type = text(ref.referenceType);
    const locator = text(ref.referenceLocator);
    if (type?.toLowerCase() === "purl" && locator) purls.push({ purl: locator, line: doc.keyLine(ref, "referenceLocator") });
  }
  return purls;
}

/** Extracts an SPDX JSON document: 2.x `packages` with purl external refs, or 3.0 `@graph` packages. */
export function extractSpdx(input: string, file: string): ExtractResult {
  const doc = parseDocument(input, file);
  if (!("value" in doc)) return { dependencies: [], problems: [doc] };
  const root = doc.value;
  const isSpdx2 = isRecord(root) && typeof root.spdxVersion === "string" && root.spdxVersion.startsWith("SPDX-");
  const isSpdx3 = isRecord(root) && Array.isArray(root["@graph"]);
  if (!isRecord(root) || (!isSpdx2 && !isSpdx3)) {
    return { dependencies: [], problems: [{ file, reason: 'not an SPDX document (no "spdxVersion" nor "@graph")' }] };
  }
  const out = new Collector(file);
  if (isSpdx2 && Array.isArray(root.packages)) {
    for (const pkg of root.packages) {
      if (!isRecord(pkg)) continue;
      const name = text(pkg.name);
      const version = text(pkg.versionInfo);
      const label = `${name ?? "?"}${version ? `@${version}` : ""}`;
      const purls = purlsOfSpdx2(doc, pkg);
      if (purls.length === 0) out.add({ purl: null, label, version, line: lineOf(doc, pkg, ["name", "SPDXID"]) });
      for (const { purl, line } of purls) out.add({ purl, label, version, line });
    }
  }
  if (isSpdx3) {
    for (const element of root["@graph"] as unknown[]) {
      if (!isRecord(element)) continue;
      const type = text(element.type) ?? text(element["@type"]);
      if (type !== "software_Package" && type !== "Package") continue;
      const purl = text(element.software_packageUrl) ?? text(element.packageUrl);
      const name = text(element.name);
      const version = text(element.software_packageVersion) ?? text(element.packageVersion);
      out.add({
        purl,
        label: `${name ?? "?"}${version ? `@${version}` : ""}`,
        version,
        line: lineOf(doc, element, ["software_packageUrl", "packageUrl", "name"]),
      });
    }
  }
  return out.finish();
}

/** Last line of defence for the "extract never throws" contract. */
function safely(file: string, run: () => ExtractResult): ExtractResult {
  try {
    return run();
  } catch (error) {
    return { dependencies: [], problems: [{ file, reason: `could not read the SBOM: ${errorMessage(error)}` }] };
  }
}

export const cycloneDxExtractor: Extractor = {
  id: "cyclonedx-json",
  matches(path) {
    const base = basename(path).toLowerCase();
    return base === "bom.json" || base.endsWith(".cdx.json") || base.endsWith(".bom.json");
  },
  extract: (input, path) => safely(path, () => extractCycloneDx(input, path)),
};

export const spdxExtractor: Extractor = {
  id: "spdx-json",
  matches(path) {
    const base = basename(path).toLowerCase();
    // ".spdx.<name>.json" is how Docker Hardened Images name theirs.
    return base.endsWith(".spdx.json") || (base.startsWith(".spdx.") && base.endsWith(".json"));
  },
  extract: (input, path) => safely(path, () => extractSpdx(input, path)),
};

/** For a `.json` file no extractor claims by name: extracts it when its content declares an SBOM format. */
export function extractSbomByContent(input: string, path: string): ExtractResult | null {
  const format = sniffSbom(input);
  if (format === "cyclonedx") return extractCycloneDx(input, path);
  if (format === "spdx") return extractSpdx(input, path);
  return null;
}
