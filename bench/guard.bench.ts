// The install guard's cost when a command adds nothing: a real stand-in tool, the same through a
// Bouncer shim (shell only), and through `bouncer npm` (Node start-up, no engine).
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { installShims } from "../src/doors/guard/shims.ts";
import type { BenchRow } from "./types.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

async function time(file: string, args: string[], env: Record<string, string>, runs = 15): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawn(file, args, { env, stdio: "ignore" });
    await new Promise((resolve) => child.on("close", resolve));
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

export default async function bench(): Promise<BenchRow[]> {
  const root = mkdtempSync(path.join(tmpdir(), "bench-guard-"));
  const bin = path.join(root, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "npm"), "#!/bin/sh\nexit 0\n");
  chmodSync(path.join(bin, "npm"), 0o755);
  const shims = path.join(root, "shims");
  installShims(shims, ["npm"], process.execPath, path.join(ROOT, "bin/bouncer.js"));
  const env = { PATH: `${shims}:${bin}:/usr/bin:/bin`, HOME: root, BOUNCER_HOME: path.join(root, "data") };
  const direct = await time(path.join(bin, "npm"), ["test"], env);
  const shim = await time(path.join(shims, "npm"), ["test"], env);
  const viaNode = await time(process.execPath, [path.join(ROOT, "bin/bouncer.js"), "npm", "pack"], env);
  return [
    { name: "npm test, the tool itself (median of 15)", value: Number(direct.toFixed(1)), unit: "ms" },
    { name: "npm test through a Bouncer shim: added", value: Number((shim - direct).toFixed(1)), unit: "ms", target: "< 10 ms", ok: shim - direct < 10 },
    { name: "bouncer npm pack (adds nothing): added", value: Number((viaNode - direct).toFixed(1)), unit: "ms" },
  ];
}
