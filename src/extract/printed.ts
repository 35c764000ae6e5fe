// What `echo` and `printf` print, from their words alone (never run): read by the shell tokenizer for
// a script piped into a shell, and by the agent hook for a file a command line writes.
import { decodeBackslashes } from "./escapes.ts";

const PRINTF_ESCAPES: Readonly<Record<string, string>> = { n: "\n", t: "\t", "\\": "\\", '"': '"', "'": "'" };

/** Text with the escapes printf reads (\n, \t, \\, \", \'); null when it holds another. */
const printfEscapes = (text: string) => decodeBackslashes(text, (raw, i) => (Object.hasOwn(PRINTF_ESCAPES, raw[i] ?? "") ? [PRINTF_ESCAPES[raw[i]!]!, i] : null));

/** printf with %s and %% only (the format used again while arguments remain, as the shell does); undefined past `limit` characters. */
export function printfOutput(format: string, args: readonly string[], limit: number): string | undefined {
  if (/%(?!s|%)/.test(format)) return undefined;
  const pieces = format.split(/(%s|%%)/);
  let out = "";
  let next = 0;
  do {
    for (const piece of pieces) {
      if (piece === "%s") out += args[next++] ?? "";
      else if (piece === "%%") out += "%";
      else {
        const text = printfEscapes(piece);
        if (text === null) return undefined;
        out += text;
      }
    }
    if (out.length > limit) return undefined;
  } while (next < args.length && format.includes("%s"));
  return out;
}

/**
 * What `echo ARGS` prints. Shells disagree on backslashes and -e (dash reads them): `exact` refuses
 * those (undefined), as a file's bytes must be certain; otherwise they are kept as written, which is
 * enough to read a script's commands.
 */
export function echoOutput(args: readonly string[], exact: boolean): string | undefined {
  let k = 0;
  let newline = true;
  while (k < args.length && /^-[neE]+$/.test(args[k]!)) {
    if (exact && args[k]!.includes("e")) return undefined;
    if (args[k]!.includes("n")) newline = false;
    k++;
  }
  const text = args.slice(k).join(" ");
  if (exact && text.includes("\\")) return undefined;
  return newline ? `${text}\n` : text;
}
