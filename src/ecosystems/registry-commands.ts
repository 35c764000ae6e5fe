// Reading the registry settings a command line chooses (each ecosystem's registry-config.ts names
// its tools, options and keys): options with their values, and `config set` of a key.

/** Where installers are told to fetch from: `.npmrc`'s `registry=`, pip's `index-url`, and the like. */
export interface RegistryConfigFiles {
  /** Whether the file is one of them (by its path). */
  matches(file: string): boolean;
  /** Its settings that choose a registry or index, one normalized string each ("registry=https://…"). */
  settings(text: string, file: string): string[];
  /**
   * The settings a command's words choose, one normalized string each ("--registry=https://…"): the
   * installers' registry options, and their `config set` of a registry key (which writes the user's
   * configuration).
   */
  commandSettings(argv: readonly string[]): string[];
  /** Whether an environment variable chooses where the installers fetch from (npm_config_registry, PIP_INDEX_URL). */
  isRegistryVariable(name: string): boolean;
}

/** Each option in `argv` from `start` that `isOption` names, with its value ("--registry=URL"); `--opt value` and `--opt=value` alike. */
export function optionSettings(argv: readonly string[], start: number, isOption: (name: string) => boolean): string[] {
  const out: string[] = [];
  for (let k = start; k < argv.length; k++) {
    const word = argv[k]!;
    if (word === "--") break;
    const eq = word.indexOf("=");
    const name = eq > 0 ? word.slice(0, eq) : word;
    if (!name.startsWith("-") || !isOption(name)) continue;
    const value = eq > 0 ? word.slice(eq + 1) : argv[++k];
    out.push(`${name}=${value ?? ""}`);
  }
  return out;
}

/**
 * `config set KEY VALUE` (or `KEY=VALUE`) at `argv[start]` onwards, options skipped: "KEY=VALUE" when
 * `isKey(KEY)`. `verbs` are the words that introduce it (["config", "set"], or ["set"]).
 */
export function configSetSettings(argv: readonly string[], start: number, verbs: readonly string[], isKey: (key: string) => boolean): string[] {
  const words = argv.slice(start).filter((w) => !w.startsWith("-"));
  if (verbs.some((v, i) => words[i] !== v)) return [];
  const out: string[] = [];
  const rest = words.slice(verbs.length);
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]!;
    const eq = word.indexOf("=");
    const [key, value] = eq > 0 ? [word.slice(0, eq), word.slice(eq + 1)] : [word, rest[++i] ?? ""];
    if (isKey(key)) out.push(`${key}=${value}`);
  }
  return out;
}
