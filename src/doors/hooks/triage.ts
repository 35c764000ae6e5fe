// The second filter, for command lines the fast path could not let through: the guard's own grammar
// says whether any command in the line runs an installer (`npm test`, `python x.py`, `pip list` do
// not), and the tokenizer whether any writes to a file that may hold dependencies (`2>&1`,
// `> build.log` do not). Only then is the engine loaded.
import { parseInstallCommand } from "../../extract/commands.ts";
import { type SimpleCommand, splitShellCommands } from "../../extract/shell.ts";
import { FILE_WRITERS, mayBeDependencyFile, writesFile } from "./shell-writes.ts";

function mayWriteDependencies(c: SimpleCommand): boolean {
  if (c.redirects?.some((r) => writesFile(r) && (r.target.dynamic || mayBeDependencyFile(r.target.text)))) return true;
  const name = c.argv[0]!.slice(c.argv[0]!.lastIndexOf("/") + 1);
  return FILE_WRITERS.has(name) && c.words.slice(1).some((w) => w.dynamic || mayBeDependencyFile(w.text.replace(/[?#].*$/, "")));
}

/** Whether the engine must look at the command line: it runs an installer, or may write a dependency file. */
export function needsJudging(command: string): boolean {
  return splitShellCommands(command).some((c) => parseInstallCommand(c.argv) !== null || mayWriteDependencies(c));
}
