// setup.cfg (setuptools declarative config): [options] install_requires, setup_requires,
// tests_require and [options.extras_require]. Read as configparser and setuptools do: indented
// continuation lines, full-line "#"/";" comments, a one-line value split at ";", and the
// `file:` directive (read through context.readFile).
import { excerpt } from "../../../extract/excerpt.ts";
import type { ExtractContext, ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../../../extract/types.ts";
import { basename, markSelfReferences, requirementDependency, result } from "./common.ts";

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
    const list = (lines: ValueLine[] | undefined, extra: { group?: string; dev?: boolean }) => {
      if (!lines) return;
      for (const item of requirementItems(lines, path, context, problems)) {
        const outcome = requirementDependency(item.text, item.file, item.line, "manifest", extra);
        if ("problem" in outcome) problems.push(outcome.problem);
        else deps.push(outcome.dependency);
      }
    };
    const options = sections.get("options");
    list(options?.get("install_requires"), {});
    list(options?.get("setup_requires"), { group: "setup_requires" });
    list(options?.get("tests_require"), { group: "tests_require", dev: true });
    for (const [extra, lines] of sections.get("options.extras_require") ?? []) list(lines, { group: extra });
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
  return items.filter((i) => !i.text.startsWith("#"));
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
