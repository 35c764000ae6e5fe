// bouncer shims install DIR
import path from "node:path";
import { parseArgs } from "node:util";
import { installShims } from "../../guard/shims.ts";
import { UsageError } from "../io.ts";
import { GUARDED_TOOLS } from "./index.ts";
import type { Command } from "./types.ts";

const ENTRY = new URL("../../../../bin/bouncer.js", import.meta.url).pathname;

export const shims: Command = {
  async run(args, io) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    const [action, dir, ...extra] = positionals;
    if (action !== "install" || !dir || extra.length) throw new UsageError('shims takes "install DIR"', "bouncer shims install ~/.bouncer/bin");
    const target = path.resolve(io.cwd, dir);
    const result = installShims(target, GUARDED_TOOLS, process.execPath, ENTRY);
    io.stdout.write(`wrote ${result.written.length} shims to ${target}\n`);
    for (const s of result.skipped) io.stderr.write(`left alone (not a Bouncer shim): ${s}\n`);
    io.stdout.write(`put it first on PATH:  export PATH=${JSON.stringify(target)}:"$PATH"\n`);
    return 0;
  },
};
