// `bouncer serve` as a user runs it: one line on start, loopback by default, a token when asked.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createHttpServer, request } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { cliEnvFor } from "../../support/cli-env.ts";
import { type RegistryServer, startRegistryServer } from "../../support/registry-server.ts";
import { serve } from "../../support/serve.ts";
import { cli } from "../cli/run.ts";

const TOKEN = "serve-test-token-0123456789";

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe("bouncer serve", () => {
  let up: RegistryServer;
  let home: string;
  let env: Record<string, string>;
  before(async () => {
    up = await startRegistryServer();
    home = mkdtempSync(join(tmpdir(), "bouncer-serve-"));
    env = cliEnvFor(up, home);
  });
  after(async () => {
    await up.close();
    rmSync(home, { recursive: true, force: true });
  });

  test("prints exactly one line, serves with its token, and stops cleanly on SIGTERM", async () => {
    const s = await serve(["--port", "0"], { ...env, BOUNCER_PROXY_TOKEN: TOKEN });
    assert.match(s.line, /^listening http:\/\/127\.0\.0\.1:\d+\n$/);
    const base = s.line.slice("listening ".length).trim();
    const auth = { authorization: `Bearer ${TOKEN}` };
    assert.equal((await fetch(`${base}/npm/left-pad`)).status, 401);
    const res = await fetch(`${base}/npm/left-pad`, { headers: auth });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { name: string }).name, "left-pad");
    const blocked = await fetch(`${base}/pypi/simple/numpay/`, { headers: auth });
    assert.equal(blocked.status, 404);
    await blocked.arrayBuffer();
    s.child.kill("SIGTERM");
    assert.equal(await s.exit, 0);
    assert.equal(s.stdout(), s.line);
  });

  test("--public-url names the proxy in documents, whatever the Host header says", async () => {
    const s = await serve(["--port", "0", "--public-url", "https://bouncer.example/registry/"], env);
    try {
      const base = new URL(s.line.slice("listening ".length).trim());
      const body = await new Promise<string>((resolve, reject) => {
        const req = request({ host: base.hostname, port: base.port, path: "/npm/left-pad", headers: { host: "attacker.example" } }, (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (d: string) => (text += d));
          res.on("end", () => resolve(text));
        });
        req.on("error", reject);
        req.end();
      });
      assert.match(body, /"tarball":"https:\/\/bouncer\.example\/registry\/npm\/left-pad\/-\/left-pad-1\.3\.0\.tgz"/);
      assert.doesNotMatch(body, /attacker\.example/);
    } finally {
      s.child.kill("SIGTERM");
      await s.exit;
    }
  });

  test("refuses a non-loopback address without a token", async () => {
    const run = await cli(["serve", "--host", "0.0.0.0", "--port", "0"], env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /refusing to listen on 0\.0\.0\.0 without a token/);
    assert.match(run.stderr, /hint: set BOUNCER_PROXY_TOKEN/);
  });

  test("refuses an upstream that is the proxy itself", async () => {
    const port = await freePort();
    const run = await cli(["serve", "--port", String(port)], { ...env, BOUNCER_NPM_REGISTRY: `http://127.0.0.1:${port}/npm/` });
    assert.equal(run.code, 2);
    assert.match(run.stderr, new RegExp(`the upstream http://127\\.0\\.0\\.1:${port}/npm/ is this proxy itself`));
  });

  test("a user's npm and pip configuration pointing at the proxy is not taken as the upstream", async () => {
    const port = await freePort();
    const userHome = mkdtempSync(join(home, "user-"));
    writeFileSync(join(userHome, ".npmrc"), `registry=http://127.0.0.1:${port}/npm/\n`);
    const { BOUNCER_NPM_REGISTRY: _n, BOUNCER_PYPI_URL: _p, ...rest } = env;
    const s = await serve(["--port", String(port)], { ...rest, HOME: userHome, PIP_INDEX_URL: `http://127.0.0.1:${port}/pypi/simple/` });
    try {
      assert.equal(s.line, `listening http://127.0.0.1:${port}\n`);
      assert.match(s.stderr(), /your npm configuration points at this proxy; forwarding npm to https:\/\/registry\.npmjs\.org\//);
      assert.match(s.stderr(), /your pypi configuration points at this proxy; forwarding pypi to https:\/\/pypi\.org\//);
    } finally {
      s.child.kill("SIGTERM");
      await s.exit;
    }
  });

  test("usage errors", async () => {
    for (const [args, pattern] of [
      [["--port", "99999"], /--port must be a number from 0 to 65535/],
      [["--offline"], /--offline does not apply/],
      [["--token", "short"], /at least 16 characters/],
      [["extra"], /Unexpected argument/],
      [["--public-url", "ftp://example.com/"], /--public-url must be an http\(s\) URL/],
      [["--public-url", "https://user:pw@example.com/"], /without credentials, query or fragment/],
      [["--artifact-origin", "not a url"], /--artifact-origin must be an http\(s\) URL/],
      [["--host", "0.0.0.0", "--token", TOKEN], /cannot know the URL clients reach it at/],
    ] as const) {
      const run = await cli(["serve", ...args], env);
      assert.equal(run.code, 2, args.join(" "));
      assert.match(run.stderr, pattern);
    }
  });
  test("SIGTERM drains: a request in flight is answered whole, then the process exits 0 (JSON log lines on stderr)", async () => {
    // An upstream that holds the first npm document request until released.
    let arrived!: () => void;
    const arrival = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let release!: () => void;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holding = createHttpServer(async (req, res) => {
      if (req.url?.startsWith("/npm/")) {
        arrived();
        await released;
      }
      const answer = await fetch(new URL((req.url ?? "/").slice(1), up.url), { headers: { accept: req.headers.accept ?? "*/*" } });
      res.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    await new Promise<void>((resolve) => holding.listen(0, "127.0.0.1", resolve));
    const held = `http://127.0.0.1:${(holding.address() as { port: number }).port}/`;
    try {
      const s = await serve(["--port", "0"], { ...env, BOUNCER_NPM_REGISTRY: `${held}npm/`, BOUNCER_NPM_DOWNLOADS_API: `${held}downloads/` });
      const base = s.line.slice("listening ".length).trim();
      const inFlight = fetch(`${base}/npm/left-pad`);
      await arrival;
      s.child.kill("SIGTERM");
      release();
      const res = await inFlight;
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as { name: string }).name, "left-pad");
      assert.equal(await s.exit, 0);
      const logged = s
        .stderr()
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { msg: string });
      assert.deepEqual(
        logged.map((l) => l.msg).filter((m) => m === "draining" || m === "stopped"),
        ["draining", "stopped"],
      );
    } finally {
      holding.closeAllConnections();
      holding.close();
    }
  });
});
