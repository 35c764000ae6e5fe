// What the dashboard reads and changes: the store's decision log and waivers, the log's
// verification, and the engine's judgement of one package (a view, not a logged gate).
import type { PackageResult } from "../../core/model.ts";
import type { DecisionLog, Verification, WaiverStore } from "../../store/types.ts";

export interface DashboardData {
  decisions: Pick<DecisionLog, "query" | "summary">;
  waivers: Pick<WaiverStore, "add" | "get" | "list" | "approve" | "deny" | "revoke">;
  /** The whole chain checked (with the log key and checkpoint the server was given). */
  verify(): Promise<Verification>;
  /** The engine's current judgement, not logged. */
  check(ecosystem: string, name: string): Promise<PackageResult>;
  /** The name as the ecosystem normalises it (how waivers and decisions record it); throws for an invalid one. */
  canonicalName(ecosystem: string, name: string): string;
  /** A waiver came into force or stopped: this replica applies it now, not at its next poll. */
  waiversChanged?(): Promise<unknown>;
}
