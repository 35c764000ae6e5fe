// Tokens (dashboard viewer and admin, metrics, the proxy's shared and per-client tokens) are compared
// in one place only, in constant time; the source is read so that a new check cannot bypass it.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { authenticator, proxyAuthenticator } from "../../../src/doors/service/auth.ts";

const SRC = path.resolve(import.meta.dirname, "../../../src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

/** The source without comments. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");

const files = sources(SRC).map((f) => ({ file: path.relative(SRC, f).split(path.sep).join("/"), text: code(readFileSync(f, "utf8")) }));

test("one constant-time comparison in src/: the helper in service/auth.ts", () => {
  const calls = files.flatMap((f) => [...f.text.matchAll(/\btimingSafeEqual\s*\(/g)].map(() => f.file));
  // Besides the token helper, only the decision log's MAC check (a keyed hash, not a token; ledger/ may not import doors).
  assert.deepEqual(calls, ["doors/service/auth.ts", "ledger/ledger.ts"]);
  const auth = files.find((f) => f.file === "doors/service/auth.ts")!.text;
  // Every token check goes through it: the proxy's clients and shared token, the admin and viewer tokens.
  assert.equal([...auth.matchAll(/\bsameToken\s*\(/g)].length, 5);
});

test("no token of the service is compared with === or !== (only with undefined, or its type)", () => {
  const doors = files.filter((f) => f.file.startsWith("doors/") || f.file.startsWith("store/"));
  const OP = "(?:===|!==|==(?!=)|!=(?!=))";
  const COMPARED = new RegExp(
    String.raw`\b\w*(?:token|secret|password)\w*(?:\.\w+|\([^)]*\))*\s*${OP}\s*(?!undefined\b|null\b|"string"|\s)\S+|${OP}\s*(?:[\w$]+(?:\([^)]*\))?\.)*\w*(?:token|secret|password)\w*\b`,
    "gi",
  );
  const found = doors.flatMap((f) => [...f.text.matchAll(COMPARED)].map((m) => `${f.file}: ${m[0]}`));
  assert.deepEqual(found, []);
});

test("tokens that differ in length, or share a prefix, are refused; the right ones are recognised", () => {
  const ADMIN = "admin-token-0123456789abcdef";
  const VIEWER = "viewer-token-0123456789abcdef";
  const who = authenticator({ adminToken: ADMIN, viewerToken: VIEWER, local: false });
  const bearer = (token: string) => new Request("http://bouncer.invalid/ui/api/overview", { headers: { authorization: `Bearer ${token}` } });
  assert.equal(who(bearer(ADMIN))?.role, "admin");
  assert.equal(who(bearer(VIEWER))?.role, "viewer");
  for (const wrong of [ADMIN.slice(0, -1), `${ADMIN}x`, "", "a"]) assert.equal(who(bearer(wrong)), undefined, JSON.stringify(wrong));
  const proxy = proxyAuthenticator(ADMIN, [{ name: "web-ci", token: VIEWER }]);
  assert.deepEqual(proxy(bearer(VIEWER)), { name: "web-ci", waivers: { team: undefined, project: undefined } });
  assert.deepEqual(proxy(bearer(ADMIN)), { waivers: {} });
  assert.equal(proxy(bearer(VIEWER.slice(0, -1))), undefined);
});
