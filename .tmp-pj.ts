import { readFileSync } from "node:fs";
import semver from "semver";
import { expectedFiles, rel } from "./test/ecosystems/npm/manifests/fixtures.ts";
import { packageJsonExtractor, localPackageName, readPackageJsonInfo } from "./src/ecosystems/npm/manifests/package-json.ts";
for (const { fixture, expected } of expectedFiles("npm-package-json")) {
  const text = readFileSync(fixture, "utf8");
  const r = packageJsonExtractor.extract(text, fixture);
  const info = readPackageJsonInfo(text);
  for (const c of expected.cases) {
    const got = r.dependencies.filter(d => d.source === "registry").map(d => `${d.name}@${semver.minVersion(d.version ?? "")?.version ?? "?"}`);
    console.log(rel(fixture), c.test, c.wantErr, "problems", r.problems.length, "self", info.name, info.version, "\n   want", (c.packages??[]).map(p=>`${p.name}@${p.version}`).join(" "), "\n   deps", [...new Set(got)].join(" "));
  }
}
