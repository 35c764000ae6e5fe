// Small guards and helpers every layer uses, written once.

/** A plain object (not null, not an array): parsed JSON, YAML and TOML tables. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The last segment of a path or command word, either slash ("/usr/bin/pip3" -> "pip3", "C:\\py\\pip.exe" -> "pip.exe"). */
export function basename(path: string): string {
  const s = path.replace(/[\\/]+$/, "");
  return s.slice(Math.max(s.lastIndexOf("/"), s.lastIndexOf("\\")) + 1);
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
