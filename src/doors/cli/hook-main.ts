// The agent hook's process entry (bin/bouncer.js sends `bouncer hook <agent>` here). The hook runs
// before every tool call, so the common answer must cost little beyond Node's own start: when
// standard input can be read whole at once, without a stream, the first look (./../hooks/fast.ts)
// answers there, with only the agent's protocol loaded. Anything else, or anything unexpected, goes
// on to the full `hook` command with what was read, which answers within its deadline.
import { isAgentId } from "../hooks/agents.ts";
import { firstLook, MAX_HOOK_INPUT_BYTES } from "../hooks/fast.ts";
import type { HookOutput } from "../hooks/protocol.ts";
import { loadProtocol } from "../hooks/protocols.ts";
import { inputAfter, NOTHING, type Read, readAtOnce } from "./stdin.ts";

// As in ./stdin.ts: node:fs without its ES module facade.
const { writeSync } = process.getBuiltinModule("node:fs");

/** Writes all of `text`; a reader that has gone away is not an error (the agent is not listening). */
function writeAll(fd: number, text: string): void {
  if (!text) return;
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(fd, bytes, done);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EPIPE") return;
    if (code !== "EAGAIN") throw error;
    (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(done));
  }
}

async function fastAnswer(argv: string[]): Promise<Read | undefined> {
  const [, agent, ...options] = argv;
  // Only the plain declaration `bouncer hook <agent>`: the command checks options. (A budget from the
  // environment matters only to calls that reach the command: an answer here takes no time.)
  if (!isAgentId(agent) || options.length) return NOTHING;
  const read = readAtOnce(0, MAX_HOOK_INPUT_BYTES);
  if (!read.whole) return read;
  let out: HookOutput;
  try {
    const protocol = await loadProtocol(agent);
    const look = firstLook(read.bytes.toString("utf8"), protocol, process.cwd());
    if (!("answer" in look)) return read;
    out = protocol.answer(look.answer);
  } catch {
    // The full command reads the same input again and turns a bug into a deny with its reason.
    return read;
  }
  writeAll(1, out.stdout);
  writeAll(2, out.stderr);
  process.exitCode = out.exitCode;
  return undefined;
}

const argv = process.argv.slice(2);
const read = await fastAnswer(argv);
if (read) {
  const [{ processIO }, stdin] = await Promise.all([import("./process-io.ts"), read === NOTHING ? undefined : inputAfter(read, process.stdin)]);
  const io = processIO(stdin);
  // The plain declaration goes to the hook command itself, without the CLI's command table; others
  // (options, --help, no agent) through the CLI as any command.
  if (isAgentId(argv[1]) && argv.length === 2) process.exitCode = await (await import("./commands/hook.ts")).hook.run(argv.slice(1), io);
  else process.exitCode = await (await import("./run.ts")).runCli(argv, io);
}
