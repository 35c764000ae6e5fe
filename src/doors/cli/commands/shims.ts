// bouncer shims install DIR
import path from "node:path";
import { parseArgs } from "node:util";
import { findRealTool } from "../../guard/guard.ts";
import { installShims } from "../../guard/shims.ts";
import { UsageError } from "../io.ts";
import { INSTALL_TOOLS } from "../../../ecosystems/installers.ts";
import type { Command } from "./types.ts";

const ENTRY = new URL("../../../../bin/bouncer.js", import.meta.url).pathname;

export const shims: Command = {
  async run(args, io) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    const [action, dir, ...extra] = positionals;
    if (action !== "install" || !dir || extra.length) throw new UsageError('shims takes "install DIR"', "bouncer shims install ~/.bouncer/bin");
    const target = path.resolve(io.cwd, dir);
    // A shim for a tool that is not installed would only say "cannot find it" in place of the shell's own message.
    const present = INSTALL_TOOLS.filter((tool) => findRealTool(tool, io.env.PATH, [target]));
    const missing = INSTALL_TOOLS.filter((tool) => !present.includes(tool));
    const result = installShims(target, present, process.execPath, ENTRY);
    io.stdout.write(`wrote ${result.written.length} shims to ${target}${result.written.length ? `: ${result.written.map((f) => path.basename(f)).join(" ")}` : ""}\n`);
    if (missing.length) io.stdout.write(`skipped (not on PATH): ${missing.join(" ")}\n`);
    for (const s of result.skipped) io.stderr.write(`left alone (not a Bouncer shim): ${s}\n`);
    io.stdout.write(`put it first on PATH:  export PATH=${JSON.stringify(target)}:"$PATH"\n`);
    return 0;
  },
};
