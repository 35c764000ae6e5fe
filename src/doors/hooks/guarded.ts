// The files that make up the guard itself: Bouncer's trusted policy, its data folder (the decision log,
// the feed, the index, the waivers) and log key, and the settings where each coding agent declares its
// hooks. An agent that edits, overwrites or removes one of them turns the gate off or steers it (a
// policy that allows everything, `"disableAllHooks": true`, a deleted log), so such a change is the
// user's to make: the hook asks where the agent can ask and refuses elsewhere.
import path from "node:path";
import { isInside } from "../../engine/fs.ts";
import { AGENT_IDS, AGENTS, managedPath, settingsPath } from "./agents.ts";

export interface GuardPlaces {
  /** The project root. */
  cwd: string;
  home: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Bouncer's trusted policy files (present or not). */
  policyFiles: readonly string[];
  /** Bouncer's data folder. */
  dataDir: string;
  /** The log key file, when one is configured. */
  logKeyFile?: string;
}

export interface GuardedPaths {
  /** What the file (absolute) is to the guard ("Bouncer's trusted policy"), undefined when it is none of it. */
  describe(file: string): string | undefined;
  /** What a recursive removal of `dir` (absolute) would take of the guard, undefined when nothing. */
  underneath(dir: string): string | undefined;
}

/** Settings formats an agent reads hooks (and its switch for them) from. */
const SETTINGS_FILE = /\.(?:json|jsonc|toml)$/i;

export function guardedPaths(places: GuardPlaces): GuardedPaths {
  const files = new Map<string, string>();
  for (const file of places.policyFiles) files.set(path.resolve(file), "Bouncer's trusted policy");
  if (places.logKeyFile) files.set(path.resolve(places.logKeyFile), "the key that anchors Bouncer's decision log");
  // Each agent reads its hooks from every settings file in these folders (Claude's settings.local.json,
  // Codex's config.toml, Copilot's hooks folder), so the folder's settings files are guarded, not one name.
  const settingsDirs = new Map<string, string>();
  // A project's folder wherever it lies (the call may run in a subfolder of the project): by its end.
  const projectDirs = new Map<string, string>();
  for (const id of AGENT_IDS) {
    const agent = AGENTS[id];
    const what = `${agent.name}'s settings, where Bouncer's hook is declared`;
    for (const scope of ["project", "user"] as const) {
      const at = agent.hooks[scope];
      if (at) settingsDirs.set(path.dirname(settingsPath(at, scope, places)), what);
    }
    if (agent.hooks.project) projectDirs.set(path.join(path.sep, path.dirname(agent.hooks.project.file)), what);
    const managed = managedPath(agent);
    if (managed) files.set(managed, what);
  }
  const settingsOf = (dir: string) => settingsDirs.get(dir) ?? [...projectDirs].find(([end]) => dir.endsWith(end))?.[1];
  if (places.env.CODEX_HOME) settingsDirs.set(path.resolve(places.env.CODEX_HOME), `${AGENTS.codex.name}'s settings, where Bouncer's hook is declared`);
  const dataDir = path.resolve(places.dataDir);
  const data = "Bouncer's data (its decision log, feed, index and waivers)";
  return {
    describe(file) {
      const full = path.resolve(file);
      const named = files.get(full);
      if (named) return named;
      if (isInside(dataDir, full)) return data;
      return SETTINGS_FILE.test(full) ? settingsOf(path.dirname(full)) : undefined;
    },
    underneath(dir) {
      const full = path.resolve(dir);
      if (isInside(full, dataDir) || isInside(dataDir, full)) return data;
      for (const [file, what] of files) if (isInside(full, file)) return what;
      for (const [folder, what] of settingsDirs) if (isInside(full, folder)) return what;
      return settingsOf(full);
    },
  };
}
