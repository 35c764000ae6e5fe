import { packageLockV1, packageLockV3, bunLock } from "./bench/npm-lockfiles.bench.ts";
import { parseJson } from "./src/ecosystems/npm/manifests/json.ts";
for (const [n, t] of [["v1", packageLockV1()], ["v3", packageLockV3()], ["bun", bunLock()]] as const) {
  const ts: number[] = []; const tj: number[] = [];
  for (let i = 0; i < 7; i++) { let s = performance.now(); parseJson(t, { jsonc: n === "bun" }); ts.push(performance.now() - s); s = performance.now(); try { JSON.parse(t); } catch {} tj.push(performance.now() - s); }
  console.log(n, ts.sort((a,b)=>a-b)[3].toFixed(1), tj.sort((a,b)=>a-b)[3].toFixed(1));
}
