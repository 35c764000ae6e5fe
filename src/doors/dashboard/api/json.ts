// JSON in and out for the dashboard's API: bounded bodies, one error shape.

/** A request the API refuses, with its status; the message is shown to the user as it is. */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** The largest request body the API reads (its bodies are a few hundred bytes); the node adapter reads no more. */
export const MAX_BODY = 16 * 1024;

/** A JSON answer with its length: small, built whole, so never sent chunked. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const text = JSON.stringify(body);
  return new Response(text, {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": String(Buffer.byteLength(text)), ...headers },
  });
}

/** The request's JSON object body, at most MAX_BODY bytes. */
export async function readBody(request: Request): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/i.test(request.headers.get("content-type") ?? "")) throw new ApiError(415, "send JSON (content-type: application/json)");
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY) throw new ApiError(413, `the body is larger than ${MAX_BODY} bytes`);
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY) {
      await reader.cancel();
      throw new ApiError(413, `the body is larger than ${MAX_BODY} bytes`);
    }
    chunks.push(value);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  } catch {
    throw new ApiError(400, "the body is not JSON");
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new ApiError(400, "the body must be a JSON object");
  return value as Record<string, unknown>;
}

/** A string field of at most `max` characters; undefined when absent or empty and not required. */
export function text(body: Record<string, unknown>, key: string, max: number, required = false): string | undefined {
  const value = body[key];
  if (value === undefined || value === null || value === "") {
    if (required) throw new ApiError(400, `${key} is required`);
    return undefined;
  }
  if (typeof value !== "string") throw new ApiError(400, `${key} must be a string`);
  if (value.length > max) throw new ApiError(400, `${key} is ${value.length} characters long; the limit is ${max}`);
  return value;
}

/** One of the allowed values, or undefined when absent. */
export function oneOf<T extends string>(value: string | null | undefined, allowed: readonly T[], what: string): T | undefined {
  if (value === null || value === undefined || value === "") return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new ApiError(400, `${what} must be one of ${allowed.join(", ")}`);
  return value as T;
}
