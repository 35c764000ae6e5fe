// Every bench/*.bench.ts default-exports a function returning rows; bench/run.ts prints them as one table.
export interface BenchRow {
  /** What was measured, e.g. "check --offline, 100k names". */
  name: string;
  value: number;
  unit: string;
  /** The goal, e.g. "< 200 ms" or ">= 50000 names/s". */
  target?: string;
  /** Whether the value meets the goal. */
  ok?: boolean;
}

export type Bench = () => Promise<BenchRow[]>;
