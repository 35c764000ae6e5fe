// A line diff of a settings file before and after an edit, for `--dry-run`.

/** Line-by-line LCS up to this many cells; beyond it, the changed middle is shown whole. */
const MAX_CELLS = 4_000_000;

export function lineDiff(file: string, before: string, after: string): string {
  const a = before.split("\n");
  const b = after.split("\n");
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const x = a.slice(head, a.length - tail);
  const y = b.slice(head, b.length - tail);
  const out = [`--- ${before ? file : "/dev/null"}`, `+++ ${file}`];
  const context = (lines: string[]) => lines.map((l) => `  ${l}`);
  out.push(...context(a.slice(Math.max(0, head - 2), head)));
  if ((x.length + 1) * (y.length + 1) > MAX_CELLS) {
    out.push(...x.map((l) => `- ${l}`), ...y.map((l) => `+ ${l}`));
  } else {
    // Longest common subsequence, from the end.
    const w = y.length + 1;
    const lcs = new Uint32Array((x.length + 1) * w);
    for (let i = x.length - 1; i >= 0; i--) {
      for (let j = y.length - 1; j >= 0; j--) lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
    let i = 0;
    let j = 0;
    while (i < x.length || j < y.length) {
      if (i < x.length && j < y.length && x[i] === y[j]) {
        out.push(`  ${x[i]}`);
        i++;
        j++;
      } else if (j < y.length && (i >= x.length || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) out.push(`+ ${y[j++]}`);
      else out.push(`- ${x[i++]}`);
    }
  }
  out.push(...context(a.slice(a.length - tail, Math.min(a.length, a.length - tail + 2))));
  return `${out.join("\n")}\n`;
}
