// The node:http side of the dashboard: small bodies read whole (bounded), small answers written whole.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type DashboardHandler, isDashboardPath } from "./index.ts";

/** The largest request body read; API bodies are a few hundred bytes. */
const MAX_BODY = 16 * 1024;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8", connection: "close" });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        req.removeAllListeners("data");
        req.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

async function serveOne(handler: DashboardHandler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? "GET";
  let body: Buffer | undefined;
  if (method === "GET" || method === "HEAD") req.resume();
  else {
    if (Number(req.headers["content-length"] ?? 0) > MAX_BODY) return refuse(res, 413, "request body too large\n");
    body = await readBody(req);
    if (!body) return refuse(res, 413, "request body too large\n");
  }
  const headers = new Headers();
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  // A fixed origin: nothing the dashboard writes depends on the Host header.
  const request = new Request(`http://bouncer.invalid${req.url ?? "/"}`, { method, headers, body: body ? new Uint8Array(body) : undefined });
  const response = await handler(request);
  const out = Buffer.from(await response.arrayBuffer());
  const head: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    head[key] = value;
  });
  if (method !== "HEAD" && response.status !== 304) head["content-length"] = String(out.length);
  res.writeHead(response.status, head);
  res.end(method === "HEAD" ? undefined : out);
}

/** Sends /ui and /ui/... to the dashboard, everything else to `next` (the proxy). */
export function withDashboard(handler: DashboardHandler, next: Listener): Listener {
  return (req, res) => {
    const url = req.url ?? "/";
    const pathname = url.split("?", 1)[0]!;
    if (!isDashboardPath(pathname)) return next(req, res);
    serveOne(handler, req, res).catch(() => {
      if (!res.headersSent) refuse(res, 500, "the dashboard failed\n");
      else res.destroy();
    });
  };
}
