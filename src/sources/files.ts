// Reading files that someone else may have put in place (configuration, the log key, data files):
// a FIFO or a device there would block the reader forever (and an agent hook that times out lets the
// tool run), so only regular files are opened, never waiting for a writer, and read to a bound.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";

/** Why a file was not read: "EFTYPE" not a regular file (a FIFO, a device, a folder), "EFBIG" over the limit. */
export class FileRefusedError extends Error {
  readonly code: "EFTYPE" | "EFBIG";
  constructor(file: string, code: "EFTYPE" | "EFBIG", limit?: number) {
    super(code === "EFTYPE" ? `${file} is not a regular file` : `${file} is larger than ${limit} bytes`);
    this.code = code;
  }
}

export interface RegularFileOptions {
  /** Refuse a symbolic link as the last component (O_NOFOLLOW). */
  noFollow?: boolean;
}

/**
 * A read-only descriptor of a regular file: anything else is refused before it is opened (opening
 * some devices acts), and opened non-blocking in case it was swapped for a FIFO meanwhile. Errors of
 * the file system (ENOENT...) are thrown as they are.
 */
export function openRegularFile(file: string, options: RegularFileOptions = {}): number {
  if (!(options.noFollow ? lstatSync : statSync)(file).isFile()) throw new FileRefusedError(file, "EFTYPE");
  const fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (options.noFollow ? constants.O_NOFOLLOW : 0));
  try {
    if (!fstatSync(fd).isFile()) throw new FileRefusedError(file, "EFTYPE");
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/**
 * A regular file's bytes, at most `limit` (a file over it is refused, even one that grows while read).
 * Throws FileRefusedError, or the file system's error.
 */
export function readRegularFile(file: string, options: RegularFileOptions & { limit?: number } = {}): Buffer {
  const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
  const fd = openRegularFile(file, options);
  try {
    const size = fstatSync(fd).size;
    if (size > limit) throw new FileRefusedError(file, "EFBIG", limit);
    // One byte more than expected: a file that grew is read on, up to one byte past the limit.
    let buffer = Buffer.allocUnsafe(size + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limit) throw new FileRefusedError(file, "EFBIG", limit);
        const bigger = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit + 1));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > limit) throw new FileRefusedError(file, "EFBIG", limit);
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * A tool's project folder: the nearest of `start` and its ancestors (64 at most) that holds one of
 * `names` by `has`, as npm finds package.json and uv, Poetry and Pipenv their files; undefined when
 * none does.
 */
export function nearestFolderWith(start: string, names: readonly string[], has: (file: string) => boolean): string | undefined {
  for (let dir = start, n = 0; n < 64; dir = path.dirname(dir), n++) {
    if (names.some((name) => has(path.join(dir, name)))) return dir;
    if (path.dirname(dir) === dir) break;
  }
  return undefined;
}
