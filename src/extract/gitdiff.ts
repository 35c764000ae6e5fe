// What a change touches, from git: the files it changes against a base revision, and their base text.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { BouncerError } from "../core/errors.ts";

export class GitError extends BouncerError {
  override name = "GitError";
}

export interface Changes {
  /** Absolute paths of files the working tree changes or adds against the base. */
  changed: Set<string>;
  /** The file's text at the base revision, or undefined when the change adds it. */
  baseText(file: string): string | undefined;
}

/** The largest base version of a file read (as large as the scan reads a file): a larger one counts as added. */
const MAX_BASE_BYTES = 64 * 1024 * 1024;

function git(cwd: string, args: string[], maxBuffer = 512 * 1024 * 1024): string {
  return execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer, stdio: ["ignore", "pipe", "pipe"] });
}

/** Runs git in `cwd` and describes the change of the working tree against `rev`. */
export function gitChanges(cwd: string, rev: string): Changes {
  if (!rev || rev.startsWith("-")) throw new GitError(`not a revision: "${rev}"`);
  let root: string;
  try {
    root = git(cwd, ["rev-parse", "--show-toplevel"]).trim();
  } catch {
    throw new GitError(`${cwd} is not inside a git repository`);
  }
  try {
    git(cwd, ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]);
  } catch {
    throw new GitError(`"${rev}" is not a revision of the git repository at ${root}`);
  }
  const changed = new Set<string>();
  const listed = git(root, ["diff", "--name-only", "--no-renames", "-z", rev, "--"]) + git(root, ["ls-files", "--others", "--exclude-standard", "-z"]);
  for (const file of listed.split("\0").filter(Boolean)) changed.add(path.join(root, file));
  return {
    changed,
    baseText(file) {
      const rel = path.relative(root, file).split(path.sep).join("/");
      try {
        return git(root, ["show", `${rev}:${rel}`], MAX_BASE_BYTES);
      } catch {
        return undefined;
      }
    },
  };
}
