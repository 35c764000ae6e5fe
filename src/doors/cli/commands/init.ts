// bouncer init: install Bouncer's hook (and `bouncer mcp`) into every coding agent set up for this
// project (--project, the default) or this user (--user); `bouncer agents`: list them, or uninstall.
import { existsSync, lstatSync, mkdirSync, realpathSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { isInside } from "../../../engine/fs.ts";
import { AGENT_IDS, AGENTS, type AgentId, isAgentId, managedPath, type Places, type Scope } from "../../hooks/agents.ts";
import { agentStatus, type FileEdit, installEdits, SettingsError, uninstallEdits } from "../../hooks/install.ts";
import { lineDiff } from "../../hooks/settings/diff.ts";
import { readConfigFile } from "../config.ts";
import { type CliIO, UsageError } from "../io.ts";
import type { Command } from "./types.ts";

const OPTIONS = {
  project: { type: "boolean" },
  user: { type: "boolean" },
  agent: { type: "string", multiple: true },
  "dry-run": { type: "boolean" },
  "no-mcp": { type: "boolean" },
  bouncer: { type: "string" },
  json: { type: "boolean" },
} as const;

function placesOf(io: CliIO): Places {
  return { cwd: io.cwd, home: io.env.HOME || homedir() };
}

function scopeOf(values: { project?: boolean; user?: boolean }): Scope {
  if (values.project && values.user) throw new UsageError("choose --project or --user, not both");
  return values.user ? "user" : "project";
}

function chosenAgents(names: readonly string[] | undefined): AgentId[] | undefined {
  if (!names?.length) return undefined;
  for (const n of names) if (!isAgentId(n)) throw new UsageError(`no agent "${n}"`, `agents: ${AGENT_IDS.join(", ")}`);
  return [...new Set(names)] as AgentId[];
}

/** Where a path really is: its nearest existing folder with links resolved, then the rest as given. */
function realPath(file: string): string {
  let dir = file;
  const rest: string[] = [];
  while (!existsSync(dir) && path.dirname(dir) !== dir) {
    rest.unshift(path.basename(dir));
    dir = path.dirname(dir);
  }
  return path.join(realpathSync(dir), ...rest);
}

/**
 * The file a settings path names, links followed (a user's dotfiles may be links into a dotfiles
 * repository: they are edited where they are). In the project scope, a path that leads outside the
 * project (a checked-in `.cursor` link to ~/.cursor, say) is refused: init never writes there.
 */
function settingsTarget(file: string, places: Places, scope: Scope): string {
  let target = realPath(file);
  try {
    if (lstatSync(file).isSymbolicLink()) target = realpathSync(file);
  } catch {
    // absent, or a dangling link (realPath kept it as named)
  }
  if (scope === "project" && !isInside(realpathSync(places.cwd), target)) {
    throw new UsageError(`${shown(file, places)} leads outside the project (to ${target}); nothing was changed`, "remove the link, or install for yourself with --user");
  }
  return target;
}

/** A settings file that exists but cannot be read is the user's to fix. */
function reader(file: string): string | undefined {
  const read = readConfigFile(file);
  if ("text" in read) return read.text;
  if (read.problem === "ENOENT" || read.problem === "ENOTDIR") return undefined;
  throw new UsageError(`cannot read ${file}: ${read.problem}`);
}

function shown(file: string, places: Places): string {
  const rel = path.relative(places.cwd, file);
  if (!rel.startsWith("..") && !path.isAbsolute(rel)) return rel;
  const home = path.relative(places.home, file);
  return !home.startsWith("..") && !path.isAbsolute(home) ? `~/${home}` : file;
}

function apply(edit: FileEdit, places: Places, scope: Scope): void {
  const file = settingsTarget(edit.file, places, scope);
  if (edit.after === undefined) {
    rmSync(file, { force: true });
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.bouncer-tmp`;
  writeFileSync(tmp, edit.after);
  renameSync(tmp, file);
}

/** Applies (or with --dry-run prints) the edits of each agent; returns what was said. */
function carry(io: CliIO, places: Places, scope: Scope, perAgent: Array<{ agent: AgentId; edits: FileEdit[] }>, dryRun: boolean, unchanged: string): void {
  // Every file is checked before any is written: a refused one leaves all of them as they were.
  for (const { edits } of perAgent) for (const edit of edits) settingsTarget(edit.file, places, scope);
  for (const { agent, edits } of perAgent) {
    if (!edits.length) {
      io.stdout.write(`${agent}: ${unchanged}\n`);
      continue;
    }
    for (const edit of edits) {
      const where = shown(edit.file, places);
      if (dryRun) io.stdout.write(`${agent}: would change ${where} (${edit.what})\n${lineDiff(where, edit.before ?? "", edit.after ?? "")}`);
      else {
        apply(edit, places, scope);
        io.stdout.write(`${agent}: ${edit.after === undefined ? "removed" : "updated"} ${where} (${edit.what})\n`);
      }
    }
  }
}

function settingsErrors<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(error.message, "fix or move the file, then run the command again");
    throw error;
  }
}

export const init: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: false, strict: true });
    void positionals;
    const scope = scopeOf(values);
    const places = placesOf(io);
    const named = chosenAgents(values.agent);
    const agents = named ?? AGENT_IDS.filter((a) => agentStatus(a, places, reader).detected[scope]);
    if (!agents.length) {
      const where = scope === "project" ? io.cwd : places.home;
      io.stdout.write(`no coding agent is set up in ${where} (none of their settings folders or files is there)\n`);
      io.stdout.write(`hint: name one or more with --agent ${AGENT_IDS.join("|")}\n`);
      return 0;
    }
    const options = { bouncer: values.bouncer ?? "bouncer", mcp: !values["no-mcp"] };
    const perAgent = settingsErrors(() => agents.map((agent) => ({ agent, edits: installEdits(agent, scope, places, reader, options) })));
    carry(io, places, scope, perAgent, Boolean(values["dry-run"]), "already installed");
    for (const a of agents) {
      const hint = AGENTS[a].mcpHint?.[scope];
      if (options.mcp && hint) io.stdout.write(`${a}: to register \`bouncer mcp\` here: ${hint}\n`);
    }
    const managed = agents.map((a) => ({ a, file: managedPath(AGENTS[a]), note: AGENTS[a].managed.note })).filter((m) => m.file || m.note);
    if (managed.length) {
      io.stdout.write(`\nfor every user of a machine or a fleet, an administrator puts the same hook in the managed settings (init does not write them):\n`);
      for (const m of managed) io.stdout.write(`  ${AGENTS[m.a].name}: ${[m.file, m.note].filter(Boolean).join("; ")}\n`);
    }
    return 0;
  },
};

export const agents: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    const action = positionals[0] ?? "list";
    const places = placesOf(io);
    if (action === "list" && positionals.length <= 1) {
      const all = settingsErrors(() => (chosenAgents(values.agent) ?? [...AGENT_IDS]).map((a) => agentStatus(a, places, reader)));
      if (values.json) {
        io.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        return 0;
      }
      for (const s of all) {
        const scope = (sc: Scope) =>
          `${sc}: ${s.detected[sc] ? "set up" : "not set up"}, hook ${s.hook[sc] === "yes" ? "installed" : s.hook[sc] === "partial" ? `partly installed (${s.hookGaps?.[sc]})` : s.hook[sc] === "unreadable" ? "unreadable settings" : "not installed"}` +
          (s.mcp[sc] === "n/a" ? "" : `, mcp ${s.mcp[sc] === "yes" ? "registered" : "not registered"}`);
        io.stdout.write(`${s.agent.padEnd(9)} ${AGENTS[s.agent].name}\n          ${scope("project")}\n          ${scope("user")}\n`);
      }
      return 0;
    }
    if (action === "uninstall" && positionals.length === 1) {
      const scope = scopeOf(values);
      const chosen = chosenAgents(values.agent) ?? [...AGENT_IDS];
      const perAgent = settingsErrors(() => chosen.map((agent) => ({ agent, edits: uninstallEdits(agent, scope, places, reader, values.bouncer ?? "bouncer") })));
      carry(io, places, scope, perAgent.filter((p) => p.edits.length || values.agent?.length), Boolean(values["dry-run"]), "nothing of Bouncer's installed");
      if (!perAgent.some((p) => p.edits.length) && !values.agent?.length) io.stdout.write(`nothing of Bouncer's is installed at the ${scope} scope\n`);
      return 0;
    }
    throw new UsageError(`unknown action "${positionals.join(" ")}"`, "bouncer agents [list] | bouncer agents uninstall [--user] [--agent ID]");
  },
};
