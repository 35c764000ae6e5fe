// package.json lifecycle scripts run on `npm install` in the project: what they install is read (by the
// scan's shell reader, handed in), and scripts npm does not run by itself are not.
import assert from "node:assert/strict";
import { test } from "node:test";
import { packageJsonExtractor } from "../../../../src/ecosystems/npm/manifests/package-json.ts";
import { ciScriptCommands } from "../../../../src/extract/text.ts";

test("installs in preinstall, postinstall and prepare scripts are dependencies of the manifest; test scripts are not", () => {
  const text = JSON.stringify(
    {
      name: "app",
      version: "1.0.0",
      scripts: { postinstall: "npm install expresss && pip install reqeusts", prepare: "npx husky-fake install", test: "npm install not-on-install" },
      dependencies: { react: "19.2.0" },
    },
    null,
    2,
  );
  const found = packageJsonExtractor.extract(text, "package.json", { scriptCommands: ciScriptCommands });
  assert.deepEqual(
    found.dependencies.map((d) => `${d.ecosystem}:${d.name}:${d.location.line}`),
    ["npm:react:10", "npm:expresss:5", "pypi:reqeusts:5", "npm:husky-fake:6"],
  );
  // Without the reader (a caller that only wants the manifest's own fields), scripts are not read.
  assert.deepEqual(packageJsonExtractor.extract(text, "package.json").dependencies.map((d) => d.name), ["react"]);
});

test("the package manager corepack or npm runs for the project is a dependency of the manifest", () => {
  const deps = (manifest: object) =>
    packageJsonExtractor.extract(JSON.stringify(manifest, null, 2), "package.json").dependencies.map((d) => `${d.name}@${d.version ?? d.spec}:${d.source}:${d.group}`);
  assert.deepEqual(deps({ packageManager: "yarn@4.5.0+sha512.0123abcd" }), ["yarn@4.5.0:registry:packageManager"]);
  assert.deepEqual(deps({ packageManager: "yarnn@4.5.0" }), ["yarnn@4.5.0:registry:packageManager"]);
  assert.deepEqual(deps({ packageManager: "yarn@https://evil.example/yarn.js" }), ["yarn@https://evil.example/yarn.js:url:packageManager"]);
  assert.deepEqual(deps({ devEngines: { packageManager: { name: "pnpm", version: "^9.15.0" } } }), ["pnpm@^9.15.0:registry:devEngines.packageManager"]);
  const broken = packageJsonExtractor.extract('{ "packageManager": "garbage" }', "package.json");
  assert.match(broken.problems[0]!.reason, /packageManager "garbage" is not name@version/);
});
