// Settings edited as text: what goes in is laid out like the file, and comes out leaving the file as it was.
import assert from "node:assert/strict";
import { test } from "node:test";
import { addHook, addMcp, removeHook, removeMcp } from "../../../src/doors/hooks/install.ts";
import { parseJsonc, SettingsError, toValue } from "../../../src/doors/hooks/settings/jsonc.ts";

const round = (text: string | undefined, agent: "claude" | "cursor" | "gemini" = "claude") => {
  const added = addHook(text, agent, `bouncer hook ${agent}`, "s.json");
  assert.equal(addHook(added, agent, `bouncer hook ${agent}`, "s.json"), added, "a second install changes nothing");
  return { added, removed: removeHook(added, agent, "s.json") };
};

test("JSONC: comments, trailing commas, CRLF, one-line objects and tabs are kept, and the hook comes out exactly", () => {
  const files = [
    '{\r\n  // user settings\r\n  "model": "opus",\r\n}\r\n',
    '{ "hooks": { "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "x.sh" } ] } ] } }\n',
    '{\n\t"hooks": {\n\t\t"Stop": [],\n\t},\n}\n',
    '/* a */ { /* b */ } /* c */\n',
    "{}",
  ];
  for (const text of files) {
    const { added, removed } = round(text);
    assert.equal(removed, text, JSON.stringify(text));
    const value = toValue(parseJsonc(added)) as { hooks: { PreToolUse: Array<{ hooks: Array<{ command: string }> }> } };
    assert.equal(value.hooks.PreToolUse.at(-1)!.hooks[0]!.command, "bouncer hook claude");
  }
  assert.ok(!round(files[0]).added.replace(/\r\n/g, "").includes("\n"), "CRLF files get CRLF lines");
  assert.match(round(files[2]).added, /\n\t\t"PreToolUse": \[\n\t\t\t\{/);
  // A file Bouncer created goes again.
  assert.equal(round(undefined).removed, undefined);
  assert.equal(round(undefined, "cursor").removed, undefined);
});

test("someone else's entries and a hook changed by hand are left alone", () => {
  const other = '{\n  "hooks": {\n    "PreToolUse": [\n      { "matcher": "Bash", "hooks": [{ "type": "command", "command": "bouncer hook claude" }, { "type": "command", "command": "lint.sh" }] }\n    ]\n  }\n}\n';
  const out = removeHook(other, "claude", "s.json")!;
  assert.deepEqual(toValue(parseJsonc(out)), { hooks: { PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "lint.sh" }] }] } });
  const mcp = '{ "mcpServers": { "bouncer": { "command": "/opt/bouncer", "args": ["mcp"] } } }';
  assert.equal(removeMcp(mcp, "claude", { file: ".mcp.json", format: "json" }, "bouncer", ".mcp.json"), mcp);
  assert.equal(addMcp(mcp, "claude", { file: ".mcp.json", format: "json" }, "bouncer", ".mcp.json"), mcp);
});

test("settings that are not JSON, or hold the wrong types, are refused with where", () => {
  assert.throws(() => addHook('{ "hooks": [] }', "claude", "bouncer hook claude", "s.json"), /"hooks" in s\.json is not an object/);
  assert.throws(() => addHook('{\n  "a": 1\n  "b": 2\n}', "claude", "bouncer hook claude", "s.json"), (e: unknown) => e instanceof SettingsError && /line 3/.test(e.message));
  assert.throws(() => parseJsonc("[".repeat(500)), /nesting too deep/);
});

test("TOML: the MCP table is appended after the file's own text and taken out again", () => {
  const location = { file: ".codex/config.toml", format: "toml" } as const;
  for (const text of ['model = "o3"\n', 'model = "o3"', "", '# only a comment\n\n[profiles.fast]\nmodel = "mini" # quick\n']) {
    const added = addMcp(text, "codex", location, "bouncer", "c.toml");
    assert.match(added, /\[mcp_servers\.bouncer\]\ncommand = "bouncer"\nargs = \["mcp"\]\n$/);
    assert.equal(addMcp(added, "codex", location, "bouncer", "c.toml"), added);
    // A last line without its line break gets one (the table starts on a line of its own) and keeps it.
    const expected = text && !text.endsWith("\n") ? `${text}\n` : text || undefined;
    assert.equal(removeMcp(added, "codex", location, "bouncer", "c.toml"), expected, JSON.stringify(text));
  }
});
