// Name intelligence over one ecosystem's popular names: the name table and the three searches that
// read it (typosquats, invented-name patterns, suggestions), behind the NameIntel interface.
import type { PackageFacts } from "../core/model.ts";
import type { SuspiciousNameMatch, TyposquatMatch } from "../core/signals.ts";
import { type IndexStore, MAX_SEARCH_LENGTH, type NameIntelOptions, NameTable } from "./names.ts";
import { createSuggester, type Suggester } from "./suggest.ts";
import { SuspiciousSearch } from "./suspicious.ts";
import { TyposquatSearch } from "./typosquat.ts";
import type { PopularList } from "../core/model.ts";
import type { NameIntel } from "./types.ts";

export { type Aliases, type IndexStore, MAX_SEARCH_LENGTH, type NameIntelOptions, type ScopeParts } from "./names.ts";

export function createNameIntel(popular: PopularList, options: NameIntelOptions, store?: IndexStore): NameIntel {
  return new PopularNames(new NameTable(popular, options, store));
}

/** Takes each name as asked (too long, empty, not canonical, popular) and hands the rest to the searches. */
class PopularNames implements NameIntel {
  private readonly table: NameTable;
  private readonly typosquats: TyposquatSearch;
  /** Built at the first name that is not popular (its tables cost more than a popular name's answers). */
  private suspicions: SuspiciousSearch | null = null;
  /** Built at the first suggestion: most runs never ask for one. */
  private suggester: Suggester | null = null;

  constructor(table: NameTable) {
    this.table = table;
    this.typosquats = new TyposquatSearch(table);
  }

  /** The canonical form of a name worth searching for, or "" (too long for any registry, or empty). */
  private searchable(raw: string): string {
    return raw.length > MAX_SEARCH_LENGTH ? "" : this.table.canonical(raw);
  }

  isPopular(raw: string): boolean {
    return this.table.has(this.table.canonical(raw));
  }

  typosquat(raw: string, facts: PackageFacts): TyposquatMatch | null {
    const name = this.searchable(raw);
    return !name || this.table.has(name) ? null : this.typosquats.typosquat(name, facts);
  }

  suspicious(raw: string): SuspiciousNameMatch | null {
    const name = this.searchable(raw);
    if (!name || this.table.has(name)) return null;
    this.suspicions ??= new SuspiciousSearch(this.table);
    return this.suspicions.suspicious(name);
  }

  suggest(raw: string, limit = 5): string[] {
    const name = this.searchable(raw);
    if (!name || limit <= 0) return [];
    // A popular name means itself: any other answer would be a look-alike of a real package.
    if (this.table.has(name)) return [name];
    this.suggester ??= createSuggester(this.table, this.typosquats);
    return this.suggester.suggest(name, limit);
  }
}
