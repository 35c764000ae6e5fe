// Command dispatch and error policy: user mistakes are one line + hint and exit 2; bugs keep their stack.
import { type CliIO, UsageError } from "./io.ts";
import { COMMANDS, usage } from "./commands/index.ts";

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(usage());
    return name ? 0 : 2;
  }
  if (name === "--version" || name === "-v") {
    io.stdout.write("bouncer 0.1.0\n");
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new UsageError(`unknown command "${name}"`, "run `bouncer help` for the list of commands");
    return await (await command.load()).run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`bouncer: ${error.message}\n`);
      io.stderr.write(`hint: ${error.hint ?? "run `bouncer help` for commands and options"}\n`);
      return 2;
    }
    // The engine's "data file unusable" error, matched by name so this module does not load the engine.
    if (error instanceof Error && error.name === "DataFileError") {
      io.stderr.write(`bouncer: ${error.message}\n`);
      io.stderr.write(`hint: the data directory can be chosen with --data-dir or BOUNCER_HOME\n`);
      return 2;
    }
    // parseArgs reports unknown or malformed options with these codes.
    const code = (error as { code?: string }).code;
    if (code?.startsWith("ERR_PARSE_ARGS")) {
      io.stderr.write(`bouncer ${name}: ${(error as Error).message}\n`);
      io.stderr.write(`hint: run \`bouncer help\` for the options of ${name}\n`);
      return 2;
    }
    throw error;
  }
}
