// Shared helpers for the npm manifest/lockfile tests: where the conformance corpus lives and
// how to compare extracted packages with the expectations of other tools.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { ExtractContext, ExtractedDependency } from "../../../../src/core/dependency.ts";

export const FIXTURES = fileURLToPath(new URL("../../../../../shared/fixtures/", import.meta.url));

export const FORMATS = ["npm-package-json", "npm-package-lock", "yarn-lock-v1", "yarn-lock-berry", "pnpm-lock", "bun-lock"] as const;
export type Format = (typeof FORMATS)[number];

export interface ExpectedPackage {
  name: string;
  version: string;
  commit?: string;
  depGroups?: string[];
}

export interface ExpectedCase {
  test?: string;
  variant?: string;
  wantErr?: boolean;
  packages: ExpectedPackage[] | null;
}

export interface ExpectedFile {
  source: { repo: string };
  semantics: string;
  cases: ExpectedCase[];
}

export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

/** Every input file of a format (not expected files, not READMEs). */
export function inputs(format: Format): string[] {
  return walk(join(FIXTURES, format)).filter((f) => !f.endsWith(".expected.json") && !/readme\.md$/i.test(f));
}

export function expectedFiles(format: Format): Array<{ fixture: string; expected: ExpectedFile }> {
  return walk(join(FIXTURES, format))
    .filter((f) => f.endsWith(".expected.json"))
    .map((f) => ({ fixture: f.slice(0, -".expected.json".length), expected: JSON.parse(readFileSync(f, "utf8")) as ExpectedFile }))
    .filter((e) => existsSync(e.fixture));
}

export function rel(path: string): string {
  return relative(FIXTURES, path);
}

/** Reads files next to `fixture`, as `bouncer scan` would. */
export function siblingReader(fixture: string): ExtractContext {
  return {
    readFile: (path: string) => {
      const p = join(dirname(fixture), path);
      return existsSync(p) ? readFileSync(p, "utf8") : undefined;
    },
  };
}

/** A git commit named in a spec (`#sha`, `#commit=sha`, codeload `/tar.gz/sha`, `?ref=sha`). */
export function commitOf(spec: string | undefined): string {
  if (!spec) return "";
  const m = /(?:#|commit[=:]|\/tar\.gz\/|[?&]ref=)([0-9a-f]{7,40})(?=$|[&#/])/i.exec(spec) ?? /\/([0-9a-f]{40})$/i.exec(spec);
  return m ? m[1] : "";
}

export function keyOf(name: string, version: string | null, commit = ""): string {
  return `${name}@${version ?? ""}${commit ? `#${commit}` : ""}`;
}

export function ourKey(dep: ExtractedDependency): string {
  return keyOf(dep.name, dep.version, dep.source === "git" ? commitOf(dep.spec) : "");
}

export function expectedKey(p: ExpectedPackage): string {
  return keyOf(p.name, p.version === "" ? null : p.version, p.commit ?? "");
}

export function sorted(set: Iterable<string>): string[] {
  return [...new Set(set)].sort();
}
