// Terminal styling: colour only when the caller says so (doors decide from the terminal and NO_COLOR).
export interface Style {
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

export const COLOR: Style = { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
const same = (s: string) => s;
export const PLAIN: Style = { red: same, yellow: same, green: same, dim: same, bold: same };

/**
 * Colour for a terminal, unless NO_COLOR is set to anything (no-color.org); FORCE_COLOR (other than 0
 * or false) asks for it on a pipe too.
 */
export function styleFor(isTTY: boolean, env: { NO_COLOR?: string; FORCE_COLOR?: string }): Style {
  if (env.NO_COLOR) return PLAIN;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force === "0" || force === "false" ? PLAIN : COLOR;
  return isTTY ? COLOR : PLAIN;
}
