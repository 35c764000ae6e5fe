// Python import names and the PyPI distributions behind them, over the shipped data that
// scripts/generate-python-data.ts writes: data/python-import-names.tsv (pipreqs' mapping,
// Apache-2.0) and data/python-stdlib.txt (sys.stdlib_module_names). Loaded once, on first use.
import { readFileSync } from "node:fs";
import { normalizePypiName } from "./names.ts";

interface ImportData {
  /** Import name (case as written) -> distributions, in the data's order. */
  distributions: Map<string, string[]>;
  /** PEP 503 form of an import name -> the import names that have it. */
  byNormalName: Map<string, string[]>;
  stdlib: Set<string>;
  pythonVersion: string;
}

let loaded: ImportData | undefined;

function dataFile(name: string): string {
  const url = new URL(`../../../data/${name}`, import.meta.url);
  try {
    return readFileSync(url, "utf8");
  } catch (error) {
    throw new Error(`Bouncer's data file ${name} is missing or unreadable (${(error as Error).message}); reinstall Bouncer`);
  }
}

function load(): ImportData {
  if (loaded) return loaded;
  const distributions = new Map<string, string[]>();
  const byNormalName = new Map<string, string[]>();
  for (const line of dataFile("python-import-names.tsv").split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const [name, dists] = line.split("\t");
    if (!name || !dists) continue;
    distributions.set(name, dists.split(","));
    const key = normalizePypiName(name);
    byNormalName.set(key, [...(byNormalName.get(key) ?? []), name]);
  }
  const stdlibText = dataFile("python-stdlib.txt");
  const pythonVersion = /^# Python (\S+)/.exec(stdlibText)?.[1] ?? "unknown";
  const stdlib = new Set(stdlibText.split("\n").filter((l) => l && !l.startsWith("#")));
  loaded = { distributions, byNormalName, stdlib, pythonVersion };
  return loaded;
}

function topLevel(module: string): string {
  return module.trim().split(".")[0] ?? "";
}

/** Whether the (top-level part of the) module belongs to the standard library. */
export function isStdlib(module: string): boolean {
  return typeof module === "string" && load().stdlib.has(topLevel(module));
}

/** The Python version whose standard library list is shipped. */
export function stdlibPythonVersion(): string {
  return load().pythonVersion;
}

/**
 * The distributions that provide an import (`yaml` -> ["PyYAML"]); for a dotted import of a
 * namespace (`azure.storage`), the one whose name matches the dotted path when there is one.
 * Without a mapping, the import name itself is the likely distribution.
 */
export function distributionsForImport(importName: string): string[] {
  if (typeof importName !== "string") return [];
  const name = importName.trim();
  const top = topLevel(name);
  if (!top) return [];
  const dists = load().distributions.get(top);
  if (!dists) return [top];
  const parts = name.split(".");
  for (let n = parts.length; n > 1; n--) {
    const wanted = normalizePypiName(parts.slice(0, n).join("."));
    const match = dists.find((d) => normalizePypiName(d) === wanted);
    if (match) return [match];
  }
  return [...dists];
}

/**
 * For `pip install <installName>` where installName is an import name whose distribution has
 * another name (`yaml` -> PyYAML, `sklearn` -> scikit-learn, `cv2` -> opencv-python, `PIL` ->
 * Pillow): the distribution meant. Null when the name is also the distribution (PEP 503), when it
 * is not a known import name, and for namespaces whose many distributions all extend the name.
 */
export function importNameMismatch(installName: string): { distribution: string } | null {
  if (typeof installName !== "string") return null;
  const key = normalizePypiName(installName.trim());
  const data = load();
  const imports = data.byNormalName.get(key);
  if (!imports) return null;
  const dists = [...new Set(imports.flatMap((i) => data.distributions.get(i) ?? []))];
  if (dists.length === 0 || dists.some((d) => normalizePypiName(d) === key)) return null;
  if (dists.length > 1 && dists.every((d) => normalizePypiName(d).startsWith(`${key}-`))) return null;
  return { distribution: dists[0]! };
}

/** Import names as aliases of their distributions, so a misspelled import suggests the package. */
export const importAliases = (): Array<[string, string]> =>
  [...load().distributions].flatMap(([name, dists]) => dists.map((d): [string, string] => [name, normalizePypiName(d)]));
