// PyPI project names: PEP 508 syntax, PEP 503 normalisation.
import type { NameCheck } from "../types.ts";

const VALID = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/;

/**
 * PyPI documents no maximum; the longest registered name (2026-11) has 188 characters. Longer names
 * are refused before any search or lookup, as npm's over 214.
 */
export const PYPI_MAX_NAME_LENGTH = 256;

/** PEP 503: runs of "-", "_" and "." become one "-", lower case. */
export function normalizePypiName(name: string): string {
  return name.replace(/[-_.]+/g, "-").toLowerCase();
}

/** Whether the text is a PEP 508 name (ASCII letters, digits, ".", "_", "-"; letter or digit at both ends). */
export function isValidPypiName(name: string): boolean {
  return typeof name === "string" && name.length <= PYPI_MAX_NAME_LENGTH && VALID.test(name);
}

/** Why a name is not a legal PyPI name, in plain words; null when it is one. */
export function pypiNameProblem(name: string): string | null {
  if (typeof name !== "string" || name.length === 0) return "the name is empty";
  if (name.length > PYPI_MAX_NAME_LENGTH) return `it is ${name.length} characters long; Bouncer takes PyPI names of at most ${PYPI_MAX_NAME_LENGTH}`;
  if (VALID.test(name)) return null;
  if (name.trim() !== name) return "the name has leading or trailing spaces";
  const bad = [...name].find((ch) => !/[A-Za-z0-9._-]/.test(ch));
  if (bad !== undefined) {
    const shown = /^[\x20-\x7e]$/.test(bad) ? `"${bad}"` : `U+${bad.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
    return `the name contains ${shown}; PyPI names use only ASCII letters, digits, ".", "_" and "-"`;
  }
  return "a PyPI name must start and end with a letter or digit";
}

// What normalizePypiName changes: capitals, "_" and ".", runs of "-".
const NOT_CANONICAL = /[A-Z_.]|--/;

/** Validates a PyPI name and returns its canonical (PEP 503) form. */
export function checkPypiName(raw: string): NameCheck {
  // The common case: a valid name, most often canonical already.
  if (typeof raw === "string" && raw.length <= PYPI_MAX_NAME_LENGTH && VALID.test(raw)) {
    return { ok: true, name: NOT_CANONICAL.test(raw) ? normalizePypiName(raw) : raw };
  }
  const reason = pypiNameProblem(raw);
  return reason ? { ok: false, reason } : { ok: true, name: normalizePypiName(raw) };
}
