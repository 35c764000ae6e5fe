// What a command line does to where packages come from and to the guard itself, besides the files it
// writes (./shell-writes.ts): registry options and `config set` of the installers, variables that
// choose a registry or configure Bouncer, and `bouncer` commands that lower the guard. Light: the
// triage reads it before the engine loads.
import path from "node:path";
import { excerpt } from "../../core/excerpt.ts";
import { INSTALL_TOOLS, REGISTRY_COMMANDS } from "../../ecosystems/installers.ts";
import type { SimpleCommand } from "../../extract/shell.ts";
import { REMOVERS, removesRecursively } from "./shell-writes.ts";

/** A setting a change adds to a file, or a command line sets, that chooses where packages are fetched from. */
export interface RegistryChange {
  /** Relative to the call's folder; none for a command line's own setting. */
  file?: string;
  setting: string;
  /** The ecosystem whose installers read the file. */
  ecosystem: string;
}

/** A change to the guard itself: Bouncer's trusted policy, data or log key, an agent's hook settings, a `bouncer` command that lowers it. */
export interface GuardChange {
  /** Relative to the call's folder where it lies inside it; none for what the command line itself does. */
  file?: string;
  /** What it is ("Bouncer's trusted policy"). */
  what: string;
  /** What the call does to it ("writes it", "removes it with rm"). */
  how: string;
}

const isBouncerVariable = (name: string) => /^BOUNCER_/i.test(name);
/** The ecosystem whose installers a variable points at another registry, if it does. */
const registryOfVariable = (name: string) => REGISTRY_COMMANDS.find((r) => r.isRegistryVariable(name));

/** Bouncer commands that lower the guard: removing its hooks, granting waivers, replacing the team's policy or the offline index. */
const LOWERING = /^(?:agents\s+uninstall|waiver\s+(?:add|approve)|policy\s+push|index\s+build)\b/;

/** What a command line does to the guard, and to where packages come from, besides the files it writes. */
export function commandChanges(commands: readonly SimpleCommand[]): { registry: RegistryChange[]; guard: GuardChange[] } {
  const registry: RegistryChange[] = [];
  const guard: GuardChange[] = [];
  for (const c of commands) {
    const name = path.basename(c.argv[0] ?? "");
    // Variables set for the command, or exported for the ones after it.
    const exported = ["export", "declare", "typeset", "readonly", "local"].includes(name) ? c.argv.slice(1).filter((w) => w.includes("=")) : [];
    const setenv = name === "setenv" || (name === "set" && c.argv.some((w) => /^-[a-zA-Z]*x/.test(w))) ? [c.argv.filter((w) => !w.startsWith("-")).slice(1).join("=")] : [];
    for (const assignment of [...(c.assignments ?? []), ...exported, ...setenv]) {
      const variable = assignment.slice(0, Math.max(0, assignment.indexOf("=")));
      if (isBouncerVariable(variable)) guard.push({ what: "Bouncer's own configuration", how: `sets ${variable}` });
      const config = registryOfVariable(variable);
      if (config) registry.push({ setting: assignment, ecosystem: config.ecosystem });
    }
    for (const config of REGISTRY_COMMANDS) for (const setting of config.commandSettings(c.argv)) registry.push({ setting, ecosystem: config.ecosystem });
    // `bouncer …`, `npx bouncer …`, `node bin/bouncer.js …`.
    const at = c.argv.slice(0, 3).findIndex((w) => /^bouncer(?:\.js|\.cmd)?$/i.test(path.basename(w)));
    if (at >= 0 && LOWERING.test(c.argv.slice(at + 1).filter((w) => !w.startsWith("-")).join(" "))) {
      guard.push({ what: "Bouncer's protection", how: `runs \`${excerpt(c.argv.join(" "), 120)}\`` });
    }
  }
  return { registry, guard };
}

/** Names the guard's files and folders may have: Bouncer's, and the agents' settings folders and files (patterns of literals: linear). */
const GUARD_NAME = /bouncer|\.(?:claude|codex|gemini|cursor|windsurf|codeium|copilot|github)(?:[\\/]|$)/i;
/** A settings file's own name, anchored at both ends (one start position: linear on any word). */
const GUARD_FILE = /^(?:settings|hooks|policy)[^\\/]*\.json$/i;

/**
 * Whether a removal may take part of the guard, by the words alone (the hook's triage, before the
 * guard's own paths are known): one that names what may be the guard's, or a recursive one of a
 * folder that may hold it (`.`, a glob, a path out of the working folder or from the home folder).
 * `rm -rf node_modules dist` is none of these: it goes by without the engine.
 */
export function mayRemoveGuard(c: SimpleCommand, dataDirName?: string): boolean {
  const name = path.basename(c.argv[0] ?? "");
  if (!REMOVERS.has(name) && name !== "mv") return false;
  const words = c.words.slice(1);
  const recursive = removesRecursively(c);
  const wide = (w: { text: string }) => /^(?:\/|~|\.\.?(?:\/|$))|[*?[]|\.\.(?:\/|$)/.test(w.text) || w.text === ".";
  return words.some((w) => !w.text.startsWith("-") && (w.dynamic || mayNameGuard(w.text, dataDirName) || (recursive && wide(w))));
}

/** Whether a path may be one of the guard's files, by its text alone (`dataDirName`: the last part of a data folder chosen by BOUNCER_HOME). */
export function mayNameGuard(file: string, dataDirName?: string): boolean {
  return GUARD_NAME.test(file) || GUARD_FILE.test(path.basename(file)) || (dataDirName !== undefined && file.includes(dataDirName));
}

const INSTALLER_TOOL = new RegExp(`^(?:${INSTALL_TOOLS.join("|")})(?:\\.exe|\\.cmd)?$`, "i");
/** An installer's name inside a word (`$(which npm)`, `${PM:-pnpm}`). */
const NAMES_INSTALLER = new RegExp(`(?:^|[^\\w.-])(?:${INSTALL_TOOLS.join("|")})(?![\\w-])`, "i");

/** Subcommands that install (or run a package) in some installer: a program named at run time followed by one may be an installer. */
const INSTALL_VERBS = new Set(["install", "i", "add", "ci", "sync", "exec", "dlx", "x", "create", "update", "up", "upgrade"]);

/**
 * Commands whose program or installer subcommand is known only when they run, where that may be an
 * install (`$PM install x`, `$(which npm) install x`, `$PY -m pip install x`, `npm $CMD x`): what
 * they install cannot be told.
 */
export function unknownPrograms(commands: readonly SimpleCommand[]): Array<{ file: string; how: string }> {
  const out: Array<{ file: string; how: string }> = [];
  for (const c of commands) {
    const [program, ...rest] = c.words;
    if (!program) continue;
    const sub = rest.find((w) => !w.text.startsWith("-"));
    const shown = `\`${excerpt(c.argv.join(" "), 80)}\``;
    const mayInstall = NAMES_INSTALLER.test(program.text) || rest.some((w) => INSTALL_VERBS.has(w.text) || INSTALLER_TOOL.test(w.text));
    if (program.dynamic && mayInstall) out.push({ file: shown, how: "runs a program named only when it runs" });
    else if (!program.dynamic && INSTALLER_TOOL.test(path.basename(program.text)) && sub?.dynamic) out.push({ file: shown, how: `gives ${path.basename(program.text)} a command known only when it runs` });
  }
  return out;
}

/** Shell startup files and direnv's `.envrc`: a variable set there reaches every later install. */
export const SHELL_ENV_FILE = /(?:^|[\\/])(?:\.bashrc|\.bash_profile|\.bash_login|\.profile|\.zshrc|\.zprofile|\.zshenv|\.zlogin|\.kshrc|\.envrc|config\.fish)$/;

/**
 * The settings a shell startup file holds that choose where installers fetch from, or steer Bouncer
 * or the installers themselves: registry and BOUNCER_ variables, and aliases or functions named
 * like an installer.
 */
export function shellEnvSettings(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const assignment = /^\s*(?:export\s+|declare\s+-x\s+|set\s+-[a-zA-Z]*x[a-zA-Z]*\s+|setenv\s+)?([A-Za-z_][\w@:]*)(?:=|\s+\S)/.exec(line);
    const name = assignment?.[1];
    if (name && (isBouncerVariable(name) || registryOfVariable(name))) out.push(line.trim());
    else {
      // `alias npm=…`, `function npm`, `npm() {`: the installer's name now runs something else.
      const shadow = /^\s*(?:alias\s+([\w.-]+)=|function\s+([\w.-]+)\b|([\w.-]+)\s*\(\s*\))/.exec(line);
      const shadowed = shadow && (shadow[1] ?? shadow[2] ?? shadow[3]);
      if (shadowed && INSTALLER_TOOL.test(shadowed)) out.push(line.trim());
    }
  }
  return out;
}
