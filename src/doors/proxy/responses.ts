// Answers the clients can show: npm prints `${status} ${statusText} - GET url - ${body.error}`;
// pip 23 logs a failed index page only at debug level, but warns with the Content-Type of a page it
// cannot read, so pip gets its refusal that way (and a refused file download as status + reason).
import type { Refusal } from "./judge.ts";

/** A status line's reason phrase: printable ASCII only, one line, bounded. */
export function statusText(text: string): string {
  const ascii = text
    .normalize("NFKD")
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\u2026/g, "...")
    .replace(/[^\x20-\x7e]/g, "");
  return ascii.length > 300 ? `${ascii.slice(0, 297)}...` : ascii;
}

const NO_STORE = { "cache-control": "no-store" };

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}, title?: string): Response {
  return new Response(JSON.stringify(value), {
    status,
    statusText: title === undefined ? undefined : statusText(title),
    headers: { "content-type": "application/json", ...headers },
  });
}

/** npm: the reason in `error`, which npm appends to its error line. */
export function npmRefusal(refusal: Refusal): Response {
  return jsonResponse(refusal.status, { error: refusal.reason }, { ...NO_STORE, "x-bouncer-refusal": statusText(refusal.reason) }, refusal.title);
}

/** A quoted-string for a header parameter. */
function quoted(text: string): string {
  return `"${statusText(text).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Whether the client is pip (its User-Agent starts with "pip/"). */
export function isPip(request: Request): boolean {
  return /^pip\//i.test(request.headers.get("user-agent") ?? "");
}

/**
 * A refused PyPI index page. pip gets a 200 whose Content-Type it cannot read, because that is the
 * one thing about a failed index page it prints by default ("WARNING: Skipping page ... because the
 * GET request got Content-Type: ..."); pip then finds no version, so nothing is installed. Other
 * clients get the HTTP status with the reason as its reason phrase and as the body.
 */
export function indexRefusal(request: Request, refusal: Refusal): Response {
  const headers = { ...NO_STORE, "x-bouncer-refusal": statusText(refusal.reason) };
  if (isPip(request)) {
    return new Response(`${refusal.reason}\n`, {
      status: 200,
      headers: { ...headers, "content-type": `text/x-bouncer-refusal; reason=${quoted(refusal.reason)}` },
    });
  }
  return textRefusal(refusal);
}

/** Status and reason phrase carry the reason (pip shows both for a failed download), the body too. */
export function textRefusal(refusal: Refusal): Response {
  return new Response(`${refusal.reason}\n`, {
    status: refusal.status,
    statusText: statusText(refusal.reason),
    headers: { ...NO_STORE, "content-type": "text/plain; charset=utf-8", "x-bouncer-refusal": statusText(refusal.reason) },
  });
}

/** A whole body, judged and verified, to be revalidated before reuse. */
export function bodyResponse(body: Buffer, contentType: string, extra: Record<string, string> = {}): Response {
  return new Response(body, {
    status: 200,
    headers: { "content-type": contentType, "content-length": String(body.length), "cache-control": "no-cache", ...extra },
  });
}

export function badRequest(message: string): Response {
  return jsonResponse(400, { error: message }, NO_STORE, "Bad Request");
}

export function notFound(message: string): Response {
  return jsonResponse(404, { error: message }, NO_STORE, "Not Found");
}

/** Why a name longer than its cap is refused before anything (the engine included) sees it; undefined when it is not. */
export function tooLong(what: string, text: string, max: number): string | undefined {
  return text.length > max ? `${what} is ${text.length} characters long; the limit is ${max}` : undefined;
}

/** The path's segments, percent-decoded; null when one is not valid percent-encoding. */
export function decodeSegments(path: string): string[] | null {
  try {
    return path.split("/").map((s) => decodeURIComponent(s));
  } catch {
    return null;
  }
}
