// The invented-name search: a popular name with generic words around it ("fastapi-secure-auth-extension").
import type { SuspiciousNameMatch } from "../core/signals.ts";
import type { NameTable } from "./names.ts";
import { StringTable } from "./tables.ts";

export class SuspiciousSearch {
  private readonly table: NameTable;
  /** Tables, not sets: a token is looked up where it stands in the name, without slicing it out. */
  private readonly genericPrefixes: StringTable;
  private readonly genericSuffixes: StringTable;
  /** Token boundaries, reused from call to call. */
  private bounds: Uint32Array = new Uint32Array(64);

  constructor(table: NameTable) {
    this.table = table;
    this.genericPrefixes = StringTable.build(new Set(table.options.genericPrefixes));
    this.genericSuffixes = StringTable.build(new Set(table.options.genericSuffixes));
  }

  /** A popular name plus generic words (see NameIntel.suspicious), for a canonical, unpopular `name`. */
  suspicious(name: string): SuspiciousNameMatch | null {
    const scope = this.table.scopeLength(name);
    const bareStart = scope ? scope + 1 : 0;
    // Tokens are the runs between separators: token t spans [bounds[t], bounds[t + 1] - 1) of the name.
    if (this.bounds.length < name.length + 2) this.bounds = new Uint32Array(2 * name.length + 2);
    const bounds = this.bounds;
    bounds[0] = bareStart;
    let tokens = 1;
    for (let i = bareStart; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (c === 45 || c === 95 || c === 46) bounds[tokens++] = i + 1;
    }
    if (tokens < 2) return null;
    bounds[tokens] = name.length + 1;
    const prefixes = this.genericPrefixes;
    const suffixes = this.genericSuffixes;
    let leading = 0;
    while (leading < tokens - 1 && prefixes.has(name, bounds[leading]!, bounds[leading + 1]! - 1)) leading++;
    let trailing = 0;
    while (trailing < tokens - 1 && suffixes.has(name, bounds[tokens - 1 - trailing]!, bounds[tokens - trailing]! - 1)) trailing++;
    if (leading === 0 && trailing === 0) return null;
    // Longest popular base: strip as few generic words as possible.
    let foundId = -1;
    let foundP = 0;
    let foundS = 0;
    for (let stripped = 1; stripped < tokens && foundId < 0; stripped++) {
      for (let p = Math.min(leading, stripped); p >= 0; p--) {
        const s = stripped - p;
        if (s > trailing || p + s >= tokens) continue;
        const start = bounds[p]!;
        const end = bounds[tokens - s]! - 1;
        if (end - start < 3 || (!scope && (prefixes.has(name, start, end) || suffixes.has(name, start, end)))) continue;
        const id = this.table.idOf(name.slice(0, bareStart) + name.slice(start, end));
        if (id >= 0 && (foundId < 0 || this.table.weights[id]! > this.table.weights[foundId]!)) {
          foundId = id;
          foundP = p;
          foundS = s;
        }
      }
    }
    if (foundId < 0) return null;
    return foundS > 0
      ? { base: this.table.names[foundId]!, affix: name.slice(bounds[tokens - foundS]! - 1), position: "suffix" }
      : { base: this.table.names[foundId]!, affix: name.slice(bareStart, bounds[foundP]!), position: "prefix" };
  }
}
