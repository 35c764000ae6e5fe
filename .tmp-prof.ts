import { FORMATS, packageJson } from "./bench/npm-lockfiles.bench.ts";
const which = process.argv[2];
const manifest = packageJson();
const ctx = { readFile: (p: string) => (p === "package.json" ? manifest : undefined) };
for (const [label, ex, gen] of FORMATS) {
  if (!label.includes(which)) continue;
  const t = gen();
  for (let i = 0; i < 8; i++) ex.extract(t, "lock", ctx);
}
