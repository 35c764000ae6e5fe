// Name intelligence for one ecosystem: typosquats, invented-name patterns, suggestions.
import type { PackageFacts } from "../core/model.ts";
import type { SuspiciousNameMatch, TyposquatMatch } from "../core/signals.ts";

// Moved to the core's model; re-exported for the similarity modules that name it here.

export interface NameIntel {
  /**
   * The popular package this name most probably imitates, or null. `facts` are what is
   * known of the name itself (its own popularity keeps established packages from being flagged).
   */
  typosquat(name: string, facts: PackageFacts): TyposquatMatch | null;
  /** A popular name plus a generic affix (e.g. "fastapi-secure-auth-extension"). */
  suspicious(name: string): SuspiciousNameMatch | null;
  /** What was probably meant, best first (for names that do not exist or are flagged); a popular name gives itself alone. */
  suggest(name: string, limit?: number): string[];
  /** Is the name itself in the popular set? */
  isPopular(name: string): boolean;
}
