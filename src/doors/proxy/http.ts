// The node:http side of the proxy: requests in as fetch Requests, Responses streamed out with
// back-pressure. A body that fails midway destroys the connection, which an HTTP/1.1 client sees as
// a chunked body without its last chunk; an HTTP/1.0 client could not tell, so it gets whole,
// verified bodies only (RequestInfo.wholeBodies). The Host header names nothing the proxy writes.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ProxyHandler } from "./index.ts";

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", "content-length": String(Buffer.byteLength(text)) });
  res.end(text);
}

async function serveOne(handler: ProxyHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  req.resume(); // no request bodies are read; drain them so the connection stays usable
  const host = req.headers.host;
  if (host !== undefined && !HOST.test(host)) return plain(res, 400, "bad Host header\n");
  const controller = new AbortController();
  res.on("close", () => {
    if (!res.writableFinished) controller.abort();
  });
  let request: Request;
  try {
    const headers = new Headers();
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    // A fixed origin: URLs the proxy writes come from its configured public URL, never from Host.
    request = new Request(`http://bouncer.invalid${req.url ?? "/"}`, { method: req.method, headers, signal: controller.signal });
  } catch {
    return plain(res, 400, "bad request\n");
  }
  let response: Response;
  try {
    const chunked = req.httpVersionMajor > 1 || (req.httpVersionMajor === 1 && req.httpVersionMinor >= 1);
    response = await handler(request, { clientAddress: req.socket.remoteAddress, wholeBodies: !chunked });
  } catch {
    return plain(res, 500, "Bouncer failed and served nothing\n");
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key] = value;
  });
  if (res.destroyed) {
    await response.body?.cancel().catch(() => {});
    return;
  }
  res.writeHead(response.status, response.statusText || undefined, headers);
  if (req.method === "HEAD" || !response.body) {
    await response.body?.cancel().catch(() => {});
    res.end();
    return;
  }
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) throw new Error("the client left");
      if (!res.write(value)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            res.off("drain", go);
            res.off("close", go);
            resolve();
          };
          res.on("drain", go);
          res.on("close", go);
        });
      }
    }
    res.end();
  } catch (error) {
    res.destroy(error instanceof Error ? error : new Error(String(error)));
    await reader.cancel(error).catch(() => {});
  }
}

/** A node:http request listener for a fetch-style handler. */
export function nodeListener(handler: ProxyHandler): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serveOne(handler, req, res).catch(() => res.destroy());
  };
}
