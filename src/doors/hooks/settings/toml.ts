// A TOML table added to or removed from a file as text (Codex's config.toml): the rest of the file,
// its comments and layout, is left as it is. The table is recognised by its header line.
import { parse } from "smol-toml";
import { SettingsError } from "./jsonc.ts";

/** The file's document; a file that is not TOML is not edited. */
export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new SettingsError(`${file} is not valid TOML (${(error as Error).message.split("\n")[0]})`);
  }
}

const headerOf = (table: string) => new RegExp(`^[ \\t]*\\[[ \\t]*${table.split(".").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[ \\t]*\\.[ \\t]*")}[ \\t]*\\][ \\t]*(?:#.*)?$`, "m");

/** The text of a table `[name]` with `values` (strings and string arrays), as Bouncer writes it. */
export function tableText(name: string, values: Record<string, string | string[]>): string {
  const lines = [`[${name}]`];
  for (const [k, v] of Object.entries(values)) lines.push(`${k} = ${Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(", ")}]` : JSON.stringify(v)}`);
  return `${lines.join("\n")}\n`;
}

/** Appends a table at the end of the file (after a blank line). */
export function appendTable(text: string, table: string): string {
  if (!text.trim()) return table;
  return `${text.endsWith("\n") ? text : `${text}\n`}\n${table}`;
}

/** Where the table `[name]` is: from its header line to the next table header (or the end). */
export function findTable(text: string, name: string): { start: number; end: number } | undefined {
  const m = headerOf(name).exec(text);
  if (!m) return undefined;
  const after = m.index + m[0].length;
  const next = /^[ \t]*\[/m.exec(text.slice(after));
  return { start: m.index, end: next ? after + next.index : text.length };
}

/** Removes the table `[name]` when it holds exactly `table`'s text (what Bouncer wrote), with the blank line before it. */
export function removeTable(text: string, name: string, table: string): string | undefined {
  const at = findTable(text, name);
  if (!at) return undefined;
  const block = text.slice(at.start, at.end);
  if (block.trimEnd() !== table.trimEnd()) return undefined;
  let start = at.start;
  if (text.slice(0, start).endsWith("\n\n")) start -= 1;
  return text.slice(0, start) + text.slice(at.end);
}
