// A local registry server and the environment that points Bouncer's CLI at it, with its own
// home and data directories and the fixed clock.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { FIXED_NOW, type RegistryServer, type RegistryServerOptions, startRegistryServer } from "./registry-server.ts";

export interface CliEnv {
  server: RegistryServer;
  env: Record<string, string>;
}

export async function startCliEnv(options: RegistryServerOptions = {}): Promise<CliEnv> {
  const server = await startRegistryServer(options);
  const env = cliEnvFor(server, mkdtempSync(path.join(tmpdir(), "home-")), { data: mkdtempSync(path.join(tmpdir(), "bouncer-")) });
  return { server, env };
}

/** The environment that points the CLI at `server`: HOME `home`, data in `data` (default `home/data`), the fixed clock. */
export function cliEnvFor(
  server: Pick<RegistryServer, "npmBase" | "downloadsBase" | "pypiBase">,
  home: string,
  opts: { data?: string; path?: string } = {},
): Record<string, string> {
  return {
    PATH: opts.path ?? process.env.PATH ?? "",
    HOME: home,
    BOUNCER_HOME: opts.data ?? path.join(home, "data"),
    BOUNCER_NOW: FIXED_NOW,
    BOUNCER_NPM_REGISTRY: server.npmBase,
    BOUNCER_NPM_DOWNLOADS_API: server.downloadsBase,
    BOUNCER_PYPI_URL: server.pypiBase,
  };
}
