// The file system a scan reads through. The engine never opens a path by itself: a door hands it a
// root-confined view of the disk, or an in-memory one holding only a snippet. A path written inside
// a scanned file (an include, a link) can therefore never reach outside the scanned root, into
// `.git`, or a device, and no read is larger than its cap.
import { readdirSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { readRegularFile } from "../sources/files.ts";

/** The largest file a scan reads. */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

export type EntryKind = "file" | "directory" | "link" | "other";

export interface DirEntry {
  name: string;
  kind: EntryKind;
}

/** Why a path was not read. Never holds any of the file's content. */
export interface Refused {
  refused: string;
}

export interface ScanFs {
  /** Absolute; every path given to the methods is resolved against it. */
  readonly root: string;
  /** What a path is once links inside the root are followed. */
  stat(file: string): { kind: Exclude<EntryKind, "link">; size: number } | Refused;
  /** A folder's entries, links not followed. */
  list(dir: string): DirEntry[] | Refused;
  /** A regular file's bytes, refused when larger than `limit`. */
  readBytes(file: string, limit?: number): Uint8Array | Refused;
}

export function isRefused(value: unknown): value is Refused {
  return typeof value === "object" && value !== null && "refused" in value;
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
export const tooLarge = (limit: number): Refused => ({ refused: `larger than ${mib(limit)}` });

/** UTF-8 text (a byte-order mark dropped), or why the bytes are not text. */
export function decodeText(bytes: Uint8Array): string | Refused {
  if (bytes.subarray(0, 8192).includes(0)) return { refused: "binary file" };
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    return { refused: "not valid UTF-8 text" };
  }
}

/** A file's text through `fs`, or why it was not read. */
export function readText(fs: ScanFs, file: string, limit = MAX_FILE_BYTES): string | Refused {
  const bytes = fs.readBytes(file, limit);
  return isRefused(bytes) ? bytes : decodeText(bytes);
}

/** Whether `p` is `base` or below it (both absolute and normalised). */
export function isInside(base: string, p: string): boolean {
  const rel = path.relative(base, p);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel));
}

const inGit = (base: string, p: string) => path.relative(base, p).split(path.sep).includes(".git");

function errorReason(error: unknown): Refused {
  const code = (error as NodeJS.ErrnoException).code;
  return { refused: code === "ENOENT" || code === "ENOTDIR" ? "not found" : `cannot be read (${code ?? "error"})` };
}

function kindOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  return s.isSymbolicLink() ? "link" : s.isFile() ? "file" : s.isDirectory() ? "directory" : "other";
}

/** The disk below `root`: paths (and where links lead) outside it or into `.git` are refused. */
export function diskFs(root: string): ScanFs {
  const base = path.resolve(root);
  let realBase: string;
  try {
    realBase = realpathSync(base);
  } catch {
    realBase = base;
  }
  const locate = (file: string): string | Refused => {
    const abs = path.resolve(base, file);
    if (!isInside(base, abs)) return { refused: "outside the scanned folder" };
    if (inGit(base, abs)) return { refused: "inside .git" };
    let real: string;
    try {
      real = realpathSync(abs);
    } catch (error) {
      return errorReason(error);
    }
    if (!isInside(realBase, real)) return { refused: "a link to outside the scanned folder" };
    if (inGit(realBase, real)) return { refused: "a link into .git" };
    return real;
  };
  return {
    root: base,
    stat(file) {
      const real = locate(file);
      if (isRefused(real)) return real;
      try {
        const s = statSync(real);
        return { kind: kindOf(s) as Exclude<EntryKind, "link">, size: s.size };
      } catch (error) {
        return errorReason(error);
      }
    },
    list(dir) {
      const real = locate(dir);
      if (isRefused(real)) return real;
      try {
        return readdirSync(real, { withFileTypes: true }).map((e) => ({ name: e.name, kind: kindOf(e) }));
      } catch (error) {
        return errorReason(error);
      }
    },
    readBytes(file, limit = MAX_FILE_BYTES) {
      const real = locate(file);
      if (isRefused(real)) return real;
      try {
        return readRegularFile(real, { limit, noFollow: true });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        return code === "EFTYPE" ? { refused: "not a regular file" } : code === "EFBIG" ? tooLarge(limit) : errorReason(error);
      }
    },
  };
}

/** A file system holding only the given texts (an MCP snippet, standard input): nothing else exists. */
export function memoryFs(files: Record<string, string>, root = "/"): ScanFs {
  const base = path.resolve(root);
  const texts = new Map(Object.entries(files).map(([name, text]) => [path.resolve(base, name), text]));
  const missing: Refused = { refused: "not part of the scanned text" };
  const childrenOf = (dir: string): DirEntry[] => {
    const seen = new Map<string, EntryKind>();
    for (const file of texts.keys()) {
      if (!isInside(dir, file) || file === dir) continue;
      const [first, ...rest] = path.relative(dir, file).split(path.sep);
      seen.set(first!, rest.length ? "directory" : "file");
    }
    return [...seen].map(([name, kind]) => ({ name, kind }));
  };
  return {
    root: base,
    stat(file) {
      const abs = path.resolve(base, file);
      const text = texts.get(abs);
      if (text !== undefined) return { kind: "file", size: Buffer.byteLength(text) };
      return childrenOf(abs).length ? { kind: "directory", size: 0 } : missing;
    },
    list(dir) {
      const entries = childrenOf(path.resolve(base, dir));
      return entries.length ? entries : missing;
    },
    readBytes(file, limit = MAX_FILE_BYTES) {
      const text = texts.get(path.resolve(base, file));
      if (text === undefined) return missing;
      const bytes = Buffer.from(text, "utf8");
      return bytes.length > limit ? tooLarge(limit) : bytes;
    },
  };
}
