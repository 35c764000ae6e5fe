// bouncer scan: find every dependency in files, folders or text, judge each, and point back to where it was written.
import { statSync } from "node:fs";
import path from "node:path";
import type { SourceLocation } from "../core/findings.ts";
import type { NotEvaluated, PackageRequest, PackageResult, Report } from "../core/model.ts";
import { decide } from "../core/policy.ts";
import { finding, lockfileFindings } from "../core/signals.ts";
import { ECOSYSTEMS, getEcosystem } from "../ecosystems/index.ts";
import type { EcosystemModule } from "../ecosystems/types.ts";
import type { Changes } from "../extract/gitdiff.ts";
import { jsImportsExtractor } from "../extract/js-imports.ts";
import { decodePythonSource, localPythonModules, PYTHON_ECOSYSTEM, pythonImportsExtractor } from "../extract/python-imports.ts";
import { cycloneDxExtractor, extractSbomByContent, spdxExtractor } from "../extract/sbom.ts";
import { ciScriptCommands, extractFromText, markdownExtractor, textExtractors, transcriptExtractor } from "../extract/text.ts";
import { excerpt, MAX_REASON_CHARS, safeReason } from "../core/excerpt.ts";
import type { ExtractedDependency, Extractor, ExtractResult } from "../core/dependency.ts";
import { buildReport } from "../report/json.ts";
import { allowedLockfileHosts, checkPackages, type Engine } from "./check.ts";
import { makeRequest } from "./requests.ts";
import { walk } from "./files.ts";
import { decodeText, diskFs, isInside, isRefused, MAX_FILE_BYTES, memoryFs, readText, type Refused, type ScanFs } from "./fs.ts";

/** Ecosystem manifests first (a requirements.txt is not a chat transcript), then SBOMs, code, free text. */
export function allExtractors(): Extractor[] {
  const fromEcosystems = [...ECOSYSTEMS.values()].flatMap((e) => e.extractors ?? []);
  return [...fromEcosystems, cycloneDxExtractor, spdxExtractor, jsImportsExtractor, pythonImportsExtractor, ...textExtractors];
}

export { MAX_FILE_BYTES };

const FREE_TEXT: readonly Extractor[] = [...textExtractors, transcriptExtractor, jsImportsExtractor, pythonImportsExtractor];

/**
 * Whether a file not evaluated holds dependencies a gate must see: a manifest, lockfile or SBOM, a
 * file one of them includes, or a file named explicitly in an unknown format. Free text (docs,
 * scripts, code) is not: a command it holds that cannot be read is reported, not gated on.
 */
export function isDeclaredDependencies(file: string): boolean {
  const declared = [...ECOSYSTEMS.values()].some((e) => e.extractors?.some((x) => x.matches(file))) || cycloneDxExtractor.matches(file) || spdxExtractor.matches(file);
  return declared || !FREE_TEXT.some((e) => e.matches(file));
}

/** The entries of `notEvaluated` that fail a CI or --diff gate unless the trusted policy says "warn". */
export function gateFailures(report: Report, policy: { notEvaluated?: "block" | "warn" }): NotEvaluated[] {
  if (policy.notEvaluated === "warn") return [];
  return report.notEvaluated.filter((n) => isDeclaredDependencies(n.file));
}

export interface ScanInput {
  cwd: string;
  /** Files or folders. */
  paths: string[];
  /** Text from standard input, judged as free text (or by `stdinName`'s format). */
  stdin?: { text: string; name: string };
  /** Read every named file as free text (chat transcripts, answers). */
  asText?: boolean;
  /** Only what a change adds: files it does not touch are skipped, and dependencies the base had are dropped. */
  changes?: Changes;
  /** npm scopes served by a private registry (from .npmrc): never looked up on the public one. */
  privateScopes?: string[];
  /**
   * The file system every path is read through (the install guard's: its folder). Without it, each
   * named path is read through the disk below its root (`scanRoot`).
   */
  fs?: ScanFs;
  /** The file name whose format a named path is read as (pip reads any `-r` file as requirements). */
  formatOf?: (file: string) => string | undefined;
}

interface FileText {
  file: string;
  display: string;
  text: string;
  explicit: boolean;
  /** The file system it was read from: the one its includes are read through. */
  fs: ScanFs;
}

/**
 * The folder a named path is confined to: the working folder when the path is inside it, else the
 * named folder itself (or the named file's folder). Paths written inside scanned files never leave it.
 */
export function scanRoot(cwd: string, full: string, isFolder: boolean): string {
  if (isInside(cwd, full)) return cwd;
  return isFolder ? full : path.dirname(full);
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function fromPython(result: { text: string } | { error: string }): string | Refused {
  return "error" in result ? { refused: result.error } : result.text;
}

function extractorFor(file: string, extractors: Extractor[], asText: boolean, explicit = false): Extractor | undefined {
  if (asText) return transcriptExtractor.matches(file) ? transcriptExtractor : markdownExtractor;
  // Plain text (a chat transcript, notes) is read when named, not picked up by folder walks.
  return extractors.find((e) => e.matches(file)) ?? (explicit && transcriptExtractor.matches(file) ? transcriptExtractor : undefined);
}

/** Collects the files to read: named files always, folders walked for files some extractor understands. */
function collect(input: ScanInput, extractors: Extractor[], notEvaluated: NotEvaluated[]): FileText[] {
  const out: FileText[] = [];
  const display = (f: string) => path.relative(input.cwd, f) || f;
  const read = (fs: ScanFs, file: string, explicit: boolean) => {
    const bytes = fs.readBytes(file, MAX_FILE_BYTES);
    // Python source declares its own encoding (PEP 263); everything else is UTF-8.
    const decoded = isRefused(bytes) ? bytes : /\.pyi?$/.test(file) ? fromPython(decodePythonSource(Buffer.from(bytes))) : decodeText(bytes);
    if (isRefused(decoded)) notEvaluated.push({ file: display(file), reason: decoded.refused });
    else out.push({ file, display: display(file), text: decoded, explicit, fs });
  };
  for (const p of input.paths) {
    const full = path.resolve(input.cwd, p);
    const kind = input.fs?.stat(full);
    // A path the user names is theirs to name (a link to a folder included); what it holds is confined.
    const isFolder = kind ? !isRefused(kind) && kind.kind === "directory" : isDirectory(full);
    const fs = input.fs ?? diskFs(scanRoot(input.cwd, full, isFolder));
    if (isFolder) {
      const files = walk(fs, full, {
        want: (f) => (extractors.some((e) => e.matches(f)) && !transcriptExtractor.matches(f)) || isAliasConfig(f),
        skipped: (f, reason) => {
          if (!input.changes || input.changes.changed.has(f)) notEvaluated.push({ file: display(f), reason });
        },
      });
      for (const f of files) if (!input.changes || input.changes.changed.has(f)) read(fs, f, false);
    } else if (!input.changes || input.changes.changed.has(full)) read(fs, full, true);
  }
  return out;
}

function runExtractor(ft: FileText, extractor: Extractor | undefined, files: Map<string, FileText>): ExtractResult {
  // Files another file names (requirements -r/-c, setup.cfg file:, a lockfile's package.json) are
  // read through the same confined file system, so never outside its root.
  const refusals = new Map<string, string>();
  const target = (rel: string) => path.resolve(path.dirname(ft.file), rel);
  const readFile = (rel: string) => {
    const file = target(rel);
    const known = files.get(file);
    if (known && known.fs === ft.fs) return known.text;
    const text = readText(ft.fs, file, MAX_FILE_BYTES);
    if (!isRefused(text)) return text;
    refusals.set(file, text.refused);
    return undefined;
  };
  const whyUnread = (rel: string) => refusals.get(target(rel));
  if (!extractor) {
    const sbom = ft.file.endsWith(".json") ? extractSbomByContent(ft.text, ft.display) : null;
    return sbom ?? { dependencies: [], problems: [{ file: ft.display, reason: "unsupported format" }] };
  }
  try {
    return extractor.extract(ft.text, ft.display, { readFile, whyUnread, scriptCommands: ciScriptCommands, yamlFence });
  } catch (error) {
    // Extractors must not throw; if one does, the file is reported, and the rest of the scan goes on.
    return { dependencies: [], problems: [{ file: ft.display, reason: `could not be parsed (${(error as Error).message})` }] };
  }
}

interface Gathered {
  dependencies: ExtractedDependency[];
  notEvaluated: NotEvaluated[];
  /** Names of the project's own packages and modules, per ecosystem. */
  local: Map<string, Set<string>>;
  /** Import specifiers the project's compiler configs resolve locally, per ecosystem. */
  localImports: Map<string, LocalImports>;
}

/** Import specifiers that are the project's own: exact names and prefixes. */
export interface LocalImports {
  exact: Set<string>;
  prefixes: string[];
}

const ALIASING = [...ECOSYSTEMS.values()].filter((eco) => eco.moduleAliases);
const isAliasConfig = (file: string) => ALIASING.some((eco) => eco.moduleAliases!.matches(file));

const SOURCE_EXTENSION = /(?:\.d)?\.[cm]?[jt]sx?$/;

/**
 * Aliases from compiler configs (tsconfig `paths`), and under a `baseUrl` the first segment of every
 * file there ("components" for src/components/Button.tsx): what imports of these name is the project's.
 */
function localImportsOf(files: readonly FileText[]): Map<string, LocalImports> {
  const out = new Map<string, LocalImports>();
  for (const eco of ALIASING) {
    const found: LocalImports = { exact: new Set(), prefixes: [] };
    for (const ft of files) {
      if (!eco.moduleAliases!.matches(ft.file)) continue;
      const aliases = eco.moduleAliases!.read(ft.text);
      if (!aliases) continue;
      for (const name of aliases.exact) found.exact.add(name);
      for (const prefix of aliases.prefixes) found.prefixes.push(prefix);
      if (aliases.baseUrl === null) continue;
      const base = path.resolve(path.dirname(ft.file), aliases.baseUrl);
      for (const other of files) {
        if (!other.file.startsWith(base + path.sep)) continue;
        const rel = other.file.slice(base.length + 1);
        const first = rel.split(path.sep)[0]!;
        found.exact.add(first === rel ? first.replace(SOURCE_EXTENSION, "") : first);
      }
    }
    if (found.exact.size || found.prefixes.length) out.set(eco.id, found);
  }
  return out;
}

function isLocalImport(d: ExtractedDependency, local: LocalImports | undefined): boolean {
  if (!local) return false;
  const specifier = d.importName ?? d.name;
  return local.exact.has(specifier) || local.exact.has(d.name) || local.prefixes.some((p) => specifier.startsWith(p));
}

/** Extracts every dependency from the inputs. */
export function gather(input: ScanInput): Gathered {
  const extractors = allExtractors();
  const notEvaluated: NotEvaluated[] = [];
  const files = collect(input, extractors, notEvaluated);
  const byPath = new Map(files.map((f) => [f.file, f]));
  const dependencies: ExtractedDependency[] = [];
  const local = new Map<string, Set<string>>([...ECOSYSTEMS.keys()].map((k) => [k, new Set<string>()]));
  const pyFiles: string[] = [];
  for (const ft of files) {
    const extractor = extractorFor((ft.explicit && input.formatOf?.(ft.file)) || ft.file, extractors, Boolean(input.asText), ft.explicit);
    // A compiler config found by the walk is read for its aliases only (localImportsOf).
    if (!extractor && !ft.explicit && isAliasConfig(ft.file)) continue;
    if (extractor === pythonImportsExtractor) pyFiles.push(ft.display);
    const result = runExtractor(ft, ft.explicit || extractor ? extractor : undefined, byPath);
    for (const p of result.problems) notEvaluated.push(notEvaluatedOf(p));
    for (const eco of ECOSYSTEMS.values()) {
      const own = eco.localPackageName?.(ft.file, ft.text);
      if (own) local.get(eco.id)!.add(own);
    }
    // Loops, not push(...spread): a lockfile may hold more dependencies than a call has arguments.
    for (const d of input.changes ? onlyAdded(result.dependencies, ft, extractor, input.changes, byPath) : result.dependencies) dependencies.push(d);
  }
  if (input.stdin) {
    // Standard input and snippets are read through a file system that holds only them: an include
    // they name reads nothing.
    const { text, name } = input.stdin;
    const fs = memoryFs({ [name]: text });
    const ft: FileText = { file: path.resolve(fs.root, name), display: name, text, explicit: true, fs };
    const free = input.asText || !extractors.some((e) => e.matches(name));
    const extractor = free ? undefined : extractorFor(name, extractors, false);
    const result = free ? extractFromText(text, name, { yamlFence }) : runExtractor(ft, extractor, new Map());
    for (const p of result.problems) notEvaluated.push(notEvaluatedOf(p));
    for (const d of result.dependencies) dependencies.push(d);
  }
  const pyLocal = PYTHON_ECOSYSTEM === undefined ? undefined : local.get(PYTHON_ECOSYSTEM);
  for (const m of localPythonModules(pyFiles)) pyLocal?.add(m);
  return { dependencies, notEvaluated: dedupeProblems(notEvaluated), local, localImports: localImportsOf(files) };
}

// How a dependency is used belongs to it: a workflow step that now passes another input is a change.
const depKey = (d: ExtractedDependency) =>
  `${d.ecosystem}\u0000${d.name}\u0000${d.version ?? ""}\u0000${d.source}\u0000${d.spec ?? ""}${d.usage ? `\u0000${JSON.stringify(d.usage)}` : ""}`;

/** The dependencies of a changed file that its base version did not have (a moved line is not new). */
function onlyAdded(deps: ExtractedDependency[], ft: FileText, extractor: Extractor | undefined, changes: Changes, files: Map<string, FileText>): ExtractedDependency[] {
  const base = changes.baseText(ft.file);
  if (base === undefined || !deps.length) return deps;
  const before = runExtractor({ ...ft, text: base }, extractor, files);
  const had = new Set(before.dependencies.map(depKey));
  return deps.filter((d) => !had.has(depKey(d)));
}

/** An extractor's problem as the report lists it: its line, when it has one, leads the reason. */
const notEvaluatedOf = (p: ExtractResult["problems"][number]): NotEvaluated => ({ file: p.file, reason: p.line ? `line ${p.line}: ${p.reason}` : p.reason });

/** Each problem once, its reason bounded and with credentials hidden, whichever extractor wrote it. */
function dedupeProblems(list: NotEvaluated[]): NotEvaluated[] {
  const seen = new Set<string>();
  const out: NotEvaluated[] = [];
  for (const n of list) {
    const entry = { file: excerpt(n.file, MAX_REASON_CHARS), reason: safeReason(n.reason) };
    const key = `${entry.file}\u0000${entry.reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(entry);
  }
  return out;
}

const locationOf = (d: ExtractedDependency): SourceLocation => ({ ...d.location });

const FENCE_READERS = [...ECOSYSTEMS.values()].flatMap((e) => e.extractors.filter((x) => x.extractFence));

/** What a fenced YAML block of free text holds in an ecosystem's formats (a workflow in an AI answer). */
function yamlFence(code: string, firstLine: number, file: string): ExtractedDependency[] {
  const out: ExtractedDependency[] = [];
  for (const reader of FENCE_READERS) {
    try {
      for (const d of reader.extractFence!(code, firstLine, file)) out.push(d);
    } catch {
      // a block a reader cannot read is left to the text reader's findings
    }
  }
  return out;
}

/** The ecosystem that verifies a git dependency's source, with the name and ref it asks about. */
function claimReference(spec: string): { eco: EcosystemModule; name: string; version: string | null } | null {
  for (const eco of ECOSYSTEMS.values()) {
    const claimed = eco.claimReference?.(spec);
    if (claimed) return { eco, ...claimed };
  }
  return null;
}

/** Turns dependencies into requests; non-registry sources become results of their own. */
export function toRequests(
  deps: readonly ExtractedDependency[],
  local: Map<string, Set<string>>,
  privateScopes: readonly string[] = [],
  localImports: Map<string, LocalImports> = new Map(),
): { requests: PackageRequest[]; nonRegistry: Array<{ dep: ExtractedDependency }> } {
  const requests = new Map<string, PackageRequest>();
  const imports: ExtractedDependency[] = [];
  const nonRegistry: Array<{ dep: ExtractedDependency }> = [];
  /** The first declaration of each package, by ecosystem and canonical name. */
  const declared = new Map<string, PackageRequest>();
  const nameKey = (ecosystem: string, name: string) => `${ecosystem}\u0000${name}`;
  for (const d of deps) {
    const eco = getEcosystem(d.ecosystem);
    if (!eco) continue;
    if (d.source === "workspace" || local.get(eco.id)?.has(d.name)) continue;
    if (eco.similarity.scoped && privateScopes.some((s) => d.name.startsWith(`${s}/`))) continue;
    if (d.source !== "registry") {
      nonRegistry.push({ dep: d });
      // A git dependency on a host an ecosystem can verify (github:owner/repo#ref) is asked about there too.
      const claimed = d.source === "git" && d.spec ? claimReference(d.spec) : null;
      if (claimed) {
        const req = makeRequest(claimed.eco, claimed.name, claimed.version, [locationOf(d)]);
        req.via = "git-dependency";
        requests.set(`${claimed.eco.id}\u0000${claimed.name}\u0000${claimed.version ?? ""}\u0000${requests.size}`, req);
      }
      continue;
    }
    if (d.kind === "import") {
      imports.push(d);
      continue;
    }
    const req = makeRequest(eco, d.name, d.version, [locationOf(d)]);
    if (d.kind === "install-command") req.via = "install-command";
    if (d.usage) req.usages = [{ location: locationOf(d), values: d.usage }];
    if (d.lock) req.lock = [d.lock];
    const key = `${eco.id}\u0000${req.name}\u0000${d.version ?? ""}`;
    const seen = requests.get(key);
    if (seen) {
      seen.locations.push(locationOf(d));
      if (req.usages) {
        seen.usages ??= [];
        seen.usages.push(...req.usages);
      }
      if (d.lock) {
        seen.lock ??= [];
        seen.lock.push(d.lock);
      }
    } else requests.set(key, req);
    if (!declared.has(nameKey(eco.id, req.name))) declared.set(nameKey(eco.id, req.name), seen ?? req);
  }
  // Imports name modules: map them to the package that provides them, preferring one the project declares.
  for (const d of imports) {
    const eco = getEcosystem(d.ecosystem)!;
    if (eco.isStandardModule?.(d.name) || local.get(eco.id)?.has(d.name) || isLocalImport(d, localImports.get(eco.id))) continue;
    const candidates = eco.packagesForImport?.(d.importName ?? d.name) ?? [d.name];
    const chosen = candidates.find((c) => declared.has(nameKey(eco.id, eco.canonicalName(c)))) ?? candidates[0] ?? d.name;
    const req = makeRequest(eco, chosen, null, [{ ...locationOf(d) }]);
    req.via = "import";
    // An import of something the project declares adds its location to that declaration.
    const declaredReq = declared.get(nameKey(eco.id, req.name));
    if (declaredReq) {
      declaredReq.locations.push(locationOf(d));
      continue;
    }
    const key = `${eco.id}\u0000${req.name}\u0000import`;
    const seen = requests.get(key);
    if (seen) seen.locations.push(locationOf(d));
    else requests.set(key, req);
  }
  return { requests: [...requests.values()], nonRegistry };
}

export function nonRegistryResult(dep: ExtractedDependency, engine: Engine): PackageResult {
  const eco = getEcosystem(dep.ecosystem)!;
  // A git URL or path is shown as written, but never with the credentials it may carry.
  const spec = excerpt(dep.spec ?? dep.version ?? dep.name, MAX_REASON_CHARS);
  const name = excerpt(dep.name, MAX_REASON_CHARS);
  const findings = [finding("not-a-registry-package", { kind: dep.source, spec })];
  if (dep.lock) for (const f of lockfileFindings(name, [dep.lock], allowedLockfileHosts(engine, eco.id), dep.source === "git")) findings.push(f);
  const decision = decide(engine.policy, eco.id, name, findings);
  return {
    purl: eco.toPurl(eco.canonicalName(name), null),
    ecosystem: eco.id,
    name,
    version: dep.spec === undefined && dep.version === null ? null : spec,
    verdict: decision.verdict,
    findings: decision.findings,
    didYouMean: [],
    locations: [locationOf(dep)],
  };
}

/** Scans files, folders and text; returns the report (SPEC JSON shape). */
export async function scan(input: ScanInput, engine: Engine): Promise<Report> {
  const gathered = gather(input);
  const { requests, nonRegistry } = toRequests(gathered.dependencies, gathered.local, input.privateScopes, gathered.localImports);
  const results = await checkPackages(requests, engine);
  for (const { dep } of nonRegistry) results.push(nonRegistryResult(dep, engine));
  return buildReport(results, gathered.notEvaluated, engine.notices);
}

/** Scans one text (an AI answer, a snippet) named `file`: its format follows the name, else free text. */
export async function scanText(text: string, file: string, engine: Engine): Promise<Report> {
  return scan({ cwd: "/", paths: [], stdin: { text, name: file } }, engine);
}
