// What a change adds, from `git diff`: the lines each file gains against a base revision.
import { execFileSync } from "node:child_process";
import path from "node:path";

export class GitError extends Error {
  override name = "GitError";
}

/** Added line numbers per file (paths relative to the repository root), parsed from a unified diff. */
export function parseAddedLines(diff: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | undefined;
  let line = 0;
  for (const text of diff.split("\n")) {
    if (text.startsWith("+++ ")) {
      const target = text.slice(4).trim();
      if (target === "/dev/null") current = undefined;
      else {
        const file = target.replace(/^"?b\//, "").replace(/"$/, "");
        current = new Set();
        out.set(file, current);
      }
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(text);
    if (hunk) {
      line = Number(hunk[1]);
      continue;
    }
    if (!current || text.startsWith("--- ") || text.startsWith("diff ") || text.startsWith("index ")) continue;
    if (text.startsWith("+")) current.add(line++);
    else if (text.startsWith(" ")) line++;
  }
  return out;
}

/** Runs git in `cwd`: added lines of the working tree against `rev`, keyed by absolute path. */
export function gitAddedLines(cwd: string, rev: string): Map<string, Set<number>> {
  if (rev.startsWith("-")) throw new GitError(`not a revision: ${rev}`);
  let root: string;
  let diff: string;
  try {
    root = execFileSync("git", ["rev-parse", "--show-toplevel"], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const msg = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new GitError(msg ? `git: ${msg.split("\n")[0]}` : `"${rev}" is not a revision of the git repository at ${cwd}`);
  }
  try {
    diff = execFileSync("git", ["diff", "--no-color", "--no-ext-diff", "--unified=0", "--no-renames", rev, "--"], {
      cwd,
      encoding: "utf8",
      maxBuffer: 512 * 1024 * 1024,
      stdio: ["ignore", "pipe", "pipe"],
    });
    // Untracked files are wholly added.
    const untracked = execFileSync("git", ["ls-files", "--others", "--exclude-standard", "-z"], { cwd: root, encoding: "utf8" });
    const added = parseAddedLines(diff);
    const out = new Map<string, Set<number>>();
    for (const [file, lines] of added) out.set(path.join(root, file), lines);
    for (const file of untracked.split("\0").filter(Boolean)) out.set(path.join(root, file), new Set([-1]));
    return out;
  } catch (error) {
    throw new GitError(`git diff failed: ${(error as Error).message.split("\n")[0]}`);
  }
}

/** Does a dependency found at `line` of `file` belong to what the change adds? */
export function isAdded(added: Map<string, Set<number>>, file: string, line: number | undefined): boolean {
  const lines = added.get(file);
  if (!lines) return false;
  if (lines.has(-1)) return true;
  return line === undefined ? lines.size > 0 : lines.has(line);
}
