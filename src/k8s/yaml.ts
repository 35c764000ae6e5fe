// Manifest text -> documents with source lines. The `yaml` package is loaded on first use
// (src/formats/yaml.ts): most Bouncer runs never read Kubernetes YAML.
import type * as Yaml from "yaml";
import { yamlLibrary as yaml } from "../formats/yaml.ts";
import type { ParsedDocument } from "./types.ts";

/** A mapping or list can only be a key where a line (or a flow entry) starts with `{`, `[` or `?`: the
 * tree is walked for such keys only then (the walk costs as much as a third of the parse). */
const MAY_HAVE_COLLECTION_KEY = /^[ \t]*(?:-[ \t]+)*[[{?]|[{,][ \t]*[[{]/m;

/** Every document of a multi-document file; syntax errors (duplicate keys included) stay per document.
 * Merge keys (`<<: *anchor`) are merged, as kubectl's YAML reader does. */
export function parseManifests(text: string): ParsedDocument[] {
  const { LineCounter, parseAllDocuments, isCollection, isMap, isScalar, isSeq, visit } = yaml();
  const counter = new LineCounter();
  const line = (offset: number | undefined) => (offset === undefined ? undefined : counter.linePos(offset).line);
  const parsed = parseAllDocuments(text, { lineCounter: counter, logLevel: "error", merge: true });
  const docs = Array.isArray(parsed) ? parsed : [];
  return docs
    .filter((doc) => doc.contents !== null || doc.errors.length)
    .map((doc) => {
      const start = line(doc.contents?.range?.[0] ?? doc.range[0]) ?? 1;
      const lineAt = (path: ReadonlyArray<string | number>): number | undefined => {
        let node: unknown = doc.contents;
        let at = line((node as Yaml.Node | null)?.range?.[0]);
        for (const segment of path) {
          if (isMap(node)) {
            const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
            if (!pair) return at;
            at = line((pair.key as Yaml.Node).range?.[0]) ?? at;
            node = pair.value;
          } else if (isSeq(node) && typeof segment === "number") {
            node = node.items[segment];
            at = line((node as Yaml.Node | undefined)?.range?.[0]) ?? at;
          } else return at;
        }
        return at;
      };
      // `{{ x }}` unquoted reads as a mapping used as a key: template syntax, not a manifest.
      let collectionKey = false;
      if (MAY_HAVE_COLLECTION_KEY.test(text)) visit(doc, {
        Pair: (_, pair) => {
          if (isCollection(pair.key)) collectionKey = true;
        },
      });
      const first = doc.errors[0];
      if (collectionKey && !first) return { value: undefined, line: start, error: { message: "a mapping or list used as a key", line: start }, lineAt };
      if (first) return { value: undefined, line: start, error: { message: first.message.split("\n")[0]!, line: line(first.pos[0]) ?? start }, lineAt };
      try {
        return { value: doc.toJS({ maxAliasCount: 100 }) as unknown, line: start, lineAt };
      } catch (error) {
        return { value: undefined, line: start, error: { message: (error as Error).message, line: start }, lineAt };
      }
    });
}
