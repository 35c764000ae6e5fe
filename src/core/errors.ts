// The one error type of a problem the user can act on (a mistake in the command, an unusable data
// file): the CLI prints its message and hint on one line each and exits with its code. Anything
// else thrown is a bug and keeps its stack.

export interface BouncerErrorOptions {
  /** What to do about it (the CLI's generic hint when absent). */
  hint?: string;
  /** The process exit code (2: a usage or input error). */
  exitCode?: number;
}

export class BouncerError extends Error {
  override name = "BouncerError";
  readonly hint: string | undefined;
  readonly exitCode: number;
  constructor(message: string, options: BouncerErrorOptions = {}) {
    super(message);
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** The hint of every error about the data directory's files. */
export const DATA_DIR_HINT = "the data directory can be chosen with --data-dir or BOUNCER_HOME";
