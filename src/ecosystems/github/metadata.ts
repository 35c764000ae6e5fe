// action.yml text -> the compact metadata the rules read (the same shape the shipped index holds).
import { yamlLibrary as yaml } from "../../formats/yaml.ts";
import type { CompactMeta } from "./data.ts";

const MAX_INPUTS = 500;
const asString = (v: unknown): string | null => (v === null || v === undefined || v === "" ? null : typeof v === "object" ? JSON.stringify(v) : String(v));
const isTrue = (v: unknown): boolean => v === true || (typeof v === "string" && /^(true|yes|on)$/i.test(v));

/** Parses an action.yml; a file that is not YAML or not a mapping gives `error`. */
export function parseActionMetadata(text: string): CompactMeta {
  let doc: unknown;
  try {
    doc = yaml().parse(text, { logLevel: "error", maxAliasCount: 100 });
  } catch {
    return { using: null, inputs: {}, error: true };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { using: null, inputs: {}, error: true };
  const record = doc as Record<string, unknown>;
  const runs = record.runs as Record<string, unknown> | undefined;
  const inputs: CompactMeta["inputs"] = {};
  const declared = record.inputs;
  if (typeof declared === "object" && declared !== null && !Array.isArray(declared)) {
    for (const [name, spec] of Object.entries(declared).slice(0, MAX_INPUTS)) {
      const s = (typeof spec === "object" && spec !== null ? spec : {}) as Record<string, unknown>;
      const entry: CompactMeta["inputs"][string] = [isTrue(s.required) ? 1 : 0, asString(s.default)];
      const deprecation = asString(s.deprecationMessage);
      if (deprecation) entry.push(deprecation.slice(0, 200));
      inputs[name] = entry;
    }
  }
  const out: CompactMeta = { using: typeof runs === "object" && runs !== null ? asString(runs.using) : null, inputs };
  if (typeof runs !== "object" || runs === null) out.noRuns = true;
  const outputs = record.outputs;
  if (typeof outputs === "object" && outputs !== null && !Array.isArray(outputs)) out.outputs = Object.keys(outputs).slice(0, MAX_INPUTS);
  return out;
}
