// Installing Bouncer's hook (and `bouncer mcp`) into each agent's settings, and taking out exactly
// what was put in. Settings files are edited as text (./settings/): other hooks, their order, the
// file's comments and layout stay as they were. Reading what is installed is here too (doctor).
import { existsSync } from "node:fs";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { isRecord } from "../../core/guards.ts";
import { parseJson } from "../../formats/json.ts";
import { AGENT_IDS, type AgentId, AGENTS, type Door, hookCommand, isBouncerHook, type Places, type Scope, type SettingsFormat, type SettingsLocation, settingsPath } from "./agents.ts";
import { appendItem, insertMember, type JsonNode, member, parseJsonc, removeAt, SettingsError, toValue } from "./settings/jsonc.ts";
import { appendTable, findTable, parseToml, removeTable, tableText } from "./settings/toml.ts";

export { SettingsError };

interface HookLayout {
  /** Members a new file starts with (Cursor's and Copilot's "version": 1). */
  rootExtras?: Record<string, unknown>;
  /** Each event Bouncer hooks, and the element it appends to that event's list. */
  events: Array<{ event: string; entry: unknown }>;
  /** Claude-style groups ({matcher, hooks: [...]}) or flat entries. */
  nested: boolean;
  /** The member holding the command. */
  commandKey: "command" | "bash";
  /** Hooks carry `type: "command"` (an entry of another type runs no command). */
  typed: boolean;
}

function layout(agent: AgentId, command: string): HookLayout {
  const timeout = AGENTS[agent].installTimeoutSeconds;
  const { shell, edit } = AGENTS[agent].gates.tools;
  // The matcher names the tools the agents' table says gate shell commands and file writes.
  const all = [...shell, ...edit].join("|");
  const group = (matcher: string, extra: Record<string, unknown> = {}, ms = false) => ({ matcher, hooks: [{ ...extra, type: "command", command, timeout: ms ? timeout * 1000 : timeout }] });
  switch (agent) {
    case "claude":
      return { events: [{ event: "PreToolUse", entry: group(all) }], nested: true, commandKey: "command", typed: true };
    case "codex":
      return { events: [{ event: "PreToolUse", entry: group(all) }], nested: true, commandKey: "command", typed: true };
    case "gemini":
      return { events: [{ event: "BeforeTool", entry: group(all, { name: "bouncer" }, true) }], nested: true, commandKey: "command", typed: true };
    case "copilot":
      return { rootExtras: { version: 1 }, events: [{ event: "preToolUse", entry: { type: "command", bash: command, timeoutSec: timeout } }], nested: false, commandKey: "bash", typed: true };
    case "cursor":
      return {
        rootExtras: { version: 1 },
        events: [
          { event: "beforeShellExecution", entry: { command, timeout, failClosed: true } },
          { event: "preToolUse", entry: { command, matcher: edit.join("|"), timeout, failClosed: true } },
        ],
        nested: false,
        commandKey: "command",
        typed: false,
      };
    case "windsurf":
      return {
        events: [
          { event: "pre_run_command", entry: { command, show_output: true } },
          { event: "pre_write_code", entry: { command, show_output: true } },
        ],
        nested: false,
        commandKey: "command",
        typed: false,
      };
  }
}

/** What `bouncer mcp` is registered as. */
function mcpEntry(agent: AgentId, bouncer: string): Record<string, unknown> {
  return agent === "copilot" ? { type: "local", command: bouncer, args: ["mcp"], tools: ["*"] } : { command: bouncer, args: ["mcp"] };
}
const MCP_TABLE = "mcp_servers.bouncer";

/** One settings file before and after; `after` undefined: the file goes (it held only what Bouncer added). */
export interface FileEdit {
  file: string;
  before: string | undefined;
  after: string | undefined;
  /** What changes, in words ("hook added", "MCP server removed"). */
  what: string;
}

export type ReadFile = (file: string) => string | undefined;

function parseObject(text: string, file: string): JsonNode {
  let root: JsonNode;
  try {
    root = parseJsonc(text);
  } catch (error) {
    throw new SettingsError(`${file} is not valid JSON (${(error as Error).message}); fix it first, nothing was changed`);
  }
  if (root.kind !== "object") throw new SettingsError(`${file} does not hold a JSON object; nothing was changed`);
  return root;
}

function expectKind(node: JsonNode, kind: JsonNode["kind"], what: string, file: string): void {
  if (node.kind !== kind) throw new SettingsError(`${what} in ${file} is not ${kind === "object" ? "an object" : "a list"}; nothing was changed`);
}

function isOurs(item: JsonNode, l: HookLayout, agent: AgentId): number {
  const value = toValue(item) as Record<string, unknown> | null;
  if (!value || typeof value !== "object") return -1;
  if (!l.nested) return isBouncerHook(value[l.commandKey], agent) ? 0 : -1;
  const inner = Array.isArray(value.hooks) ? (value.hooks as Array<Record<string, unknown> | null>) : [];
  return inner.findIndex((h) => h !== null && typeof h === "object" && isBouncerHook(h[l.commandKey], agent));
}

/** The file's text with Bouncer's hook added, unless it is there already. */
export function addHook(text: string | undefined, agent: AgentId, command: string, file: string): string {
  const l = layout(agent, command);
  let t = text?.trim() ? text : "{\n}\n";
  for (const [key, value] of Object.entries(l.rootExtras ?? {})) {
    const root = parseObject(t, file);
    if (!member(root, key)) t = insertMember(t, root, key, value);
  }
  for (const { event, entry } of l.events) {
    const root = parseObject(t, file);
    const hooks = member(root, "hooks");
    if (!hooks) {
      t = insertMember(t, root, "hooks", { [event]: [entry] });
      continue;
    }
    expectKind(hooks.value, "object", '"hooks"', file);
    const list = member(hooks.value, event);
    if (!list) {
      t = insertMember(t, hooks.value, event, [entry]);
      continue;
    }
    expectKind(list.value, "array", `"hooks.${event}"`, file);
    if (list.value.kind !== "array") continue;
    // A Bouncer entry there already is kept; one that gates less (a narrower matcher, from an older
    // init or by hand) is replaced, so no call runs the hook twice. Other hooks stay as they are.
    if (list.value.items.some((item) => isOurs(item, l, agent) >= 0 && gatesAsMuch(agent, event, toValue(item), entry))) continue;
    const cleaned = withoutHook(t, agent, file, "min", event);
    t = appendItem(cleaned, member(member(parseObject(cleaned, file), "hooks")!.value, event)!.value, entry);
  }
  return t;
}

/**
 * The file's text without Bouncer's hook entries (under `event` only, when given). "max" also takes
 * out the lists and groups only they were in; "min" takes out the entries alone.
 */
function withoutHook(text: string, agent: AgentId, file: string, mode: "max" | "min", event?: string): string {
  const l = layout(agent, hookCommand(agent));
  let t = text;
  for (let round = 0; round < 1000; round++) {
    const root = parseObject(t, file);
    const hooks = member(root, "hooks");
    if (hooks?.value.kind !== "object") break;
    const hooksNode = hooks.value;
    let changed = false;
    for (const [mi, m] of hooksNode.members.entries()) {
      if (m.value.kind !== "array" || (event !== undefined && m.key !== event)) continue;
      const list = m.value;
      const at = list.items.findIndex((item) => isOurs(item, l, agent) >= 0);
      if (at < 0) continue;
      const item = list.items[at]!;
      const inner = l.nested ? member(item, "hooks") : undefined;
      if (inner && inner.value.kind === "array" && inner.value.items.length > 1) t = removeAt(t, inner.value, isOurs(item, l, agent));
      else if (list.items.length > 1 || mode === "min") t = removeAt(t, list, at);
      else if (hooksNode.members.length > 1) t = removeAt(t, hooksNode, mi);
      else t = removeAt(t, root, root.kind === "object" ? root.members.indexOf(hooks) : 0);
      changed = true;
      break;
    }
    if (!changed) break;
  }
  return t;
}

/**
 * The first of `candidates` that installing again turns back into `current` (so uninstall gives back
 * the file as it was before init); else the last, which takes out Bouncer's entries and nothing else.
 * (One case stays ambiguous: an empty list or object spread over lines reads, once filled, like one
 * init created; it is taken out with Bouncer's entry.)
 */
function inverse(current: string, candidates: Array<string | undefined>, redo: (text: string | undefined) => string): string | undefined {
  for (const c of candidates) {
    try {
      if (redo(c) === current) return c;
    } catch {
      // not an inverse
    }
  }
  return candidates[candidates.length - 1];
}

/** The file's text without Bouncer's hook (exactly as it was before init, when init made the change); undefined: the file goes. */
export function removeHook(text: string, agent: AgentId, file: string, bouncer = "bouncer"): string | undefined {
  const min = withoutHook(text, agent, file, "min");
  if (min === text) return text;
  const max = withoutHook(text, agent, file, "max");
  const gone = leftover(max, layout(agent, bouncer).rootExtras, file) === undefined;
  return inverse(text, [...(gone ? [undefined] : []), max, min], (t) => addHook(t, agent, hookCommand(agent, bouncer), file));
}

/** undefined when all that is left of a file is what Bouncer would have started it with. */
function leftover(text: string, extras: Record<string, unknown> | undefined, file: string): string | undefined {
  const value = toValue(parseObject(text, file));
  return isDeepStrictEqual(value, {}) || (extras && isDeepStrictEqual(value, extras)) ? undefined : text;
}

export function addMcp(text: string | undefined, agent: AgentId, location: SettingsLocation, bouncer: string, file: string): string {
  if (location.format === "toml") {
    const t = text ?? "";
    const doc = parseToml(t, file);
    const servers = doc.mcp_servers as Record<string, unknown> | undefined;
    if (servers && typeof servers === "object" && Object.hasOwn(servers, "bouncer")) return t;
    return appendTable(t, tableText(MCP_TABLE, { command: bouncer, args: ["mcp"] }));
  }
  let t = text?.trim() ? text : "{\n}\n";
  const root = parseObject(t, file);
  const servers = member(root, "mcpServers");
  if (!servers) return insertMember(t, root, "mcpServers", { bouncer: mcpEntry(agent, bouncer) });
  expectKind(servers.value, "object", '"mcpServers"', file);
  if (member(servers.value, "bouncer")) return t;
  t = insertMember(t, servers.value, "bouncer", mcpEntry(agent, bouncer));
  return t;
}

/** Without the `bouncer` MCP server Bouncer registered (left alone when someone changed it); undefined: the file goes. */
export function removeMcp(text: string, agent: AgentId, location: SettingsLocation, bouncer: string, file: string): string | undefined {
  const redo = (t: string | undefined) => addMcp(t, agent, location, bouncer, file);
  if (location.format === "toml") {
    const table = tableText(MCP_TABLE, { command: bouncer, args: ["mcp"] });
    const without = removeTable(text, MCP_TABLE, table);
    if (without === undefined) return text;
    const at = findTable(text, MCP_TABLE)!;
    return inverse(text, [without.trim() ? without : undefined, without, text.slice(0, at.start) + text.slice(at.end)], redo);
  }
  const root = parseObject(text, file);
  const servers = member(root, "mcpServers");
  if (servers?.value.kind !== "object") return text;
  const ours = servers.value.members.findIndex((m) => m.key === "bouncer" && isDeepStrictEqual(toValue(m.value), mcpEntry(agent, bouncer)));
  if (ours < 0) return text;
  const min = removeAt(text, servers.value, ours);
  const max = servers.value.members.length > 1 ? min : removeAt(text, root, root.kind === "object" ? root.members.indexOf(servers) : 0);
  const gone = leftover(max, undefined, file) === undefined;
  return inverse(text, [...(gone ? [undefined] : []), max, min], redo);
}

export interface InstallOptions {
  /** How agents run Bouncer (default "bouncer", on PATH). */
  bouncer: string;
  mcp: boolean;
}

/** The settings edits that install Bouncer into an agent at a scope (none when it is there already). */
export function installEdits(agent: AgentId, scope: Scope, places: Places, read: ReadFile, options: InstallOptions): FileEdit[] {
  const info = AGENTS[agent];
  const edits = new Map<string, FileEdit>();
  const change = (file: string, what: string, edit: (text: string | undefined) => string) => {
    const had = edits.get(file);
    const before = had ? had.before : read(file);
    const after = edit(had ? had.after : before);
    if (after !== (had ? had.after : before)) edits.set(file, { file, before, after, what: had ? `${had.what}, ${what}` : what });
  };
  const hooks = info.hooks[scope];
  if (hooks) {
    const file = settingsPath(hooks, scope, places);
    change(file, "hook added", (text) => addHook(text, agent, hookCommand(agent, options.bouncer), file));
  }
  const mcp = info.mcp[scope];
  if (options.mcp && mcp) {
    const file = settingsPath(mcp, scope, places);
    change(file, "`bouncer mcp` registered", (text) => addMcp(text, agent, mcp, options.bouncer, file));
  }
  return [...edits.values()].filter((e) => e.before !== e.after);
}

/** The settings edits that take out what `installEdits` put in. */
export function uninstallEdits(agent: AgentId, scope: Scope, places: Places, read: ReadFile, bouncer = "bouncer"): FileEdit[] {
  const info = AGENTS[agent];
  const edits = new Map<string, FileEdit>();
  const change = (file: string, what: string, edit: (text: string) => string | undefined) => {
    const had = edits.get(file);
    const current = had ? had.after : read(file);
    if (current === undefined) return;
    const after = edit(current);
    if (after === current) return;
    edits.set(file, { file, before: had ? had.before : current, after, what: had ? `${had.what}, ${what}` : what });
  };
  const hooks = info.hooks[scope];
  if (hooks) {
    const file = settingsPath(hooks, scope, places);
    change(file, "hook removed", (text) => removeHook(text, agent, file, bouncer));
  }
  const mcp = info.mcp[scope];
  if (mcp) {
    const file = settingsPath(mcp, scope, places);
    change(file, "`bouncer mcp` removed", (text) => removeMcp(text, agent, mcp, bouncer, file));
  }
  return [...edits.values()];
}

/** Whether Bouncer's hook runs before a tool: "unknown" when the declaration cannot be read for sure. */
export type Covered = "yes" | "no" | "unknown";

/** One of the agent's tools (or a door, for agents that hook doors rather than tools) and whether Bouncer's hook runs before it. */
export interface Gated {
  door: Door;
  tool?: string;
  covered: Covered;
}

/** What the declared hooks gate: every shell and file-write tool (guarded), some or cannot tell (partial), none (open). */
export interface HookReading {
  state: "guarded" | "partial" | "open";
  gated: Gated[];
  /** Bouncer hooks that gate nothing, in words. */
  notes: string[];
}

/** A hook settings file as the agent reads it: plain JSON, JSON with comments, or TOML. */
export function parseHookSettings(text: string, format: SettingsFormat, file: string): unknown {
  if (format === "toml") return parseToml(text, file);
  try {
    return parseJson(text, { jsonc: format === "jsonc", maxDepth: 200 }).value;
  } catch (error) {
    throw new SettingsError(`${file} is not valid ${format === "jsonc" ? "JSON with comments" : "JSON"} (${(error as Error).message})`);
  }
}

/**
 * Whether a tool matcher (a regular expression over tool names in Claude Code, Codex and Gemini CLI;
 * absent, "" or "*" for all) selects `tool`. Agents differ on anchoring and regex dialect, so "yes"
 * only when the whole name matches; "unknown" when only part of it does, or the matcher is not a
 * string of names, ".", "|", anchors and a few quantifiers (groups, classes and escapes are not
 * evaluated: a hostile repository's nested quantifiers would hang the check).
 */
export function matcherCovers(matcher: unknown, tool: string, agent?: AgentId): Covered {
  if (matcher === undefined || matcher === "" || matcher === "*") return "yes";
  // Claude Code documents its rule: names alone (letters, digits, _, -, spaces, "|" or ",") are an
  // exact list ("Edit" is not NotebookEdit); anything else is an unanchored regular expression.
  if (agent === "claude" && typeof matcher === "string" && /^[\w\s,|-]+$/.test(matcher)) {
    return matcher.split(/[|,]/).some((name) => name.trim() === tool) ? "yes" : "no";
  }
  if (typeof matcher !== "string" || matcher.length > 256 || !/^[\w.|*+?^$-]*$/.test(matcher) || (matcher.match(/[*+?]/g)?.length ?? 0) > 4) return "unknown";
  try {
    if (new RegExp(`^(?:${matcher})$`).test(tool)) return "yes";
    return new RegExp(matcher).test(tool) ? "unknown" : "no";
  } catch {
    return "unknown";
  }
}

const RANK: Record<Covered, number> = { no: 0, unknown: 1, yes: 2 };
const DOOR_WORDS: Record<Door, string> = { shell: "shell commands", edit: "file edits" };

/** Bouncer's hook declarations for `agent` in one settings document: the event, and the matcher if one is set. */
function declarations(agent: AgentId, doc: unknown, notes: Set<string>): Array<{ event: string; matcher?: unknown }> {
  const hooks = isRecord(doc) ? doc.hooks : undefined;
  if (!isRecord(hooks)) return [];
  const l = layout(agent, hookCommand(agent));
  const runs = (h: unknown): boolean => {
    if (!isRecord(h) || !(h.type === "command" || (!l.typed && h.type === undefined))) return false;
    if (isBouncerHook(h[l.commandKey], agent)) return true;
    const other = AGENT_IDS.find((a) => isBouncerHook(h[l.commandKey], a));
    if (other) notes.add(`\`bouncer hook ${other}\` is ${AGENTS[other].name}'s hook, not this agent's`);
    return false;
  };
  const out: Array<{ event: string; matcher?: unknown }> = [];
  for (const [event, list] of Object.entries(hooks)) {
    if (!Array.isArray(list)) continue;
    for (const item of list) {
      const ours = l.nested ? isRecord(item) && Array.isArray(item.hooks) && item.hooks.some(runs) : runs(item);
      if (ours && isRecord(item)) out.push(Object.hasOwn(item, "matcher") ? { event, matcher: item.matcher } : { event });
    }
  }
  return out;
}

/**
 * Whether Bouncer's hook, as declared in an agent's settings documents (all that apply together),
 * runs before each of the agent's shell and file-write tools: the event must run before tools and
 * its matcher must select the tool. The one reading of "installed" for init, `agents list` and doctor.
 */
export function readHooks(agent: AgentId, docs: readonly unknown[]): HookReading {
  const { events, tools } = AGENTS[agent].gates;
  const notes = new Set<string>();
  const gated: Gated[] = (["shell", "edit"] as const).flatMap((door) =>
    tools[door].length ? tools[door].map((tool): Gated => ({ door, tool, covered: "no" })) : [{ door, covered: "no" as Covered }],
  );
  const found = docs.flatMap((d) => declarations(agent, d, notes));
  for (const d of found) {
    const kind = events[d.event];
    if (!kind) {
      notes.add(`\`bouncer hook ${agent}\` under ${d.event} runs before no tool`);
      continue;
    }
    for (const g of gated) {
      let c: Covered = "no";
      if (kind === "matcher") c = g.tool ? matcherCovers(d.matcher, g.tool, agent) : "unknown";
      // A matcher where the agent documents none: cannot tell what it does.
      else if (kind === "all" || kind === g.door) c = "matcher" in d ? "unknown" : "yes";
      if (RANK[c] > RANK[g.covered]) g.covered = c;
    }
  }
  if (docs.some((d) => isRecord(d) && d.disableAllHooks === true)) {
    notes.add("disableAllHooks is set: no hook runs");
    for (const g of gated) g.covered = "no";
  }
  const state = gated.every((g) => g.covered === "yes") ? "guarded" : gated.some((g) => g.covered !== "no") ? "partial" : "open";
  return { state, gated, notes: [...notes] };
}

/** What a reading leaves open, in words ("file edits are not hooked; the matcher does not cover Write"); "" when guarded. */
export function hookGaps(reading: HookReading): string {
  const out: string[] = [];
  const partly: Gated[] = [];
  for (const door of ["shell", "edit"] as const) {
    const of = reading.gated.filter((g) => g.door === door);
    if (of.every((g) => g.covered === "no")) out.push(`${DOOR_WORDS[door]} are not hooked`);
    else partly.push(...of);
  }
  const named = (c: Covered) => partly.filter((g) => g.covered === c).map((g) => g.tool ?? DOOR_WORDS[g.door]);
  if (named("no").length) out.push(`the matcher does not cover ${named("no").join(", ")}`);
  if (named("unknown").length) out.push(`cannot tell whether the hook runs before ${named("unknown").join(", ")}`);
  return [...out, ...reading.notes].join("; ");
}

/** Whether `item` (a Bouncer entry already under `event`) gates at least what `entry` would. */
function gatesAsMuch(agent: AgentId, event: string, item: unknown, entry: unknown): boolean {
  const has = readHooks(agent, [{ hooks: { [event]: [item] } }]).gated;
  return readHooks(agent, [{ hooks: { [event]: [entry] } }]).gated.every((g, i) => g.covered !== "yes" || has[i]!.covered === "yes");
}

export type Presence = "yes" | "no" | "unreadable";

export interface AgentStatus {
  agent: AgentId;
  /** Settings or marker files of the agent exist at the scope. */
  detected: Record<Scope, boolean>;
  /** "partial": Bouncer's hook is declared but leaves some shell or file-write tool unchecked (or cannot tell). */
  hook: Record<Scope, Presence | "partial">;
  /** What a partial hook leaves open, in words. */
  hookGaps?: Partial<Record<Scope, string>>;
  mcp: Record<Scope, Presence | "n/a">;
}

function hookPresent(text: string | undefined, agent: AgentId, location: SettingsLocation, file: string): HookReading | "unreadable" | undefined {
  if (text === undefined) return undefined;
  try {
    return readHooks(agent, [parseHookSettings(text, location.format, file)]);
  } catch {
    return "unreadable";
  }
}

function mcpPresent(text: string | undefined, location: SettingsLocation, file: string): Presence {
  if (text === undefined) return "no";
  try {
    if (location.format === "toml") return findTable(text, MCP_TABLE) || (parseToml(text, file).mcp_servers as Record<string, unknown> | undefined)?.bouncer ? "yes" : "no";
    return member(member(parseObject(text, file), "mcpServers")?.value, "bouncer") ? "yes" : "no";
  } catch {
    return "unreadable";
  }
}

/** Which agents are set up here and for this user, and where Bouncer's hook and MCP server are installed. */
export function agentStatus(agent: AgentId, places: Places, read: ReadFile): AgentStatus {
  const info = AGENTS[agent];
  const status: AgentStatus = { agent, detected: { project: false, user: false }, hook: { project: "no", user: "no" }, mcp: { project: "n/a", user: "n/a" } };
  for (const scope of ["project", "user"] as const) {
    const base = scope === "project" ? places.cwd : places.home;
    const hooks = info.hooks[scope];
    const mcp = info.mcp[scope];
    const files = [hooks, mcp].filter((l): l is SettingsLocation => Boolean(l)).map((l) => settingsPath(l, scope, places));
    status.detected[scope] = info.markers[scope].some((m) => existsSync(path.join(base, m))) || files.some((f) => existsSync(f));
    if (hooks) {
      const file = settingsPath(hooks, scope, places);
      const reading = hookPresent(read(file), agent, hooks, file);
      status.hook[scope] = reading === undefined ? "no" : reading === "unreadable" ? reading : reading.state === "guarded" ? "yes" : reading.state === "partial" ? "partial" : "no";
      if (status.hook[scope] === "partial" && typeof reading === "object") status.hookGaps = { ...status.hookGaps, [scope]: hookGaps(reading) };
    }
    if (mcp) {
      const file = settingsPath(mcp, scope, places);
      status.mcp[scope] = mcpPresent(read(file), mcp, file);
    }
  }
  return status;
}
