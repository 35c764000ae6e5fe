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
const COMMON = [
  "  --offline                 no network: the offline index, the feed and the cache only",
  "  --policy FILE             policy file (default: bouncer.policy.json in the current directory, when present)",
  DATA_DIR,
  "  --npm-registry URL        npm registry (also BOUNCER_NPM_REGISTRY; default https://registry.npmjs.org/)",
  "  --npm-downloads-api URL   npm downloads API (also BOUNCER_NPM_DOWNLOADS_API; default https://api.npmjs.org/downloads/)",
  "  --pypi-url URL            PyPI (also BOUNCER_PYPI_URL; default https://pypi.org/); an explicit option or variable wins over .npmrc and pip configuration",
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
    usage: "bouncer check [--ecosystem npm|pypi] [--from FILE|-] [SPEC...]",
    summary: "check packages by purl or name",
    options: ["  -e, --ecosystem npm|pypi  ecosystem of bare names", "  --from FILE|-             read specs from a file (one a line) or standard input", ...LOG],
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
    summary: "build the offline index from registry name snapshots (.tsv or .tsv.gz)",
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
    usage: "bouncer serve [--port N] [--host H] [--token T]",
    summary: "npm and PyPI registry proxy: refuses blocked packages, hides too-young or malicious versions",
    options: [
      "  -p, --port N              port (default 8737; 0 picks a free one)",
      "  --host H                  address to listen on (default 127.0.0.1)",
      "  --token T                 token clients must send (also BOUNCER_PROXY_TOKEN; required off loopback)",
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
      DATA_DIR,
    ],
    load: async () => (await import("./audit.ts")).audit,
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
