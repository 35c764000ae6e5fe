// The second filter, for command lines the fast path could not let through: the guard's own grammar
// says whether any command in the line runs an installer (`npm test`, `python x.py`, `pip list` do
// not), and the tokenizer whether any writes to a file that may hold dependencies (`2>&1`,
// `> build.log` do not). Only then is the engine loaded.
import path from "node:path";
import { parseInstallCommand } from "../../extract/commands.ts";
import { type SimpleCommand, splitShellCommands } from "../../extract/shell.ts";
import { commandChanges, mayNameGuard, mayRemoveGuard, SHELL_ENV_FILE, unknownPrograms } from "./command-changes.ts";
import { FILE_WRITERS, mayBeDependencyFile, writesFile, writingScriptOf } from "./shell-writes.ts";

/** Whether the command may write a dependency file, or one of the guard's. */
function mayWriteDependencies(c: SimpleCommand, dataDirName: string | undefined): boolean {
  const mayMatter = (file: string) => mayBeDependencyFile(file) || mayNameGuard(file, dataDirName) || SHELL_ENV_FILE.test(file);
  if (c.redirects?.some((r) => writesFile(r) && (r.target.dynamic || mayMatter(r.target.text)))) return true;
  const name = c.argv[0]!.slice(c.argv[0]!.lastIndexOf("/") + 1);
  // A script on the command line (`node -e`, `python -c`) that writes, and names such a file.
  const script = writingScriptOf(c);
  if (script && [...script.text.matchAll(/[\w~./@-]+/g)].some((m) => mayMatter(m[0]))) return true;
  // A patch names its files inside it: the judge reads it.
  if (name === "patch" || (name === "git" && (c.argv[1] === "apply" || c.argv[1] === "am"))) return true;
  return FILE_WRITERS.has(name) && c.words.slice(1).some((w) => w.dynamic || mayMatter(w.text.replace(/[?#].*$/, "")));
}

/** Whether the engine must look at the command line: it runs an installer, may write a dependency file, or may change where packages come from or the guard itself. */
export function needsJudging(command: string, env: Readonly<Record<string, string | undefined>> = {}): boolean {
  let cut = false;
  const commands = splitShellCommands(command, { onLimit: () => (cut = true) });
  // A line too large to read whole goes to the judge, which refuses it.
  if (cut) return true;
  const changes = commandChanges(commands);
  if (changes.registry.length || changes.guard.length || unknownPrograms(commands).length) return true;
  const dataDirName = env.BOUNCER_HOME ? path.basename(env.BOUNCER_HOME) : undefined;
  return commands.some((c) => parseInstallCommand(c.argv) !== null || mayWriteDependencies(c, dataDirName) || mayRemoveGuard(c, dataDirName));
}
