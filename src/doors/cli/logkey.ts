// The decision-log key: held outside the data directory, so that whoever can write the log cannot
// recompute its MACs. From --log-key FILE, BOUNCER_LOG_KEY_FILE, or the key itself in BOUNCER_LOG_KEY.
import { realpathSync } from "node:fs";
import path from "node:path";
import { isInside } from "../../engine/fs.ts";
import { readRegularFile } from "../../sources/files.ts";
import { type CliIO, UsageError } from "./io.ts";

const MIN_KEY_BYTES = 16;
const MAX_KEY_FILE_BYTES = 4096;
const HINT = "make one with: openssl rand -hex 32 > ~/.config/bouncer/log.key (kept outside the data directory)";

function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

function readKeyFile(file: string): Buffer {
  try {
    return readRegularFile(file, { limit: MAX_KEY_FILE_BYTES });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // A FIFO or a device would block the read (every command, the agent hook too): only a small regular file is read.
    if (code === "EFTYPE" || code === "EFBIG") throw new UsageError(`the log key ${file} is not a key file (a small regular file)`, HINT);
    throw new UsageError(`cannot read the log key ${file}: ${code === "ENOENT" ? "no such file" : code}`, HINT);
  }
}

/** The key, or undefined when none is configured; a key that is unusable or kept in the data directory is refused. */
export function loadLogKey(flags: { "log-key"?: string }, io: CliIO, dataDir: string): Uint8Array | undefined {
  const file = flags["log-key"] ?? (io.env.BOUNCER_LOG_KEY_FILE || undefined);
  let key: Buffer;
  if (file) {
    const full = path.resolve(io.cwd, file);
    const dir = realOrResolved(dataDir);
    const real = realOrResolved(full);
    if (isInside(dir, real)) {
      throw new UsageError(`the log key ${file} is inside the data directory ${dataDir}, where it anchors nothing`, HINT);
    }
    key = Buffer.from(readKeyFile(full).toString("utf8").trim());
  } else if (io.env.BOUNCER_LOG_KEY) {
    key = Buffer.from(io.env.BOUNCER_LOG_KEY.trim());
  } else return undefined;
  if (key.length < MIN_KEY_BYTES) throw new UsageError(`the log key is too short (${key.length} bytes; at least ${MIN_KEY_BYTES})`, HINT);
  return key;
}
