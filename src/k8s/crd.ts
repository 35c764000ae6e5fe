// Custom resources checked against the CustomResourceDefinitions found among the scanned manifests:
// their openAPIV3Schema (a structural schema: properties, types, required, enum, items,
// additionalProperties, x-kubernetes-* extensions). No CRD in the tree: not evaluated, as before.
import { MESSAGES } from "./format.ts";
import { formatPath, type Path, shape, suggestField } from "./schema.ts";
import type { K8sFinding } from "./types.ts";
import { isRecord } from "../core/guards.ts";

type Schema = Record<string, unknown>;

/** "group/version Kind" -> schema (null: served without a schema), and the versions each group+kind serves. */
export interface CrdCatalog {
  schemas: Map<string, Schema | null>;
  versions: Map<string, string[]>;
}

export const emptyCatalog = (): CrdCatalog => ({ schemas: new Map(), versions: new Map() });

/** Adds a CRD object (apiextensions.k8s.io/v1, or the removed v1beta1 shape) to the catalog. */
export function addCrd(catalog: CrdCatalog, object: Record<string, unknown>): void {
  const spec = isRecord(object.spec) ? object.spec : undefined;
  const names = spec && isRecord(spec.names) ? spec.names : undefined;
  if (!spec || !names || typeof spec.group !== "string" || typeof names.kind !== "string") return;
  const group = spec.group;
  const kind = names.kind;
  const legacy = isRecord(spec.validation) && isRecord(spec.validation.openAPIV3Schema) ? spec.validation.openAPIV3Schema : null;
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isRecord) : typeof spec.version === "string" ? [{ name: spec.version, served: true }] : [];
  for (const v of versions) {
    if (typeof v.name !== "string" || v.served === false) continue;
    const schema = isRecord(v.schema) && isRecord(v.schema.openAPIV3Schema) ? v.schema.openAPIV3Schema : legacy;
    catalog.schemas.set(`${group}/${v.name} ${kind}`, schema);
    const key = `${group} ${kind}`;
    catalog.versions.set(key, [...(catalog.versions.get(key) ?? []), v.name]);
  }
}

const TYPE_CHECK: Record<string, (v: unknown) => boolean> = {
  object: isRecord,
  array: Array.isArray,
  string: (v) => typeof v === "string",
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === "number",
  boolean: (v) => typeof v === "boolean",
};
const TYPE_NAME: Record<string, string> = { object: "a mapping", array: "a list", string: "a string", integer: "an integer", number: "a number", boolean: "true or false" };

/** Findings for a custom resource against its CRD schema; apiVersion, kind and metadata are the API server's. */
export function checkCustomResource(object: Record<string, unknown>, kind: string, schema: Schema, lineAt: (path: Path) => number | undefined): K8sFinding[] {
  const findings: K8sFinding[] = [];
  const at = (path: Path) => ({ path: formatPath(path), line: lineAt(path) });
  const walk = (v: unknown, s: Schema, path: Path, root: boolean): void => {
    if (v === null || v === undefined) return;
    if (s["x-kubernetes-int-or-string"] === true) {
      if (typeof v !== "string" && !Number.isInteger(v)) findings.push({ code: "invalid-type", severity: "error", message: MESSAGES.invalidType("an integer or a string", shape(v)), ...at(path) });
      return;
    }
    const type = typeof s.type === "string" ? s.type : undefined;
    if (type && TYPE_CHECK[type] && !TYPE_CHECK[type](v)) {
      findings.push({ code: "invalid-type", severity: "error", message: MESSAGES.invalidType(TYPE_NAME[type]!, shape(v)), ...at(path) });
      return;
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => e === v)) {
      const allowed = s.enum.map(String);
      const didYouMean = typeof v === "string" ? allowed.find((a) => a.toLowerCase() === v.toLowerCase()) : undefined;
      findings.push({ code: "invalid-value", severity: "error", message: MESSAGES.invalidValue(String(v), allowed), ...at(path), ...(didYouMean ? { didYouMean } : {}) });
      return;
    }
    if (Array.isArray(v)) {
      if (isRecord(s.items)) {
        const items = s.items;
        v.forEach((item, i) => {
          walk(item, items, [...path, i], false);
        });
      }
      return;
    }
    if (!isRecord(v)) return;
    const properties = isRecord(s.properties) ? s.properties : undefined;
    const open = s["x-kubernetes-preserve-unknown-fields"] === true || s["x-kubernetes-embedded-resource"] === true;
    for (const [k, item] of Object.entries(v)) {
      if (root && (k === "apiVersion" || k === "kind" || k === "metadata")) continue;
      const sub = properties?.[k];
      if (isRecord(sub)) walk(item, sub, [...path, k], false);
      else if (isRecord(s.additionalProperties)) walk(item, s.additionalProperties, [...path, k], false);
      else if (properties && !open && s.additionalProperties !== true) {
        const didYouMean = suggestField(k, Object.keys(properties));
        const where = path.length ? `${kind} ${formatPath(path)}` : kind;
        findings.push({ code: "unknown-field", severity: "error", message: MESSAGES.unknownCrdField(k, where), ...at([...path, k]), ...(didYouMean ? { didYouMean } : {}) });
      }
    }
    if (Array.isArray(s.required)) {
      for (const r of s.required) {
        if (typeof r === "string" && (v[r] === undefined || v[r] === null)) {
          findings.push({ code: "missing-required-field", severity: "error", message: MESSAGES.missingRequired(r), path: formatPath([...path, r]), line: lineAt(path) });
        }
      }
    }
  };
  walk(object, schema, [], true);
  return findings;
}
