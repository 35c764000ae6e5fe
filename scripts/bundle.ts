// A hot entry of the built package joined into one file (the agent hook's: it runs as a new process
// before every tool call, and each module Node loads costs about half a millisecond). Build time only.
// It knows the ES modules tsc emits from our sources and nothing more: anything else (namespace or
// default imports of our modules, `export *`, default exports, re-exports, live `let` exports, import
// cycles, import.meta, imports of packages) fails the build with the reason, so it never mis-bundles.
// Each module becomes a function run once, on first use, that returns its exports: modules keep their
// own scopes, so no name is renamed and none can collide. Builtins come from process.getBuiltinModule
// (no ES module facade to build); dynamic imports of modules outside the bundle keep loading the
// normal files, their specifiers made relative to the bundle.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export class BundleError extends Error {
  override name = "BundleError";
}

export interface BundleOptions {
  /** The built tree (dist/). */
  dist: string;
  /** The entry, relative to `dist`. */
  entry: string;
  /** Where the bundle will be written, relative to `dist` (dynamic imports are made relative to it). */
  out: string;
  /** Modules (relative to `dist`) whose dynamic imports of our modules are bundled too, evaluated when first imported. */
  inlineDynamicFrom?: string[];
}

type Kind = "id" | "punct" | "str" | "tmpl" | "regex" | "num";
interface Token {
  kind: Kind;
  text: string;
  start: number;
  end: number;
}

const OPERATORS = [">>>=", "...", "===", "!==", "**=", "<<=", ">>=", ">>>", "&&=", "||=", "??=", "=>", "==", "!=", "<=", ">=", "&&", "||", "??", "?.", "**", "++", "--", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<", ">>"];
const ASSIGNMENTS = new Set(["=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "&&=", "||=", "??=", "++", "--"]);
/** Words after which a `/` starts a regular expression rather than a division. */
const BEFORE_REGEX = new Set(["return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do", "else", "yield", "await"]);

/** The globals the bundle's own code uses inside modules: a module must not declare them. */
const GLOBALS = new Set(["process", "Promise", "Object"]);

const lineOf = (src: string, at: number) => src.slice(0, at).split("\n").length;

/** The tokens of ES module source, comments and spaces dropped; unterminated literals are errors. */
function tokenize(src: string, file: string): Token[] {
  const tokens: Token[] = [];
  const braces: Array<"{" | "${"> = [];
  let i = 0;
  const fail = (what: string, at: number): never => {
    throw new BundleError(`${file}:${lineOf(src, at)}: ${what}`);
  };
  const push = (kind: Kind, start: number) => tokens.push({ kind, text: src.slice(start, i), start, end: i });
  /** A template's text from `i` (after its backtick or a substitution's `}`) to its end or next `${`. */
  const template = (start: number) => {
    for (;;) {
      const c = src[i];
      if (c === undefined) fail("unterminated template literal", start);
      if (c === "\\") i += 2;
      else if (c === "`") {
        i++;
        return push("tmpl", start);
      } else if (c === "$" && src[i + 1] === "{") {
        i += 2;
        braces.push("${");
        return push("tmpl", start);
      } else i++;
    }
  };
  const regexAllowed = () => {
    const prev = tokens.at(-1);
    if (!prev) return true;
    if (prev.kind === "punct") return prev.text !== ")" && prev.text !== "]";
    if (prev.kind === "tmpl") return prev.text.endsWith("${");
    return prev.kind === "id" && BEFORE_REGEX.has(prev.text);
  };
  while (i < src.length) {
    const c = src[i]!;
    const start = i;
    if (/\s/.test(c)) i++;
    else if (c === "/" && src[i + 1] === "/") {
      const end = src.indexOf("\n", i);
      i = end < 0 ? src.length : end;
    } else if (c === "/" && src[i + 1] === "*") {
      const end = src.indexOf("*/", i + 2);
      if (end < 0) fail("unterminated comment", start);
      i = end + 2;
    } else if (c === '"' || c === "'") {
      i++;
      while (src[i] !== c) {
        if (i >= src.length || src[i] === "\n") fail("unterminated string", start);
        i += src[i] === "\\" ? 2 : 1;
      }
      i++;
      push("str", start);
    } else if (c === "`") {
      i++;
      template(start);
    } else if (/[A-Za-z_$#\u0080-\uffff]/.test(c)) {
      i++;
      while (i < src.length && /[\w$\u0080-\uffff]/.test(src[i]!)) i++;
      push("id", start);
    } else if (/\d/.test(c) || (c === "." && /\d/.test(src[i + 1] ?? ""))) {
      i++;
      while (/[\w.]/.test(src[i] ?? "")) i++;
      push("num", start);
    } else if (c === "/" && regexAllowed()) {
      i++;
      let inClass = false;
      for (;;) {
        const d = src[i];
        if (d === undefined || d === "\n") fail("unterminated regular expression", start);
        if (d === "\\") i++;
        else if (d === "[") inClass = true;
        else if (d === "]") inClass = false;
        else if (d === "/" && !inClass) break;
        i++;
      }
      i++;
      while (/[a-z]/i.test(src[i] ?? "")) i++;
      push("regex", start);
    } else if (c === "}") {
      const open = braces.pop();
      if (!open) fail("unbalanced }", start);
      i++;
      if (open === "${") template(start);
      else push("punct", start);
    } else {
      if (c === "{") braces.push("{");
      let op = OPERATORS.find((o) => src.startsWith(o, i)) ?? c;
      // `a?.5:b` is a conditional, not optional chaining.
      if (op === "?." && /\d/.test(src[i + 2] ?? "")) op = "?";
      i += op.length;
      push("punct", start);
    }
  }
  if (braces.length) fail("unbalanced {", src.length);
  return tokens;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

interface Module {
  /** Relative to dist, with forward slashes. */
  id: string;
  src: string;
  /** Our modules it imports statically, in order, with [imported, local] names. */
  imports: Array<{ id: string; names: Array<[string, string]> }>;
  /** Builtins it imports: the default's local name, or [imported, local] names. */
  builtins: Array<{ specifier: string; local?: string; names: Array<[string, string]> }>;
  exports: string[];
  /** Dynamic imports: where the call is, its specifier, and the module it names (relative to dist) when it is ours. */
  dynamic: Array<{ start: number; end: number; token: Token; id?: string }>;
  edits: Edit[];
}

const posix = (p: string) => p.split(path.sep).join("/");

/** One module read and its imports and exports taken out of its text. */
function analyse(dist: string, id: string): Module {
  const file = path.join(dist, id);
  const src = readFileSync(file, "utf8");
  if (src.startsWith("#!")) throw new BundleError(`${id}: a hashbang line (only an entry run as a program has one)`);
  const tokens = tokenize(src, id);
  const mod: Module = { id, src, imports: [], builtins: [], exports: [], dynamic: [], edits: [] };
  const fail = (what: string, at: Token | undefined): never => {
    throw new BundleError(`${id}:${at ? lineOf(src, at.start) : "end"}: ${what} (the hook bundler refuses what it does not know; see scripts/bundle.ts)`);
  };
  /** A specifier's text: plain, without escapes (tsc writes them as the source does). */
  const literal = (at: Token): string => {
    if (at.text.includes("\\")) fail("an escaped module specifier", at);
    return at.text.slice(1, -1);
  };
  const resolve = (at: Token): string => {
    const specifier = literal(at);
    if (!/^\.\.?\//.test(specifier)) fail(`imports ${specifier}: only our own modules (./, ../) and node: builtins are bundled`, at);
    const target = posix(path.relative(dist, path.resolve(path.dirname(file), specifier)));
    if (target.startsWith("../") || !existsSync(path.join(dist, target))) fail(`imports ${specifier}, which is not a file of the build`, at);
    return target;
  };
  const functionsAndClasses = new Set<string>();
  /** The names in `{ a, b as c }` from tokens[k] (the `{`); returns them and the index after `}`. */
  const nameList = (k: number): [Array<[string, string]>, number] => {
    const names: Array<[string, string]> = [];
    let j = k + 1;
    while (tokens[j]?.text !== "}") {
      const name = tokens[j];
      if (name?.kind !== "id" && name?.kind !== "str") return fail("a name list it cannot read", name);
      if (name.kind === "str") fail("a quoted import or export name", name);
      let local = name.text;
      j++;
      if (tokens[j]?.text === "as") {
        const alias = tokens[j + 1];
        if (alias?.kind !== "id") fail("a name list it cannot read", alias);
        local = alias!.text;
        j += 2;
      }
      names.push([name.text, local]);
      if (tokens[j]?.text === ",") j++;
      else if (tokens[j]?.text !== "}") fail("a name list it cannot read", tokens[j]);
    }
    return [names, j + 1];
  };
  const expectEnd = (j: number) => {
    if (tokens[j]?.text !== ";") fail("a statement it cannot read (expected ; as tsc emits)", tokens[j]);
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const prev = tokens[k - 1];
    const next = tokens[k + 1];
    if (t.kind !== "id" || prev?.text === "." || prev?.text === "?.") continue;
    if (t.text.startsWith("__bundle$")) fail(`the name ${t.text} is the bundler's own`, t);
    if (GLOBALS.has(t.text) && prev && ["const", "let", "var", "function", "class"].includes(prev.text)) fail(`a declaration of ${t.text} (the bundle uses the global)`, t);
    if ((t.text === "function" || t.text === "class") && tokens[k + 1]?.kind === "id") functionsAndClasses.add(tokens[k + 1]!.text);
    if (t.text === "function" && next?.text === "*" && tokens[k + 2]?.kind === "id") functionsAndClasses.add(tokens[k + 2]!.text);
    if (t.text === "import") {
      if (next?.text === ":") continue;
      if (next?.text === ".") fail("import.meta (its value would be the bundle's)", t);
      if (next?.text === "(") {
        const specifier = tokens[k + 2];
        if (specifier?.kind !== "str" || tokens[k + 3]?.text !== ")") fail("a dynamic import of anything but one string literal", t);
        const text = literal(specifier!);
        mod.dynamic.push({ start: t.start, end: tokens[k + 3]!.end, token: specifier!, id: text.startsWith("node:") ? undefined : resolve(specifier!) });
        continue;
      }
      if (prev && prev.text !== ";" && prev.text !== "}") fail("an import it cannot place", t);
      let j = k + 1;
      if (next?.kind === "str") {
        expectEnd(k + 2);
        if (!next.text.slice(1).startsWith("node:")) mod.imports.push({ id: resolve(next), names: [] });
        mod.edits.push({ start: t.start, end: tokens[k + 2]!.end, text: "" });
        k += 2;
        continue;
      }
      let local: string | undefined;
      let names: Array<[string, string]> = [];
      if (next?.text === "*") fail("a namespace import (import * as)", next);
      if (next?.kind === "id" && next.text !== "type") {
        local = next.text;
        j++;
        if (tokens[j]?.text === ",") fail("a default import with named ones", tokens[j]);
      } else if (next?.text === "{") [names, j] = nameList(k + 1);
      else fail("an import it cannot read", next);
      if (tokens[j]?.text !== "from" || tokens[j + 1]?.kind !== "str") fail("an import it cannot read", tokens[j]);
      const from = tokens[j + 1]!;
      expectEnd(j + 2);
      const specifier = literal(from);
      if (specifier.startsWith("node:")) {
        const builtin = process.getBuiltinModule(specifier) as Record<string, unknown> | undefined;
        if (!builtin) fail(`imports ${specifier}, which this Node does not have`, from);
        for (const [name] of names) if (!(name in builtin!)) fail(`imports ${name} from ${specifier}, which has no such export`, from);
        mod.builtins.push({ specifier, local, names });
      } else {
        if (local) fail(`a default import of our own module ${specifier} (our modules have no default exports)`, next);
        mod.imports.push({ id: resolve(from), names });
      }
      mod.edits.push({ start: t.start, end: tokens[j + 2]!.end, text: "" });
      k = j + 2;
      continue;
    }
    if (t.text === "export") {
      if (next?.text === ":") continue;
      if (prev && prev.text !== ";" && prev.text !== "}") fail("an export it cannot place", t);
      if (next?.text === "default") fail("a default export", next);
      if (next?.text === "*") fail("export *", next);
      if (next?.text === "{") {
        const [names, j] = nameList(k + 1);
        if (tokens[j]?.text === "from") fail("a re-export (export … from)", tokens[j]);
        if (names.length) fail("an export list (export { … }): export the declaration itself", next);
        expectEnd(j);
        mod.edits.push({ start: t.start, end: tokens[j]!.end, text: "" });
        k = j;
        continue;
      }
      let j = k + 1;
      if (tokens[j]?.text === "async") j++;
      const keyword = tokens[j]?.text;
      if (keyword === "let" || keyword === "var") fail(`export ${keyword} (a live binding the bundle would copy)`, tokens[j]);
      if (keyword !== "const" && keyword !== "function" && keyword !== "class") fail("an export it cannot read", tokens[j]);
      if (tokens[j + 1]?.text === "*") j++;
      const name = tokens[j + 1];
      if (name?.kind !== "id") fail("an export of a destructured or unnamed declaration", name);
      if (keyword === "const") {
        // One declarator only: a comma at the statement's top level would declare a second name.
        let depth = 0;
        for (let m = j + 2; m < tokens.length; m++) {
          const { kind, text: x } = tokens[m]!;
          if (kind === "tmpl") depth += (x.endsWith("${") ? 1 : 0) - (x.startsWith("}") ? 1 : 0);
          else if (kind !== "punct") continue;
          else if (x === "(" || x === "[" || x === "{") depth++;
          else if (x === ")" || x === "]" || x === "}") depth--;
          if (depth === 0 && x === ",") fail("export const with several declarators", tokens[m]);
          if (depth === 0 && x === ";") break;
          if (depth < 0) fail("an export const it cannot read", tokens[m]);
        }
      }
      mod.exports.push(name!.text);
      mod.edits.push({ start: t.start, end: next!.start, text: "" });
    }
  }
  // An exported function or class reassigned in its module would change under its importers' copies.
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind !== "id" || !mod.exports.includes(t.text) || !functionsAndClasses.has(t.text)) continue;
    const prev = tokens[k - 1]?.text;
    if (prev === "." || prev === "?.") continue;
    if (ASSIGNMENTS.has(tokens[k + 1]?.text ?? "") || prev === "++" || prev === "--") fail(`an assignment to the exported ${t.text}`, t);
  }
  return mod;
}

/** The bundle's text: every module the entry imports statically (and those `inlineDynamicFrom` import dynamically) in one file. */
export function bundle(options: BundleOptions): { code: string; modules: string[] } {
  const { dist } = options;
  const entry = posix(options.entry);
  const inlineFrom = new Set((options.inlineDynamicFrom ?? []).map(posix));
  const modules = new Map<string, Module>();
  const order: string[] = [];
  const loading: string[] = [];
  const visit = (id: string) => {
    if (loading.includes(id)) throw new BundleError(`import cycle: ${[...loading.slice(loading.indexOf(id)), id].join(" -> ")} (the hook bundler refuses cycles)`);
    if (modules.has(id)) return;
    loading.push(id);
    const mod = analyse(dist, id);
    modules.set(id, mod);
    for (const i of mod.imports) visit(i.id);
    if (inlineFrom.has(id)) for (const d of mod.dynamic) if (d.id) visit(d.id);
    loading.pop();
    order.push(id);
  };
  visit(entry);
  for (const from of inlineFrom) if (!modules.has(from)) throw new BundleError(`${from} is not imported by ${entry}: nothing to inline from it`);

  const loader = new Map(order.map((id, n) => [id, `__bundle$${n}`]));
  const outDir = path.dirname(path.join(dist, options.out));
  for (const mod of modules.values()) {
    for (const i of mod.imports) {
      const target = modules.get(i.id)!;
      for (const [name] of i.names) if (!target.exports.includes(name)) throw new BundleError(`${mod.id} imports ${name} from ${i.id}, which does not export it`);
    }
    for (const d of mod.dynamic) {
      if (!d.id) continue;
      if (inlineFrom.has(mod.id)) mod.edits.push({ start: d.start, end: d.end, text: `Promise.resolve().then(${loader.get(d.id)})` });
      else {
        const relative = posix(path.relative(outDir, path.join(dist, d.id)));
        mod.edits.push({ start: d.token.start, end: d.token.end, text: JSON.stringify(relative.startsWith(".") ? relative : `./${relative}`) });
      }
    }
  }

  /** A module's text with its imports taken out, preceded by what they bring in. */
  const body = (mod: Module): string => {
    const head: string[] = [];
    for (const b of mod.builtins) {
      const get = `process.getBuiltinModule(${JSON.stringify(b.specifier)})`;
      if (b.local) head.push(`const ${b.local} = ${get};`);
      if (b.names.length) head.push(`const { ${b.names.map(([n, l]) => (n === l ? n : `${n}: ${l}`)).join(", ")} } = ${get};`);
    }
    for (const i of mod.imports) {
      const call = `${loader.get(i.id)}();`;
      head.push(i.names.length ? `const { ${i.names.map(([n, l]) => (n === l ? n : `${n}: ${l}`)).join(", ")} } = ${call}` : call);
    }
    let text = mod.src;
    for (const e of [...mod.edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
    return `${head.join("\n")}\n${text.trim()}`;
  };

  const parts = [
    `// Built by scripts/bundle.ts from ${entry} and the modules it loads (${order.length} in all): do not edit.`,
    "// Each module is a function run once, on first use, that returns its exports.",
    "function __bundle$once(evaluate) {",
    "  let state;",
    "  return () => {",
    "    if (!state) {",
    "      try {",
    "        state = { exports: evaluate() };",
    "      } catch (error) {",
    "        state = { error };",
    "      }",
    "    }",
    '    if ("error" in state) throw state.error;',
    "    return state.exports;",
    "  };",
    "}",
  ];
  for (const id of order) {
    if (id === entry) continue;
    const mod = modules.get(id)!;
    const exports = `Object.freeze({ __proto__: null${mod.exports.map((e) => `, ${e}`).join("")} })`;
    // Parenthesized, so V8 compiles the module's function with the file rather than on its first
    // call, and Node's compile cache keeps it compiled (measured: ~0.5 ms less per hook call).
    parts.push(`// ${id}`, `const ${loader.get(id)} = __bundle$once((() => {`, body(mod), `return ${exports};`, "}));");
  }
  const main = modules.get(entry)!;
  if (main.exports.length) throw new BundleError(`${entry}: an entry that exports (${main.exports.join(", ")})`);
  parts.push(`// ${entry}`, body(main), "");
  return { code: parts.join("\n"), modules: order };
}
