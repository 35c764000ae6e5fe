// Imports of Python sources (.py, .pyi) and notebooks (.ipynb), found on the token stream of
// ./python-tokens.ts: `import a.b as c, d`, `from a.b import (x, y)`, and string-literal calls of
// importlib.import_module / __import__. Relative imports and __future__ are left out; imports
// guarded by `if TYPE_CHECKING:` are marked typeOnly. Positions follow Python's ast: an `import`
// points at each module name, a `from` import at its `from`, a call at the start of the callee.
// Standard library and local modules are NOT removed here (the scan layer does that).
import { lexPython } from "./python-tokens.ts";
import type { PyToken } from "./python-tokens.ts";
import { notebookCells } from "./python-notebook.ts";
import { installCommandsInLines } from "./install-text.ts";
import type { ExtractedDependency, Extractor, ExtractProblem, ExtractResult } from "../core/dependency.ts";
import { errorMessage } from "../core/guards.ts";
import { ecosystemOfImports } from "../ecosystems/index.ts";

/** The ecosystem whose distributions Python imports name (none declared: no imports are reported). */
export const PYTHON_ECOSYSTEM: string | undefined = ecosystemOfImports("python")?.id;

const KEYWORDS = new Set([
  "False",
  "None",
  "True",
  "and",
  "as",
  "assert",
  "async",
  "await",
  "break",
  "class",
  "continue",
  "def",
  "del",
  "elif",
  "else",
  "except",
  "finally",
  "for",
  "from",
  "global",
  "if",
  "import",
  "in",
  "is",
  "lambda",
  "nonlocal",
  "not",
  "or",
  "pass",
  "raise",
  "return",
  "try",
  "while",
  "with",
  "yield",
]);

const STUB_FILE = /\.pyi$/i;
const IDENTIFIER = /^[\p{XID_Start}_][\p{XID_Continue}]*$/u;

/** Whether `name` is a Python identifier (str.isidentifier). */
export function isPythonIdentifier(name: string): boolean {
  return IDENTIFIER.test(name.normalize("NFKC"));
}

interface CallCandidate {
  callee: PyToken;
  /** "direct": `f("x")`; "attribute": `mod.import_module("x")`. */
  form: "direct" | "attribute";
  module: string;
  typeOnly: boolean;
}

function scanPython(code: string, file: string, lineOffset: number, withColumns = true): ExtractResult {
  const { tokens, unterminated } = lexPython(code);
  const dependencies: ExtractedDependency[] = [];
  const problems: ExtractProblem[] = unterminated.map((u) => ({
    file,
    line: u.line + lineOffset,
    reason: `syntax error: unterminated ${u.what} (imports after it may be missed)`,
  }));
  // Names bound to importlib and to importlib.import_module anywhere in the file.
  const importlibNames = new Set<string>();
  const importModuleNames = new Set<string>();
  const calls: CallCandidate[] = [];

  const tok = (k: number): PyToken | undefined => tokens[k];
  const isOp = (k: number, v: string) => tokens[k]?.t === "op" && tokens[k]!.v === v;
  const isName = (k: number) => tokens[k]?.t === "name" && !KEYWORDS.has(tokens[k]!.v);
  const isEnd = (k: number) => k >= tokens.length || tokens[k]!.t === "nl" || (isOp(k, ";") && tokens[k]!.depth === 0);

  const add = (module: string, at: PyToken, typeOnly: boolean) => {
    if (PYTHON_ECOSYSTEM === undefined) return;
    const top = module.split(".")[0]!;
    const dep: ExtractedDependency = {
      ecosystem: PYTHON_ECOSYSTEM,
      name: top,
      version: null,
      source: "registry",
      kind: "import",
      location: { file, line: at.line + lineOffset, ...(withColumns ? { column: at.col + 1 } : {}) },
      importName: module,
    };
    if (typeOnly) dep.typeOnly = true;
    dependencies.push(dep);
  };
  const invalid = (at: PyToken | undefined, what: string) => {
    problems.push({ file, line: (at?.line ?? tokens[tokens.length - 1]?.line ?? 1) + lineOffset, reason: `syntax error: ${what}` });
  };
  /** Reads a dotted name at k; returns [name, next index] or null. */
  const dotted = (k: number): [string, number] | null => {
    if (!isName(k)) return null;
    let name = tokens[k]!.v;
    let j = k + 1;
    while (isOp(j, ".") && isName(j + 1)) {
      name += `.${tokens[j + 1]!.v}`;
      j += 2;
    }
    return [name, j];
  };
  /** `name [as alias]`; returns [name, alias, next] or null. */
  const aliased = (k: number, allowDots: boolean): [string, string | null, number] | null => {
    const d = allowDots ? dotted(k) : isName(k) ? ([tokens[k]!.v, k + 1] as [string, number]) : null;
    if (!d) return null;
    if (tok(d[1])?.t === "name" && tok(d[1])!.v === "as") {
      if (!isName(d[1] + 1)) return null;
      return [d[0], tokens[d[1] + 1]!.v, d[1] + 2];
    }
    return [d[0], null, d[1]];
  };

  /** `import a.b as c, d` at k; returns the index after the statement. */
  const importStatement = (k: number, typeOnly: boolean): number => {
    let j = k + 1;
    for (;;) {
      const item = aliased(j, true);
      if (!item) {
        invalid(tok(j) ?? tok(k), "invalid import statement");
        return j;
      }
      const [module, alias] = item;
      add(module, tokens[j]!, typeOnly);
      if (module === "importlib") importlibNames.add(alias ?? "importlib");
      else if (module.startsWith("importlib.") && alias === null) importlibNames.add("importlib");
      j = item[2];
      if (isEnd(j)) return j;
      if (!isOp(j, ",")) {
        invalid(tok(j), "invalid import statement");
        return j;
      }
      j++;
    }
  };

  /** `from [.]*a.b import x as y, (z)` at k; returns the index after the statement. */
  const fromStatement = (k: number, typeOnly: boolean): number => {
    let j = k + 1;
    let level = 0;
    while (isOp(j, ".")) {
      level++;
      j++;
    }
    let module = "";
    const d = dotted(j);
    if (d) [module, j] = d;
    if (!(tok(j)?.t === "name" && tok(j)!.v === "import") || (level === 0 && module === "")) {
      invalid(tok(j) ?? tok(k), "invalid from-import statement");
      return j;
    }
    j++;
    if (level === 0 && module !== "__future__") add(module, tokens[k]!, typeOnly);
    if (isOp(j, "*")) return j + 1;
    const parenthesised = isOp(j, "(");
    if (parenthesised) j++;
    for (;;) {
      const item = aliased(j, false);
      if (!item) {
        invalid(tok(j) ?? tok(k), "invalid from-import statement");
        return j;
      }
      if (level === 0 && module === "importlib" && item[0] === "import_module") importModuleNames.add(item[1] ?? "import_module");
      j = item[2];
      if (isOp(j, ",")) {
        j++;
        if (parenthesised && isOp(j, ")")) return j + 1;
        continue;
      }
      if (parenthesised) {
        if (isOp(j, ")")) return j + 1;
      } else if (isEnd(j)) return j;
      invalid(tok(j) ?? tok(k), "invalid from-import statement");
      return j;
    }
  };

  /** `if TYPE_CHECKING:` / `elif typing.TYPE_CHECKING:` at k: the index of its colon, or -1. */
  const typeCheckingHeader = (k: number): number => {
    let j = k + 1;
    let last = "";
    while (isName(j)) {
      last = tokens[j]!.v;
      j++;
      if (!isOp(j, ".")) break;
      j++;
    }
    return last === "TYPE_CHECKING" && isOp(j, ":") && tokens[j]!.depth === 0 ? j : -1;
  };

  /** A string-literal call `("x" "y")` at k (the open parenthesis): the joined value or null. */
  const literalArgument = (k: number): string | null => {
    if (!isOp(k, "(")) return null;
    let j = k + 1;
    let value = "";
    while (tok(j)?.t === "str") {
      const v = tokens[j]!.value;
      if (v === null || v === undefined) return null;
      value += v;
      j++;
    }
    if (j === k + 1) return null;
    return isOp(j, ")") || isOp(j, ",") ? value : null;
  };

  // Header indents of the open `if TYPE_CHECKING:` blocks.
  const guarded: number[] = [];
  let inlineGuard = false;
  let statementStart = true;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.t === "nl") {
      statementStart = true;
      inlineGuard = false;
      continue;
    }
    if (t.indent !== undefined) {
      while (guarded.length > 0 && guarded[guarded.length - 1]! >= t.indent) guarded.pop();
    }
    const typeOnly = inlineGuard || guarded.length > 0;
    const atStart = statementStart && t.depth === 0;
    statementStart = t.depth === 0 && t.t === "op" && (t.v === ";" || t.v === ":");
    if (t.t !== "name") continue;
    if (atStart && t.v === "import") {
      k = importStatement(k, typeOnly) - 1;
      continue;
    }
    if (atStart && t.v === "from") {
      k = fromStatement(k, typeOnly) - 1;
      continue;
    }
    if (atStart && (t.v === "if" || t.v === "elif")) {
      const colon = typeCheckingHeader(k);
      if (colon >= 0) {
        if (tok(colon + 1)?.t === "nl" || colon + 1 >= tokens.length) {
          guarded.push(currentIndent(tokens, k));
        } else inlineGuard = true;
        k = colon;
        statementStart = true;
      }
      continue;
    }
    // Dynamic imports: `__import__("x")`, `import_module("x")`, `importlib.import_module("x")`.
    if (isOp(k - 1, ".")) continue;
    if (isOp(k + 1, ".") && tok(k + 2)?.t === "name" && tok(k + 2)!.v === "import_module") {
      const module = literalArgument(k + 3);
      if (module !== null) calls.push({ callee: t, form: "attribute", module, typeOnly });
    } else {
      const module = literalArgument(k + 1);
      if (module !== null) calls.push({ callee: t, form: "direct", module, typeOnly });
    }
  }
  for (const call of calls) {
    const known =
      call.form === "attribute"
        ? importlibNames.has(call.callee.v)
        : call.callee.v === "__import__" || importModuleNames.has(call.callee.v);
    const top = call.module.split(".")[0]!;
    if (known && isPythonIdentifier(top)) add(call.module, call.callee, call.typeOnly);
  }
  dependencies.sort((a, b) => (a.location.line ?? 0) - (b.location.line ?? 0) || (a.location.column ?? 0) - (b.location.column ?? 0));
  return { dependencies, problems };
}

/** The indentation of the logical line holding token k. */
function currentIndent(tokens: PyToken[], k: number): number {
  for (let j = k; j >= 0; j--) {
    const indent = tokens[j]!.indent;
    if (indent !== undefined) return indent;
  }
  return 0;
}

/** Imports of Python source text; `lineOffset` is added to every line (embedded code). */
export function extractPythonImports(code: string, file: string, lineOffset = 0): ExtractedDependency[] {
  return scanPythonImports(code, file, lineOffset).dependencies;
}

/** Imports and problems (syntax errors in import statements, unterminated strings) of Python source. */
export function scanPythonImports(code: string, file: string, lineOffset = 0): ExtractResult {
  const result = scanPython(code, file, lineOffset);
  // A stub file is never executed: everything it imports is for type checkers.
  if (STUB_FILE.test(file)) for (const dep of result.dependencies) dep.typeOnly = true;
  return result;
}

/** Imports of the code cells of a Jupyter notebook, and its `!pip install` lines, at the notebook file's lines. */
export function extractNotebookImports(text: string, file: string): ExtractResult {
  const { cells, problems } = notebookCells(text, file);
  const result: ExtractResult = { dependencies: [], problems: [...problems] };
  for (const cell of cells) {
    const part = scanPython(cell.code, file, 0, false);
    const toFile = (line: number | undefined) => (line === undefined ? undefined : cell.fileLine[line - 1]);
    for (const dep of part.dependencies) result.dependencies.push({ ...dep, location: { file, line: toFile(dep.location.line) } });
    for (const problem of part.problems) result.problems.push({ ...problem, line: toFile(problem.line) });
  }
  const shell = installCommandsInLines(
    cells.flatMap((c) => c.shellLines),
    file,
  );
  for (const d of shell.dependencies) result.dependencies.push(d);
  for (const p of shell.problems) result.problems.push(p);
  return result;
}

/**
 * Top-level module names a project defines itself, from its file paths (relative to the project
 * root, "/" or "\\" separated): top-level and `src/` modules, packages (the outermost directory of
 * an `__init__.py` chain, at any depth), and namespace packages directly under `src/`.
 */
export function localPythonModules(paths: string[]): Set<string> {
  const files = paths.map((p) =>
    p
      .replace(/\\/g, "/")
      .split("/")
      .filter((s) => s !== "" && s !== "."),
  );
  const packages = new Set<string>();
  for (const segs of files) {
    if (segs.length > 1 && /^__init__\.pyi?$/.test(segs[segs.length - 1]!)) packages.add(segs.slice(0, -1).join("/"));
  }
  const out = new Set<string>();
  const addName = (name: string | undefined) => {
    if (name !== undefined && isPythonIdentifier(name) && !KEYWORDS.has(name)) out.add(name);
  };
  for (const segs of files) {
    const fileName = segs[segs.length - 1];
    if (fileName === undefined || !/\.(?:py|pyi|pyx)$/.test(fileName)) continue;
    const dirs = segs.slice(0, -1);
    const base = dirs[0] === "src" ? 1 : 0;
    if (dirs.length === base) {
      const stem = fileName.replace(/\.[^.]+$/, "");
      if (stem !== "__init__" && stem !== "__main__") addName(stem);
      continue;
    }
    if (base === 1) addName(dirs[1]);
    // The outermost directory of the chain of packages holding this file.
    let top: number | null = null;
    for (let d = dirs.length; d > 0 && packages.has(dirs.slice(0, d).join("/")); d--) top = d;
    if (top !== null) addName(dirs[top - 1]);
  }
  return out;
}

/**
 * Decodes Python source bytes as Python does: a BOM (UTF-8, UTF-16), else a PEP 263 coding
 * cookie in the first two lines, else UTF-8. Undecodable bytes give an error, not a guess.
 */
export function decodePythonSource(bytes: Uint8Array): { text: string } | { error: string } {
  const decode = (label: string, start: number): { text: string } | { error: string } => {
    let stage = "label";
    try {
      const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
      stage = "bytes";
      return { text: decoder.decode(bytes.subarray(start)) };
    } catch {
      return { error: stage === "label" ? `unknown source encoding "${label}"` : `the file is not valid ${label}` };
    }
  };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode("utf-8", 3);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode("utf-16le", 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode("utf-16be", 2);
  // The cookie is ASCII, so reading the first two lines as Latin-1 is safe.
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 512)).split(/\r\n|\r|\n/, 2);
  for (const line of head) {
    const m = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/.exec(line);
    if (m) return decode(encodingLabel(m[1]!), 0);
    if (!/^[ \t\f]*(?:#.*)?$/.test(line)) break;
  }
  return decode("utf-8", 0);
}

/** Python codec names as WHATWG labels ("latin_1" -> "latin1", "iso8859_15" -> "iso-8859-15"). */
function encodingLabel(name: string): string {
  const n = name.toLowerCase().replace(/_/g, "-");
  if (n === "utf-8-sig" || n === "utf8") return "utf-8";
  if (n === "latin-1" || n === "l1") return "latin1";
  const iso = /^iso-?8859-?(\d+)$/.exec(n);
  if (iso) return `iso-8859-${iso[1]}`;
  const cp = /^(?:cp|windows-)(\d+)$/.exec(n);
  if (cp) return `windows-${cp[1]}`;
  return n;
}

const PY_FILE = /\.pyi?$/i;
const NOTEBOOK = /\.ipynb$/i;

export const pythonImportsExtractor: Extractor = {
  id: "python-imports",
  matches: (path) => PY_FILE.test(path) || NOTEBOOK.test(path),
  extract(text, path) {
    try {
      return NOTEBOOK.test(path) ? extractNotebookImports(text, path) : scanPythonImports(text, path);
    } catch (error) {
      return { dependencies: [], problems: [{ file: path, reason: `could not scan imports: ${errorMessage(error)}` }] };
    }
  },
};
