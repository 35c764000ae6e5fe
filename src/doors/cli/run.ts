// Command dispatch and error policy: user mistakes are one line + hint and exit 2; bugs keep their stack.
import { BouncerError } from "../../core/errors.ts";
import { type CliIO, UsageError } from "./io.ts";
import { COMMANDS, commandHelp, findCommand, usage } from "./commands/index.ts";

const HELP_FLAGS = new Set(["--help", "-h"]);

/** `bouncer <command> --help` (before any `--`), for the commands of the table; a guard passes it on to the real tool. */
function asksHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => HELP_FLAGS.has(a));
}

async function help(name: string, io: CliIO): Promise<number> {
  const text = await commandHelp(name);
  if (text === undefined) {
    io.stderr.write(`bouncer: no command "${name}"\nhint: run \`bouncer help\` for the list of commands\n`);
    return 2;
  }
  io.stdout.write(text);
  return 0;
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === "help" && args.length) return help(args.join(" "), io);
  if (!name || name === "help" || HELP_FLAGS.has(name)) {
    io.stdout.write(await usage());
    return name ? 0 : 2;
  }
  if (Object.hasOwn(COMMANDS, name) && asksHelp(args)) return help(name, io);
  if (name === "--version" || name === "-v") {
    io.stdout.write("bouncer 0.1.0\n");
    return 0;
  }
  const command = await findCommand(name);
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`, "run `bouncer help` for the list of commands");
    return await (await command.load()).run(args, io);
  } catch (error) {
    // A problem the user can act on (usage, input, data files): its message and hint, and its exit code.
    if (error instanceof BouncerError) {
      io.stderr.write(`bouncer: ${error.message}\n`);
      io.stderr.write(`hint: ${error.hint ?? "run `bouncer help` for commands and options"}\n`);
      return error.exitCode;
    }
    if (error instanceof Error && error.name === "StoreUnavailableError") {
      io.stderr.write(`bouncer: ${error.message}\n`);
      io.stderr.write(`hint: check that the database named by --store or BOUNCER_STORE_URL is running and reachable\n`);
      return 2;
    }
    // parseArgs reports unknown or malformed options with these codes.
    const code = (error as { code?: string }).code;
    if (code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr.write(`bouncer ${name}: ${(error as Error).message}\n`);
      io.stderr.write(`hint: run \`bouncer help ${name}\` for its options\n`);
      return 2;
    }
    throw error;
  }
}
