// A local GitHub REST API speaking the endpoints Bouncer asks (repos, git refs and tags, git commits,
// contents), with hostile answers: rate limits, 401, renames (301), redirects to another host.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export const SHA = { v1: "1".repeat(40), v2: "2".repeat(40), tagObject: "7".repeat(40), main: "3".repeat(40), old: "4".repeat(40) };

export interface FakeGithub {
  base: string;
  requests: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

const ACTION_YML = `name: Hello
inputs:
  who-to-greet:
    required: true
  old-style:
    deprecationMessage: use who-to-greet
runs:
  using: node24
  main: index.js
`;

export async function startFakeGithub(options: { elsewhere?: string } = {}): Promise<FakeGithub> {
  const requests: FakeGithub["requests"] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push({ path: url.pathname + url.search, authorization: req.headers.authorization });
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    const notFound = () => json(404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" });
    const repo = (full: string, extra: object = {}) => json(200, { full_name: full, archived: false, default_branch: "main", ...extra });
    const p = url.pathname;
    const ref = url.searchParams.get("ref");
    if (p === "/repos/octo/hello") return repo("octo/hello");
    if (p === "/repos/octo/frozen") return repo("octo/frozen", { archived: true });
    if (p === "/repos/octo/old-name") {
      res.writeHead(301, { location: "/repositories/42", "content-type": "application/json" });
      return res.end(JSON.stringify({ message: "Moved Permanently", url: "/repositories/42" }));
    }
    if (p === "/repositories/42") return repo("octo/new-name");
    if (p === "/repos/octo/elsewhere" && options.elsewhere) {
      res.writeHead(302, { location: `${options.elsewhere}repos/octo/elsewhere` });
      return res.end();
    }
    if (p.startsWith("/repos/limited/")) {
      return json(403, { message: "API rate limit exceeded" }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1800000000" });
    }
    if (p.startsWith("/repos/busy/")) return json(429, { message: "secondary rate limit" }, { "retry-after": "60" });
    if (p.startsWith("/repos/private/")) return json(401, { message: "Bad credentials" });
    for (const name of ["octo/hello", "octo/new-name", "octo/frozen"]) {
      const at = `/repos/${name}`;
      if (p === `${at}/git/ref/tags/v1`) return json(200, { ref: "refs/tags/v1", object: { sha: SHA.v1, type: "commit" } });
      if (p === `${at}/git/ref/tags/v2`) return json(200, { ref: "refs/tags/v2", object: { sha: SHA.tagObject, type: "tag" } });
      if (p === `${at}/git/tags/${SHA.tagObject}`) return json(200, { sha: SHA.tagObject, object: { sha: SHA.v2, type: "commit" } });
      if (p === `${at}/git/ref/heads/main`) return json(200, { ref: "refs/heads/main", object: { sha: SHA.main, type: "commit" } });
      if (p === `${at}/git/commits/${SHA.old}`) return json(200, { sha: SHA.old });
      if (p === `${at}/contents/action.yml` && ref) {
        return json(200, { type: "file", encoding: "base64", name: "action.yml", path: "action.yml", content: Buffer.from(ACTION_YML).toString("base64") });
      }
    }
    return notFound();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
