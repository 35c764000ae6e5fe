// One dependency as an extractor reports it, with the optional fields set only when known.
import type { DependencyKind, DependencySource, ExtractedDependency } from "./types.ts";

export type DependencyExtra = Partial<Pick<ExtractedDependency, "spec" | "dev" | "group" | "lock">>;

export function makeDependency(
  ecosystem: string,
  kind: DependencyKind,
  file: string,
  line: number | undefined,
  name: string,
  version: string | null,
  source: DependencySource,
  extra: DependencyExtra = {},
): ExtractedDependency {
  const dep: ExtractedDependency = { ecosystem, name, version, source, kind, location: line === undefined ? { file } : { file, line } };
  if (extra.spec !== undefined) dep.spec = extra.spec;
  if (extra.dev !== undefined) dep.dev = extra.dev;
  if (extra.group !== undefined) dep.group = extra.group;
  if (extra.lock !== undefined) dep.lock = extra.lock;
  return dep;
}
