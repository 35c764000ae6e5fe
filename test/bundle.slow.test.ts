// The agent hook's bundle as the build makes it (scripts/bundle.ts; test/bundle.test.ts tests the
// bundler): it answers every recorded agent payload, and broken and fuzzed ones, and hands options and
// help to the CLI, exactly as the unbundled entry beside it does, through a file and through a socket.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { AGENT_IDS } from "../src/doors/hooks/agents.ts";
import { mutate, random } from "./support/fuzz.ts";
import { ROOT } from "./support/package-files.ts";
import { FIXED_NOW } from "./support/registry-server.ts";

let tmp: string;
before(() => {
  tmp = mkdtempSync(path.join(tmpdir(), "bouncer-bundle-"));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

const FIXTURES = path.join(ROOT, "test", "fixtures", "agent-hooks");

interface Answer {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** One run of `entry` with `args` and `payload` on standard input, from a file or through a socket (as Node-based agents spawn hooks). */
function run(entry: string, args: string[], payload: string, through: "file" | "socket", cwd: string, env: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let input: number | "pipe" = "pipe";
    if (through === "file") {
      const file = path.join(mkdtempSync(path.join(tmp, "payload-")), "in.json");
      writeFileSync(file, payload);
      input = openSync(file, "r");
    }
    const child = spawn(process.execPath, [entry, ...args], { cwd, env, stdio: [input, "pipe", "pipe"] });
    if (typeof input === "number") closeSync(input);
    else child.stdin!.end(payload);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

test("the built bundle answers recorded, broken and fuzzed payloads exactly as the unbundled entry", { timeout: 240_000 }, async () => {
  const pkg = path.join(tmp, "package");
  const build = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build.ts"), "--out", path.join(pkg, "dist")], { encoding: "utf8" });
  assert.equal(build.status, 0, build.stderr);
  // As installed: data/ beside dist/, the dependencies reachable, a package of type module.
  writeFileSync(path.join(pkg, "package.json"), '{ "type": "module" }');
  symlinkSync(path.join(ROOT, "data"), path.join(pkg, "data"), "dir");
  symlinkSync(path.join(ROOT, "node_modules"), path.join(pkg, "node_modules"), "dir");
  const entries = ["hook-main.js", "hook-main.bundle.js"].map((f) => path.join(pkg, "dist", "doors", "cli", f));

  const project = mkdtempSync(path.join(tmp, "project-"));
  writeFileSync(path.join(project, "package.json"), '{\n  "name": "demo-app",\n  "version": "1.0.0",\n  "dependencies": {}\n}\n');
  const payloads: Array<[string[], string, string]> = [];
  for (const agent of AGENT_IDS) {
    for (const name of readdirSync(path.join(FIXTURES, agent)).sort()) {
      payloads.push([["hook", agent], name, readFileSync(path.join(FIXTURES, agent, name), "utf8").replaceAll("__CWD__", project)]);
    }
    for (const [what, text] of [
      ["empty", ""],
      ["not JSON", "{'tool_name'"],
      ["an array", "[1, 2, 3]"],
      ["nested too deep", `${"[".repeat(200_000)}${"]".repeat(200_000)}`],
    ]) {
      payloads.push([["hook", agent], what!, text!]);
    }
  }
  // What the entry hands to the CLI: options, no agent, an unknown one, help.
  const plain = readFileSync(path.join(FIXTURES, "claude", "bash-nothing.json"), "utf8").replaceAll("__CWD__", project);
  for (const args of [["hook", "claude", "--budget-ms", "5000"], ["hook"], ["hook", "nope"], ["hook", "--help"]]) payloads.push([args, "bash-nothing.json", plain]);
  const rand = random(7);
  const recorded = payloads.filter(([args, name]) => args.length === 2 && name.endsWith(".json"));
  for (let i = 0; i < 24; i++) {
    const [args, name, text] = recorded[Math.floor(rand() * recorded.length)]!;
    payloads.push([args, `${name} fuzzed`, JSON.stringify(mutate(rand, JSON.parse(text)))]);
  }

  // Each worker and entry with its own data directory (one process at a time in each), the same clock,
  // offline: answers depend on the input alone.
  const envFor = (entry: string) => {
    const home = mkdtempSync(path.join(tmp, "home-"));
    return { PATH: process.env.PATH ?? "", HOME: home, BOUNCER_HOME: path.join(home, "data"), BOUNCER_NOW: FIXED_NOW, BOUNCER_OFFLINE: "1", entry };
  };
  const results: string[] = [];
  const queue = payloads.map((p, i) => ({ p, through: i % 2 ? ("socket" as const) : ("file" as const) }));
  const worker = async () => {
    const envs = entries.map(envFor);
    for (let job = queue.shift(); job; job = queue.shift()) {
      const [args, name, text] = job.p;
      const [unbundled, bundled] = await Promise.all(envs.map(({ entry, ...env }) => run(entry, args, text, job.through, project, env)));
      assert.deepEqual(bundled, unbundled, `${args.join(" ")}: ${name} (${job.through})`);
      results.push(name);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  assert.equal(results.length, payloads.length);
});
