// Line-oriented reading shared by the lockfile readers (YAML subset, yarn v1 syntax).

export interface TextLine {
  /** 1-based line number. */
  no: number;
  /** Leading spaces. */
  indent: number;
  /** The line without its indentation and line ending. */
  body: string;
}

/** The lines of a lockfile (a BOM and CRLF endings tolerated), for the line-oriented readers. */
export function* textLines(text: string): Generator<TextLine> {
  let no = 0;
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (start <= text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    no++;
    let raw = text.slice(start, end);
    start = end + 1;
    if (raw.endsWith("\r")) raw = raw.slice(0, -1);
    let indent = 0;
    while (raw.charCodeAt(indent) === 32) indent++;
    yield { no, indent, body: raw.slice(indent) };
  }
}
