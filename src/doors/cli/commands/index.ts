// The command table. Each command's code is loaded only when it runs, so a pass-through of the
// install guard or `bouncer --version` does not pay for the whole engine.
import type { Command } from "./types.ts";

interface Entry {
  usage?: string;
  summary?: string;
  /** Option lines of `bouncer help <command>`, and which shared groups of options apply. */
  options?: string[];
  common?: boolean;
  output?: boolean;
  load(): Promise<Command>;
}

const DATA_DIR = "  --data-dir DIR            index, feed, cache and decision log (also BOUNCER_HOME; default ~/.cache/bouncer)";
const LOG_KEY = "  --log-key FILE            decision-log key, kept outside the data directory (also BOUNCER_LOG_KEY_FILE, or the key in BOUNCER_LOG_KEY)";
const STORE = "  --store URL               postgres://... for a shared store (also BOUNCER_STORE_URL; default: the data directory)";
const STORE_SCHEMA = "  --store-schema NAME       its PostgreSQL schema (also BOUNCER_STORE_SCHEMA; default bouncer)";
const COMMON = [
  "  --offline                 no network: the offline index, the feed and the cache only",
  "  --policy FILE             policy file (default: bouncer.policy.json in the current directory, when present)",
  DATA_DIR,
  "  --npm-registry URL        npm registry (also BOUNCER_NPM_REGISTRY; default https://registry.npmjs.org/)",
  "  --npm-downloads-api URL   npm downloads API (also BOUNCER_NPM_DOWNLOADS_API; default https://api.npmjs.org/downloads/)",
  "  --pypi-url URL            PyPI (also BOUNCER_PYPI_URL; default https://pypi.org/); an explicit option or variable wins over .npmrc and pip configuration",
  "  BOUNCER_GITHUB_API=URL    GitHub REST API for GitHub references (default https://api.github.com/); GITHUB_TOKEN is sent to it alone",
  LOG_KEY,
];
const OUTPUT = [
  "  --json                    one JSON document (same as --format json)",
  "  --format F                text, json, sarif, cyclonedx or markdown",
  "  --strict                  exit 1 on warnings too",
  "  --verbose                 text: every finding, also for allowed packages",
];
const LOG = [
  "  --log, --no-log           write the verdicts to the decision log; default: yes in CI (the CI variable; door ci), no otherwise",
];
const ENVIRONMENT = [
  "environment: BOUNCER_NOW (an ISO time) fixes the clock; NO_COLOR turns colour off, FORCE_COLOR on.",
  "exit codes: 0 nothing blocked, 1 something blocked (--strict: or warned), 2 usage or input error.",
];

// Every installer of every ecosystem gets its install guard, `bouncer <tool>`. The list is loaded only
// when a name is not one of the commands above (or for help): the rest of the CLI starts without it.
const installTools = async (): Promise<readonly string[]> => (await import("../../../ecosystems/installers.ts")).INSTALL_TOOLS;

export const COMMANDS: Record<string, Entry> = {
  check: {
    usage: "bouncer check [--ecosystem npm|pypi|github] [--from FILE|-] [SPEC...]",
    summary: "check packages by purl or name",
    options: ["  -e, --ecosystem E         ecosystem of bare names: npm, pypi or github (owner/repo[/path]@ref)", "  --from FILE|-             read specs from a file (one a line) or standard input", ...LOG],
    common: true,
    output: true,
    load: async () => (await import("./check.ts")).check,
  },
  scan: {
    usage: "bouncer scan [PATH...] [--diff REV] [--text] [--stdin-name NAME]",
    summary: "find and check every dependency in files, folders or text (- reads stdin)",
    options: [
      "  --diff REV                judge only what changed since the git revision REV",
      "  --text                    read the files as prose (install commands, imports)",
      "  --stdin-name NAME         the file name to report for standard input",
      ...LOG,
    ],
    common: true,
    output: true,
    load: async () => (await import("./scan.ts")).scan,
  },
  k8s: {
    usage: "bouncer k8s PATH... [--k8s-version X.Y] [--json] [--format text|json|sarif] [--strict]",
    summary: "check Kubernetes manifests: removed or deprecated APIs, unknown fields, types and enum values, insecure settings, removed flags",
    options: [
      "  PATH                      a manifest, a folder (walked for .yaml, .yml, .json) or - for standard input",
      "                            Helm charts: Chart.yaml and values are skipped; check `helm template` output",
      "                            custom resources are checked against the CRDs found in the same PATHs",
      "  --k8s-version X.Y         the cluster version to check against (default: the newest covered)",
      OUTPUT[0]!,
      "  --format F                text, json or sarif",
      ...OUTPUT.slice(2),
    ],
    load: async () => (await import("./k8s.ts")).k8s,
  },
  index: {
    usage: "bouncer index build --npm FILE --pypi FILE",
    summary: "build the offline index, and the package search index of names and summaries, from registry snapshots (.tsv or .tsv.gz)",
    options: ["  --npm FILE, --pypi FILE   the snapshots", "  --json                    the build statistics as JSON", DATA_DIR],
    load: async () => (await import("./data.ts")).index,
  },
  feeds: {
    usage: "bouncer feeds import PATH...",
    summary: "import known-malicious reports (OSV JSON files, folders, osv.dev-style zips)",
    options: ["  --json                    the import statistics as JSON", DATA_DIR],
    load: async () => (await import("./data.ts")).feeds,
  },
  serve: {
    usage: "bouncer serve [--port N] [--host H] [--token T] [--store URL]",
    summary: "npm and PyPI registry proxy: refuses blocked packages, hides too-young or malicious versions",
    options: [
      "  -p, --port N              port (default 8737; 0 picks a free one)",
      "  --host H                  address to listen on (default 127.0.0.1)",
      "  --token T                 token clients must send (also BOUNCER_PROXY_TOKEN; required off loopback)",
      STORE,
      STORE_SCHEMA,
      "environment (containers): BOUNCER_HOST, BOUNCER_PORT; BOUNCER_VIEWER_TOKEN, BOUNCER_ADMIN_TOKEN (dashboard and",
      "  /metrics; 16+ characters), or BOUNCER_IDENTITY_HEADER (a trusted reverse proxy's user header, off by default)",
      "  with BOUNCER_ADMINS (user names); BOUNCER_CLIENT_TOKENS (clients' own proxy tokens with their team and project,",
      '  for scoped waivers: [{"name":"web-ci","token":"...","team":"web"}]); BOUNCER_POLL_MS (policy and waivers,',
      "  default 2000); BOUNCER_DRAIN_MS (shutdown, default 25000). /healthz, /readyz, /metrics; JSON logs on stderr.",
    ],
    common: true,
    load: async () => (await import("./serve.ts")).serve,
  },
  mcp: {
    usage: "bouncer mcp",
    summary: "serve the Model Context Protocol on stdio, for AI agents",
    common: true,
    load: async () => (await import("./mcp.ts")).mcp,
  },
  audit: {
    usage: "bouncer audit verify|export [--log-key FILE] [--checkpoint FILE] [--json]",
    summary: "verify the hash-chained decision log, or export it as JSON lines",
    options: [
      "  verify                    check the chain; exit 0 intact, 1 not intact, 2 no log at all",
      "  export                    the entries as JSON lines on stdout",
      "  --checkpoint FILE         export: also write a checkpoint of the chain's end (signed with the key) to FILE,",
      "                            to keep outside the data directory; verify: check the log against such a checkpoint",
      LOG_KEY,
      "  --json                    verify: the result as JSON",
      STORE,
      STORE_SCHEMA,
      DATA_DIR,
    ],
    load: async () => (await import("./audit.ts")).audit,
  },
  hook: {
    usage: "bouncer hook claude|codex|gemini|copilot|cursor|windsurf [--budget-ms N]",
    summary: "a coding agent's pre-tool-use hook: reads the tool call on stdin, answers allow, ask or deny in the agent's protocol",
    options: [
      "  --budget-ms N             time the check may take (also BOUNCER_HOOK_BUDGET_MS; default 2/3 of the declared hook timeout)",
      "                            answers follow the agent's protocol: a deny is JSON with exit 0 (Windsurf: exit 2), never a crash",
      "  BOUNCER_OFFLINE=1, BOUNCER_POLICY=FILE work as for the install guard",
    ],
    common: true,
    load: async () => (await import("./hook.ts")).hook,
  },
  init: {
    usage: "bouncer init [--project|--user] [--agent ID]... [--dry-run] [--no-mcp]",
    summary: "install Bouncer's hook (and `bouncer mcp`) into the coding agents set up for this project or user",
    options: [
      "  --project, --user         the project's settings (default) or the user's",
      "  --agent ID                claude, codex, gemini, copilot, cursor or windsurf (repeatable; default: those set up)",
      "  --dry-run                 print the changes as a diff; write nothing",
      "  --no-mcp                  do not register `bouncer mcp`",
      "  --bouncer CMD             how the agents run Bouncer (default: bouncer, on PATH)",
    ],
    load: async () => (await import("./init.ts")).init,
  },
  agents: {
    usage: "bouncer agents [list [--json]] | bouncer agents uninstall [--project|--user] [--agent ID]... [--dry-run]",
    summary: "which coding agents are set up, and where Bouncer is installed; uninstall removes exactly what init added",
    load: async () => (await import("./init.ts")).agents,
  },
  doctor: {
    usage: "bouncer doctor [--json] [--strict]",
    summary: "which doors (agents, installers, registries, CI, commits) are guarded on this project and machine, with a fix for each open one",
    options: ["  --json                    the checks as JSON", "  --strict                  exit 1 when a door is open", DATA_DIR, LOG_KEY],
    load: async () => (await import("./doctor.ts")).doctor,
  },
  policy: {
    usage: "bouncer policy push FILE | show | history [--store URL]",
    summary: "the team's policy: one versioned document in the store, picked up by every `serve` replica within seconds",
    options: [STORE, STORE_SCHEMA, "  --by NAME                 who pushes it (default: BOUNCER_USER or the login name)", "  --json                    as JSON", DATA_DIR],
    load: async () => (await import("./policy.ts")).policy,
  },
  waiver: {
    usage: "bouncer waiver add PACKAGE --reason R --expires 14d [--scope S] | list [--all] | revoke|approve|deny ID",
    summary: "time-limited exceptions for one package (optionally one version); every use is logged",
    options: [
      "  PACKAGE                   a purl (pkg:npm/left-pad, pkg:pypi/requests@2.31.0: one version), or a name with -e npm|pypi",
      "  --reason R                why it may pass (required)",
      "  --expires D               14d, 12h, 30m or an ISO time, at most a year (required); BOUNCER_NOW is the clock",
      "  --scope S                 all (default), team:NAME or project:NAME",
      "  --request                 add as a request, for an admin to approve",
      "  --all                     list: expired, revoked and denied ones too",
      "  --by NAME                 who acts (default: BOUNCER_USER or the login name)",
      "  --json                    as JSON",
      STORE,
      STORE_SCHEMA,
      DATA_DIR,
    ],
    load: async () => (await import("./waiver.ts")).waiver,
  },
  shims: {
    usage: "bouncer shims install DIR",
    summary: "write wrappers so that plain npm, pip, yarn... run through Bouncer when DIR is first on PATH",
    load: async () => (await import("./shims.ts")).shims,
  },
};

/** The command `name` runs: one of the table, or the install guard of an installer; undefined for neither. */
export async function findCommand(name: string): Promise<Entry | undefined> {
  if (Object.hasOwn(COMMANDS, name)) return COMMANDS[name];
  if (!(await installTools()).includes(name)) return undefined;
  return { load: async () => (await import("./guard.ts")).guardFor(name) };
}

const GUARD_HELP = [
  "  Checks the packages the command would install and runs the real tool only when none is blocked.",
  "  `bouncer <tool> --help` is the tool's own help.",
  "",
  "environment (a guard takes no options of its own):",
  "  BOUNCER_OFFLINE=1 checks offline; BOUNCER_POLICY=FILE chooses the policy; BOUNCER_HOME the data directory;",
  "  BOUNCER_NPM_REGISTRY, BOUNCER_NPM_DOWNLOADS_API, BOUNCER_PYPI_URL the registries; BOUNCER_LOG_KEY_FILE",
  "  (or BOUNCER_LOG_KEY) the decision-log key; BOUNCER_NOW fixes the clock; NO_COLOR turns colour off.",
];

/** The help of one command, or undefined when there is no such command. */
export async function commandHelp(name: string): Promise<string | undefined> {
  if (!Object.hasOwn(COMMANDS, name) && (await installTools()).includes(name)) {
    return [`usage: bouncer ${name} ARGS...`, `install guard for ${name}: check what the command would add, then run the real ${name}`, ...GUARD_HELP, ""].join("\n");
  }
  const c = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!c?.usage) return undefined;
  const lines = [`usage: ${c.usage}`, c.summary!, ""];
  const options = [...(c.options ?? []), ...(c.output ? OUTPUT : []), ...(c.common ? COMMON : [])];
  if (options.length) lines.push("options:", ...options, "");
  lines.push(...ENVIRONMENT, "");
  return lines.join("\n");
}

export async function usage(): Promise<string> {
  const lines = ["usage: bouncer <command> [options]", "", "commands:"];
  for (const c of Object.values(COMMANDS)) if (c.usage) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push(`  bouncer ${(await installTools()).join("|")} ARGS...`, "      install guard: check what the command would add, then run the real tool");
  lines.push(
    "",
    "common options: --json, --format text|json|sarif|cyclonedx|markdown, --offline, --policy FILE,",
    "  --data-dir DIR (or BOUNCER_HOME), --strict; BOUNCER_NOW fixes the clock.",
    "exit codes: 0 nothing blocked, 1 something blocked (--strict: or warned), 2 usage or input error.",
    "`bouncer help <command>` or `bouncer <command> --help`: that command's options and variables.",
  );
  return `${lines.join("\n")}\n`;
}
