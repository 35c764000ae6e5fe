// bouncer hook <agent>: the pre-tool-use hook of a coding agent. Reads the agent's tool call on stdin
// and answers in the agent's protocol: allow, ask or deny. Commands that install nothing and tools
// that write no dependency pass on the fast path, before the engine loads. Every agent lets a call
// run when its hook fails or is slow, so this command never fails: a bug, an unreadable input or a
// check that does not finish in time is a deny with the reason.
import { AGENT_IDS, type AgentId, hookBudgetMs, isAgentId } from "../../hooks/agents.ts";
import { firstLook, MAX_HOOK_INPUT_BYTES } from "../../hooks/fast.ts";
import { type AgentProtocol, type HookAnswer, type HookOutput, unreadable } from "../../hooks/protocol.ts";
import { loadProtocol } from "../../hooks/protocols.ts";
import { type CliIO, UsageError } from "../io.ts";
import { readStream } from "../stdin.ts";
import type { Command } from "./types.ts";

function budgetMs(agent: AgentId, flag: string | undefined, env: Record<string, string | undefined>): number {
  const chosen = flag ?? env.BOUNCER_HOOK_BUDGET_MS;
  const ms = hookBudgetMs(agent, chosen);
  if (ms === undefined) throw new UsageError(`the hook budget must be a whole number of milliseconds >= 100, not "${chosen}"`);
  return ms;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

type Values = Record<string, string | boolean | undefined>;

/** The declaration's options: the plain `bouncer hook <agent>` needs no parser (parseArgs costs milliseconds to load, on every call). */
async function optionsOf(args: string[]): Promise<Values> {
  if (args.length === 1) return {};
  const [{ parseArgs }, { COMMON_OPTIONS }] = await Promise.all([import("node:util"), import("../options.ts")]);
  const parsed = parseArgs({ args, options: { ...COMMON_OPTIONS, "budget-ms": { type: "string" } }, allowPositionals: true, strict: true });
  if (parsed.positionals.length > 1) throw new UsageError(`one agent only, not "${parsed.positionals.join(" ")}"`);
  return parsed.values;
}

async function decide(protocol: AgentProtocol, io: CliIO, values: Values, budget: { ms: number; started: number }, input: string | undefined): Promise<HookAnswer> {
  const got = input === undefined ? await readStream(io.stdin, MAX_HOOK_INPUT_BYTES) : { text: input };
  if ("partial" in got) {
    if (got.stopped === "large") return { verdict: "block", reason: unreadable(`the hook input is larger than ${MAX_HOOK_INPUT_BYTES / 1024 / 1024} MiB`) };
    throw got.error;
  }
  const text = got.text;
  const look = firstLook(text, protocol, io.cwd);
  if ("answer" in look) return look.answer;
  const { call } = look.request;
  if (call.kind === "shell" && !(await import("../../hooks/triage.ts")).needsJudging(call.command, io.env)) return { verdict: "allow", reason: "" };
  // 40% of the budget for the network; then lookups stop and offline facts answer. At the end, a deny.
  const network = new AbortController();
  const slow = setTimeout(() => network.abort(), Math.max(0, budget.started + budget.ms * 0.4 - performance.now()));
  try {
    const { judge } = await import("../../hooks/judge.ts");
    const offline = Boolean(values.offline) || io.env.BOUNCER_OFFLINE === "1";
    const flags = { ...values, offline, policy: (values.policy as string | undefined) ?? io.env.BOUNCER_POLICY };
    return await judge({ request: look.request, io, flags, network: network.signal });
  } finally {
    clearTimeout(slow);
  }
}

/** What the hook's process entry did already: when it started (the budget counts from there), and standard input if it read it whole. */
export interface HookStart {
  started?: number;
  input?: string;
}

export async function runHook(args: string[], io: CliIO, start: HookStart = {}): Promise<number> {
    const agent = args.find((a) => isAgentId(a));
    if (!agent) {
      const named = args.find((a) => !a.startsWith("-"));
      throw new UsageError(named ? `no agent "${named}"` : "which agent?", `bouncer hook ${AGENT_IDS.join("|")}`);
    }
    const protocol = await loadProtocol(agent);
    // A hook declared with a wrong option still answers in its agent's protocol: a deny saying so.
    const started = start.started ?? performance.now();
    let values: Values;
    let budget: number;
    try {
      values = await optionsOf(args);
      budget = budgetMs(agent, values["budget-ms"] as string | undefined, io.env);
    } catch (error) {
      const out = protocol.answer({ verdict: "block", reason: `Bouncer's hook is declared wrongly (${message(error)}), so it refused this call. Ask the user to fix the hook's command line in the agent's settings.` });
      io.stdout.write(out.stdout);
      io.stderr.write(out.stderr);
      return out.exitCode;
    }
    let late: NodeJS.Timeout | undefined;
    const deadline = new Promise<HookAnswer>((resolve) => {
      const left = Math.max(0, budget - (performance.now() - started));
      late = setTimeout(() => resolve({ verdict: "block", reason: `Bouncer could not finish checking this call within ${budget} ms, so it refused it. Retry once; if it is refused again, ask the user.` }), left);
    });
    let answer: HookAnswer;
    let bug: unknown;
    try {
      answer = await Promise.race([decide(protocol, io, values, { ms: budget, started }, start.input), deadline]);
    } catch (error) {
      // Nothing lets the call through: a setup problem (a data directory, a policy file) or a bug is a
      // deny with the reason; a bug's stack also goes to stderr.
      const setup = error instanceof UsageError || (error instanceof Error && (error.name === "DataFileError" || error.name === "LedgerError"));
      if (!setup) bug = error;
      const hint = error instanceof UsageError && error.hint ? ` (${error.hint})` : "";
      answer = { verdict: "block", reason: `Bouncer ${setup ? "is not set up to check" : "failed while checking"} this call: ${message(error)}${hint}. It refused the call; ask the user to fix Bouncer's setup.` };
    } finally {
      clearTimeout(late);
      // An input never closed (the deadline answered) must not keep the process alive.
      if (start.input === undefined && !io.stdin.readableEnded) io.stdin.destroy();
    }
    // Said to the model: what to ask the user for, never a command or flag to type.
    if (answer.reason) answer = { ...answer, reason: (await import("../../../report/agent.ts")).forAgent(answer.reason) };
    const out: HookOutput = protocol.answer(answer);
    // Nothing to say (an allow in most protocols): the output streams are not even made.
    if (out.stdout) io.stdout.write(out.stdout);
    if (out.stderr) io.stderr.write(out.stderr);
    if (bug) io.stderr.write(`bouncer hook ${agent}: internal error: ${(bug as Error)?.stack ?? String(bug)}\n`);
    return out.exitCode;
}

export const hook: Command = { run: (args, io) => runHook(args, io) };
