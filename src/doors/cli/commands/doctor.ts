// bouncer doctor: which doors are guarded on this project and machine, each open one with its fix.
import { homedir } from "node:os";
import { parseArgs } from "node:util";
import { runDoctor } from "../../doctor/doctor.ts";
import { diskReader } from "../../doctor/reader.ts";
import { formatDoctor } from "../../../report/doctor.ts";
import { styleFor } from "../../../report/style.ts";
import { clock, COMMON_OPTIONS, dataDir, readConfigFile } from "../config.ts";
import { loadLogKey } from "../logkey.ts";
import { INSTALL_TOOLS } from "../../../ecosystems/installers.ts";
import type { Command } from "./types.ts";

export const doctor: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { ...COMMON_OPTIONS, json: { type: "boolean" }, strict: { type: "boolean" } },
      allowPositionals: false,
      strict: true,
    });
    // Doctor only looks: it creates no data directory.
    const dir = dataDir(values, io, { write: false });
    const report = await runDoctor({
      root: io.cwd,
      home: io.env.HOME || homedir(),
      env: io.env,
      now: clock(io),
      dataDir: dir,
      logKey: loadLogKey(values, io, dir),
      tools: INSTALL_TOOLS,
      reader: diskReader(io.env, readConfigFile),
    });
    io.stdout.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctor(report, styleFor(io.stdoutIsTTY, io.env)));
    // A door guarded only in part fails --strict too.
    return values.strict && report.summary.open + report.summary.partial > 0 ? 1 : 0;
  },
};
