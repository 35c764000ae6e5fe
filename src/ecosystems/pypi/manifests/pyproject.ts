// pyproject.toml: PEP 621 [project] dependencies and optional-dependencies, PEP 735
// [dependency-groups] (include-group checked for unknown groups and cycles), [build-system]
// requires, Poetry's [tool.poetry] dependencies, dev-dependencies and groups (version, git, path,
// url and multiple-constraint forms), the legacy dev lists of PDM and uv, and the environments of
// Hatch ([tool.hatch.envs.<env>] dependencies and extra-dependencies).
import type { ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../../../core/dependency.ts";
import { normalizePypiName } from "../names.ts";
import { asString, dependency, loadToml, markSelfReferences, nameFromLocation, requirementDependency, result, sourceOfUrl, versionFromSpecifier } from "./common.ts";
import { pathKey, type Positions, tomlPositions } from "../../../formats/toml.ts";
import { basename, isRecord } from "../../../core/guards.ts";

export const pyprojectExtractor: Extractor = {
  id: "pypi-pyproject",
  matches: (path: string) => basename(path).toLowerCase() === "pyproject.toml",
  extract(text: string, path: string): ExtractResult {
    const loaded = loadToml(typeof text === "string" ? text : "", path);
    if ("problem" in loaded) return result([], [loaded.problem]);
    const out = new Collector(path, tomlPositions(text, 6));
    const data = loaded.data;
    const project = isRecord(data.project) ? data.project : undefined;
    if (project) {
      out.requirementList(project.dependencies, ["project", "dependencies"], {});
      if (isRecord(project["optional-dependencies"])) {
        for (const [extra, list] of Object.entries(project["optional-dependencies"])) {
          out.requirementList(list, ["project", "optional-dependencies", extra], { group: extra });
        }
      }
    }
    if (isRecord(data["dependency-groups"])) dependencyGroups(out, data["dependency-groups"]);
    const build = isRecord(data["build-system"]) ? data["build-system"] : undefined;
    if (build) out.requirementList(build.requires, ["build-system", "requires"], { group: "build-system" });
    const tool = isRecord(data.tool) ? data.tool : undefined;
    if (tool && isRecord(tool.poetry)) poetry(out, tool.poetry);
    if (tool && isRecord(tool.pdm) && isRecord(tool.pdm["dev-dependencies"])) {
      for (const [group, list] of Object.entries(tool.pdm["dev-dependencies"])) {
        out.requirementList(list, ["tool", "pdm", "dev-dependencies", group], { group, dev: true }, true);
      }
    }
    if (tool && isRecord(tool.uv)) out.requirementList(tool.uv["dev-dependencies"], ["tool", "uv", "dev-dependencies"], { dev: true });
    if (tool && isRecord(tool.hatch) && isRecord(tool.hatch.envs)) hatchEnvironments(out, tool.hatch.envs);
    markSelfReferences(out.deps, project?.name ?? (tool && isRecord(tool.poetry) ? tool.poetry.name : undefined));
    return result(out.deps, out.problems);
  },
};

type Extra = { group?: string; dev?: boolean };

class Collector {
  readonly file: string;
  readonly positions: Positions;
  readonly deps: ExtractedDependency[] = [];
  readonly problems: ExtractProblem[] = [];

  constructor(file: string, positions: Positions) {
    this.file = file;
    this.positions = positions;
  }

  line(path: Array<string | number>): number | undefined {
    for (let n = path.length; n > 0; n--) {
      const line = this.positions.get(pathKey(...path.slice(0, n)));
      if (line !== undefined) return line;
    }
    return undefined;
  }

  problem(path: Array<string | number>, reason: string): void {
    const line = this.line(path);
    this.problems.push(line === undefined ? { file: this.file, reason } : { file: this.file, line, reason });
  }

  /** An array of PEP 508 strings; anything else where one is expected is a problem. */
  requirementList(list: unknown, path: Array<string | number>, extra: Extra, editables = false): void {
    if (list === undefined) return;
    if (!Array.isArray(list)) {
      this.problem(path, `${path.join(".")} should be an array of requirement strings`);
      return;
    }
    list.forEach((item, index) => {
      if (typeof item === "string" && editables && /^-e\s/.test(item)) this.editable(item.slice(2).trim(), [...path, index], extra);
      else if (typeof item === "string") this.requirement(item, [...path, index], extra);
      else this.problem([...path, index], `${path.join(".")}[${index}] is not a requirement string`);
    });
  }

  /** PDM's `-e <url or path>` entry: named by its `#egg=` fragment (or `name @ url`), never looked up. */
  editable(target: string, path: Array<string | number>, extra: Extra): void {
    if (/^[A-Za-z0-9][A-Za-z0-9._-]*(?:\[[^\]]*\])?\s*@/.test(target) && !/^[^@]*:\/\//.test(target.split("@")[0]!)) {
      this.requirement(target, path, extra);
      return;
    }
    const name = nameFromLocation(target)?.name ?? (basename(target.replace(/[#?].*$/, "").replace(/[\\/]+$/, "")) || target);
    this.deps.push(dependency(this.file, this.line(path), name, null, sourceOfUrl(target), "manifest", { ...extra, spec: target }));
  }

  requirement(text: string, path: Array<string | number>, extra: Extra): void {
    const outcome = requirementDependency(text, this.file, this.line(path), "manifest", extra);
    if ("problem" in outcome) this.problems.push(outcome.problem);
    else this.deps.push(outcome.dependency);
  }
}

/** PEP 735: strings are requirements; {include-group} must name an existing group, without cycles. */
function dependencyGroups(out: Collector, groups: Record<string, unknown>): void {
  const byNormalName = new Map<string, string>();
  for (const name of Object.keys(groups)) byNormalName.set(normalizePypiName(name), name);
  for (const [group, list] of Object.entries(groups)) {
    const path = ["dependency-groups", group];
    if (!Array.isArray(list)) {
      out.problem(path, `dependency group "${group}" should be an array`);
      continue;
    }
    list.forEach((item, index) => {
      if (typeof item === "string") {
        out.requirement(item, [...path, index], { group, dev: true });
        return;
      }
      const target = isRecord(item) ? asString(item["include-group"]) : undefined;
      if (target === undefined) {
        out.problem([...path, index], `dependency group "${group}" has an entry that is neither a string nor an include-group`);
      } else if (!byNormalName.has(normalizePypiName(target))) {
        out.problem([...path, index], `dependency group "${group}" includes unknown group "${target}"`);
      }
    });
  }
  // Cycles: a depth-first walk over include edges.
  const edges = new Map<string, string[]>();
  for (const [group, list] of Object.entries(groups)) {
    const targets = Array.isArray(list) ? list.filter(isRecord).map((i) => asString(i["include-group"])) : [];
    edges.set(
      normalizePypiName(group),
      targets.filter((t): t is string => t !== undefined).map((t) => normalizePypiName(t)),
    );
  }
  // An explicit stack: a chain of thousands of includes must not exhaust the call stack.
  const state = new Map<string, "active" | "done">();
  const reported = new Set<string>();
  for (const root of edges.keys()) {
    if (state.has(root)) continue;
    state.set(root, "active");
    const stack: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const targets = edges.get(top.node)!;
      if (top.next === targets.length) {
        state.set(top.node, "done");
        stack.pop();
        continue;
      }
      const next = targets[top.next++]!;
      if (!edges.has(next) || state.get(next) === "done") continue;
      if (state.get(next) === "active") {
        if (!reported.has(next)) {
          reported.add(next);
          const name = byNormalName.get(top.node) ?? top.node;
          out.problem(["dependency-groups", name], `dependency group "${name}" is part of an include-group cycle`);
        }
        continue;
      }
      state.set(next, "active");
      stack.push({ node: next, next: 0 });
    }
  }
}

/** Hatch environments install their own lists (tests, lint, docs): dev, grouped by environment. */
function hatchEnvironments(out: Collector, envs: Record<string, unknown>): void {
  for (const [env, body] of Object.entries(envs)) {
    if (!isRecord(body)) continue;
    for (const key of ["dependencies", "extra-dependencies"]) {
      out.requirementList(body[key], ["tool", "hatch", "envs", env, key], { group: `hatch:${env}`, dev: true });
    }
  }
}

/** Poetry: dependencies (main), legacy dev-dependencies, and group.<name>.dependencies. */
function poetry(out: Collector, tool: Record<string, unknown>): void {
  const table = (value: unknown, path: string[], extra: Extra) => {
    if (value === undefined) return;
    if (!isRecord(value)) {
      out.problem(path, `${path.join(".")} should be a table`);
      return;
    }
    for (const [name, constraint] of Object.entries(value)) {
      if (name.toLowerCase() === "python") continue;
      const entries = Array.isArray(constraint) ? constraint : [constraint];
      entries.forEach((entry, index) => {
        const entryPath = Array.isArray(constraint) ? [...path, name, index] : [...path, name];
        const dep = poetryDependency(out.file, out.line(entryPath), name, entry, extra);
        if (dep) out.deps.push(dep);
        else out.problem(entryPath, `unrecognised Poetry dependency "${name}"`);
      });
    }
  };
  table(tool.dependencies, ["tool", "poetry", "dependencies"], {});
  table(tool["dev-dependencies"], ["tool", "poetry", "dev-dependencies"], { dev: true, group: "dev" });
  if (isRecord(tool.group)) {
    for (const [group, body] of Object.entries(tool.group)) {
      if (!isRecord(body)) continue;
      const main = group === "main";
      table(body.dependencies, ["tool", "poetry", "group", group, "dependencies"], main ? {} : { group, dev: true });
    }
  }
}

/** Poetry's version forms: "*" and "" mean any; a bare version or "==x" is exact; the rest is kept. */
export function poetryVersion(constraint: string): string | null {
  const text = constraint.trim();
  if (text === "" || text === "*") return null;
  if (/^v?\d+(?:\.\d+)*(?:[-_.]?(?:a|b|rc|alpha|beta|pre|preview|c|post|dev)\d*)*$/i.test(text)) return text;
  return versionFromSpecifier(text);
}

function poetryDependency(
  file: string,
  line: number | undefined,
  name: string,
  entry: unknown,
  extra: Extra,
): ExtractedDependency | null {
  if (typeof entry === "string") return dependency(file, line, name, poetryVersion(entry), "registry", "manifest", extra);
  if (!isRecord(entry)) return null;
  const git = asString(entry.git);
  if (git !== undefined) {
    const ref = asString(entry.rev) ?? asString(entry.tag) ?? asString(entry.branch);
    return dependency(file, line, name, null, "git", "manifest", { ...extra, spec: ref ? `${git}@${ref}` : git });
  }
  const local = asString(entry.path);
  if (local !== undefined) return dependency(file, line, name, null, "path", "manifest", { ...extra, spec: local });
  const url = asString(entry.url);
  if (url !== undefined) return dependency(file, line, name, null, sourceOfUrl(url), "manifest", { ...extra, spec: url });
  const version = entry.version === undefined ? "*" : asString(entry.version);
  if (version === undefined) return null;
  return dependency(file, line, name, poetryVersion(version), "registry", "manifest", extra);
}
