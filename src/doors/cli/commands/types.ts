import type { CliIO } from "../io.ts";

export interface Command {
  run(args: string[], io: CliIO): Promise<number>;
}
