import { parseYamlDocuments } from "./src/ecosystems/npm/manifests/yaml-lite.ts";
import { readFileSync } from "node:fs";
import { execSync } from "node:child_process";
import { isDeepStrictEqual } from "node:util";
const files = execSync("find /work/shared/fixtures/pnpm-lock /work/shared/fixtures/yarn-lock-berry -type f ! -name '*.json'").toString().trim().split("\n");
let same=0, diff=0;
for (const f of files) {
  const t = readFileSync(f, "utf8");
  let a: unknown, b: unknown;
  try { a = parseYamlDocuments(t,{engine:"fast"}).map(d=>d.value); } catch (e) { a = "ERR " + (e as Error).message; }
  try { b = parseYamlDocuments(t, {engine:"full"}).map(d=>d.value); } catch (e) { b = "ERR " + (e as Error).message; }
  if (isDeepStrictEqual(a,b)) same++; else { diff++; console.log("DIFF", f, JSON.stringify(a).slice(0,200), "\n   ", JSON.stringify(b).slice(0,200)); }
}
console.log(same, diff);
