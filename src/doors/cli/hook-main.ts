// The agent hook's process entry (bin/bouncer.js sends `bouncer hook <agent>` here). The hook runs
// before every tool call, so the common answer must cost little beyond Node's own start: standard
// input is read whole (at once where that cannot block, else as a stream within the budget), and the
// first look (../hooks/fast.ts) answers with only the agent's protocol loaded. Anything else, or
// anything unexpected, goes on to the `hook` command with what was read and when it started, which
// answers within the same deadline.
import { type AgentId, hookBudgetMs, isAgentId } from "../hooks/agents.ts";
import { firstLook, MAX_HOOK_INPUT_BYTES } from "../hooks/fast.ts";
import type { HookOutput } from "../hooks/protocol.ts";
import { loadProtocol } from "../hooks/protocols.ts";
import { inputAfter, NOTHING, type Read, readAtOnce, readStream } from "./stdin.ts";

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
    // Full for now: the stream waits for the reader. Any other error (EPIPE, a closed descriptor)
    // means nobody reads the answer; the exit code still says it.
    if ((error as NodeJS.ErrnoException).code === "EAGAIN") (fd === 1 ? process.stdout : process.stderr).write(bytes.subarray(done));
  }
}

/** What the hook command is handed when the entry could not answer: the input read whole, or what was read of it. */
type Handover = { input: string } | { read: Read };

/** Answers in the agent's protocol when the first look can; else hands the input on (a bug in the first look included: the command meets it again and denies with its reason). */
async function answerOrHand(agent: AgentId, text: string): Promise<Handover | undefined> {
  let out: HookOutput;
  try {
    const protocol = await loadProtocol(agent);
    const look = firstLook(text, protocol, process.cwd());
    if (!("answer" in look)) return { input: text };
    out = protocol.answer(look.answer);
  } catch {
    return { input: text };
  }
  // The exit code first: it is the answer for agents that read it (Windsurf), whatever the streams do.
  process.exitCode = out.exitCode;
  writeAll(1, out.stdout);
  writeAll(2, out.stderr);
  return undefined;
}

async function fastAnswer(argv: string[], started: number): Promise<Handover | undefined> {
  const [, agent, ...options] = argv;
  // Only the plain declaration `bouncer hook <agent>`: the command checks options.
  if (!isAgentId(agent) || options.length) return { read: NOTHING };
  const read = readAtOnce(0, MAX_HOOK_INPUT_BYTES);
  if (read.whole) return answerOrHand(agent, read.bytes.toString("utf8"));
  const budget = hookBudgetMs(agent, process.env.BOUNCER_HOOK_BUDGET_MS);
  // A partial read, or a budget the command must refuse: the command goes on.
  if (read !== NOTHING || budget === undefined) return { read };
  // A socket: read here, within the budget the command would give it (it counts from `started`, the
  // process start, as process.uptime() does).
  const got = await readStream(process.stdin, MAX_HOOK_INPUT_BYTES, Math.max(0, budget - (process.uptime() * 1000 - started)));
  return "text" in got ? answerOrHand(agent, got.text) : { read: got.partial };
}

// When the process started, on performance.now()'s clock (its 0 is the process start): the budget
// counts from there. Not read from that clock here: its first use loads perf_hooks, ~1 ms on every call.
const started = 0;
const argv = process.argv.slice(2);
const handover = await fastAnswer(argv, started);
if (handover) {
  const read = "read" in handover ? handover.read : undefined;
  const [{ processIO }, stdin] = await Promise.all([import("./process-io.ts"), read && read !== NOTHING ? inputAfter(read, process.stdin) : undefined]);
  const io = processIO(stdin);
  // The plain declaration goes to the hook command itself, without the CLI's command table; others
  // (options, --help, no agent) through the CLI as any command.
  if (isAgentId(argv[1]) && argv.length === 2) {
    const start = "input" in handover ? { started, input: handover.input } : { started };
    process.exitCode = await (await import("./commands/hook.ts")).runHook(argv.slice(1), io, start);
  } else process.exitCode = await (await import("./run.ts")).runCli(argv, io);
}
