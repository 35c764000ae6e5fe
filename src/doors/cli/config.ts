// Reads options, environment and configuration files into plain engine options. Only doors do this.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { defaultPolicy, type Policy, PolicyError, parsePolicy } from "../../core/policy.ts";
import { loadNpmConfig } from "../../ecosystems/npm/npmrc.ts";
import { loadPipConfig } from "../../ecosystems/pypi/pipconf.ts";
import type { EngineOptions } from "../../engine/setup.ts";
import { type CliIO, UsageError } from "./io.ts";
import { loadLogKey } from "./logkey.ts";

export const POLICY_FILE = "bouncer.policy.json";

export interface CommonFlags {
  offline?: boolean;
  policy?: string;
  "data-dir"?: string;
  "npm-registry"?: string;
  "npm-downloads-api"?: string;
  "pypi-url"?: string;
  "log-key"?: string;
}

export const COMMON_OPTIONS = {
  offline: { type: "boolean" },
  policy: { type: "string" },
  "data-dir": { type: "string" },
  "npm-registry": { type: "string" },
  "npm-downloads-api": { type: "string" },
  "pypi-url": { type: "string" },
  "log-key": { type: "string" },
} as const;

export function dataDir(flags: CommonFlags, io: CliIO, use: { write: boolean } = { write: true }): string {
  const chosen = flags["data-dir"] ?? io.env.BOUNCER_HOME;
  const dir = chosen
    ? path.resolve(io.cwd, chosen)
    : path.join(io.env.XDG_CACHE_HOME || path.join(io.env.HOME || homedir(), ".cache"), "bouncer");
  usableDir(dir, use.write, chosen ? (flags["data-dir"] ? "--data-dir" : "BOUNCER_HOME") : "the default data directory");
  return dir;
}

/**
 * A data directory that cannot be used is the user's to fix (exit 2), found before any work starts.
 * Created one level at a time: Node's recursive mkdir never returns under /proc.
 */
function usableDir(dir: string, write: boolean, what: string): void {
  const fail = (reason: string): never => {
    throw new UsageError(`${what} ${dir} cannot be used: ${reason}`, "choose a writable directory with --data-dir or BOUNCER_HOME");
  };
  const missing: string[] = [];
  let at = dir;
  while (!existsSync(at)) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  if (!missing.length && !statSync(dir).isDirectory()) fail("it is not a directory");
  if (!write) return;
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      fail(code === "ENOTDIR" || code === "EEXIST" ? `${path.dirname(d)} is not a directory` : `cannot create it (${code})`);
    }
  }
  try {
    accessSync(dir, constants.W_OK);
  } catch (error) {
    fail(`not writable (${(error as NodeJS.ErrnoException).code})`);
  }
}

export function clock(io: CliIO): Date {
  const fixed = io.env.BOUNCER_NOW;
  if (!fixed) return new Date();
  const t = Date.parse(fixed);
  if (Number.isNaN(t)) throw new UsageError(`BOUNCER_NOW is not an ISO time: "${fixed}"`, "e.g. BOUNCER_NOW=2026-11-23T12:00:00Z");
  return new Date(t);
}

function readUserFile(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${what} ${file}: ${code === "ENOENT" ? "no such file" : code}`);
  }
}

export function loadPolicy(flags: CommonFlags, io: CliIO): Policy {
  const explicit = flags.policy ? path.resolve(io.cwd, flags.policy) : undefined;
  const found = explicit ?? path.join(io.cwd, POLICY_FILE);
  if (!explicit && !existsSync(found)) return defaultPolicy();
  const text = readUserFile(found, "policy file");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`policy file ${found} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parsePolicy(doc);
  } catch (error) {
    if (error instanceof PolicyError) {
      throw new UsageError(`invalid policy ${found}: ${error.message}`, "see the Policy section of the README");
    }
    throw error;
  }
}

function checkUrl(value: string, what: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error("not http(s)");
  } catch {
    throw new UsageError(`${what} is not an http(s) URL: "${value}"`);
  }
  return value.endsWith("/") ? value : `${value}/`;
}

const readIfExists = (file: string): string | undefined => {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
};

/** Everything the engine needs, from flags, environment, policy and the user's npm/pip configuration. */
export function engineOptions(flags: CommonFlags, io: CliIO, policy = loadPolicy(flags, io)): EngineOptions {
  const home = io.env.HOME || homedir();
  const npmrc = loadNpmConfig({ cwd: io.cwd, home, env: io.env, readFile: readIfExists });
  const pip = loadPipConfig({ env: io.env, home, readFile: readIfExists });
  const pick = (flag: string | undefined, envName: string, fromPolicy: string | undefined, fromTool: string | undefined, fallback: string, what: string) =>
    checkUrl(flag ?? io.env[envName] ?? fromPolicy ?? fromTool ?? fallback, what);
  const npmUrl = pick(flags["npm-registry"], "BOUNCER_NPM_REGISTRY", policy.registries.npm, npmrc.registry, "https://registry.npmjs.org/", "npm registry");
  const pypiUrl = pick(flags["pypi-url"], "BOUNCER_PYPI_URL", policy.registries.pypi, pip.baseUrl, "https://pypi.org/", "PyPI URL");
  const dir = dataDir(flags, io);
  return {
    dataDir: dir,
    logKey: loadLogKey(flags, io, dir),
    offline: Boolean(flags.offline),
    policy,
    now: clock(io),
    registries: {
      npm: npmUrl,
      npmDownloads: pick(flags["npm-downloads-api"], "BOUNCER_NPM_DOWNLOADS_API", policy.registries.npmDownloads, undefined, "https://api.npmjs.org/downloads/", "npm downloads API"),
      pypi: pypiUrl,
    },
    npmScopes: npmrc.scopes,
    // Credentials go only to the registry they were configured for.
    npmAuthorization: npmrc.authFor(npmUrl),
    pypiAuthorization: pip.baseUrl && pip.baseUrl === pypiUrl ? pip.authorization : undefined,
  };
}
