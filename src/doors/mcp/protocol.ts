// A Model Context Protocol server (JSON-RPC 2.0, newline-delimited over stdio), tools only.
// Written here rather than pulling in the SDK: the wire protocol is small and Bouncer is part of its users' supply chain.
import { errorMessage, isRecord } from "../../core/guards.ts";

export const PROTOCOL_VERSIONS = ["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

export interface ToolResult {
  /** Short text for the model. */
  text: string;
  structured: Record<string, unknown>;
  isError?: boolean;
}

export interface Tool {
  name: string;
  title: string;
  description: string;
  inputSchema: Record<string, unknown>;
  outputSchema?: Record<string, unknown>;
  call(args: Record<string, unknown>): Promise<ToolResult>;
}

/** A tool argument problem: reported to the model as a tool error it can correct. */
export class ToolInputError extends Error {
  override name = "ToolInputError";
}

type Id = string | number;
interface RpcError {
  code: number;
  message: string;
  data?: unknown;
}

const PARSE_ERROR = -32700;
const INVALID_REQUEST = -32600;
const METHOD_NOT_FOUND = -32601;
const INVALID_PARAMS = -32602;
const INTERNAL_ERROR = -32603;

const reply = (id: Id | null, result: unknown) => ({ jsonrpc: "2.0", id, result });
const failure = (id: Id | null, error: RpcError) => ({ jsonrpc: "2.0", id, error });

/** The answer to a message longer than the server reads (its id is unknown: it was not read). */
export function tooLarge(maxBytes: number): string {
  return JSON.stringify(failure(null, { code: INVALID_REQUEST, message: `message longer than ${maxBytes} bytes: not read` }));
}

export class McpServer {
  private readonly tools: Map<string, Tool>;
  private readonly info: { name: string; version: string };
  private initialized = false;
  private readonly onBug: ((error: unknown) => void) | undefined;

  /** `onBug` hears a tool's unexpected failure (with its stack); the agent gets a tool error in words. */
  constructor(tools: Tool[], info = { name: "bouncer", version: "0.1.0" }, onBug?: (error: unknown) => void) {
    this.tools = new Map(tools.map((t) => [t.name, t]));
    this.info = info;
    this.onBug = onBug;
  }

  /** Handles one line from the client; returns the line(s) to send back (none for notifications). */
  async handleLine(line: string): Promise<string[]> {
    if (!line.trim()) return [];
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      return [JSON.stringify(failure(null, { code: PARSE_ERROR, message: "parse error: not JSON" }))];
    }
    if (Array.isArray(message)) {
      if (!message.length) return [JSON.stringify(failure(null, { code: INVALID_REQUEST, message: "empty batch" }))];
      const out = (await Promise.all(message.map((m) => this.handle(m)))).filter((r) => r !== undefined);
      return out.length ? [JSON.stringify(out)] : [];
    }
    const response = await this.handle(message);
    return response === undefined ? [] : [JSON.stringify(response)];
  }

  private async handle(message: unknown): Promise<object | undefined> {
    if (!isRecord(message) || message.jsonrpc !== "2.0" || typeof message.method !== "string") {
      // Responses from the client (we send no requests) are ignored; anything else is invalid.
      if (isRecord(message) && message.jsonrpc === "2.0" && ("result" in message || "error" in message)) return undefined;
      const id = isRecord(message) && (typeof message.id === "string" || typeof message.id === "number") ? message.id : null;
      return failure(id, { code: INVALID_REQUEST, message: "invalid JSON-RPC request" });
    }
    const id = message.id;
    const isNotification = id === undefined;
    if (!isNotification && typeof id !== "string" && typeof id !== "number") {
      return failure(null, { code: INVALID_REQUEST, message: "id must be a string or a number" });
    }
    const params = message.params === undefined ? {} : message.params;
    if (!isRecord(params)) return isNotification ? undefined : failure(id as Id, { code: INVALID_PARAMS, message: "params must be an object" });
    try {
      const result = await this.dispatch(message.method, params);
      return isNotification ? undefined : reply(id as Id, result);
    } catch (error) {
      if (isNotification) return undefined;
      if (error instanceof RpcFailure) return failure(id as Id, error.rpc);
      return failure(id as Id, { code: INTERNAL_ERROR, message: errorMessage(error) });
    }
  }

  private async dispatch(method: string, params: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case "initialize": {
        const asked = typeof params.protocolVersion === "string" ? params.protocolVersion : PROTOCOL_VERSIONS[0]!;
        this.initialized = true;
        return {
          protocolVersion: PROTOCOL_VERSIONS.includes(asked) ? asked : PROTOCOL_VERSIONS[0],
          capabilities: { tools: { listChanged: false } },
          serverInfo: { ...this.info, title: "Bouncer: verify packages before you suggest or install them" },
          instructions:
            "Before suggesting or installing any npm or PyPI package, call verify_packages (or scan_snippet on your draft answer). " +
            "Never suggest a package whose verdict is block. Take a didYouMean alternative only when the advice says to use it instead " +
            "(the name does not exist or imitates another); a known package that could not be verified keeps its name. " +
            "To choose a package for a task, call suggest_package with the task as intent rather than naming one from memory; " +
            "when it says nothing fits, do not invent a name.",
        };
      }
      case "notifications/initialized":
      case "notifications/cancelled":
        return {};
      case "ping":
        return {};
      case "tools/list":
        return {
          tools: [...this.tools.values()].map((t) => ({
            name: t.name,
            title: t.title,
            description: t.description,
            inputSchema: t.inputSchema,
            ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
            annotations: { readOnlyHint: true, openWorldHint: true },
          })),
        };
      case "tools/call": {
        if (!this.initialized) throw new RpcFailure({ code: INVALID_REQUEST, message: "call initialize first" });
        const name = params.name;
        const tool = typeof name === "string" ? this.tools.get(name) : undefined;
        if (!tool) throw new RpcFailure({ code: INVALID_PARAMS, message: `unknown tool: ${String(name)}` });
        const args = params.arguments === undefined ? {} : params.arguments;
        if (!isRecord(args)) throw new RpcFailure({ code: INVALID_PARAMS, message: "arguments must be an object" });
        try {
          const r = await tool.call(args);
          return { content: [{ type: "text", text: r.text }], structuredContent: r.structured, isError: Boolean(r.isError) };
        } catch (error) {
          if (error instanceof ToolInputError) {
            return { content: [{ type: "text", text: `invalid arguments: ${error.message}` }], isError: true };
          }
          // A failure is never an answer: the agent is told nothing was verified.
          this.onBug?.(error);
          const why = errorMessage(error);
          return {
            content: [{ type: "text", text: `Bouncer failed on this call (${why}). Nothing was verified: treat the packages as unchecked and do not install them; try again, or tell the user.` }],
            isError: true,
          };
        }
      }
      default:
        throw new RpcFailure({ code: METHOD_NOT_FOUND, message: `method not found: ${method}` });
    }
  }
}

class RpcFailure extends Error {
  readonly rpc: RpcError;
  constructor(rpc: RpcError) {
    super(rpc.message);
    this.rpc = rpc;
  }
}
