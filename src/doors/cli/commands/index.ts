// The command table. Each command's code is loaded only when it runs, so a pass-through of the
// install guard or `bouncer --version` does not pay for the whole engine.
import type { Command } from "./types.ts";

interface Entry {
  usage?: string;
  summary?: string;
  load(): Promise<Command>;
}

const GUARDED = ["npm", "npx", "pnpm", "pnpx", "yarn", "bun", "bunx", "pip", "pip3", "uv", "uvx", "poetry", "pipx", "pdm", "pipenv"];

export const COMMANDS: Record<string, Entry> = {
  check: {
    usage: "bouncer check [--ecosystem npm|pypi] [--from FILE|-] [SPEC...]",
    summary: "check packages by purl or name",
    load: async () => (await import("./check.ts")).check,
  },
  scan: {
    usage: "bouncer scan [PATH...] [--diff REV] [--text] [--stdin-name NAME]",
    summary: "find and check every dependency in files, folders or text (- reads stdin)",
    load: async () => (await import("./scan.ts")).scan,
  },
  k8s: {
    usage: "bouncer k8s PATH... [--k8s-version X.Y] [--json] [--format text|json|sarif] [--strict]",
    summary: "check Kubernetes manifests: removed or deprecated APIs, unknown fields, insecure settings, removed flags",
    load: async () => (await import("./k8s.ts")).k8s,
  },
  index: {
    usage: "bouncer index build --npm FILE --pypi FILE",
    summary: "build the offline index from registry name snapshots (.tsv or .tsv.gz)",
    load: async () => (await import("./data.ts")).index,
  },
  feeds: {
    usage: "bouncer feeds import PATH...",
    summary: "import known-malicious reports (OSV JSON files, folders, osv.dev-style zips)",
    load: async () => (await import("./data.ts")).feeds,
  },
  serve: {
    usage: "bouncer serve [--port N] [--host H] [--token T]",
    summary: "npm and PyPI registry proxy: refuses blocked packages, hides too-young or malicious versions",
    load: async () => (await import("./serve.ts")).serve,
  },
  mcp: {
    usage: "bouncer mcp",
    summary: "serve the Model Context Protocol on stdio, for AI agents",
    load: async () => (await import("./mcp.ts")).mcp,
  },
  audit: {
    usage: "bouncer audit verify|export [--json]",
    summary: "verify the hash-chained decision log, or export it as JSON lines",
    load: async () => (await import("./audit.ts")).audit,
  },
  shims: {
    usage: "bouncer shims install DIR",
    summary: "write wrappers so that plain npm, pip, yarn... run through Bouncer when DIR is first on PATH",
    load: async () => (await import("./shims.ts")).shims,
  },
  ...Object.fromEntries(GUARDED.map((tool) => [tool, { load: async () => (await import("./guard.ts")).guardFor(tool) }])),
};

export const GUARDED_TOOLS: readonly string[] = GUARDED;

export function usage(): string {
  const lines = ["usage: bouncer <command> [options]", "", "commands:"];
  for (const c of Object.values(COMMANDS)) if (c.usage) lines.push(`  ${c.usage}`, `      ${c.summary}`);
  lines.push(`  bouncer ${GUARDED.join("|")} ARGS...`, "      install guard: check what the command would add, then run the real tool");
  lines.push(
    "",
    "common options: --json, --format text|json|sarif|cyclonedx|markdown, --offline, --policy FILE,",
    "  --data-dir DIR (or BOUNCER_HOME), --strict; BOUNCER_NOW fixes the clock.",
    "exit codes: 0 nothing blocked, 1 something blocked (--strict: or warned), 2 usage or input error.",
  );
  return `${lines.join("\n")}\n`;
}
