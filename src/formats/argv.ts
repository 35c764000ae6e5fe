// The argument grammar engine of command-line tools: option spelling tables, and argv read into
// options and operands by such a table (optparse-style clusters when the tool allows them).
// The installers' tables and what their operands mean live with each ecosystem.

/** One option spelling table: "r|requirement" means -r and --requirement, canonical "requirement". */
export interface Grammar {
  values: Map<string, string>;
  flags: Map<string, string>;
  /** optparse style: short flags cluster (-Ur file) and take attached values (-rfile). */
  clusters: boolean;
}

export function grammar(values: string[], flags: string[], clusters = false): Grammar {
  return { values: spellings(values), flags: spellings(flags), clusters };
}

function spellings(entries: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const names = entry.split("|");
    const canonical = names.reduce((a, b) => (b.length > a.length ? b : a));
    for (const n of names) map.set(n.length === 1 ? `-${n}` : `--${n}`, canonical);
  }
  return map;
}

export function merge(...grammars: Grammar[]): Grammar {
  const out = grammar([], [], grammars.some((g) => g.clusters));
  for (const g of grammars) {
    for (const [k, v] of g.values) out.values.set(k, v);
    for (const [k, v] of g.flags) out.flags.set(k, v);
  }
  return out;
}

export interface Parsed {
  /** Positional operands with their argv index. */
  positionals: Array<{ text: string; index: number }>;
  options: Record<string, string[] | true>;
  /** Option values in argv order, with the argv index of the value. */
  valued: Array<{ key: string; value: string; index: number }>;
}

/**
 * Reads options and operands from argv[from..]. With `stopAfter` set, parsing stops after that many
 * positionals (the rest belongs to the program being run). Unknown options are taken as flags.
 */
export function parseArgv(argv: readonly string[], from: number, g: Grammar, stopAfter = Number.POSITIVE_INFINITY): Parsed {
  // No prototype: option names come from the command line ("--__proto__=x").
  const parsed: Parsed = { positionals: [], options: Object.create(null) as Parsed["options"], valued: [] };
  const setValue = (key: string, value: string, index: number) => {
    const list = parsed.options[key];
    if (Array.isArray(list)) list.push(value);
    else parsed.options[key] = [value];
    parsed.valued.push({ key, value, index });
  };
  const setFlag = (key: string) => {
    if (!Array.isArray(parsed.options[key])) parsed.options[key] = true;
  };
  let k = from;
  for (; k < argv.length; k++) {
    if (parsed.positionals.length >= stopAfter) break;
    const a = argv[k]!;
    if (a === "--") {
      // Everything after "--" is an operand.
      for (k++; k < argv.length && parsed.positionals.length < stopAfter; k++) parsed.positionals.push({ text: argv[k]!, index: k });
      break;
    }
    if (a.startsWith("--") && a.length > 2) {
      const eq = a.indexOf("=");
      const opt = eq >= 0 ? a.slice(0, eq) : a;
      const valueKey = g.values.get(opt);
      if (eq >= 0) setValue(valueKey ?? g.flags.get(opt) ?? opt.slice(2), a.slice(eq + 1), k);
      else if (valueKey !== undefined) {
        if (k + 1 < argv.length) setValue(valueKey, argv[k + 1]!, k + 1);
        k++;
      } else setFlag(g.flags.get(opt) ?? opt.slice(2));
      continue;
    }
    if (a.startsWith("-") && a.length > 1) {
      const exactValue = g.values.get(a);
      if (exactValue !== undefined) {
        if (k + 1 < argv.length) setValue(exactValue, argv[k + 1]!, k + 1);
        k++;
        continue;
      }
      const exactFlag = g.flags.get(a);
      if (exactFlag !== undefined || !g.clusters) {
        // npm-style "-w=x" and unknown short options are flags.
        const eq = a.indexOf("=");
        if (eq > 0 && g.values.has(a.slice(0, eq))) setValue(g.values.get(a.slice(0, eq))!, a.slice(eq + 1), k);
        else setFlag(exactFlag ?? a.slice(1));
        continue;
      }
      // optparse cluster: -Uq, -Ur file, -rfile
      for (let c = 1; c < a.length; c++) {
        const short = `-${a[c]}`;
        const vk = g.values.get(short);
        if (vk !== undefined) {
          const attached = a.slice(c + 1).replace(/^=/, "");
          if (attached) setValue(vk, attached, k);
          else {
            if (k + 1 < argv.length) setValue(vk, argv[k + 1]!, k + 1);
            k++;
          }
          break;
        }
        setFlag(g.flags.get(short) ?? a[c]!);
      }
      continue;
    }
    parsed.positionals.push({ text: a, index: k });
  }
  return parsed;
}

export function optionValues(p: Parsed, ...keys: string[]): Array<{ value: string; index: number }> {
  return p.valued.filter((v) => keys.includes(v.key)).map((v) => ({ value: v.value, index: v.index }));
}

export function hasOption(p: Parsed, ...keys: string[]): boolean {
  return keys.some((key) => p.options[key] !== undefined);
}

/** Finds the subcommand after global options; returns it and the index after it. */
export function subcommandAt(argv: readonly string[], from: number, g: Grammar): { sub: string; next: number } | null {
  let k = from;
  while (k < argv.length) {
    const a = argv[k]!;
    if (!a.startsWith("-") || a === "-") return { sub: a, next: k + 1 };
    if (a === "--") return null;
    k += !a.includes("=") && g.values.has(a) ? 2 : 1;
  }
  return null;
}

