import type { CliIO } from "../io.ts";

export interface Command {
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}
