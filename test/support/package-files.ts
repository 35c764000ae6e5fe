// What the published package must hold, computed from the repo: the CLI, the shipped data, and dist/ as
// `npm run build` makes it from src/ (a .js and a .d.ts per module, every other file copied as is).
import { readdirSync } from "node:fs";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every file under `dir` of the repo, as repo-relative paths with forward slashes. */
export const filesUnder = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join("/"));

/** dist/ as the build makes it from src/, and the agent hook's bundle (scripts/bundle.ts). */
export const expectedDist = (): string[] => [
  ...filesUnder("src").flatMap((f) => {
    const out = `dist/${f.slice("src/".length)}`;
    return out.endsWith(".ts") ? [out.replace(/\.ts$/, ".js"), out.replace(/\.ts$/, ".d.ts")] : [out];
  }),
  "dist/doors/cli/hook-main.bundle.js",
];

/** The package's files but dist/: the ones `npm pack` takes from the repo as they are. */
export const expectedUnbuilt = (): string[] => ["LICENSE", "README.md", "package.json", "bin/bouncer.js", ...filesUnder("data")];

export const expectedPackage = (): string[] => [...expectedUnbuilt(), ...expectedDist()].sort();

/** A packed file that must never ship: sources, tests, benches, scripts. */
export const unwanted = (f: string): boolean => /^(src|test|bench|scripts)\//.test(f) || /\.test\.[jt]s$/.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f));
