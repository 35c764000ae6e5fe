// The proxy over node:http: the service's one adapter (../service/node-http.ts). The proxy only
// reads from registries, so request bodies are drained, never read.
import { type NodeListener, nodeAdapter } from "../service/node-http.ts";
import type { ProxyHandler } from "./index.ts";

/** A node:http request listener for the proxy's handler (or the service wrapping it). */
export function nodeListener(handler: ProxyHandler): NodeListener {
  return nodeAdapter(handler, { failure: "Bouncer failed and served nothing\n" });
}
