// The one node:http adapter of `bouncer serve` (proxy and dashboard alike): a node request in as a
// fetch Request, the handler's Response streamed out with back-pressure. The handlers are fetch
// handlers; this layer only carries bytes and enforces what the socket alone can:
// - the Host header names nothing written (a fixed origin), and a malformed one is refused (400);
// - a request body is read only up to a limit, a larger one refused (413) without reading it all;
// - the handler's signal aborts when the client leaves before its answer is complete;
// - HEAD answers carry the handler's headers and no body;
// - a body that fails midway destroys the connection, which an HTTP/1.1 client sees as a chunked body
//   without its last chunk; an HTTP/1.0 client could not tell, so the handler is told to send whole,
//   verified bodies only (RequestInfo.wholeBodies).
import type { IncomingMessage, ServerResponse } from "node:http";

export interface RequestInfo {
  clientAddress?: string;
  /**
   * The client cannot tell a cut body from a complete one (HTTP/1.0: no chunked encoding), so a
   * file is verified whole before any of it is sent.
   */
  wholeBodies?: boolean;
}

export type FetchHandler = (request: Request, info: RequestInfo) => Promise<Response>;
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface AdapterOptions {
  /**
   * Request bodies (of methods other than GET and HEAD) up to this many bytes are read whole and given
   * to the handler; a larger one is refused with 413. Unset: bodies are never read, only drained.
   */
  maxBody?: number;
  /** The plain-text answer (500) when the handler throws instead of answering. */
  failure: string;
}

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function plain(res: ServerResponse, status: number, text: string, close = false): void {
  const headers: Record<string, string> = { "content-type": "text/plain; charset=utf-8", "content-length": String(Buffer.byteLength(text)) };
  // The rest of an unread body is still on the connection: it cannot carry another request.
  if (close) headers.connection = "close";
  res.writeHead(status, headers);
  res.end(text);
}

class TooLarge extends Error {}

/** The whole body, at most `max` bytes; rejects with TooLarge as soon as it is known to be larger (the rest is not read). */
function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > max) return Promise.reject(new TooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (error?: Error) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", stop);
      req.off("close", onClose);
      if (error) {
        req.pause();
        reject(error);
      } else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) stop(new TooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => stop();
    const onClose = () => stop(new Error("the client left"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", stop);
    req.on("close", onClose);
  });
}

/** Waits until the response can take more, or is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const go = () => {
      res.off("drain", go);
      res.off("close", go);
      resolve();
    };
    res.on("drain", go);
    res.on("close", go);
  });
}

async function serveOne(handler: FetchHandler, options: AdapterOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  const readsBody = options.maxBody !== undefined && method !== "GET" && method !== "HEAD";
  if (!readsBody) req.resume(); // drained, so the connection stays usable
  const host = req.headers.host;
  if (host !== undefined && !HOST.test(host)) return plain(res, 400, "bad Host header\n");
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  let body: Uint8Array | undefined;
  if (readsBody) {
    try {
      body = await readBody(req, options.maxBody!);
    } catch (error) {
      if (error instanceof TooLarge) return plain(res, 413, "request body too large\n", true);
      return void res.destroy();
    }
  }
  let request: Request;
  try {
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    // A fixed origin: URLs the service writes come from its configuration, never from Host.
    request = new Request(`http://bouncer.invalid${req.url ?? "/"}`, { method, headers, body, signal: controller.signal });
  } catch {
    return plain(res, 400, "bad request\n");
  }
  let response: Response;
  try {
    const chunked = req.httpVersionMajor > 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1);
    response = await handler(request, { clientAddress: req.socket.remoteAddress, wholeBodies: !chunked });
  } catch {
    if (res.destroyed) return;
    return plain(res, 500, options.failure);
  }
  if (res.destroyed) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  // Flat name/value pairs: several Set-Cookie headers stay several.
  const headers: string[] = [];
  response.headers.forEach((value, key) => {
    if (key !== "set-cookie") headers.push(key, value);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push("set-cookie", cookie);
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (method === "HEAD" || !response.body) {
    await response.body?.cancel().catch(() => {});
    res.end();
    return;
  }
  const reader = response.body.getReader();
  // A client that leaves cancels the body at once, even one waiting on a stalled upstream.
  const leave = () => void reader.cancel(new Error("the client left")).catch(() => {});
  controller.signal.addEventListener("abort", leave, { once: true });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) throw new Error("the client left");
      if (!res.write(value)) await drained(res);
    }
    if (!res.destroyed) res.end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
    await reader.cancel(error).catch(() => {});
  } finally {
    controller.signal.removeEventListener("abort", leave);
  }
}

/** A node:http request listener for a fetch handler. */
export function nodeAdapter(handler: FetchHandler, options: AdapterOptions): NodeListener {
  return (req, res) => {
    serveOne(handler, options, req, res).catch(() => res.destroy());
  };
}
