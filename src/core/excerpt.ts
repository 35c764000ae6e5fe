// What a report may quote of scanned input: a short excerpt, with anything that looks like a
// credential hidden. Reports go to CI summaries, SARIF uploads, MCP answers and logs, so a line
// that could not be parsed is never echoed whole and never with a token in it.

export const EXCERPT_CHARS = 80;
/** The longest reason a report carries for a file it could not evaluate. */
export const MAX_REASON_CHARS = 300;

const HIDDEN = "***";
const SECRET_KEY = /token|secret|passw(?:or)?d|pwd|auth|api[-_]?key|access[-_]?key|private[-_]?key|credential/i;
type Replacement = string | ((all: string, ...groups: string[]) => string);
const CREDENTIALS: ReadonlyArray<[RegExp, Replacement]> = [
  // user:password@ (or a token as user) in a URL
  [/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, `$1${HIDDEN}@`],
  [/\b(Bearer|Basic)[ \t]+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${HIDDEN}`],
  // key=value and key: value settings whose key names a secret (_authToken=, NPM_TOKEN=, "password": ...).
  // Keys start only where a run of key characters starts, so each run is tried once.
  [/(?<![\w./-])([\w.-]+)(["']?[ \t]*[=:][ \t]*["']?)([^\s"',;&]+)/g, (all: string, key: string, sep: string) => (SECRET_KEY.test(key) ? `${key}${sep}${HIDDEN}` : all)],
  // Tokens recognisable by their prefix: AWS key ids, GitHub, npm, GitLab, Slack, PyPI, OpenAI-style keys
  [/\b(?:A3T[A-Z0-9]|AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{12,}/g, HIDDEN],
  [/\b(?:gh[pousr]_[A-Za-z0-9]{8,}|github_pat_\w{8,}|npm_[A-Za-z0-9]{8,}|glpat-[\w-]{8,}|xox[abposr]-[\w-]{8,}|pypi-[\w-]{8,}|sk-[\w-]{16,})/g, HIDDEN],
];

/** `text` with credential-like values replaced by ***. Linear: each pattern starts on a literal or where a run starts. */
export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of CREDENTIALS) out = out.replace(pattern, replacement as string);
  return out;
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u2028\u2029]/g;

/** At most `max` characters of `text`, credentials hidden, control characters blanked; "…" when cut. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  // A window a little wider than the excerpt, so that a secret cut at its edge is still recognised.
  const window = text.slice(0, max + 160);
  const clean = redact(window).replace(CONTROL, " ").replace(/\s*[\r\n]\s*/g, " ");
  return clean.length > max || window.length < text.length ? `${clean.slice(0, max)}…` : clean;
}

/** A reason fit for a report: credentials hidden and bounded in length. */
export function safeReason(reason: string): string {
  return excerpt(reason, MAX_REASON_CHARS);
}
