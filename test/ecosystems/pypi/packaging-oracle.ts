// The start of every python3 oracle program built on `packaging` (what pip vendors): it answers
// {"skip": why} and stops when packaging >= 26 is missing, so only that skips a differential test.

/** Python source that imports `imports` (lines such as "from packaging.version import Version") or answers the skip. */
export function packagingPreamble(imports: readonly string[]): string {
  return `
import json, sys
try:
    import packaging
${imports.map((line) => `    ${line}\n`).join("")}    if int(packaging.__version__.split(".")[0]) < 26:
        raise ImportError("packaging " + packaging.__version__ + " < 26")
except Exception as e:
    json.dump({"skip": str(e)}, sys.stdout); sys.exit(0)
`;
}
