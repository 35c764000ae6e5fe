// What `bouncer doctor` may read: small configuration files under the project, the user's home and
// configuration folders, and nothing else. Every read is bounded (size, count) and confined (a link
// that leads out of its folder is not followed).
import { execFile } from "node:child_process";
import { readdirSync, realpathSync } from "node:fs";
import path from "node:path";
import { isInside } from "../../engine/fs.ts";

/** Folders listed are cut at this many entries (a workflows folder, PATH entries). */
export const MAX_LISTED = 256;
/** A shim is a short script: only its head is read. */
const MAX_HEAD_BYTES = 64 * 1024;

export interface DoctorReader {
  /** The file's text when it lies (after links) inside `base` and is a small regular file. */
  read(base: string, rel: string): string | undefined;
  /** Whether the path exists inside `base` (file or folder). */
  exists(base: string, rel: string): boolean;
  /** Names in a folder inside `base`, at most MAX_LISTED, sorted. */
  list(base: string, rel: string): string[];
  /** A user's or the system's configuration file by absolute path, wherever its links lead (the user's choice, as PATH is). */
  config(file: string): string | undefined;
  /** The first bytes of an executable found on PATH (anywhere: PATH is the user's choice). */
  head(file: string): string | undefined;
  /** Which of `files` (relative to root) the last commit holds; undefined when root has no git history. */
  tracked(root: string, files: readonly string[]): Promise<Set<string> | undefined>;
}

function real(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function confined(base: string, rel: string): string | undefined {
  const realBase = real(base);
  if (!realBase) return undefined;
  const target = real(path.resolve(base, rel));
  return target && isInside(realBase, target) ? target : undefined;
}

/** A bounded reader of one small regular file: its text, or why not (the CLI's readConfigFile). */
export type ReadSmallFile = (file: string) => { text: string } | { problem: string };

export function diskReader(env: Readonly<Record<string, string | undefined>>, readConfigFile: ReadSmallFile): DoctorReader {
  return {
    read(base, rel) {
      const file = confined(base, rel);
      if (!file) return undefined;
      const r = readConfigFile(file);
      return "text" in r ? r.text : undefined;
    },
    exists: (base, rel) => confined(base, rel) !== undefined,
    list(base, rel) {
      const dir = confined(base, rel);
      if (!dir) return [];
      try {
        const names: string[] = [];
        for (const name of readdirSync(dir)) {
          if (names.length >= MAX_LISTED) break;
          names.push(name);
        }
        return names.sort();
      } catch {
        return [];
      }
    },
    config(file) {
      const r = readConfigFile(file);
      return "text" in r ? r.text : undefined;
    },
    head(file) {
      // A real installer may be a large binary: refused by size, so it is not a shim.
      const r = readConfigFile(file);
      return "text" in r ? r.text.slice(0, MAX_HEAD_BYTES) : undefined;
    },
    tracked(root, files) {
      return new Promise((resolve) => {
        if (!files.length) return resolve(new Set());
        execFile(
          "git",
          ["-C", root, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", ...files],
          { timeout: 10_000, maxBuffer: 1024 * 1024, env: { PATH: env.PATH ?? "", HOME: env.HOME ?? "", GIT_CONFIG_NOSYSTEM: "1" } },
          (error, stdout) => resolve(error ? undefined : new Set(stdout.split("\0").filter(Boolean))),
        );
      });
    },
  };
}
