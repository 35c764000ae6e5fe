// tsconfig.json / jsconfig.json: module names the compiler resolves inside the project (`paths`
// aliases, and modules under `baseUrl`), which imports may use and no registry package provides.
import type { ModuleAliases } from "../../types.ts";
import { parseJson } from "../../../formats/json.ts";
import { isRecord } from "../../../core/guards.ts";

export const isTsconfig = (file: string): boolean => /(^|[\\/])(tsconfig(\.[\w-]+)?|jsconfig)\.json$/.test(file);

/** The aliases a config declares; null when it declares none or cannot be read (`extends` is not followed). */
export function tsconfigAliases(text: string): ModuleAliases | null {
  let value: unknown;
  try {
    value = parseJson(text, { jsonc: true }).value;
  } catch {
    return null;
  }
  const options = isRecord(value) && isRecord(value.compilerOptions) ? value.compilerOptions : null;
  if (!options) return null;
  const aliases: ModuleAliases = { exact: [], prefixes: [], baseUrl: typeof options.baseUrl === "string" ? options.baseUrl : null };
  for (const key of isRecord(options.paths) ? Object.keys(options.paths) : []) {
    const star = key.indexOf("*");
    if (star < 0) aliases.exact.push(key);
    else if (star > 0) aliases.prefixes.push(key.slice(0, star)); // "*" alone would hide every import
  }
  return aliases.exact.length || aliases.prefixes.length || aliases.baseUrl !== null ? aliases : null;
}
