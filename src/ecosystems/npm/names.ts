// npm package names: the registry's rules for new packages. npm names are exact: the canonical
// form is the name itself.
import { builtinModules } from "node:module";
import type { NameCheck } from "../types.ts";

export const NPM_MAX_NAME_LENGTH = 214;

const RESERVED = new Set(["node_modules", "favicon.ico"]);

// Core modules that `require("x")` resolves without the "node:" prefix (node:test, node:sqlite... do not
// shadow npm packages). Read from the running Node, which the project pins.
const CORE_MODULES = new Set(builtinModules.filter((m) => !m.startsWith("node:")));

/** Whether `name` is the name of a Node.js core module (`http`, `fs`, `events`...). */
export function isNodeCoreModule(name: string): boolean {
  return CORE_MODULES.has(name);
}

/** "@scope/name" -> { scope: "scope", name: "name" }; "name" -> { scope: null, name }; null when neither shape. */
export function splitNpmName(name: string): { scope: string | null; name: string } | null {
  if (!name.startsWith("@")) return name.includes("/") ? null : { scope: null, name };
  const m = /^@([^/]+)\/([^/]+)$/.exec(name);
  return m ? { scope: m[1]!, name: m[2]! } : null;
}

function urlSafe(part: string): boolean {
  try {
    return encodeURIComponent(part) === part;
  } catch {
    return false; // a lone surrogate
  }
}

export interface NpmNameProblems {
  /** Rules no package name breaks: the registry cannot have such a package. */
  errors: string[];
  /**
   * Rules only new packages must follow: older packages that break them exist (JSONStream,
   * and core-module names such as events or punycode), so such a name may still be served.
   */
  newOnly: string[];
}

/** Every rule the name breaks, in plain words. */
export function npmNameProblems(name: string): NpmNameProblems {
  const errors: string[] = [];
  const newOnly: string[] = [];
  if (typeof name !== "string" || name.length === 0) return { errors: ["the name is empty"], newOnly };
  // The registry takes no longer name (old ones included); nothing past it is worth a search or a lookup.
  if (name.length > NPM_MAX_NAME_LENGTH) return { errors: [`it is ${name.length} characters long; npm names have at most ${NPM_MAX_NAME_LENGTH}`], newOnly };
  if (name.trim() !== name) errors.push("the name has leading or trailing spaces");
  if (name.startsWith(".")) errors.push("an npm name cannot start with a period");
  if (name.startsWith("_")) errors.push("an npm name cannot start with an underscore");
  if (RESERVED.has(name.toLowerCase())) errors.push(`"${name.toLowerCase()}" is a reserved name`);
  const parts = splitNpmName(name);
  if (!parts) {
    errors.push(
      name.startsWith("@")
        ? 'a scoped npm name has the form "@scope/name", with one "/" and both parts non-empty'
        : 'an npm name cannot contain "/" unless it is scoped ("@scope/name")',
    );
  } else {
    if (parts.scope !== null && (parts.name.startsWith(".") || parts.scope.startsWith("."))) {
      errors.push("neither the scope nor the name may start with a period");
    }
    if (!urlSafe(parts.name) || (parts.scope !== null && !urlSafe(parts.scope))) {
      errors.push("an npm name can only contain URL-friendly characters (letters, digits, \"-\", \".\", \"_\")");
    }
  }
  if (name.toLowerCase() !== name) newOnly.push("it has capital letters, which new npm names cannot have");
  const last = parts?.name ?? name;
  if (/[~'!()*]/.test(last) || /[~'!()*]/.test(parts?.scope ?? "")) {
    newOnly.push("it contains one of ~ ' ! ( ) *, which new npm names cannot have");
  }
  if (isNodeCoreModule(name)) newOnly.push(`"${name}" is a Node.js core module name, which new npm packages cannot take`);
  return { errors, newOnly };
}

/** What checkNpmName returns: `legacy` is true when only the new-package rules fail. */
export type NpmNameCheck = { ok: true; name: string } | { ok: false; reason: string; legacy: boolean };

/**
 * Validates a name by the rules for NEW npm packages. A name that fails only those rules
 * (`legacy: true`: capitals, core-module names, over-long) may still belong to an old package
 * that the registry serves; a caller that wants to accept those can look at `legacy`.
 */
export function checkNpmName(raw: string): NpmNameCheck {
  const { errors, newOnly } = npmNameProblems(raw);
  if (!errors.length && !newOnly.length) return { ok: true, name: raw };
  return { ok: false, reason: [...errors, ...newOnly].join("; "), legacy: errors.length === 0 };
}

// Parts made of what encodeURIComponent leaves alone, in the "name" or "@scope/name" shape, no part
// starting with "." and an unscoped name not with "_": such a name breaks no rule existing packages follow.
const PLAINLY_VALID = /^(?:@[\w\-~!*'()][\w.\-~!*'()]*\/[\w\-~!*'()]|[A-Za-z0-9\-~!*'()])[\w.\-~!*'()]*$/;

/** The NameCheck of a name that existing packages may have (the legacy rules). */
export function checkExistingNpmName(raw: string): NameCheck {
  // The common case, without building the list of problems.
  if (typeof raw === "string" && raw.length <= NPM_MAX_NAME_LENGTH && PLAINLY_VALID.test(raw) && !RESERVED.has(raw.toLowerCase())) return { ok: true, name: raw };
  const { errors } = npmNameProblems(raw);
  return errors.length ? { ok: false, reason: errors.join("; ") } : { ok: true, name: raw };
}
