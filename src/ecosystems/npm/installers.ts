// npm's installers (npm, npx, pnpm, pnpx, yarn, bun, bunx, and deno's npm: specifiers): the option
// tables from each tool's documented CLI, and which operands name packages that would be fetched
// (installed, added or run).
import type { InstallCommand, InstallTarget } from "../../core/dependency.ts";
import { type Grammar, grammar, hasOption, merge, optionValues, type Parsed, parseArgv, subcommandAt } from "../../formats/argv.ts";
import { command, type InstallerParser, type Installers, installsProject, pathProjects, runsProgram, URL_LIKE } from "../install-grammar.ts";
import { parseNpmSpec } from "./spec.ts";
import { npmRegistryConfig } from "./registry-config.ts";

/** The files, in a project folder, from which each tool's bare install takes what to install. */
const PROJECT_FILES: Record<string, readonly string[]> = {
  npm: ["package.json", "npm-shrinkwrap.json", "package-lock.json"],
  yarn: ["package.json", "yarn.lock"],
  pnpm: ["package.json", "pnpm-lock.yaml"],
  bun: ["package.json", "bun.lock"],
};

const NPM = grammar(
  [
    "registry", "C|prefix", "tag", "w|workspace", "omit", "include", "install-strategy", "cache", "userconfig",
    "globalconfig", "loglevel", "before", "save-prefix", "otp", "scope", "location", "lockfile-version",
    "script-shell", "p|package", "c|call", "node-options", "shell",
  ],
  ["D|save-dev", "P|save-prod", "O|save-optional", "E|save-exact", "B|save-bundle", "g|global", "S|save", "save-peer",
    "no-save", "f|force", "legacy-peer-deps", "strict-peer-deps", "ws|workspaces", "include-workspace-root",
    "y|yes", "no", "ignore-scripts", "dry-run", "package-lock-only", "no-package-lock", "no-audit", "no-fund",
    "prefer-offline", "prefer-online", "offline", "foreground-scripts", "install-links", "global-style",
    "legacy-bundling", "d|loglevel-info", "s|silent", "q|quiet", "no-install", "ignore-existing", "verbose"],
);

const PNPM = grammar(
  [
    "C|dir", "F|filter", "registry", "store-dir", "virtual-store-dir", "allow-build", "reporter", "loglevel",
    "workspace-concurrency", "modules-dir", "lockfile-dir", "node-linker", "package",
  ],
  ["D|save-dev", "P|save-prod", "O|save-optional", "E|save-exact", "g|global", "save-peer", "w|workspace-root",
    "workspace", "r|recursive", "ignore-scripts", "c|shell-mode", "silent", "s", "frozen-lockfile", "prefer-offline",
    "offline", "ignore-workspace-root-check"],
);

const YARN = grammar(
  ["registry", "cwd", "modules-folder", "cache-folder", "network-timeout", "mutex", "link-folder", "global-folder",
    "use-yarnrc", "mode", "p|package"],
  ["D|dev", "P|peer", "O|optional", "E|exact", "T|tilde", "W|ignore-workspace-root-check", "i|interactive", "cached",
    "prefer-offline", "offline", "frozen-lockfile", "ignore-scripts", "silent", "q|quiet", "verbose", "flat"],
);

const BUN = grammar(
  ["registry", "cwd", "c|config", "backend", "cache-dir", "ca", "cafile", "omit", "linker", "network-concurrency",
    "concurrent-scripts", "F|filter"],
  ["d|dev", "D", "development", "optional", "peer", "E|exact", "g|global", "p|production", "trust", "f|force", "no-save",
    "dry-run", "frozen-lockfile", "yarn", "silent", "verbose", "a|analyze", "bun", "save-text-lockfile",
    "lockfile-only", "ignore-scripts", "no-cache", "no-install"],
);

const BUNX = merge(BUN, grammar(["p|package"], []));

/** An npm-side operand, split by the npm spec parser. */
export function parseNpmOperand(spec: string, argIndex: number): InstallTarget {
  const parsed = parseNpmSpec(spec);
  const out: InstallTarget = { spec, name: parsed.name, version: parsed.version, source: parsed.source, argIndex };
  if (parsed.error) out.error = parsed.error;
  return out;
}

/** `npm init foo` runs create-foo; `npm init @scope` runs @scope/create; `@scope/foo` runs @scope/create-foo. */
export function initializerPackage(spec: string): string | null {
  if (spec.startsWith("-") || URL_LIKE.test(spec) || spec.startsWith(".") || spec.startsWith("/")) return null;
  const m = /^(@[^/@]+)(?:\/([^@]+))?(@.+)?$/.exec(spec);
  if (m) return `${m[1]}/${m[2] ? `create-${m[2]}` : "create"}${m[3] ?? ""}`;
  if (spec.includes("/") || spec.includes(":")) return null; // git/host shortcuts
  return spec.startsWith("create-") ? spec : `create-${spec}`;
}

// ---- per-tool parsers ----

const NPM_INSTALL = new Set([
  "install", "i", "add", "in", "ins", "inst", "insta", "instal", "isnt", "isnta", "isntal", "isntall", "install-test", "it",
]);

/** npm subcommands that install the project's tree whatever their operands. */
const NPM_PROJECT = new Set([
  "ci", "clean-install", "ic", "install-clean", "isntall-clean", "install-ci-test", "cit", "clean-install-test", "sit",
  "dedupe", "ddp", "rebuild", "rb",
]);

/** Updates the named packages, or with none the whole project. */
const NPM_UPDATE = new Set(["update", "up", "upgrade", "udpate"]);

/** Where each npm-family tool is told to work in another folder. */
const PROJECT_DIR_OPTION: Record<string, string> = { npm: "prefix", pnpm: "dir", yarn: "cwd", bun: "cwd" };

/**
 * The options written before the subcommand (`yarn --cwd app add x`, `npm --registry URL install x`)
 * count as well, below those written after it.
 */
function withLeadingOptions(p: Parsed, argv: readonly string[], from: number, g: Grammar): Parsed {
  const leading = parseArgv(argv.slice(0, from - 1), 1, g);
  for (const [key, value] of Object.entries(leading.options)) {
    const after = p.options[key];
    p.options[key] = after === undefined ? value : Array.isArray(after) && Array.isArray(value) ? [...value, ...after] : after;
  }
  // Values in command-line order (their indexes are argv's: the slice starts at 0).
  p.valued.unshift(...leading.valued);
  return p;
}

/**
 * Registry installs of the npm family: every operand is a package; with none (or always, for
 * `npm ci`), the project's manifest and lockfile are installed.
 */
function npmAdds(tool: string, sub: string, argv: readonly string[], from: number, g: Grammar, project: "bare" | "always" = "bare"): InstallCommand {
  const p = withLeadingOptions(parseArgv(argv, from, g), argv, from, g);
  const cmd = command(tool, "npm", sub, p);
  const files = PROJECT_FILES[tool]!;
  if (project === "always") return installsProject(cmd, p, files, PROJECT_DIR_OPTION[tool]!);
  for (const x of p.positionals) cmd.adds.push(parseNpmOperand(x.text, x.index));
  cmd.dev = hasOption(p, "save-dev", "dev", "development", "D");
  cmd.global = hasOption(p, "global") || sub === "global add";
  if (!cmd.adds.length && sub !== "add" && sub !== "global add") installsProject(cmd, p, files, PROJECT_DIR_OPTION[tool]!);
  pathProjects(cmd, files);
  return cmd;
}

/** npx-style runners: the package is --package, else the first operand; the rest belongs to the program. */
function npmRunner(tool: string, sub: string, argv: readonly string[], from: number, g: Grammar): InstallCommand {
  // `pnpm --package=x dlx cmd` (pnpm's documented form) names the package before the subcommand.
  const p = withLeadingOptions(parseArgv(argv, from, g, 1), argv, from, g);
  const cmd = command(tool, "npm", sub, p);
  cmd.runs = true;
  const packages = optionValues(p, "package");
  for (const v of packages) cmd.adds.push(parseNpmOperand(v.value, v.index));
  const first = p.positionals[0];
  const shellMode = hasOption(p, "call", "shell-mode");
  if (!packages.length && !shellMode && first) cmd.adds.push(parseNpmOperand(first.text, first.index));
  runsProgram(cmd, argv, p, shellMode);
  return cmd;
}

/** `npm init foo` / `yarn create foo`: runs the create-foo package. */
function npmInitializer(tool: string, sub: string, argv: readonly string[], from: number, g: Grammar): InstallCommand {
  const p = parseArgv(argv, from, g, 1);
  const cmd = command(tool, "npm", sub, p);
  cmd.runs = true;
  const first = p.positionals[0];
  const pkg = first ? initializerPackage(first.text) : null;
  if (first && pkg) cmd.adds.push({ ...parseNpmOperand(pkg, first.index), spec: first.text });
  return cmd;
}

/** The manifest keys whose entries npm installs. */
const DEPENDENCY_KEY = /^(?:dependencies|devDependencies|optionalDependencies|peerDependencies)(?:\.(.+?)|\[(.+?)\])=(.*)$/;

/**
 * `npm pkg set dependencies.x=1.2.3` (or `dependencies[@s/x]=^1`): writes the package into
 * package.json without fetching it; the next install does. Judged as adding it.
 */
function npmPkgSet(argv: readonly string[], from: number): InstallCommand | null {
  const p = parseArgv(argv, from, NPM);
  if (p.positionals[0]?.text !== "set") return null;
  const cmd = command("npm", "npm", "pkg set", p);
  for (const x of p.positionals.slice(1)) {
    const m = DEPENDENCY_KEY.exec(x.text);
    if (!m) continue;
    const name = m[1] ?? m[2]!;
    cmd.adds.push({ ...parseNpmOperand(m[3] ? `${name}@${m[3]}` : name, x.index), spec: x.text });
  }
  return cmd.adds.length ? cmd : null;
}

const npm: InstallerParser = (argv, k) => {
  const found = subcommandAt(argv, k, NPM);
  if (!found) return null;
  if (NPM_INSTALL.has(found.sub)) return npmAdds("npm", "install", argv, found.next, NPM);
  if (NPM_PROJECT.has(found.sub)) return npmAdds("npm", found.sub, argv, found.next, NPM, "always");
  if (NPM_UPDATE.has(found.sub)) return npmAdds("npm", "update", argv, found.next, NPM);
  if (found.sub === "link" || found.sub === "ln") return npmAdds("npm", "link", argv, found.next, NPM);
  if (found.sub === "exec" || found.sub === "x") return npmRunner("npm", "exec", argv, found.next, NPM);
  if (found.sub === "pkg") return npmPkgSet(argv, found.next);
  if (found.sub === "init" || found.sub === "create" || found.sub === "innit") {
    return npmInitializer("npm", "init", argv, found.next, NPM);
  }
  return null;
};

const npx: InstallerParser = (argv, k) => npmRunner("npx", "exec", argv, k, NPM);

const pnpm: InstallerParser = (argv, k) => {
  const found = subcommandAt(argv, k, PNPM);
  if (!found) return null;
  if (found.sub === "add" || found.sub === "install" || found.sub === "i") {
    return npmAdds("pnpm", found.sub === "add" ? "add" : "install", argv, found.next, PNPM);
  }
  if (found.sub === "update" || found.sub === "up" || found.sub === "upgrade") return npmAdds("pnpm", "update", argv, found.next, PNPM);
  if (found.sub === "dlx") return npmRunner("pnpm", "dlx", argv, found.next, PNPM);
  if (found.sub === "create") return npmInitializer("pnpm", "create", argv, found.next, PNPM);
  return null;
};

const pnpx: InstallerParser = (argv, k) => npmRunner("pnpx", "dlx", argv, k, PNPM);

const yarn: InstallerParser = (argv, k) => {
  let found = subcommandAt(argv, k, YARN);
  // A bare `yarn` (options only, not --version or --help) installs the project.
  if (!found) return argv.slice(k).some((a) => a === "--" || /^(?:-v|--version|-h|--help)$/.test(a)) ? null : npmAdds("yarn", "install", argv, k, YARN);
  if (found.sub === "workspace") {
    // yarn workspace <name> add <pkg>
    found = subcommandAt(argv, found.next + 1, YARN);
    if (!found) return null;
  }
  if (found.sub === "global") {
    const inner = subcommandAt(argv, found.next, YARN);
    return inner?.sub === "add" ? npmAdds("yarn", "global add", argv, inner.next, YARN) : null;
  }
  if (found.sub === "add" || found.sub === "install") return npmAdds("yarn", found.sub, argv, found.next, YARN);
  if (found.sub === "dlx") return npmRunner("yarn", "dlx", argv, found.next, YARN);
  if (found.sub === "create") return npmInitializer("yarn", "create", argv, found.next, YARN);
  return null;
};

const bun: InstallerParser = (argv, k) => {
  const found = subcommandAt(argv, k, BUN);
  if (!found) return null;
  if (found.sub === "add" || found.sub === "a" || found.sub === "install" || found.sub === "i") {
    return npmAdds("bun", found.sub.startsWith("a") ? "add" : "install", argv, found.next, BUN);
  }
  if (found.sub === "x") return npmRunner("bunx", "x", argv, found.next, BUNX);
  if (found.sub === "create" || found.sub === "c") return npmInitializer("bun", "create", argv, found.next, BUN);
  return null;
};

const bunx: InstallerParser = (argv, k) => npmRunner("bunx", "x", argv, k, BUNX);

/** Deno's options that take a separate value (its permission flags take theirs with `=`). */
const DENO = grammar(
  ["c|config", "import-map", "lock", "L|log-level", "cert", "location", "seed", "v8-flags", "env-file", "n|name", "root", "allow-scripts"],
  ["D|dev", "g|global", "f|force", "A|allow-all", "q|quiet", "frozen", "no-lock", "no-config", "reload", "r"],
);
/** Deno fetches `npm:` specifiers from the npm registry; `jsr:` ones from JSR, which Bouncer does not read. */
const npmSpecOf = (text: string) => (/^npm:/i.test(text) ? text.slice(4) : undefined);

const deno: InstallerParser = (argv, k) => {
  const found = subcommandAt(argv, k, DENO);
  if (!found) return null;
  const p = parseArgv(argv, found.next, DENO, found.sub === "run" || found.sub === "x" ? 1 : Number.POSITIVE_INFINITY);
  const npmOperands = p.positionals.flatMap((x) => {
    const spec = npmSpecOf(x.text);
    return spec ? [parseNpmOperand(spec, x.index)] : [];
  });
  if (found.sub === "add" || ((found.sub === "install" || found.sub === "i") && p.positionals.length)) {
    const cmd = command("deno", "npm", "add", p);
    cmd.adds.push(...npmOperands);
    cmd.dev = hasOption(p, "dev");
    cmd.global = hasOption(p, "global");
    return cmd;
  }
  // `deno install` with no operand installs the project's package.json dependencies.
  if (found.sub === "install" || found.sub === "i") return installsProject(command("deno", "npm", "install", p), p, ["package.json"]);
  // `deno run npm:x`, `deno x npm:x`: fetches and runs the package.
  if ((found.sub === "run" || found.sub === "x") && npmOperands.length) {
    const cmd = command("deno", "npm", found.sub, p);
    cmd.runs = true;
    cmd.adds.push(...npmOperands);
    return cmd;
  }
  return null;
};

export const npmInstallers: Installers = {
  ecosystem: "npm",
  registryConfig: npmRegistryConfig,
  tools: { npm, npx, pnpm, pnpx, yarn, bun, bunx, deno },
  installsNothing: {
    npm: ["--version", "-v", "help", "test", "t", "run", "run-script", "ls", "list", "config", "outdated", "view", "whoami"],
    pnpm: ["--version", "-v", "help", "test", "run", "ls", "list", "outdated", "config"],
    yarn: ["--version", "-v", "help", "test", "run", "list", "info", "config"],
    bun: ["--version", "-v", "help", "test"],
    deno: ["--version", "-V", "help", "fmt", "lint", "test", "check", "doc", "bench"],
  },
};
