// npm run demo: builds Bouncer's offline data from ../shared (once), then checks real examples offline:
// a few package names, an AI answer with hallucinated and typosquatted packages, and an AI-written
// Kubernetes manifest.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const shared = path.resolve(root, "../shared");
const env = { ...process.env, BOUNCER_HOME: path.join(root, ".bouncer") };
const cli = path.join(root, "bin/bouncer.js");

class DemoFailed extends Error {}

function bouncer(args: string[], allowed: number[] = [0]): void {
  console.log(`\n$ bouncer ${args.join(" ")}`);
  const run = spawnSync(process.execPath, [cli, ...args], { stdio: "inherit", env, cwd: root });
  if (!allowed.includes(run.status ?? -1)) throw new DemoFailed(`bouncer ${args[0]} exited with ${run.status}`);
}

try {
  if (!existsSync(path.join(env.BOUNCER_HOME, "index.bin"))) {
    bouncer(["index", "build", "--npm", `${shared}/registry-snapshot/npm.tsv.gz`, "--pypi", `${shared}/registry-snapshot/pypi.tsv.gz`]);
    bouncer(["feeds", "import", `${shared}/feeds/osv-npm-all.zip`, `${shared}/feeds/osv-pypi-all.zip`]);
  }
  // Exit code 1 means "something was blocked": that is what these examples are for.
  bouncer(["check", "--offline", "pkg:pypi/requests", "pkg:pypi/reqeusts", "pkg:pypi/anthropic-sdk-python", "pkg:npm/react", "pkg:npm/expresss"], [1]);
  bouncer(["scan", "--offline", "examples/ai-answer.md"], [1]);
  bouncer(["k8s", "examples/ai-deployment.yaml", "--k8s-version", "1.34"], [1]);
} catch (error) {
  if (!(error instanceof DemoFailed)) throw error;
  console.error(`demo: ${error.message}`);
  process.exitCode = 1;
}
