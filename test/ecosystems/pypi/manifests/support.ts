// Helpers for the PyPI extractor tests: run an extractor on a fixture of ./fixtures, and a
// compact one-line-per-dependency form to compare against.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ExtractedDependency, Extractor, ExtractResult } from "../../../../src/core/dependency.ts";

export const OWN_FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

/** Extracts `rel` (under ./fixtures), shown as `rel`; includes are read from the fixture's folder. */
export function extractFixture(extractor: Extractor, rel: string): ExtractResult {
  const full = path.join(OWN_FIXTURES, rel);
  const dir = path.dirname(full);
  return extractor.extract(readFileSync(full, "utf8"), rel, {
    readFile: (p) => {
      const target = path.resolve(dir, p);
      return existsSync(target) ? readFileSync(target, "utf8") : undefined;
    },
  });
}

/** "name version source file:line [group] [dev] [spec]" for each dependency. */
export function brief(deps: ExtractedDependency[]): string[] {
  return deps.map((d) =>
    [
      d.name,
      d.version ?? "-",
      d.source,
      `${d.location.file}:${d.location.line ?? "?"}`,
      d.group ? `group=${d.group}` : "",
      d.dev ? "dev" : "",
      d.spec ? `spec=${d.spec}` : "",
    ]
      .filter(Boolean)
      .join(" "),
  );
}
