// Walks an object along the field index's types: fields that do not exist (with a did-you-mean
// among the type's real fields), values of the wrong shape, and missing required fields.
import { nearestName } from "../similarity/edits.ts";
import { MESSAGES } from "./format.ts";
import type { FieldIndex, FieldType, K8sFinding } from "./types.ts";
import { isRecord } from "../core/guards.ts";

export type Path = ReadonlyArray<string | number>;

/** spec.template.spec.containers[0].image; keys that are not identifiers in brackets. */
export function formatPath(path: Path): string {
  let out = "";
  for (const s of path) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

const ANYTHING = new Set(["any", "object", "IntOrString"]);
const TIMES = new Set(["Date", "V1MicroTime"]);


export function shape(v: unknown): string {
  if (Array.isArray(v)) return "a list";
  if (isRecord(v)) return "a mapping";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

/** The closest real field: a case-insensitive match first, then the smallest small edit distance. */
export function suggestField(field: string, candidates: readonly string[]): string | undefined {
  // A case-insensitive match is at distance 0, so it wins whatever the length allows.
  return nearestName(field, candidates, field.length <= 4 ? 1 : field.length <= 10 ? 2 : 3);
}

/** What `v` should have been when its shape does not fit `type`; undefined when it fits. */
function mismatch(v: unknown, type: string, isObjectType: boolean): string | undefined {
  if (type.startsWith("[]")) return Array.isArray(v) ? undefined : "a list";
  if (type.startsWith("map[string]") || isObjectType) return isRecord(v) ? undefined : "a mapping";
  // The API server decodes a number into a Quantity (`cpu: 1`) but rejects it in a string field
  // (`value: 8080`, a label `version: 1.2`): the generator retyped Quantities, so "string" is strict.
  if (type === "string") return typeof v === "string" ? undefined : "a string";
  if (type === "Quantity") return typeof v === "string" || typeof v === "number" ? undefined : "a quantity (a string such as 500m, or a number)";
  if (TIMES.has(type)) return typeof v === "object" ? "a string" : undefined;
  if (type === "number") return typeof v === "number" ? undefined : "a number";
  if (type === "boolean") return typeof v === "boolean" ? undefined : "true or false";
  return undefined;
}

/** Schema findings for `value` of type `root` (a type name of `index`). */
export function checkFields(value: unknown, root: string, index: FieldIndex, lineAt: (path: Path) => number | undefined): K8sFinding[] {
  const findings: K8sFinding[] = [];
  const at = (path: Path) => ({ path: formatPath(path), line: lineAt(path) });
  const walk = (v: unknown, type: string, path: Path): void => {
    if (v === null || v === undefined || ANYTHING.has(type)) return;
    const def = index.types[type];
    const expected = mismatch(v, type, def !== undefined);
    if (expected) {
      findings.push({ code: "invalid-type", severity: "error", message: MESSAGES.invalidType(expected, shape(v)), ...at(path) });
    } else if (type.startsWith("[]")) {
      (v as unknown[]).forEach((item, i) => {
        walk(item, type.slice(2), [...path, i]);
      });
    } else if (type.startsWith("map[string]")) {
      for (const [k, item] of Object.entries(v as object)) walk(item, type.slice(11), [...path, k]);
    } else if (def) checkType(v as Record<string, unknown>, type, def, path);
  };
  const checkEnum = (v: unknown, allowed: readonly string[], path: Path): void => {
    if (typeof v !== "string" || allowed.includes(v)) return;
    const didYouMean = allowed.find((a) => a.toLowerCase() === v.toLowerCase());
    findings.push({ code: "invalid-value", severity: "error", message: MESSAGES.invalidValue(v, allowed), ...at(path), ...(didYouMean ? { didYouMean } : {}) });
  };
  const checkType = (v: Record<string, unknown>, type: string, def: FieldType, path: Path): void => {
    const fields = def.f ?? {};
    const required = def.r ?? [];
    const names = Object.keys(fields);
    for (const [k, item] of Object.entries(v)) {
      const fieldType = fields[k];
      const allowed = def.e?.[k];
      if (allowed) {
        if (Array.isArray(item)) {
          item.forEach((x, i) => {
            checkEnum(x, allowed, [...path, k, i]);
          });
        }
        else checkEnum(item, allowed, [...path, k]);
      }
      if (fieldType === undefined) {
        const didYouMean = suggestField(k, names);
        findings.push({
          code: "unknown-field",
          severity: "error",
          message: MESSAGES.unknownField(k, type),
          ...at([...path, k]),
          ...(didYouMean ? { didYouMean } : {}),
        });
      } else walk(item, fieldType, [...path, k]);
    }
    for (const r of required) {
      if (v[r] === undefined || v[r] === null) {
        findings.push({ code: "missing-required-field", severity: "warning", message: MESSAGES.missingRequired(r), path: formatPath([...path, r]), line: lineAt(path) });
      }
    }
  };
  walk(value, root, []);
  return findings;
}
