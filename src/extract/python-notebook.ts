// Jupyter notebooks (.ipynb, nbformat 3 and 4): the Python code of each code cell, with a map from
// the cell's lines to the notebook file's lines, and IPython magics / shell escapes blanked out.
import { JsonSyntaxError, parseJson } from "../formats/json.ts";
import type { ExtractProblem } from "../core/dependency.ts";
import { errorMessage, isRecord } from "../core/guards.ts";

export interface NotebookCell {
  /** Python code, one line per cell line (magic and shell lines left empty). */
  code: string;
  /** fileLine[k] = the notebook file's line of the cell's line k+1. */
  fileLine: number[];
  /** IPython `!cmd` and `%magic` lines as written (`!pip install x`) and `%%bash` cell lines, at file lines. */
  shellLines: Array<{ text: string; line: number }>;
}

// Cell magics whose body is still Python.
const PYTHON_CELL_MAGICS = new Set(["time", "timeit", "capture", "prun", "debug"]);
const SHELL_CELL_MAGICS = new Set(["bash", "sh", "script", "system"]);

/** Line starts of `text`, for turning an offset into a line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let p = text.indexOf("\n"); p >= 0; p = text.indexOf("\n", p + 1)) starts.push(p + 1);
  return starts;
}

/**
 * The file lines of the string elements of the JSON array that is the value of `key`, whose key
 * stands on `keyLine`. Scans the raw text; null when the layout is not the expected one.
 */
function arrayElementLines(text: string, starts: number[], keyLine: number, key: string, count: number): number[] | null {
  let p = text.indexOf(`"${key}"`, starts[keyLine - 1] ?? 0);
  if (p < 0) return null;
  let line = keyLine;
  p += key.length + 2;
  const skip = () => {
    for (;;) {
      const c = text[p];
      if (c === "\n") line++;
      if (c === " " || c === "\t" || c === "\r" || c === "\n" || c === ":" || c === ",") p++;
      else return;
    }
  };
  skip();
  if (text[p] !== "[") return null;
  p++;
  const lines: number[] = [];
  for (let k = 0; k < count; k++) {
    skip();
    if (text[p] !== '"') return null;
    lines.push(line);
    p++;
    while (p < text.length && text[p] !== '"') p += text[p] === "\\" ? 2 : 1;
    p++;
  }
  return lines;
}

function cellCode(lines: string[], fileLine: number[]): NotebookCell | null {
  const shellLines: NotebookCell["shellLines"] = [];
  const first = lines[0]?.trimStart() ?? "";
  const magic = first.startsWith("%%") ? (/^%%(\w+)/.exec(first)?.[1] ?? "") : null;
  if (magic !== null && !PYTHON_CELL_MAGICS.has(magic)) {
    // A shell cell's lines are shell commands; any other cell magic is not Python.
    if (!SHELL_CELL_MAGICS.has(magic)) return null;
    lines.slice(1).forEach((text, k) => {
      shellLines.push({ text: text.replace(/\r?\n$/, ""), line: fileLine[k + 1] ?? 0 });
    });
    return { code: "", fileLine, shellLines };
  }
  const code = lines.map((text, k) => {
    const trimmed = text.trimStart();
    if (trimmed.startsWith("%") || trimmed.startsWith("!")) {
      shellLines.push({ text: trimmed.replace(/\r?\n$/, ""), line: fileLine[k] ?? 0 });
      return "";
    }
    return text.replace(/\r?\n$/, "");
  });
  return { code: code.join("\n"), fileLine, shellLines };
}

/** The code cells of a notebook, or problems when it is not a readable Python notebook. */
export function notebookCells(text: string, file: string): { cells: NotebookCell[]; problems: ExtractProblem[] } {
  let doc: ReturnType<typeof parseJson>;
  try {
    doc = parseJson(text);
  } catch (error) {
    const line = error instanceof JsonSyntaxError ? error.line : undefined;
    const message = errorMessage(error);
    return { cells: [], problems: [{ file, reason: `invalid notebook JSON: ${message}`, ...(line ? { line } : {}) }] };
  }
  const root = doc.value;
  if (!isRecord(root)) return { cells: [], problems: [{ file, reason: "not a Jupyter notebook (no cells)" }] };
  const metadata = isRecord(root.metadata) ? root.metadata : {};
  const language =
    (isRecord(metadata.kernelspec) && typeof metadata.kernelspec.language === "string" && metadata.kernelspec.language) ||
    (isRecord(metadata.language_info) && typeof metadata.language_info.name === "string" && metadata.language_info.name) ||
    "python";
  if (!/^python/i.test(language)) {
    return { cells: [], problems: [{ file, reason: `notebook language "${language}" is not scanned for imports` }] };
  }
  let rawCells: unknown[] | null = Array.isArray(root.cells) ? root.cells : null;
  let sourceKey = "source";
  if (rawCells === null && Array.isArray(root.worksheets)) {
    rawCells = root.worksheets.flatMap((w) => (isRecord(w) && Array.isArray(w.cells) ? w.cells : []));
    sourceKey = "input";
  }
  if (rawCells === null) return { cells: [], problems: [{ file, reason: "not a Jupyter notebook (no cells)" }] };
  const starts = lineStarts(text);
  const cells: NotebookCell[] = [];
  for (const cell of rawCells) {
    if (!isRecord(cell) || cell.cell_type !== "code") continue;
    const source = cell[sourceKey];
    const keyLine = doc.keyLine(cell, sourceKey) ?? 1;
    const parts = typeof source === "string" ? [source] : Array.isArray(source) ? source.filter((s) => typeof s === "string") : [];
    if (parts.length === 0) continue;
    const elementLines =
      Array.isArray(source) && parts.length === source.length
        ? (arrayElementLines(text, starts, keyLine, sourceKey, parts.length) ?? parts.map(() => keyLine))
        : parts.map(() => keyLine);
    // Split into code lines; a line starting inside element k is shown at element k's file line.
    const lines: string[] = [];
    const fileLine: number[] = [];
    let pending = "";
    let pendingLine = 0;
    parts.forEach((part, k) => {
      const pieces = part.split("\n");
      pieces.forEach((piece, m) => {
        if (pending === "" && m === 0) pendingLine = elementLines[k]!;
        pending += piece;
        if (m < pieces.length - 1) {
          lines.push(pending);
          fileLine.push(pendingLine);
          pending = "";
          pendingLine = elementLines[k]!;
        }
      });
    });
    if (pending !== "") {
      lines.push(pending);
      fileLine.push(pendingLine);
    }
    const code = cellCode(lines, fileLine);
    if (code) cells.push(code);
  }
  return { cells, problems: [] };
}
