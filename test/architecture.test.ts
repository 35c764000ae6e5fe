// The layering rules of SPEC ("A layout that shows this architecture"), checked on every import.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";

const SRC = path.resolve(import.meta.dirname, "../src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|(?:^|\n)\s*import\s+["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/g;

interface Edge {
  from: string;
  to: string;
}

const files = sourceFiles(SRC);
const edges: Edge[] = [];
const texts = new Map<string, string>();
for (const file of files) {
  const text = readFileSync(file, "utf8");
  texts.set(file, text);
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    const to = spec.startsWith(".") ? path.relative(SRC, path.resolve(path.dirname(file), spec)) : spec;
    edges.push({ from: path.relative(SRC, file), to });
  }
}

const area = (p: string) => p.split(path.sep)[0]!;

test("the source tree was read", () => {
  assert.ok(files.length > 10);
  assert.ok(edges.length > 10);
});

test("core imports nothing else of the project and no IO module", () => {
  const IO = /^(node:)?(fs|fs\/promises|http|https|http2|net|tls|dgram|child_process|process|os|worker_threads|cluster|readline|sqlite)$/;
  const bad = edges.filter((e) => area(e.from) === "core" && ((!e.to.startsWith("core") && !/^(node:|[a-z@])/.test(e.to)) || IO.test(e.to)));
  assert.deepEqual(bad, []);
  const usesProcess = files.filter((f) => area(path.relative(SRC, f)) === "core" && /\bprocess\./.test(texts.get(f)!));
  assert.deepEqual(usesProcess, []);
});

test("formats (the neutral parsers) import nothing of the project but core", () => {
  const bad = edges.filter((e) => area(e.from) === "formats" && e.to.endsWith(".ts") && !["formats", "core"].includes(area(e.to)));
  assert.deepEqual(bad, []);
});

test("nothing outside doors imports doors", () => {
  assert.deepEqual(edges.filter((e) => area(e.from) !== "doors" && area(e.to) === "doors"), []);
});

test("an ecosystem never imports another", () => {
  const eco = (p: string) => (p.startsWith(`ecosystems${path.sep}`) ? p.split(path.sep)[1] : undefined);
  const bad = edges.filter((e) => {
    const a = eco(e.from);
    const b = eco(e.to);
    return a && b && a !== b && !a.endsWith(".ts") && !b.endsWith(".ts");
  });
  assert.deepEqual(bad, []);
});

test("only doors read arguments or environment, or exit", () => {
  const bad = files
    .filter((f) => area(path.relative(SRC, f)) !== "doors")
    .filter((f) => /\bprocess\.(argv|env|exit|stdin|stdout|stderr)\b/.test(texts.get(f)!))
    .map((f) => path.relative(SRC, f));
  assert.deepEqual(bad, []);
});

test("nobody calls process.exit (it cuts piped output short)", () => {
  assert.deepEqual(files.filter((f) => /\bprocess\.exit\(/.test(texts.get(f)!)), []);
});

// ---- cycles ----

/** Strongly connected components of more than one node (or a node importing itself). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      for (let w = stack.pop()!; ; w = stack.pop()!) {
        onStack.delete(w);
        scc.push(w);
        if (w === v) break;
      }
      if (scc.length > 1 || graph.get(v)?.has(v)) out.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

// Relative imports, resolved against src/ (packages keep their bare name and never end in .ts).
const projectEdges = edges.filter((e) => e.to.endsWith(".ts"));

function graphOf(key: (file: string) => string): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const e of projectEdges) {
    const a = key(e.from);
    const b = key(e.to);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Set());
    graph.get(a)!.add(b);
  }
  return graph;
}

test("no import cycle between folders", () => {
  assert.deepEqual(cycles(graphOf(area)), []);
});

test("no import cycle between files", () => {
  assert.deepEqual(cycles(graphOf((f) => f)), []);
});

// ---- ecosystems named only in their folder ----

/** The source without comments (a doc comment may give "npm" as an example). */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");

/**
 * Files outside src/ecosystems/ that still name an ecosystem, and why. The proxy's routes speak each
 * registry's own protocol; the rest is the configuration of registries and their credentials (flags,
 * variables, policy keys, the guard's reading of each tool's files) and the language import scanners.
 */
const NAMES_AN_ECOSYSTEM = new Set([
  // Each registry's protocol (paths, document formats) is served by one route module, named after it (issue 10).
  "doors/proxy/npm-routes.ts", // npm's registry API under /npm/
  "doors/proxy/pypi-routes.ts", // PyPI's simple and JSON APIs under /pypi/
  "doors/guard/guard.ts", // a runner nested too deep with no ecosystem of its own is reported under npm's
  "doors/guard/registries.ts", // where each tool fetches from: npm's and pip's own configuration files, in their precedence
]);

// An ecosystem is a folder of src/ecosystems/: its name, quoted, is what nothing else may write.
const ECOSYSTEM_IDS = readdirSync(path.join(SRC, "ecosystems"), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);
const NAMES_ONE = new RegExp(`["'\`](?:${ECOSYSTEM_IDS.join("|")})["'\`]`, "i");

test("only the ecosystems' folders (and a short, explained list) name an ecosystem", () => {
  assert.ok(ECOSYSTEM_IDS.includes("npm") && ECOSYSTEM_IDS.includes("pypi"));
  const naming = files
    .map((f) => path.relative(SRC, f).split(path.sep).join("/"))
    .filter((f) => !f.startsWith("ecosystems/"))
    .filter((f) => NAMES_ONE.test(code(texts.get(path.join(SRC, f))!)));
  assert.deepEqual(naming.filter((f) => !NAMES_AN_ECOSYSTEM.has(f)), [], "name the ecosystem through src/ecosystems instead");
  // The list only shrinks: an entry that no longer names one is taken off.
  assert.deepEqual([...NAMES_AN_ECOSYSTEM].filter((f) => !naming.includes(f)), []);
});
