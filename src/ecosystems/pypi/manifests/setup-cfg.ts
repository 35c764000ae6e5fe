// setup.cfg (setuptools declarative config): [options] install_requires, setup_requires,
// tests_require and [options.extras_require]. Read as configparser and setuptools do: indented
// continuation lines, full-line "#"/";" comments, `%(key)s` interpolation (configparser's
// default), a one-line value split at ";", " #" comments after a requirement (setuptools drops
// them) and the `file:` directive (read through context.readFile).
import { excerpt } from "../../../core/excerpt.ts";
import type { ExtractContext, ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../../../core/dependency.ts";
import { markSelfReferences, requirementDependency, result } from "./common.ts";
import { basename } from "../../../core/guards.ts";

interface ValueLine {
  text: string;
  line: number;
}

/** configparser's structure: section -> key -> value lines (with their physical line numbers). */
export function parseIni(text: string): Map<string, Map<string, ValueLine[]>> {
  const sections = new Map<string, Map<string, ValueLine[]>>();
  let section: Map<string, ValueLine[]> | null = null;
  let value: ValueLine[] | null = null;
  let keyIndent = 0;
  text
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\n|\r/)
    .forEach((raw, index) => {
      const line = index + 1;
      const stripped = raw.trim();
      if (/^[#;]/.test(stripped)) return;
      const indent = raw.length - raw.trimStart().length;
      if (stripped === "") {
        if (value) value.push({ text: "", line });
        return;
      }
      if (value && indent > keyIndent) {
        value.push({ text: stripped, line });
        return;
      }
      const header = /^\[([^\]]+)\]/.exec(stripped);
      if (header) {
        const name = header[1]!.trim();
        section = sections.get(name) ?? new Map();
        sections.set(name, section);
        value = null;
        return;
      }
      const sep = /[=:]/.exec(stripped);
      if (!section || !sep) {
        value = null;
        return;
      }
      const key = stripped.slice(0, sep.index).trim().replace(/-/g, "_");
      const first = stripped.slice(sep.index + 1).trim();
      value = [{ text: first, line }];
      keyIndent = indent;
      section.set(key, value);
    });
  return sections;
}

export const setupCfgExtractor: Extractor = {
  id: "pypi-setup-cfg",
  matches: (path: string) => basename(path) === "setup.cfg",
  extract(text: string, path: string, context?: ExtractContext): ExtractResult {
    const sections = parseIni(typeof text === "string" ? text : "");
    const deps: ExtractedDependency[] = [];
    const problems: ExtractProblem[] = [];
    const list = (section: string, key: string, extra: { group?: string; dev?: boolean }) => {
      const lines = interpolated(sections, section, key, path, problems);
      if (!lines) return;
      for (const item of requirementItems(lines, path, context, problems)) {
        const outcome = requirementDependency(item.text, item.file, item.line, "manifest", extra);
        if ("problem" in outcome) problems.push(outcome.problem);
        else deps.push(outcome.dependency);
      }
    };
    list("options", "install_requires", {});
    list("options", "setup_requires", { group: "setup_requires" });
    list("options", "tests_require", { group: "tests_require", dev: true });
    for (const extra of sections.get("options.extras_require")?.keys() ?? []) list("options.extras_require", extra, { group: extra });
    markSelfReferences(deps, sections.get("metadata")?.get("name")?.[0]?.text);
    return result(deps, problems);
  },
};

interface Item {
  text: string;
  file: string;
  line: number;
}

/** setuptools' requirement list: one per line, or ";"-separated on a one-line value; "#" lines dropped. */
function requirementItems(lines: ValueLine[], file: string, context: ExtractContext | undefined, problems: ExtractProblem[]): Item[] {
  const value = [...lines];
  while (value.length > 1 && value[value.length - 1]!.text === "") value.pop();
  const items: Item[] = [];
  const only = value.length === 1 ? value[0]! : null;
  if (only?.text.startsWith("file:")) return fileDirective(only, file, context, problems);
  if (only) {
    for (const part of only.text.split(";")) if (part.trim()) items.push({ text: part.trim(), file, line: only.line });
  } else {
    for (const l of value) if (l.text) items.push({ text: l.text, file, line: l.line });
  }
  return items.map((i) => ({ ...i, text: dropComment(i.text) })).filter((i) => i.text !== "" && !i.text.startsWith("#"));
}

/** setuptools reads requirements through jaraco.text's drop_comment: " #" starts a comment. */
function dropComment(text: string): string {
  const hash = text.search(/[ \t]#/);
  return hash < 0 ? text : text.slice(0, hash).trim();
}

// configparser's BasicInterpolation limits: depth 10; our own bound on the expanded size.
const MAX_DEPTH = 10;
const MAX_EXPANDED = 64 * 1024;

/**
 * A value with `%(key)s` replaced by the key's value from the same section or [DEFAULT] and
 * `%%` by `%`, as configparser does; an unknown key, a stray `%`, too deep a chain or too long a
 * result is a problem and the value is dropped (setuptools would fail on it too).
 */
function interpolated(
  sections: Map<string, Map<string, ValueLine[]>>,
  section: string,
  key: string,
  file: string,
  problems: ExtractProblem[],
): ValueLine[] | undefined {
  const lines = sections.get(section)?.get(key);
  if (!lines?.some((l) => l.text.includes("%"))) return lines;
  const lookup = (name: string): ValueLine[] | undefined => {
    const k = name.toLowerCase().replace(/-/g, "_");
    return lookupKey(sections.get(section), k) ?? lookupKey(sections.get("DEFAULT"), k);
  };
  let budget = MAX_EXPANDED;
  const expand = (text: string, depth: number): string => {
    if (depth > MAX_DEPTH) throw new Error(`more than ${MAX_DEPTH} levels of %(...)s`);
    let out = "";
    let i = 0;
    while (i < text.length) {
      const pct = text.indexOf("%", i);
      if (pct < 0) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, pct);
      if (text[pct + 1] === "%") {
        out += "%";
        i = pct + 2;
        continue;
      }
      const ref = /^%\(([^)]*)\)s/.exec(text.slice(pct, pct + 256));
      if (!ref) throw new Error(`"%" must be followed by "%" or "(name)s"`);
      budget -= ref[0].length; // references that expand to nothing still cost
      const value = lookup(ref[1]!);
      if (!value) throw new Error(`%(${ref[1]})s names no key`);
      out += expand(value.map((l) => l.text).join("\n"), depth + 1);
      i = pct + ref[0].length;
    }
    budget -= out.length;
    if (budget < 0) throw new Error("interpolation expands to more than 64 KiB");
    return out;
  };
  try {
    // Each physical line keeps its number; an interpolated multi-line value adds lines at it.
    return lines.flatMap((l) => expand(l.text, 1).split("\n").map((text) => ({ text: text.trim(), line: l.line })));
  } catch (error) {
    problems.push({ file, line: lines[0]!.line, reason: `cannot interpolate ${key} in [${section}]: ${(error as Error).message}` });
    return undefined;
  }
}

function lookupKey(section: Map<string, ValueLine[]> | undefined, key: string): ValueLine[] | undefined {
  if (!section) return undefined;
  for (const [k, v] of section) if (k.toLowerCase() === key) return v;
  return undefined;
}

function fileDirective(value: ValueLine, file: string, context: ExtractContext | undefined, problems: ExtractProblem[]): Item[] {
  const items: Item[] = [];
  const dir = file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : "";
  for (const target of value.text.slice(5).split(",").map((t) => t.trim()).filter(Boolean)) {
    const content = context?.readFile?.(target);
    if (content === undefined) {
      const why = context?.whyUnread?.(target);
      problems.push({ file, line: value.line, reason: `cannot read "${excerpt(target)}" named by file:${why ? ` ${why}` : ""}` });
      continue;
    }
    content.split(/\r\n|\n|\r/).forEach((raw, index) => {
      const text = raw.trim();
      if (text && !text.startsWith("#")) items.push({ text, file: dir + target, line: index + 1 });
    });
  }
  return items;
}
