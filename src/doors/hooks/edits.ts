// What a file write, edit or patch would leave on disk: the new text of each file it touches, next to
// the text there now. Nothing is written; the agent's own tool does that once the call is allowed.
import path from "node:path";
import { isRefused, MAX_FILE_BYTES, readText, type ScanFs } from "../../engine/fs.ts";
import type { FileChange, TextEdit } from "./protocol.ts";

/** One file as the call would leave it. */
export interface NewText {
  /** Absolute. */
  file: string;
  /** The text on disk now; undefined when there is none (a new file) or it cannot be read. */
  before: string | undefined;
  after: string;
}

/** The call cannot be understood well enough to see what it adds: it is refused with this reason. */
export class EditError extends Error {
  override name = "EditError";
}

/** At most this many files in one patch: a larger one is refused rather than read file by file. */
const MAX_PATCH_FILES = 500;

/** The text of `file` on disk: undefined when there is none; a file that exists but cannot be read is an error. */
function current(fsFor: (file: string) => ScanFs, file: string): string | undefined {
  const text = readText(fsFor(file), file, MAX_FILE_BYTES);
  if (!isRefused(text)) return text;
  if (text.refused === "not found") return undefined;
  throw new EditError(`${file} cannot be read to see what the change adds (${text.refused})`);
}

/** The edits applied in order; undefined when one does not apply (the agent's tool then fails and writes nothing). */
export function applyEdits(before: string | undefined, edits: readonly TextEdit[]): string | undefined {
  let text = before;
  for (const e of edits) {
    // An empty old string inserts (Windsurf sends a new file's text this way).
    if (e.old === "") {
      text = (text ?? "") + e.new;
      continue;
    }
    if (text === undefined) return undefined;
    const at = text.indexOf(e.old);
    if (at < 0) return undefined;
    text = e.all ? text.split(e.old).join(e.new) : text.slice(0, at) + e.new + text.slice(at + e.old.length);
  }
  return text;
}

interface PatchHunk {
  old: string[];
  new: string[];
}

interface PatchFile {
  op: "add" | "update" | "delete";
  file: string;
  moveTo?: string;
  added: string[];
  hunks: PatchHunk[];
}

/** Reads an apply_patch envelope (*** Begin Patch / *** Add File: / *** Update File: / @@ / +, -, space lines). */
export function parsePatch(text: string): PatchFile[] {
  const files: PatchFile[] = [];
  let file: PatchFile | undefined;
  let hunk: PatchHunk | undefined;
  const header = (line: string, name: string) => (line.startsWith(name) ? line.slice(name.length).trim() : undefined);
  for (const raw of text.split("\n")) {
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    const trimmed = line.trim();
    if (trimmed === "*** Begin Patch" || trimmed === "*** End Patch" || trimmed === "*** End of File") continue;
    const add = header(trimmed, "*** Add File:");
    const update = header(trimmed, "*** Update File:");
    const del = header(trimmed, "*** Delete File:");
    const move = header(trimmed, "*** Move to:");
    if (add !== undefined || update !== undefined || del !== undefined) {
      if (files.length >= MAX_PATCH_FILES) throw new EditError(`the patch touches more than ${MAX_PATCH_FILES} files`);
      file = { op: add !== undefined ? "add" : update !== undefined ? "update" : "delete", file: (add ?? update ?? del)!, added: [], hunks: [] };
      if (!file.file) throw new EditError("the patch names a file without a path");
      files.push(file);
      hunk = undefined;
      continue;
    }
    if (move !== undefined && file) {
      file.moveTo = move;
      continue;
    }
    if (!file) {
      if (trimmed) throw new EditError("the patch has text before its first file header");
      continue;
    }
    if (file.op === "add") {
      if (line.startsWith("+")) file.added.push(line.slice(1));
      else if (trimmed) throw new EditError(`a line of the new file ${file.file} does not start with "+"`);
      continue;
    }
    if (file.op === "delete") continue;
    if (line.startsWith("@@")) {
      hunk = { old: [], new: [] };
      file.hunks.push(hunk);
      continue;
    }
    if (!hunk) {
      hunk = { old: [], new: [] };
      file.hunks.push(hunk);
    }
    const mark = line[0];
    const body = line.slice(1);
    if (mark === "+") hunk.new.push(body);
    else if (mark === "-") hunk.old.push(body);
    else if (mark === " " || line === "") {
      hunk.old.push(body);
      hunk.new.push(body);
    } else throw new EditError(`a line of the change to ${file.file} does not start with " ", "+" or "-"`);
  }
  if (!files.length) throw new EditError("the patch names no file");
  return files;
}

/** Where `lines` occur in `text` from `from` on: exactly, then ignoring trailing, then surrounding whitespace (as apply_patch matches). */
function seek(text: string[], lines: string[], from: number): number {
  const tries: Array<(s: string) => string> = [(s) => s, (s) => s.trimEnd(), (s) => s.trim()];
  for (const norm of tries) {
    for (let i = from; i + lines.length <= text.length; i++) {
      let ok = true;
      for (let j = 0; j < lines.length && ok; j++) ok = norm(text[i + j]!) === norm(lines[j]!);
      if (ok) return i;
    }
  }
  return -1;
}

function applyHunks(file: string, before: string, hunks: readonly PatchHunk[]): string {
  const lines = before.split("\n");
  let at = 0;
  for (const h of hunks) {
    if (!h.old.length) {
      // Only additions, no context: they go at the end.
      const end = lines.length && lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
      lines.splice(end, 0, ...h.new);
      at = end + h.new.length;
      continue;
    }
    const found = seek(lines, h.old, at);
    if (found < 0) throw new EditError(`the lines a hunk of the patch changes are not in ${file} as it is now`);
    lines.splice(found, h.old.length, ...h.new);
    at = found + h.new.length;
  }
  return lines.join("\n");
}

/**
 * A notebook with one more cell holding `source`. Whether the edit replaces a cell or inserts one,
 * what it adds is in its new source, so the cell is judged as added: the notebook's old cells say
 * what was there before.
 */
function withCell(file: string, notebook: string | undefined, source: string, cellType: "code" | "markdown"): string {
  let doc: { cells?: unknown };
  try {
    doc = notebook === undefined ? { cells: [] } : (JSON.parse(notebook) as { cells?: unknown });
  } catch {
    throw new EditError(`${file} is not a notebook Bouncer can read (not JSON)`);
  }
  if (typeof doc !== "object" || doc === null || !Array.isArray(doc.cells)) throw new EditError(`${file} is not a notebook Bouncer can read (no cells)`);
  return JSON.stringify({ ...doc, cells: [...doc.cells, { cell_type: cellType, metadata: {}, source }] });
}

/** Every file the changes touch (absolute), and whether a change removes it or moves it away (a patch's Delete File, Move to). */
export function touchedFiles(changes: readonly FileChange[], cwd: string): Array<{ file: string; removed: boolean }> {
  const out: Array<{ file: string; removed: boolean }> = [];
  for (const change of changes) {
    if (change.op !== "patch") {
      out.push({ file: path.resolve(cwd, change.file), removed: false });
      continue;
    }
    for (const p of parsePatch(change.patch)) {
      out.push({ file: path.resolve(cwd, p.file), removed: p.op === "delete" || p.moveTo !== undefined });
      if (p.moveTo) out.push({ file: path.resolve(cwd, p.moveTo), removed: false });
    }
  }
  return out;
}

/**
 * The new text of every file the changes touch that `wanted` keeps (the others are not even read),
 * in order (a file changed twice shows both). Files the call cannot change (an edit whose old text
 * is not there) are left out: nothing would be written. `fsFor` gives the confined file system a
 * path is read through.
 */
export function newTexts(changes: readonly FileChange[], cwd: string, fsFor: (file: string) => ScanFs, wanted: (file: string) => boolean = () => true): NewText[] {
  const pending = new Map<string, NewText>();
  const before = (file: string) => (pending.has(file) ? pending.get(file)!.after : current(fsFor, file));
  // A whole new text needs no old one: what cannot be read counts as not there (all of it is judged).
  const beforeWrite = (file: string) => {
    try {
      return current(fsFor, file);
    } catch (error) {
      if (error instanceof EditError) return undefined;
      throw error;
    }
  };
  const put = (file: string, after: string, whole = false) => {
    const had = pending.get(file);
    pending.set(file, { file, before: had ? had.before : whole ? beforeWrite(file) : current(fsFor, file), after });
  };
  for (const change of changes) {
    if (change.op === "write") {
      const file = path.resolve(cwd, change.file);
      if (wanted(file)) put(file, change.content, true);
    } else if (change.op === "edit") {
      const file = path.resolve(cwd, change.file);
      if (!wanted(file)) continue;
      const after = applyEdits(before(file), change.edits);
      if (after !== undefined) put(file, after);
    } else if (change.op === "insert") {
      const file = path.resolve(cwd, change.file);
      const text = wanted(file) ? before(file) : undefined;
      if (text === undefined) continue;
      const lines = text.split("\n");
      if (change.line > lines.length) continue;
      lines.splice(change.line, 0, ...change.text.split("\n"));
      put(file, lines.join("\n"));
    } else if (change.op === "notebook-cell") {
      const file = path.resolve(cwd, change.file);
      if (wanted(file)) put(file, withCell(file, before(file), change.source, change.cellType));
    } else {
      for (const p of parsePatch(change.patch)) {
        const file = path.resolve(cwd, p.file);
        const target = p.moveTo ? path.resolve(cwd, p.moveTo) : file;
        if (p.op === "delete" || !(wanted(file) || wanted(target))) continue;
        if (p.op === "add") {
          put(file, p.added.length ? `${p.added.join("\n")}\n` : "", true);
          continue;
        }
        const text = before(file);
        if (text === undefined) throw new EditError(`the patch updates ${p.file}, which does not exist`);
        const after = applyHunks(p.file, text, p.hunks);
        if (target !== file) pending.set(target, { file: target, before: beforeWrite(target), after });
        else put(file, after);
      }
    }
  }
  return [...pending.values()];
}
