import { readFileSync } from "node:fs";
import { FORMATS, expectedFiles, rel, siblingReader, ourKey, expectedKey, sorted } from "./test/ecosystems/npm/manifests/fixtures.ts";
import { packageJsonExtractor, localPackageName } from "./src/ecosystems/npm/manifests/package-json.ts";
import { parsePackageLock } from "./src/ecosystems/npm/manifests/package-lock.ts";
import { parseYarnLock } from "./src/ecosystems/npm/manifests/yarn-lock.ts";
import { parsePnpmLock } from "./src/ecosystems/npm/manifests/pnpm-lock.ts";
import { parseBunLock } from "./src/ecosystems/npm/manifests/bun-lock.ts";
import { reachable } from "./src/ecosystems/npm/manifests/common.ts";
const parsers: Record<string, any> = { "npm-package-lock": parsePackageLock, "yarn-lock-v1": parseYarnLock, "yarn-lock-berry": parseYarnLock, "pnpm-lock": parsePnpmLock, "bun-lock": parseBunLock };
let ok=0, bad=0;
const only = process.argv[2];
for (const format of FORMATS) {
  if (format === "npm-package-json") continue;
  for (const { fixture, expected } of expectedFiles(format)) {
    if (only && !rel(fixture).includes(only)) continue;
    const text = readFileSync(fixture, "utf8");
    const ctx = siblingReader(fixture);
    for (const c of expected.cases) {
    const parsed = parsers[format](text, fixture, (c.variant ?? "").includes("projects-undefined") ? undefined : ctx);
      let got: string[]; let want = sorted((c.packages ?? []).map(expectedKey));
      let label = `${rel(fixture)} :: ${c.test ?? c.variant}`;
      if (expected.source.repo.startsWith("snyk")) {
        const v = c.variant ?? "expected.json";
        const dir = v.includes("/") ? v.slice(0, v.lastIndexOf("/")) : "";
        const pj = ctx.readFile!(dir ? dir + "/package.json" : "package.json");
        const m = pj ? JSON.parse(pj) : {};
        const dev = v.includes("dev-deps-included");
        const names = new Set([...Object.keys(m.dependencies ?? {}), ...Object.keys(m.optionalDependencies ?? {}), ...Object.keys(m.peerDependencies ?? {}), ...(dev ? Object.keys(m.devDependencies ?? {}) : [])]);
        const set = reachable(parsed.graph, { importers: [dir], dev, peer: true, names, transitiveOptional: format !== "pnpm-lock" });
        got = sorted([...set].map(d => `${d.name}@${d.version ?? ""}`));
        want = sorted((c.packages ?? []).map(p => `${p.name}@${p.version === "undefined" || p.version == null ? "" : p.version}`));
      } else {
        got = sorted(parsed.dependencies.map(ourKey));
        if ((c.packages ?? []).some(p => p.depGroups)) {
          const wantDev = sorted((c.packages ?? []).filter(p => (p.depGroups ?? []).includes("dev")).map(expectedKey));
          const all = parsed.dependencies; const gotDev = sorted(all.filter((d:any) => all.filter((o:any)=>ourKey(o)===ourKey(d)).every((o:any)=>o.dev===true)).map(ourKey));
          if (JSON.stringify(wantDev) !== JSON.stringify(gotDev)) console.log("DEV", label, "want", wantDev, "got", gotDev);
        }
      }
      const missing = want.filter(k => !got.includes(k)); const extra = got.filter(k => !want.includes(k));
      const errOk = !c.wantErr || parsed.problems.length > 0;
      if (missing.length || extra.length || !errOk) { bad++; console.log("FAIL", label, JSON.stringify({missing, extra})); }
      else { ok++; if (parsed.problems.length && !c.wantErr) console.log("OK-but-problems", label, parsed.problems.map((p:any)=>p.reason).slice(0,3)); }
    }
  }
}
console.log("ok", ok, "bad", bad);
