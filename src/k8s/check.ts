// `bouncer k8s`: manifests -> one result per object (API version, schema, security, flags), and what
// could not be evaluated. No IO: the door reads files and data.
import type { Verdict } from "../core/findings.ts";
import { addCrd, type CrdCatalog, checkCustomResource, emptyCatalog } from "./crd.ts";
import { checkFlags } from "./flags.ts";
import { MESSAGES } from "./format.ts";
import { checkFields, suggestField } from "./schema.ts";
import { checkSecurity } from "./security.ts";
import type { ApiRow, FieldIndex, K8sData, K8sFinding, K8sReport, NotEvaluated, ObjectResult, ParsedDocument } from "./types.ts";
import { atOrBefore, indexFor, versionRank } from "./versions.ts";
import { groupOf, podSpecOf } from "./workloads.ts";
import { parseManifests } from "./yaml.ts";
import { isRecord } from "../core/guards.ts";

export interface ManifestFile {
  file: string;
  text: string;
  /** Why the file could not be read (it is then listed as not evaluated). */
  unreadable?: string;
  /** A Helm chart's Chart.yaml, values or other file outside templates/: not a manifest, listed as not evaluated. */
  chartFile?: boolean;
}

interface Context {
  data: K8sData;
  version: string;
  index: FieldIndex;
  builtinGroups: Set<string>;
  crds: CrdCatalog;
}

export function verdictOf(findings: readonly K8sFinding[]): Verdict {
  if (findings.some((f) => f.severity === "error")) return "block";
  return findings.some((f) => f.severity === "warning") ? "warn" : "allow";
}

/**
 * What to move to from a removed or deprecated API at the target: the replacement chain is followed
 * past versions that are themselves deprecated or removed there (flowcontrol v1beta1 -> v1beta3 -> v1),
 * and ends in advice when no API replaces it (PodSecurityPolicy). Bounded by the rows seen.
 */
function replacementFor(row: ApiRow, apis: readonly ApiRow[], version: string): { api: string | null; advice?: string } {
  const seen = new Set<string>([row[0]]);
  let api = row[4];
  if (!api) return row[5] ? { api: null, advice: row[5] } : { api: null };
  while (!seen.has(api)) {
    seen.add(api);
    const next = apis.find((r) => r[0] === api && r[1] === row[1]);
    if (!next) break;
    const [, , deprecatedIn, removedIn, further, advice] = next;
    const removed = removedIn !== null && atOrBefore(removedIn, version);
    if (!removed && !(deprecatedIn && atOrBefore(deprecatedIn, version))) break;
    if (further) api = further;
    else if (removed) return advice ? { api: null, advice } : { api: null };
    else break;
  }
  return { api };
}

/** API version and kind: removed, deprecated, misplaced, or unknown; and the schema to check fields against. */
function checkApi(apiVersion: string, kind: string, ctx: Context): { findings: K8sFinding[]; schema?: { index: FieldIndex; root: string } } {
  const findings: K8sFinding[] = [];
  const row = ctx.data.apis.find((r) => r[0] === apiVersion && r[1] === kind);
  if (row) {
    const [, , deprecatedIn, removedIn] = row;
    const { api: replacement, advice } = replacementFor(row, ctx.data.apis, ctx.version);
    const extra = replacement ? { replacement } : {};
    const instead = replacement ?? advice ?? null;
    if (removedIn && atOrBefore(removedIn, ctx.version)) {
      findings.push({ code: "api-removed", severity: "error", message: MESSAGES.apiRemoved(apiVersion, kind, removedIn, instead), path: "apiVersion", ...extra });
      return { findings };
    }
    if (deprecatedIn && atOrBefore(deprecatedIn, ctx.version)) {
      findings.push({
        code: "api-deprecated",
        severity: "warning",
        message: MESSAGES.apiDeprecated(apiVersion, kind, deprecatedIn, removedIn, instead),
        path: "apiVersion",
        ...extra,
      });
    }
  }
  const key = `${apiVersion} ${kind}`;
  const root = ctx.index.kinds[key];
  if (root) return { findings, schema: { index: ctx.index, root } };
  // Between two indexes: a kind added after the index below the target is checked with the next one.
  const later = ctx.data.indexes
    .filter((i) => versionRank(i.version) > versionRank(ctx.index.version) && i.kinds[key])
    .sort((a, b) => versionRank(a.version) - versionRank(b.version))[0];
  if (later && versionRank(later.version) > versionRank(ctx.version)) {
    findings.push({ code: "api-unverified", severity: "warning", message: MESSAGES.apiUnverified(apiVersion, kind, ctx.index.version, later.version), path: "apiVersion" });
    return { findings, schema: { index: later, root: later.kinds[key]! } };
  }
  const elsewhere = Object.keys(ctx.index.kinds)
    .filter((k) => k.endsWith(` ${kind}`))
    .map((k) => k.slice(0, -kind.length - 1));
  if (elsewhere.length) {
    findings.push({
      code: "unknown-kind",
      severity: "error",
      message: MESSAGES.kindElsewhere(kind, elsewhere, ctx.version),
      path: "apiVersion",
      replacement: elsewhere[0]!,
    });
  } else {
    const kinds = [...new Set(Object.keys(ctx.index.kinds).map((k) => k.slice(k.indexOf(" ") + 1)))];
    const didYouMean = suggestField(kind, kinds);
    findings.push({
      code: "unknown-kind",
      severity: "error",
      message: MESSAGES.kindUnknown(apiVersion, kind, ctx.version),
      path: "kind",
      ...(didYouMean ? { didYouMean } : {}),
    });
  }
  return { findings };
}

function describe(value: unknown): string {
  return Array.isArray(value) ? "a list" : value === null ? "null" : typeof value;
}

interface Sinks {
  results: ObjectResult[];
  notEvaluated: NotEvaluated[];
}

// Keys in the documented order: verdict before findings.
const addResult = (out: Sinks, r: Omit<ObjectResult, "verdict">) =>
  out.results.push({ file: r.file, line: r.line, apiVersion: r.apiVersion, kind: r.kind, name: r.name, verdict: verdictOf(r.findings), findings: r.findings });

function checkDocument(file: string, doc: ParsedDocument, ctx: Context, out: Sinks): void {
  if (doc.error) {
    const line = doc.error.line;
    const message = MESSAGES.invalidYaml(doc.error.message.replace(/:$/, ""));
    addResult(out, { file, line, apiVersion: null, kind: null, name: null, findings: [{ code: "invalid-yaml", severity: "error", message, line }] });
    return;
  }
  if (doc.value !== null && doc.value !== undefined) checkObject(file, doc.value, doc.line, doc.lineAt, ctx, out);
}

function checkObject(file: string, value: unknown, start: number, lineAt: ParsedDocument["lineAt"], ctx: Context, out: Sinks): void {
  if (!isRecord(value)) {
    const findings: K8sFinding[] = [{ code: "not-an-object", severity: "error", message: MESSAGES.notAnObject(describe(value)) }];
    addResult(out, { file, line: start, apiVersion: null, kind: null, name: null, findings });
    return;
  }
  const apiVersion = typeof value.apiVersion === "string" ? value.apiVersion : null;
  const kind = typeof value.kind === "string" ? value.kind : null;
  const metadata = isRecord(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === "string" ? metadata.name : null;
  const line = lineAt(["kind"]) ?? start;
  if (!apiVersion && !kind) {
    out.notEvaluated.push({ file, line: start, reason: MESSAGES.notKubernetes() });
    return;
  }
  if (!apiVersion || !kind) {
    const code = apiVersion ? "missing-kind" : "missing-api-version";
    const message = apiVersion ? MESSAGES.missingKind() : MESSAGES.missingApiVersion();
    addResult(out, { file, line, apiVersion, kind, name, findings: [{ code, severity: "error", message }] });
    return;
  }
  // `kubectl get -o yaml` writes a v1 List: each item is an object of its own.
  if (apiVersion === "v1" && kind === "List" && Array.isArray(value.items)) {
    value.items.forEach((item, i) => {
      checkObject(file, item, lineAt(["items", i]) ?? start, (p) => lineAt(["items", i, ...p]), ctx, out);
    });
    return;
  }
  const builtin = ctx.builtinGroups.has(groupOf(apiVersion));
  const findings: K8sFinding[] = [];
  if (builtin) {
    const api = checkApi(apiVersion, kind, ctx);
    for (const f of api.findings) findings.push({ ...f, line: lineAt([f.path ?? "apiVersion"]) });
    if (api.schema) findings.push(...checkFields(value, api.schema.root, api.schema.index, lineAt));
  }
  findings.push(...checkSecurity(value, apiVersion, kind, lineAt));
  findings.push(...checkFlags(value, apiVersion, kind, podSpecOf(value, apiVersion, kind), ctx.data, ctx.version, lineAt));
  if (!builtin) {
    const crdKey = `${groupOf(apiVersion)} ${kind}`;
    const schema = ctx.crds.schemas.get(`${apiVersion} ${kind}`);
    const served = ctx.crds.versions.get(crdKey);
    if (schema) findings.push(...checkCustomResource(value, kind, schema, lineAt));
    else if (served && schema === undefined) {
      findings.push({ code: "unknown-kind", severity: "error", message: MESSAGES.crdVersionMissing(apiVersion, kind, served), path: "apiVersion", line: lineAt(["apiVersion"]) });
    } else {
      // Never clean: the API and schema of a custom resource are unknown here.
      out.notEvaluated.push({ file, line, reason: MESSAGES.customResource(apiVersion, kind) });
      if (!findings.length) return;
    }
  }
  addResult(out, { file, line, apiVersion, kind, name, findings });
}

export interface CheckOptions {
  /** MAJOR.MINOR, already checked to be supported. */
  version: string;
  /** The version was not given and the newest supported one was assumed. */
  defaultVersion?: boolean;
}

export function checkManifests(files: readonly ManifestFile[], data: K8sData, options: CheckOptions): K8sReport {
  const index = indexFor(options.version, data);
  const builtinGroups = new Set<string>();
  for (const i of data.indexes) for (const k of Object.keys(i.kinds)) builtinGroups.add(groupOf(k.slice(0, k.indexOf(" "))));
  for (const r of data.apis) builtinGroups.add(groupOf(r[0]));
  const ctx: Context = { data, version: options.version, index, builtinGroups, crds: emptyCatalog() };
  const results: ObjectResult[] = [];
  const notEvaluated: NotEvaluated[] = [];
  // Parsed once; CRDs anywhere in the input are known before any custom resource is checked.
  const parsed: Array<{ file: string; docs: ParsedDocument[] }> = [];
  for (const { file, text, unreadable, chartFile } of files) {
    if (unreadable !== undefined) {
      notEvaluated.push({ file, reason: MESSAGES.unreadable(unreadable) });
      continue;
    }
    if (chartFile) {
      notEvaluated.push({ file, reason: MESSAGES.chartFile() });
      continue;
    }
    const docs = parseManifests(text);
    // Helm charts and other templates are not YAML until rendered.
    if (docs.some((d) => d.error) && /\{\{.*\}\}/.test(text)) {
      notEvaluated.push({ file, reason: MESSAGES.template() });
      continue;
    }
    parsed.push({ file, docs });
    for (const { value } of docs) {
      if (isRecord(value) && value.kind === "CustomResourceDefinition" && typeof value.apiVersion === "string" && value.apiVersion.startsWith("apiextensions.k8s.io/")) addCrd(ctx.crds, value);
    }
  }
  for (const { file, docs } of parsed) for (const doc of docs) checkDocument(file, doc, ctx, { results, notEvaluated });
  const summary: Record<Verdict, number> = { allow: 0, warn: 0, block: 0 };
  for (const r of results) summary[r.verdict]++;
  return {
    schemaVersion: 1,
    k8sVersion: options.version,
    fieldIndexVersion: index.version,
    defaultVersion: options.defaultVersion ?? false,
    results,
    notEvaluated,
    summary,
  };
}
