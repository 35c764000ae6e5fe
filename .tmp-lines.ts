import { readFileSync } from "node:fs";
import { npmExtractors } from "./src/ecosystems/npm/manifests/index.ts";
const F = "/work/shared/fixtures/";
const files: Array<[string,string]> = [["package-lock.json","npm-package-lock/osv-scalibr/alias.v1.json"],["package-lock.json","npm-package-lock/osv-scalibr/commits.v2.json"],["yarn.lock","yarn-lock-v1/osv-scalibr/with-aliases.v1.lock"],["yarn.lock","yarn-lock-berry/osv-scalibr/commits.v2.lock"],["pnpm-lock.yaml","pnpm-lock/osv-scalibr/peer-dependencies-advanced.v9.yaml"],["pnpm-lock.yaml","pnpm-lock/osv-scalibr/commits.yaml"],["bun.lock","bun-lock/osv-scalibr/alias.json5"],["package.json","npm-package-json/osv-scalibr/package-with-deps.json"]];
for (const [name, f] of files) {
  const text = readFileSync(F+f, "utf8"); const lines = text.split("\n");
  const ex = npmExtractors.find(e => e.matches("/x/"+name))!;
  const r = ex.extract(text, f, {});
  console.log("==", f, ex.id, r.problems);
  for (const d of r.dependencies.slice(0,6)) console.log(`  ${d.name}@${d.version} ${d.source} dev=${d.dev} grp=${d.group} spec=${d.spec ?? ""} L${d.location.line}: ${lines[(d.location.line??1)-1].trim().slice(0,70)}`);
}
