// The second filter, for command lines the fast path could not let through: the guard's own grammar
// says whether any command in the line runs an installer (`npm test`, `python x.py`, `pip list` do
// not). Only then is the engine loaded.
import { parseInstallCommand } from "../../extract/commands.ts";
import { splitShellCommands } from "../../extract/shell.ts";

export function runsAnInstaller(command: string): boolean {
  return splitShellCommands(command).some((c) => parseInstallCommand(c.argv) !== null);
}
